import yargs from "yargs";
import { hideBin } from "yargs/helpers";
import { optionsFromCli } from "./cliOptions.js";
import { MicroshareSimulator } from "./microshareSimulator.js";
import { SNAPSHOT_CATEGORY, SNAPSHOT_METRIC } from "./snapshotLines.js";
import { DEFAULT_CREDENTIALS } from "./simulatorOptions.js";

/** `npm run sim -- --port 8480 …`: runs the simulator until SIGINT/SIGTERM and prints what a client needs. */
async function main(): Promise<void> {
  const args = yargs(hideBin(process.argv))
    .scriptName("sim")
    .usage("$0 [options]: a local Microshare API serving generated people-counter and snapshot data")
    .options({
      port: { type: "number", default: 8480, describe: "port to listen on (0: any free port)" },
      host: { type: "string", default: "127.0.0.1" },
      seed: { type: "number", default: 1, describe: "every generated value derives from it" },
      buildings: { type: "number", default: 3 },
      "floors-per-building": { type: "number", default: 2 },
      "rooms-per-floor": { type: "number", default: 2 },
      "data-start": { type: "string", describe: "ISO-8601 first instant with data (default now − 2 days)" },
      "data-end": { type: "string", describe: "ISO-8601 end of data (default: none)" },
      "latency-ms": { type: "number", default: 0, describe: "added to every response" },
      "token-lifetime-ms": { type: "number", describe: "default 48 h" },
      "late-fraction": { type: "number", default: 0, describe: "fraction of lines that arrive late" },
      "late-delay-ms": { type: "number", default: 10 * 60_000, describe: "how late those lines are" },
      "total-count-extra": { type: "number", default: 0, describe: "added to meta.totalCount" },
      "empty-pages-before": { type: "number", default: 0, describe: "empty pages before the last page" },
      "view-limit": { type: "number", default: 999, describe: "most lines a view returns" },
      "per-page-default": { type: "number", default: 999 },
      fault: {
        type: "string",
        array: true,
        default: [] as string[],
        describe: "endpoint:status[:calls=1;3,rate=0.1,retry-after=2,body=text] (repeatable)",
      },
      malformed: { type: "string", describe: "kind:endpoint[:calls], e.g. truncated-json:view:2" },
      username: { type: "string" },
      password: { type: "string" },
      "api-key": { type: "string" },
      "owner-org": { type: "string", describe: "default com.simulated.SIMORG" },
      "snapshot-location-prefix": { type: "string", default: "" },
    })
    .strict()
    .help()
    .parseSync();

  const sim = await MicroshareSimulator.start(optionsFromCli(args, DEFAULT_CREDENTIALS));
  const c = sim.credentials;
  const ownerOrg = args.ownerOrg ?? "com.simulated.SIMORG";
  const lines = [
    `# Microshare simulator listening on ${sim.url} (buildings: ${sim.buildings.join(", ")})`,
    `MICROSHARE_AUTH_URL=${sim.url}`,
    `MICROSHARE_API_URL=${sim.url}`,
    `MICROSHARE_APP_URL=${sim.url}`,
    `MICROSHARE_USERNAME=${c.username}`,
    `MICROSHARE_PASSWORD=${c.password}`,
    `MICROSHARE_API_KEY=${c.apiKey}`,
    `MICROSHARE_IDENTITY=${ownerOrg.split(".").pop() ?? ownerOrg}`,
    `MICROSHARE_PC_DEVICE_CLUSTER_ID=${sim.ids.peopleCounterClusterId}`,
    `MICROSHARE_PC_DASHBOARD_VIEW_ID=${sim.ids.peopleCounterViewId}`,
    `MICROSHARE_PC_DATA_CONTEXT=["people"]`,
    `MICROSHARE_SNAPSHOT_DEVICE_CLUSTER_ID=${sim.ids.snapshotClusterId}`,
    `MICROSHARE_SNAPSHOT_DASHBOARD_VIEW_ID=${sim.ids.snapshotViewId}`,
    `MICROSHARE_SNAPSHOT_DATA_CONTEXT=["space"]`,
    `MICROSHARE_SNAPSHOT_CATEGORY=${SNAPSHOT_CATEGORY}`,
    `MICROSHARE_SNAPSHOT_METRIC=${SNAPSHOT_METRIC}`,
    `MICROSHARE_LOCATION_PREFIX=${args.snapshotLocationPrefix}`,
  ];
  console.log(lines.join("\n"));

  const stop = (signal: string): void => {
    console.log(`# ${signal}: ${sim.requestCount()} requests served, closing`);
    sim.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once("SIGINT", () => stop("SIGINT"));
  process.once("SIGTERM", () => stop("SIGTERM"));
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
