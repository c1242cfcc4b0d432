import { LocalEventHubs } from "../../src/local/eventhubs/localEventHubs.js";
import { serveCommands } from "./commandLoop.js";

export interface HubsReady {
  connectionStrings: Record<string, string>;
}

export interface HubTotals {
  eventsAccepted: number;
  transfersAccepted: number;
  transfersRejected: number;
  connectionsOpened: number;
}

/** How often received events are dropped: the endpoint keeps every event (decoded) otherwise. */
const CLEAR_EVERY_MS = 250;

/**
 * The local Event Hubs endpoint in its own process. The endpoint has no switch to skip storing
 * bodies, so this wrapper folds its counters into running totals and clears the stores every
 * 250 ms: the hubs process stays small for a 1M-event run (the decode cost per event remains, the
 * same for the pipeline and the floor). Answers `stats` (totals per hub) and `reset`.
 */
const hubNames = (process.argv[2] ?? "hub1").split(",");
const hubs = await LocalEventHubs.start({ hubs: hubNames });
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
    totals.set(hub, t);
  }
  hubs.clear();
}

const timer = setInterval(fold, CLEAR_EVERY_MS);
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
  },
  async () => {
    clearInterval(timer);
    await hubs.close();
  },
);
