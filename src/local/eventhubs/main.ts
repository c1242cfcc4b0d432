import { readFileSync } from "node:fs";
import yargs from "yargs";
import { hideBin } from "yargs/helpers";
import { startControlServer } from "./controlServer.js";
import { parseFaultSpec } from "./faultSpec.js";
import { DEFAULT_LOCAL_EVENT_HUBS_OPTIONS, LocalEventHubs } from "./localEventHubs.js";

/*
 * `npm run hubs -- --port 5673 --hubs a,b`: serves local Event Hubs until SIGINT/SIGTERM and
 * prints one connection string per hub on stdout, so a script can read them. The default port is
 * 5673 because 5672 (the AMQP default the emulator uses) is often held by a local broker.
 */
const argv = await yargs(hideBin(process.argv))
  .scriptName("hubs")
  .usage("$0 [--port 5673] [--hubs a,b]")
  .option("port", { type: "number", default: 5673, describe: "TCP port (0 = any free port)" })
  .option("host", {
    type: "string",
    default: DEFAULT_LOCAL_EVENT_HUBS_OPTIONS.host,
    describe: "interface to bind",
  })
  .option("hubs", { type: "string", default: "hub1", describe: "comma-separated hub names" })
  .option("partitions", {
    type: "number",
    default: DEFAULT_LOCAL_EVENT_HUBS_OPTIONS.partitionCount,
    describe: "partitions per hub",
  })
  .option("max-message-size", {
    type: "number",
    default: DEFAULT_LOCAL_EVENT_HUBS_OPTIONS.maxMessageSizeInBytes,
    describe: "largest event or batch in bytes",
  })
  .option("tls-port", {
    type: "number",
    describe:
      "also serve amqps here (5671 for clients that ignore the port, like the Python SDK); needs --tls-cert and --tls-key",
  })
  .option("tls-cert", { type: "string", describe: "PEM certificate (chain) naming the host clients dial" })
  .option("tls-key", { type: "string", describe: "PEM private key of --tls-cert" })
  .option("fault", {
    type: "string",
    array: true,
    describe:
      "start a hub in a failure: hub=stall|slow:<ms>|down|release|drop-link|reset-on-close|reject[:condition]",
  })
  .option("control-port", {
    type: "number",
    describe:
      "serve an HTTP control endpoint here to switch faults while running (PUT/DELETE /hubs/<hub>/fault)",
  })
  .check((a) => {
    const given = [a["tls-port"], a["tls-cert"], a["tls-key"]].filter((v) => v !== undefined).length;
    if (given !== 0 && given !== 3) throw new Error("--tls-port, --tls-cert and --tls-key go together");
    return true;
  })
  .strict()
  .help()
  .parseAsync();

const hubNames = argv.hubs
  .split(",")
  .map((name) => name.trim())
  .filter((name) => name !== "");

const hubs = await LocalEventHubs.start({
  port: argv.port,
  host: argv.host,
  hubs: hubNames,
  partitionCount: argv.partitions,
  maxMessageSizeInBytes: argv["max-message-size"],
  ...(argv["tls-port"] !== undefined && argv["tls-cert"] !== undefined && argv["tls-key"] !== undefined
    ? {
        tls: {
          port: argv["tls-port"],
          cert: readFileSync(argv["tls-cert"]),
          key: readFileSync(argv["tls-key"]),
        },
      }
    : {}),
});
try {
  for (const spec of argv.fault ?? []) {
    const { hub, fault } = parseFaultSpec(spec, hubs.hubs);
    hubs.setFault(hub, fault);
    console.error(`hub ${hub}: ${fault.kind}`);
  }
} catch (error) {
  console.error(`error: ${error instanceof Error ? error.message : String(error)}`);
  await hubs.close();
  process.exit(2);
}
const control =
  argv["control-port"] === undefined
    ? undefined
    : await startControlServer(hubs, { port: argv["control-port"], host: argv.host });
if (control !== undefined)
  console.error(
    `control endpoint on http://${argv.host}:${control.port}: PUT /hubs/<hub>/fault {"kind":"stall"}, DELETE /hubs/<hub>/fault, GET /hubs`,
  );
for (const name of hubs.hubs) console.log(hubs.connectionString(name));
if (hubs.tlsPort !== undefined) for (const name of hubs.hubs) console.log(hubs.tlsConnectionString(name));
console.error(
  `local Event Hubs listening on ${argv.host}:${hubs.port}${hubs.tlsPort === undefined ? "" : ` and amqps ${argv.host}:${hubs.tlsPort}`}; Ctrl-C to stop`,
);

let stopping = false;
const stop = (signal: NodeJS.Signals): void => {
  if (stopping) process.exit(1);
  stopping = true;
  console.error(`${signal}: closing`);
  for (const name of hubs.hubs) console.error(`  ${name}: ${JSON.stringify(hubs.stats(name))}`);
  Promise.all([hubs.close(), control?.close()]).then(
    () => process.exit(0),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
};
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
