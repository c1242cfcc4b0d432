import type { LocalEventHubs } from "./eventhubs/localEventHubs.js";
import type { MicroshareSimulator } from "./microshare/microshareSimulator.js";

/**
 * The configuration variables that point the pipeline at the local stand-ins: every Microshare
 * URL, account and id at the simulator, and every hub of the local endpoint as a named
 * connection string. Used by the demo, the tests and the benchmarks alike, so all of them run
 * the product exactly as an operator configures it.
 */
export function standInEnvironment(sim: MicroshareSimulator, hubs: LocalEventHubs): Record<string, string> {
  return {
    MICROSHARE_AUTH_URL: sim.url,
    MICROSHARE_API_URL: sim.url,
    MICROSHARE_APP_URL: sim.url,
    MICROSHARE_USERNAME: sim.credentials.username,
    MICROSHARE_PASSWORD: sim.credentials.password,
    MICROSHARE_API_KEY: sim.credentials.apiKey,
    MICROSHARE_PC_DEVICE_CLUSTER_ID: sim.ids.peopleCounterClusterId,
    MICROSHARE_PC_DASHBOARD_VIEW_ID: sim.ids.peopleCounterViewId,
    MICROSHARE_SNAPSHOT_DEVICE_CLUSTER_ID: sim.ids.snapshotClusterId,
    MICROSHARE_SNAPSHOT_DASHBOARD_VIEW_ID: sim.ids.snapshotViewId,
    EVENT_HUB_CONNECTION_STRINGS: JSON.stringify(
      hubs.hubs.map((name) => ({ name, connectionString: hubs.connectionString(name) })),
    ),
  };
}
