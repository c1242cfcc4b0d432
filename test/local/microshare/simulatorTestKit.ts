import {
  MicroshareSimulator,
  type SimulatorOptions,
} from "../../../src/local/microshare/microshareSimulator.js";
import { PEOPLE_COUNTER_RECTYPE, peopleCounterViewParams } from "../../../src/pipelines/peopleCounter.js";
import {
  SNAPSHOT_RECTYPE as SNAPSHOT,
  snapshotViewParams as snapshotParams,
} from "../../../src/pipelines/snapshot.js";

/** A Friday, mid-day: dataStart defaults to 2025-11-12T12:00Z, so 2025-11-13 is a whole day of data. */
export const NOW = Date.parse("2025-11-14T12:07:00.000Z");

export const PC_RECTYPE = PEOPLE_COUNTER_RECTYPE;
export const SNAPSHOT_RECTYPE = SNAPSHOT;

/** A settable clock for the simulator's `now` option. */
export class TestClock {
  constructor(public ms = NOW) {}
  readonly now = (): number => this.ms;
  advance(ms: number): void {
    this.ms += ms;
  }
}

export interface HttpResult {
  status: number;
  headers: Headers;
  text: string;
}

export async function startSim(
  options: SimulatorOptions = {},
): Promise<{ sim: MicroshareSimulator; clock: TestClock }> {
  const clock = new TestClock();
  const sim = await MicroshareSimulator.start({ now: clock.now, ...options });
  return { sim, clock };
}

export async function grantToken(sim: MicroshareSimulator): Promise<string> {
  const c = sim.credentials;
  const q = new URLSearchParams({
    username: c.username,
    password: c.password,
    client_id: c.apiKey,
    grant_type: "password",
    scope: "ALL:ALL",
  });
  const res = await fetch(`${sim.url}/oauth2/token?${q}`, { method: "POST" });
  if (res.status !== 200) throw new Error(`token grant failed: ${res.status}`);
  const body = (await res.json()) as { access_token: string };
  return body.access_token;
}

export async function get(url: string, token?: string): Promise<HttpResult> {
  const headers: Record<string, string> = token === undefined ? {} : { authorization: `Bearer ${token}` };
  const res = await fetch(url, { headers });
  return { status: res.status, headers: res.headers, text: await res.text() };
}

export function pcViewParams(
  sim: MicroshareSimulator,
  building: string,
  from: string,
  to: string,
): Record<string, string> {
  return {
    id: sim.ids.peopleCounterViewId,
    ...peopleCounterViewParams('["people"]'),
    loc1: building,
    from,
    to,
  };
}

export function snapshotViewParams(
  sim: MicroshareSimulator,
  building: string,
  from: string,
  to: string,
): Record<string, string> {
  return {
    id: sim.ids.snapshotViewId,
    ...snapshotParams({ dataContext: '["space"]', category: "space", metric: "occupancy" }),
    loc1: building,
    from,
    to,
  };
}

export function viewUrl(sim: MicroshareSimulator, params: Record<string, string> | URLSearchParams): string {
  return `${sim.url}/share/io.microshare.fm.master.agg/?${new URLSearchParams(params)}`;
}

export interface Line {
  time: string;
  [key: string]: unknown;
}

export interface ViewBody {
  meta: {
    totalPages: number;
    currentPage: number;
    perPage: number;
    totalCount: number;
    currentCount: number;
    source: string;
  };
  objs: { data: { _id: { tags: string[] }; line: Line[] } }[];
}

export async function getView(
  sim: MicroshareSimulator,
  token: string,
  params: Record<string, string>,
): Promise<ViewBody> {
  const res = await get(viewUrl(sim, params), token);
  if (res.status !== 200) throw new Error(`view failed: ${res.status} ${res.text}`);
  return JSON.parse(res.text) as ViewBody;
}

/** (tags, line) pairs of a view body ordered by time then tags, the order of the ground-truth helpers. */
export function flatten(body: ViewBody): { tags: string[]; line: Line }[] {
  const flat = body.objs.flatMap((o, order) =>
    o.data.line.map((line) => ({ tags: o.data._id.tags, line, order })),
  );
  flat.sort((a, b) => (a.line.time < b.line.time ? -1 : a.line.time > b.line.time ? 1 : a.order - b.order));
  return flat.map(({ tags, line }) => ({ tags, line }));
}
