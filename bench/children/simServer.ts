import {
  MicroshareSimulator,
  type SimulatorOptions,
} from "../../src/local/microshare/microshareSimulator.js";
import { serveCommands } from "./commandLoop.js";

/** What the parent passes (JSON in argv[2]); dates as ISO strings. */
export interface SimServerArgs {
  buildings: number;
  floorsPerBuilding: number;
  roomsPerFloor: number;
  dataStart: string;
  latencyMs: number;
}

export interface SimReady {
  url: string;
  username: string;
  password: string;
  apiKey: string;
  clusterId: string;
  viewId: string;
}

export interface SimStats {
  requests: number;
  token: number;
  device: number;
  view: number;
  maxViewsInFlight: number;
  /** Wall-clock ms of the first request's arrival and the last response's end (0 when none). */
  firstStartedAt: number;
  lastEndedAt: number;
  /** Summed arrival-to-response-end time of the view calls, and the span from the first to the last. */
  viewBusyMs: number;
  viewSpanMs: number;
}

export interface MinViewCalls {
  readonly lines: number;
  readonly calls: number;
}

/**
 * The Microshare simulator in its own process, so its JSON generation does not share the
 * pipeline's event loop. Prints the settings a client needs, then answers `stats`/`reset`.
 */
const args = JSON.parse(process.argv[2] ?? "{}") as SimServerArgs;
const options: SimulatorOptions = {
  buildings: args.buildings,
  floorsPerBuilding: args.floorsPerBuilding,
  roomsPerFloor: args.roomsPerFloor,
  dataStart: new Date(args.dataStart),
  latencyMs: args.latencyMs,
};
const sim = await MicroshareSimulator.start(options);
const ready: SimReady = {
  url: sim.url,
  ...sim.credentials,
  clusterId: sim.ids.peopleCounterClusterId,
  viewId: sim.ids.peopleCounterViewId,
};
process.stdout.write(`${JSON.stringify(ready)}\n`);

serveCommands(
  {
    stats: (): SimStats => {
      const records = sim.requests;
      return {
        requests: sim.requestCount(),
        token: sim.requestCount("token"),
        device: sim.requestCount("device"),
        view: sim.requestCount("view"),
        maxViewsInFlight: sim.maxInFlight("view"),
        firstStartedAt: records[0]?.startedAt ?? 0,
        lastEndedAt: records.reduce((max, r) => Math.max(max, r.endedAt), 0),
        ...viewOccupancy(records.filter((r) => r.endpoint === "view")),
      };
    },
    // Ground truth for the latency back-fill: the fewest view calls that can return every
    // people-counter line of [from, to), one location a call, at most `viewLimit` lines each.
    minViewCalls: (argument: string): MinViewCalls => {
      const { from, to, viewLimit } = JSON.parse(argument) as { from: string; to: string; viewLimit: number };
      const perBuilding = sim.buildings.map(
        (b) => sim.peopleCounterLines(b, new Date(from), new Date(to)).length,
      );
      return {
        lines: perBuilding.reduce((a, b) => a + b, 0),
        calls: perBuilding.reduce((n, lines) => n + Math.max(1, Math.ceil(lines / viewLimit)), 0),
      };
    },
    reset: () => {
      sim.resetStats();
      return { ok: true };
    },
  },
  () => sim.close(),
);

function viewOccupancy(views: readonly { startedAt: number; endedAt: number }[]): {
  viewBusyMs: number;
  viewSpanMs: number;
} {
  if (views.length === 0) return { viewBusyMs: 0, viewSpanMs: 0 };
  const first = Math.min(...views.map((r) => r.startedAt));
  const last = Math.max(...views.map((r) => r.endedAt));
  return {
    viewBusyMs: views.reduce((sum, r) => sum + (r.endedAt - r.startedAt), 0),
    viewSpanMs: last - first,
  };
}
