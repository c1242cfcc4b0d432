import { LocalEventHubs } from "../../src/local/eventhubs/localEventHubs.js";
import { parseFaultSpec } from "../../src/local/eventhubs/faultSpec.js";
import { serveCommands } from "./commandLoop.js";

export interface HubsReady {
  connectionStrings: Record<string, string>;
}

export interface HubTotals {
  eventsAccepted: number;
  transfersAccepted: number;
  transfersRejected: number;
  connectionsOpened: number;
  /** Wall-clock ms of the last accepted transfer since the last `reset`. */
  lastAcceptedAt?: number;
}

/**
 * The local Event Hubs endpoint in its own process, counting what it accepts without decoding
 * or keeping the events (`retainEvents: false`): it stands in for a remote service, and should
 * take as little CPU as it can from the pipeline it shares this machine with. Answers `stats`
 * (totals per hub since the last `reset`), `reset`, `fault hub=kind` (as `npm run hubs --fault`)
 * and `clear-faults`.
 */
const hubNames = (process.argv[2] ?? "hub1").split(",");
const hubs = await LocalEventHubs.start({ hubs: hubNames, retainEvents: false });
const totals = new Map<string, HubTotals>(hubNames.map((h) => [h, zero()]));

function zero(): HubTotals {
  return { eventsAccepted: 0, transfersAccepted: 0, transfersRejected: 0, connectionsOpened: 0 };
}

/** Stats and clear in one synchronous step: nothing can arrive in between. */
function fold(): void {
  for (const hub of hubNames) {
    const s = hubs.stats(hub);
    const t = totals.get(hub) ?? zero();
    t.eventsAccepted += s.eventsAccepted;
    t.transfersAccepted += s.transfersAccepted;
    t.transfersRejected += s.transfersRejected;
    t.connectionsOpened += s.connectionsOpened;
    const last = hubs.lastAcceptedAt(hub);
    if (last !== undefined) t.lastAcceptedAt = Math.max(t.lastAcceptedAt ?? 0, last);
    totals.set(hub, t);
  }
  hubs.clear();
}

const ready: HubsReady = {
  connectionStrings: Object.fromEntries(hubNames.map((h) => [h, hubs.connectionString(h)])),
};
process.stdout.write(`${JSON.stringify(ready)}\n`);

serveCommands(
  {
    stats: () => {
      fold();
      return Object.fromEntries(totals);
    },
    reset: () => {
      fold();
      for (const hub of hubNames) totals.set(hub, zero());
      return { ok: true };
    },
    fault: (spec) => {
      const { hub, fault } = parseFaultSpec(spec, hubNames);
      hubs.setFault(hub, fault);
      return { ok: true };
    },
    "clear-faults": () => {
      for (const hub of hubNames) hubs.setFault(hub, undefined);
      return { ok: true };
    },
  },
  async () => {
    await hubs.close();
  },
);
