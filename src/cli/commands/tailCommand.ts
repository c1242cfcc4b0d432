import { toDeliveryError } from "../../sinks/toDeliveryError.js";
import { describeFailure } from "../../sinks/deliveryError.js";
import { bootstrapConfig } from "../bootstrap.js";
import { EXIT } from "../../model/exitCodes.js";
import { eventRecord, formatEventLine } from "../format/eventLine.js";
import { hubVariable } from "../../config/hubConfig.js";
import { requireKnownHub } from "../hubSelection.js";
import { printError, printLine } from "../output.js";
import { readHubEvents } from "../readHubEvents.js";
import type { RegisterCommand } from "../registerCommand.js";
import { UsageError } from "../usageError.js";

export interface TailArgs {
  readonly hub: string;
  readonly fromStart: boolean;
  readonly latest: boolean;
  readonly limit: number | undefined;
  readonly timeoutSeconds: number;
  readonly json: boolean;
  readonly consumerGroup: string;
}

/**
 * `tail`: reads events back from a configured hub (consumer group `$default` unless
 * --consumer-group names another, every partition), one line per event (NDJSON with --json),
 * until --limit events or --timeout-seconds without one; it first says on stderr what it waits
 * for. 0 when it stopped that way (or on SIGINT), 1 when the hub could not be read.
 */
export async function tailCommand(args: TailArgs): Promise<number> {
  if (args.fromStart && args.latest) throw new UsageError("give --from-start or --latest, not both");
  if (args.limit !== undefined && (!Number.isInteger(args.limit) || args.limit < 1))
    throw new UsageError(`--limit must be a whole number from 1, got ${String(args.limit)}`);
  if (!(args.timeoutSeconds >= 0)) throw new UsageError("--timeout-seconds must be 0 (never) or more");
  const config = bootstrapConfig();
  const name = requireKnownHub(
    args.hub,
    config.hubs.map((h) => h.name),
  );
  const hub = config.hubs.find((h) => h.name === name);
  if (hub === undefined) throw new UsageError(`unknown hub "${args.hub}"`);
  const stop = new AbortController();
  const onSignal = () => stop.abort();
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);
  printError(
    `tail ${hub.name}: waiting for ${args.fromStart ? "every retained event" : "events sent from now on"} ` +
      `(consumer group ${args.consumerGroup}, all partitions; ` +
      `${args.limit === undefined ? "" : `stops after ${args.limit} events or `}` +
      `${args.timeoutSeconds > 0 ? `stops after ${args.timeoutSeconds} s without one` : "no idle timeout"}; Ctrl-C stops)`,
  );
  try {
    const end = await readHubEvents(hub, {
      consumerGroup: args.consumerGroup,
      fromStart: args.fromStart,
      limit: args.limit,
      idleTimeoutInMs: args.timeoutSeconds * 1000,
      abortSignal: stop.signal,
      timeoutInMs: config.delivery.timeoutInMs,
      onEvent: (event, partitionId) =>
        printLine(
          args.json ? JSON.stringify(eventRecord(event, partitionId)) : formatEventLine(event, partitionId),
        ),
    });
    if (end.kind === "error") {
      printError(
        `tail ${hub.name}: ${describeFailure(toDeliveryError(end.error))} ` +
          `(after ${end.events} events; check ${hubVariable(config, hub.name)}: EntityPath, and a key with Listen rights)`,
      );
      return EXIT.failure;
    }
    const why =
      end.kind === "limit"
        ? `--limit ${String(args.limit)} reached`
        : end.kind === "idle"
          ? `no event for ${args.timeoutSeconds} s`
          : "interrupted";
    printError(`tail ${hub.name}: ${end.events} events (${why})`);
    return EXIT.ok;
  } finally {
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
  }
}

export const registerTail: RegisterCommand = (y, setExitCode) =>
  y.command(
    "tail",
    "Read events back from a hub (all partitions; consumer group $default unless --consumer-group)",
    (c) =>
      c
        .option("hub", { type: "string", demandOption: true, describe: "hub name (from the configuration)" })
        .option("from-start", { type: "boolean", default: false, describe: "from the oldest retained event" })
        .option("latest", {
          type: "boolean",
          default: false,
          describe: "only events sent from now on (default)",
        })
        .option("limit", { type: "number", describe: "stop after this many events" })
        .option("timeout-seconds", {
          type: "number",
          default: 30,
          describe: "stop after this long without an event (0: never)",
        })
        .option("json", { type: "boolean", default: false, describe: "one JSON object per event (NDJSON)" })
        .option("consumer-group", {
          type: "string",
          default: "$default",
          describe:
            "read as this consumer group (one of your own keeps production consumers' $default alone)",
        }),
    async (args) =>
      setExitCode(
        await tailCommand({
          hub: args.hub,
          fromStart: args["from-start"],
          latest: args.latest,
          limit: args.limit,
          timeoutSeconds: args["timeout-seconds"],
          json: args.json,
          consumerGroup: args["consumer-group"],
        }),
      ),
  );
