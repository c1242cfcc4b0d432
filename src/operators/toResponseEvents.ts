import { concatMap, from, toArray, type OperatorFunction } from "rxjs";
import type { OutboundEvent } from "../model/outboundEvent.js";
import { forwarderProperties } from "./forwarderProperties.js";
import { groupIdentity } from "./lineIdentity.js";
import type { SourceLine } from "./sourceLine.js";
import type { EventShapeOptions } from "./toLineEvents.js";

export interface ResponseEventOptions extends EventShapeOptions {
  /**
   * Largest serialised body. A response over it is split into several events (whole groups
   * first, then lines of one group), so no event exceeds the hub's limit. Default 900 KiB,
   * under the 1 MiB Standard-tier limit with room for AMQP framing and properties.
   */
  readonly maxBodyBytes?: number;
}

export const DEFAULT_MAX_RESPONSE_BODY_BYTES = 900 * 1024;

interface Group {
  readonly tags: readonly string[];
  readonly lines: SourceLine[];
}

/**
 * The old snapshot format: one event per building holding the view response
 * (`{meta, objs: [{data: {_id: {tags}, line}}], recType}`), built from the lines that survived
 * dedupe, so a re-read window re-sends nothing already delivered. Collects one unit's lines
 * (bounded by the view limit per window) and emits nothing for an empty unit.
 */
export function toResponseEvents(options: ResponseEventOptions): OperatorFunction<SourceLine, OutboundEvent> {
  const maxBytes = options.maxBodyBytes ?? DEFAULT_MAX_RESPONSE_BODY_BYTES;
  return (lines) =>
    lines.pipe(
      toArray(),
      concatMap((all) =>
        from(
          all.length === 0
            ? []
            : chunk(groupByTags(all), maxBytes).map((groups) => responseEvent(groups, options)),
        ),
      ),
    );
}

function groupByTags(lines: readonly SourceLine[]): Group[] {
  const groups = new Map<string, Group>();
  for (const line of lines) {
    const id = JSON.stringify(line.tags);
    let group = groups.get(id);
    if (group === undefined) groups.set(id, (group = { tags: line.tags, lines: [] }));
    group.lines.push(line);
  }
  return [...groups.values()];
}

/** Packs groups into chunks under `maxBytes`, splitting a single too-large group by lines. */
function chunk(groups: readonly Group[], maxBytes: number): Group[][] {
  const chunks: Group[][] = [];
  let current: Group[] = [];
  let size = 0;
  const push = (group: Group, bytes: number) => {
    if (current.length > 0 && size + bytes > maxBytes) {
      chunks.push(current);
      current = [];
      size = 0;
    }
    current.push(group);
    size += bytes;
  };
  for (const group of groups) {
    const bytes = groupBytes(group);
    if (bytes <= maxBytes || group.lines.length === 1) {
      push(group, bytes);
      continue;
    }
    // One group alone is too big: cut its lines into pieces that fit (halving keeps it O(n log n)).
    const half = Math.ceil(group.lines.length / 2);
    for (const part of chunk(
      [
        { tags: group.tags, lines: group.lines.slice(0, half) },
        { tags: group.tags, lines: group.lines.slice(half) },
      ],
      maxBytes,
    ).flat()) {
      push(part, groupBytes(part));
    }
  }
  if (current.length > 0) chunks.push(current);
  return chunks;
}

function groupBytes(group: Group): number {
  return Buffer.byteLength(
    JSON.stringify({ data: { _id: { tags: group.tags }, line: group.lines.map((l) => l.line) } }),
  );
}

function responseEvent(groups: readonly Group[], options: EventShapeOptions): OutboundEvent {
  const first = groups[0]?.lines[0];
  const location = first?.location ?? "";
  const lines = groups.flatMap((g) => g.lines);
  const objs = groups.map((g) => ({ data: { _id: { tags: g.tags }, line: g.lines.map((l) => l.line) } }));
  const body = {
    // The envelope of a one-page view response, as the old forwarder passed it on: perPage is the
    // API's default page size (its calls set none), the counts are the location groups here.
    meta: {
      totalPages: 1,
      currentPage: 1,
      perPage: VIEW_DEFAULT_PAGE_SIZE,
      totalCount: objs.length,
      currentCount: objs.length,
      source: "db",
    },
    objs,
    recType: options.recType,
  };
  return {
    id: groupIdentity(
      options.recType,
      lines.map((l) => l.key),
    ),
    partitionKey: location,
    time: lines.reduce((t, l) => (l.time < t ? l.time : t), first?.time ?? new Date(0)),
    body,
    properties: {
      ...forwarderProperties(body),
      recType: options.recType,
      pipeline: options.pipeline,
      location,
    },
  };
}

/** Microshare's default `perPage` (microshare-api.md §2). */
const VIEW_DEFAULT_PAGE_SIZE = 999;
