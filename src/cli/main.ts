#!/usr/bin/env node
import yargs from "yargs";
import { hideBin } from "yargs/helpers";
import { ConfigError } from "../config/configError.js";
import { OldStateFileError } from "../migration/oldForwarderState.js";
import { redact } from "../observability/redact.js";
import { StateStoreError } from "../state/stateStoreError.js";
import { registerCheck } from "./commands/checkCommand.js";
import { registerConfig } from "./commands/configCommand.js";
import { registerDlqList } from "./commands/dlqListCommand.js";
import { registerDlqPurge } from "./commands/dlqPurgeCommand.js";
import { registerDlqReplay } from "./commands/dlqReplayCommand.js";
import { registerDlqShow } from "./commands/dlqShowCommand.js";
import { registerDlqUnpark } from "./commands/dlqUnparkCommand.js";
import { listCommand } from "./commands/listCommand.js";
import { registerMigrate } from "./commands/migrateCommand.js";
import { pipelineCommand } from "./commands/pipelineCommand.js";
import { registerStatus } from "./commands/statusCommand.js";
import { registerTail } from "./commands/tailCommand.js";
import { registerValidate } from "./commands/validateCommand.js";
import { EXIT } from "../model/exitCodes.js";
import { limitHeapGrowth } from "./heapGrowth.js";
import { printError } from "./output.js";
import type { SetExitCode } from "./registerCommand.js";
import { UsageError } from "./usageError.js";

/**
 * The command-line entry: every command returns an exit code; this is the one place that
 * turns errors into messages (redacted) and codes (78 for configuration, 1 otherwise).
 */
async function main(argv: string[]): Promise<number> {
  let code: number = EXIT.ok;
  const setExitCode: SetExitCode = (c) => {
    code = c;
  };
  const parser = yargs(argv)
    .scriptName("microshare-pipeline")
    .command(
      "pipeline",
      "Run a pipeline: a daemon on its schedule, or one tick with --once or --from/--to",
      (y) =>
        y
          .option("name", { type: "string", demandOption: true, describe: "pipeline name (see `list`)" })
          .option("once", {
            type: "boolean",
            default: false,
            describe: "run one tick and exit (cron, CronJob, Functions timer)",
          })
          .option("from", { type: "string", describe: "re-read from this ISO time (one tick)" })
          .option("to", { type: "string", describe: "re-read up to this ISO time (default now)" })
          .option("dedupe", {
            type: "boolean",
            default: true,
            describe: "skip lines already delivered (--no-dedupe re-sends)",
          })
          .option("grace-seconds", {
            type: "number",
            default: 30,
            describe: "on SIGTERM, time to settle in-flight batches",
          })
          .option("hub", {
            type: "string",
            describe:
              "with --from/--to: send the range to this hub only (a hub added later); the others get nothing",
          })
          .option("metrics", {
            type: "boolean",
            default: false,
            describe: "serve /metrics on METRICS_PORT during a --once or --from/--to run too",
          }),
      async (args) => {
        code = await pipelineCommand({
          name: args.name,
          once: args.once,
          from: args.from,
          to: args.to,
          dedupe: args.dedupe,
          graceSeconds: args["grace-seconds"],
          metrics: args.metrics,
          hub: args.hub,
        });
      },
    )
    .command(
      "list",
      "List the pipelines",
      (y) => y.option("json", { type: "boolean", default: false }),
      (args) => {
        code = listCommand({ json: args.json });
      },
    )
    .command("dlq", "Dead-letter queues: list, show, replay, unpark, purge", (y) =>
      [registerDlqList, registerDlqShow, registerDlqReplay, registerDlqUnpark, registerDlqPurge]
        .reduce((d, register) => register(d, setExitCode), y)
        .demandCommand(1, "name a dlq command: list, show, replay, unpark or purge"),
    );
  await [registerStatus, registerTail, registerCheck, registerValidate, registerConfig, registerMigrate]
    .reduce((y, register) => register(y, setExitCode), parser)
    .demandCommand(1, "name a command, e.g. `pipeline --name peoplecounter`")
    .strict()
    .fail((message, error) => {
      if (error !== undefined && error !== null) throw error;
      // Thrown, not just printed: with exitProcess(false) yargs would otherwise go on to run
      // the command's handler with the arguments it has just refused.
      throw new UsageError(`${message}\nRun with --help for the commands and options.`);
    })
    .help()
    // --help and --version resolve the parse instead of calling process.exit: every path ends in main's code.
    .exitProcess(false)
    .parseAsync();
  return code;
}

limitHeapGrowth();

// `status | head -1`: the reader has gone and wants no more output. That is not a failure of
// the command: end quietly, as other Unix tools do, instead of dying with an EPIPE stack trace.
process.stdout.on("error", (error: NodeJS.ErrnoException) => {
  if (error.code !== "EPIPE") throw error;
  settled = true;
  process.exit(EXIT.ok);
});

let settled = false;
// A command whose last pending promise is dropped by a library (nothing left to wait on) would
// otherwise end with exit 0 and half its output: make that a visible failure instead.
process.on("exit", (code) => {
  if (!settled && code === 0) {
    printError("error: the command ended before it finished (an operation never completed)");
    process.exitCode = EXIT.failure;
  }
});

/**
 * Once a command has finished, the process ends within EXIT_BACKSTOP_IN_MS even if a connection
 * is still open: a peer that accepts and never answers keeps its socket (and so the event loop)
 * alive after every close was bounded and abandoned. A CronJob with `concurrencyPolicy: Forbid`
 * would otherwise never run again. The timer is unref'd: a process with nothing left exits at once.
 */
const EXIT_BACKSTOP_IN_MS = 2000;

function exitWithinBound(): void {
  setTimeout(() => {
    const open = process.getActiveResourcesInfo().filter((r) => r !== "TTYWrap" && r !== "Timeout");
    // Only timers left (a client's reconnect or close timer; this one is among them, so they are
    // not counted): saying "0 connections still open" would read as a contradiction.
    const left =
      open.length > 0
        ? `${open.length} connection(s) or handle(s) still open (${[...new Set(open)].join(", ")})`
        : "timers still pending";
    printError(`warning: exiting with ${left}: a hub or the state store never answered its close`);
    process.exit();
  }, EXIT_BACKSTOP_IN_MS).unref();
}

main(hideBin(process.argv))
  .then(
    (code) => {
      settled = true;
      process.exitCode = code;
    },
    (error: unknown) => {
      settled = true;
      if (error instanceof ConfigError) {
        printError(error.message);
        process.exitCode = EXIT.config;
        return;
      }
      if (error instanceof OldStateFileError) {
        printError(`error: ${error.message}; nothing was imported`);
        process.exitCode = EXIT.badInput;
        return;
      }
      if (error instanceof UsageError) {
        printError(error.message);
        process.exitCode = EXIT.usage;
        return;
      }
      // The store's own message names it, the operation, the cause and what to check; its
      // stack would only bury that (the message is redacted where it is built).
      if (error instanceof StateStoreError) {
        printError(`error: ${error.message}`);
        process.exitCode = EXIT.failure;
        return;
      }
      console.error(
        redact(`error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`),
      );
      process.exitCode = EXIT.failure;
    },
  )
  .finally(exitWithinBound);
