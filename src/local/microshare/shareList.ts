import type { Dataset } from "./dataset.js";
import { Salt, hash, objectIdHex } from "./hash.js";
import { SLOT_MS } from "./occupancy.js";
import { type PagingSwitches, envelope, parsePageRequest, slicePage } from "./pagination.js";
import { PEOPLE_COUNTER_GLOBAL_TAGS } from "./peopleCounterLines.js";
import { type SimResponse, jsonResponse, textResponse } from "./simResponse.js";
import type { Room } from "./topology.js";

export const RAW_EVENT_RECTYPE = "io.microshare.peoplecounter.unpacked.event";
/** A room's raw event for a period is stored within this long after the period ends. */
const JITTER_MS = 60_000;

export interface ShareListContext {
  dataset: Dataset;
  nowMs: number;
  dataStartMs: number;
  dataEndMs: number | undefined;
  perPageDefault: number;
  paging: PagingSwitches;
  owner: { org: string; appid: string; user: string };
}

interface RawEvent {
  room: Room;
  slot: number;
  tstampMs: number;
}

/** When the raw event of (room, period) was stored: just after the period ends, jittered per room. */
export function rawEventTime(seed: number, room: Room, slot: number): number {
  return (slot + 1) * SLOT_MS + (hash(seed, Salt.eventJitter, room.index, slot) % JITTER_MS);
}

function parseBound(raw: string | null): number | undefined | "invalid" {
  if (raw === null) return undefined;
  const ms = Date.parse(raw);
  return Number.isNaN(ms) ? "invalid" : ms;
}

/**
 * `GET /share/{recType}`: the plain share list, newest first. Only the raw people-counter
 * events hold data (one per room per 15 minutes, all buildings); other recTypes list nothing.
 * Microshare documents no time filter for this call (only details, page, perPage, sort), so
 * `from`/`to` (ISO-8601, inclusive, on `tstamp`) are a simulator extension. A page is computed
 * by index arithmetic over whole periods, so its cost does not grow with the data range.
 */
export function handleShareList(recType: string, query: URLSearchParams, ctx: ShareListContext): SimResponse {
  const from = parseBound(query.get("from"));
  const to = parseBound(query.get("to"));
  if (from === "invalid" || to === "invalid") return textResponse(400, "from/to must be ISO-8601 dates");
  const request = parsePageRequest(query, ctx.perPageDefault);
  if (recType !== RAW_EVENT_RECTYPE) {
    return jsonResponse(200, envelope([], 0, request, slicePage(0, request, ctx.paging), ctx.paging));
  }
  const seed = ctx.dataset.seed;
  const rooms = ctx.dataset.topology.rooms;
  const perSlot = rooms.length;
  const lo = from ?? -Infinity;
  const hi = Math.min(to ?? Infinity, ctx.nowMs);
  const sLo = Math.max(Math.ceil(ctx.dataStartMs / SLOT_MS), Math.floor((lo - JITTER_MS) / SLOT_MS) - 1);
  let sHi = Math.floor(hi / SLOT_MS) - 1;
  if (ctx.dataEndMs !== undefined) sHi = Math.min(sHi, Math.ceil(ctx.dataEndMs / SLOT_MS) - 1);

  const slotEvents = (slot: number): RawEvent[] =>
    rooms
      .map((room) => ({ room, slot, tstampMs: rawEventTime(seed, room, slot) }))
      .filter((e) => e.tstampMs >= lo && e.tstampMs <= hi)
      .sort((a, b) => b.tstampMs - a.tstampMs || b.room.index - a.room.index);
  const fullyIn = (slot: number): boolean =>
    (slot + 1) * SLOT_MS >= lo && (slot + 1) * SLOT_MS + JITTER_MS - 1 <= hi;

  // Only the periods at either end of the range can be partly inside it.
  const top: RawEvent[][] = [];
  let hiFull = sHi;
  while (hiFull >= sLo && !fullyIn(hiFull)) top.push(slotEvents(hiFull--));
  const bottom: RawEvent[][] = [];
  let loFull = sLo;
  while (loFull <= hiFull && !fullyIn(loFull)) bottom.unshift(slotEvents(loFull++));
  const middleSlots = Math.max(0, hiFull - loFull + 1);
  const count = (parts: RawEvent[][]): number => parts.reduce((n, p) => n + p.length, 0);
  const total = count(top) + middleSlots * perSlot + count(bottom);

  const slice = slicePage(total, request, ctx.paging);
  const picked: RawEvent[] = [];
  let skip = slice.start;
  let need = slice.end - slice.start;
  const take = (events: RawEvent[]): void => {
    if (need <= 0) return;
    if (skip >= events.length) {
      skip -= events.length;
      return;
    }
    const part = events.slice(skip, skip + need);
    picked.push(...part);
    need -= part.length;
    skip = 0;
  };
  top.forEach(take);
  if (need > 0 && middleSlots > 0) {
    if (skip >= middleSlots * perSlot) skip -= middleSlots * perSlot;
    else {
      let slot = hiFull - Math.floor(skip / perSlot);
      skip %= perSlot;
      while (need > 0 && slot >= loFull) take(slotEvents(slot--));
    }
  }
  bottom.forEach(take);
  const objs = picked.map((e) => rawEventObject(ctx, e));
  return jsonResponse(200, envelope(objs, total, request, slice, ctx.paging));
}

function rawEventObject(ctx: ShareListContext, e: RawEvent): Record<string, unknown> {
  const c = ctx.dataset.model.counts(e.room, e.slot);
  const stamp = { $date: e.tstampMs };
  return {
    id: objectIdHex(Math.floor(e.tstampMs / 1000), ctx.dataset.seed, Salt.eventRecord, e.room.index, e.slot),
    recType: RAW_EVENT_RECTYPE,
    tstamp: stamp,
    createDate: stamp,
    updateDate: stamp,
    owner: ctx.owner,
    tags: [...e.room.tags],
    data: {
      deviceId: e.room.deviceId,
      time: new Date(e.tstampMs).toISOString(),
      period_start: new Date(e.slot * SLOT_MS).toISOString(),
      in: c.in,
      out: c.out,
      meta: { device: [...e.room.tags], global: [...PEOPLE_COUNTER_GLOBAL_TAGS] },
    },
  };
}
