import type { DeadLetterList } from "../../dlq/eachDeadLetter.js";
import { previewEntry } from "../../dlq/entryPreview.js";
import { findDeadLetter, type DeadLetterSelector } from "../../dlq/findDeadLetter.js";
import { openCliState } from "../cliState.js";
import { EXIT } from "../../model/exitCodes.js";
import { formatEntry } from "../format/entryFormat.js";
import { hubsOf, requireKnownHub } from "../hubSelection.js";
import { printJson, printLine } from "../output.js";
import { requirePipeline } from "../pipelineSelection.js";
import type { RegisterCommand } from "../registerCommand.js";
import { UsageError } from "../usageError.js";

export interface DlqShowArgs {
  readonly name: string;
  readonly hub: string;
  readonly id: string | undefined;
  readonly index: number | undefined;
  readonly which: DeadLetterList | undefined;
  readonly events: number;
  readonly json: boolean;
}

/** `dlq show`: one entry, its events truncated; exit 2 when there is no such entry. */
export async function dlqShowCommand(args: DlqShowArgs): Promise<number> {
  const pipeline = requirePipeline(args.name).name;
  const selector = selectorOf(args);
  const state = await openCliState();
  try {
    const hub = requireKnownHub(args.hub, hubsOf(state.config, await state.dlq.hubs(pipeline)));
    const found = await findDeadLetter(state.dlq, pipeline, hub, selector, args.which);
    if (found === undefined) {
      const what = "id" in selector ? `id ${selector.id}` : `#${selector.index}`;
      throw new UsageError(
        `no dead letter ${what} in ${pipeline} → ${hub} (${args.which ?? ("id" in selector ? "any list" : "queued")}); see \`dlq list --name ${pipeline} --hub ${hub}\``,
      );
    }
    const preview = previewEntry(found.record, { events: args.events });
    if (args.json) printJson({ which: found.which, index: found.index, ...preview });
    else for (const line of formatEntry(found, preview)) printLine(line);
    return EXIT.ok;
  } finally {
    await state.close();
  }
}

function selectorOf(args: DlqShowArgs): DeadLetterSelector {
  if (args.id !== undefined && args.index !== undefined)
    throw new UsageError("give --id or --index, not both");
  if (args.id !== undefined) return { id: args.id };
  const index = args.index ?? 1;
  if (!Number.isInteger(index) || index < 1)
    throw new UsageError(`--index must be a whole number from 1 (the oldest), got ${String(args.index)}`);
  return { index };
}

export const registerDlqShow: RegisterCommand = (y, setExitCode) =>
  y.command(
    "show",
    "One dead letter: window, location, error, attempts, timestamps and its first events",
    (c) =>
      c
        .option("name", { type: "string", demandOption: true, describe: "pipeline name" })
        .option("hub", { type: "string", demandOption: true, describe: "hub name" })
        .option("id", { type: "string", describe: "entry id (searched in every list unless --which)" })
        .option("index", { type: "number", describe: "position in the list, 1 = oldest (default 1)" })
        .option("which", {
          choices: ["queued", "in-flight", "parked"] as const,
          describe: "which list (default: queued; with --id, every list)",
        })
        .option("events", { type: "number", default: 3, describe: "events shown (bodies are cut)" })
        .option("json", { type: "boolean", default: false, describe: "JSON on stdout" }),
    async (args) =>
      setExitCode(
        await dlqShowCommand({
          name: args.name,
          hub: args.hub,
          id: args.id,
          index: args.index,
          which: args.which,
          events: args.events,
          json: args.json,
        }),
      ),
  );
