#!/usr/bin/env node
import yargs from "yargs";
import { hideBin } from "yargs/helpers";
import { ConfigError } from "../config/configError.js";
import { redact } from "../observability/redact.js";
import { listCommand } from "./commands/listCommand.js";
import { pipelineCommand } from "./commands/pipelineCommand.js";
import { EXIT } from "./exitCodes.js";

/**
 * The command-line entry: every command returns an exit code; this is the one place that
 * turns errors into messages (redacted) and codes (78 for configuration, 1 otherwise).
 */
async function main(argv: string[]): Promise<number> {
  let code: number = EXIT.ok;
  await yargs(argv)
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
          }),
      async (args) => {
        code = await pipelineCommand({
          name: args.name,
          once: args.once,
          from: args.from,
          to: args.to,
          dedupe: args.dedupe,
          graceSeconds: args["grace-seconds"],
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
    .demandCommand(1, "name a command, e.g. `pipeline --name peoplecounter`")
    .strict()
    .fail((message, error) => {
      if (error !== undefined && error !== null) throw error;
      console.error(`${message}\nRun with --help for the commands and options.`);
      code = EXIT.usage;
    })
    .help()
    .parseAsync();
  return code;
}

main(hideBin(process.argv)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exitCode = EXIT.config;
      return;
    }
    console.error(
      redact(`error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`),
    );
    process.exitCode = EXIT.failure;
  },
);
