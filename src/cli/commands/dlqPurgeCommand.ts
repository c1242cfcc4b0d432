import { openExclusiveState } from "../fileStoreExclusive.js";
import { confirm } from "../confirm.js";
import { EXIT } from "../../model/exitCodes.js";
import { hubsOf, requireKnownHub } from "../hubSelection.js";
import { printError, printJson, printLine } from "../output.js";
import { requirePipeline } from "../pipelineSelection.js";
import type { RegisterCommand } from "../registerCommand.js";
import { UsageError } from "../usageError.js";

export type PurgeWhich = "queued" | "parked" | "all";

export interface DlqPurgeArgs {
  readonly name: string;
  readonly hub: string;
  readonly which: PurgeWhich;
  readonly yes: boolean;
  readonly json: boolean;
}

/**
 * `dlq purge`: deletes a hub's dead letters (default the queue; `all` includes in-flight and
 * parked). Asks on a terminal unless --yes; with neither it refuses (exit 2) instead of hanging.
 */
export async function dlqPurgeCommand(args: DlqPurgeArgs): Promise<number> {
  const pipeline = requirePipeline(args.name).name;
  const exclusive = await openExclusiveState(pipeline);
  const { state } = exclusive;
  try {
    const hub = requireKnownHub(args.hub, hubsOf(state.config, await state.dlq.hubs(pipeline)));
    const d = await state.dlq.depth(pipeline, hub);
    const count =
      args.which === "queued"
        ? d.queued
        : args.which === "parked"
          ? d.parked
          : d.queued + d.inFlight + d.parked;
    const what =
      args.which === "all"
        ? `${d.queued} queued, ${d.inFlight} in-flight and ${d.parked} parked`
        : `${count} ${args.which}`;
    if (count === 0) {
      if (args.json) printJson({ pipeline, hub, which: args.which, purged: 0 });
      else printLine(`${pipeline} → ${hub}: nothing to purge (${what} entries)`);
      return EXIT.ok;
    }
    if (!args.yes) {
      if (process.stdin.isTTY !== true)
        throw new UsageError(
          `refusing to purge ${what} dead letters of ${pipeline} → ${hub} without confirmation: ` +
            "there is no terminal to ask on; add --yes",
        );
      const ok = await confirm(`Delete ${what} dead letters of ${pipeline} → ${hub}? This cannot be undone.`);
      if (!ok) {
        printError("purge cancelled; nothing deleted");
        return EXIT.usage;
      }
    }
    const purged = await state.dlq.purge(pipeline, hub, args.which);
    if (args.json) printJson({ pipeline, hub, which: args.which, purged });
    else printLine(`${pipeline} → ${hub}: purged ${purged} dead letters (${args.which})`);
    return EXIT.ok;
  } finally {
    await exclusive.close();
  }
}

export const registerDlqPurge: RegisterCommand = (y, setExitCode) =>
  y.command(
    "purge",
    "Delete a hub's dead letters (asks first on a terminal; --yes otherwise)",
    (c) =>
      c
        .option("name", { type: "string", demandOption: true, describe: "pipeline name" })
        .option("hub", { type: "string", demandOption: true, describe: "hub name" })
        .option("which", {
          choices: ["queued", "parked", "all"] as const,
          default: "queued" as const,
          describe: "which entries (all = queued, in-flight and parked)",
        })
        .option("yes", {
          type: "boolean",
          default: false,
          describe: "do not ask (needed without a terminal)",
        })
        .option("json", { type: "boolean", default: false, describe: "JSON result on stdout" }),
    async (args) =>
      setExitCode(
        await dlqPurgeCommand({
          name: args.name,
          hub: args.hub,
          which: args.which,
          yes: args.yes,
          json: args.json,
        }),
      ),
  );
