import { dlqOverview, type DlqHubOverview } from "../../dlq/dlqOverview.js";
import { openCliState } from "../cliState.js";
import { EXIT } from "../../model/exitCodes.js";
import { formatDlqList } from "../format/dlqListFormat.js";
import { hubsOf, requireKnownHub } from "../hubSelection.js";
import { printJson, printLine } from "../output.js";
import { requirePipeline } from "../pipelineSelection.js";
import type { RegisterCommand } from "../registerCommand.js";

export interface DlqListArgs {
  readonly name: string;
  readonly hub: string | undefined;
  readonly json: boolean;
}

/** `dlq list`: per hub, depth of each list, oldest/newest entry, error reasons with counts. */
export async function dlqListCommand(args: DlqListArgs): Promise<number> {
  const pipeline = requirePipeline(args.name).name;
  const state = await openCliState();
  try {
    const known = hubsOf(state.config, await state.dlq.hubs(pipeline));
    const hubs = args.hub === undefined ? known : [requireKnownHub(args.hub, known)];
    const overviews: DlqHubOverview[] = [];
    for (const hub of hubs) overviews.push(await dlqOverview(state.dlq, pipeline, hub));
    if (args.json) printJson({ pipeline, hubs: overviews });
    else for (const line of formatDlqList(pipeline, overviews)) printLine(line);
    return EXIT.ok;
  } finally {
    await state.close();
  }
}

export const registerDlqList: RegisterCommand = (y, setExitCode) =>
  y.command(
    "list",
    "Dead letters per hub: queued / in-flight / parked, oldest and newest, reasons",
    (c) =>
      c
        .option("name", { type: "string", demandOption: true, describe: "pipeline name (see `list`)" })
        .option("hub", { type: "string", describe: "only this hub (default: every hub)" })
        .option("json", { type: "boolean", default: false, describe: "JSON on stdout" }),
    async (args) => setExitCode(await dlqListCommand({ name: args.name, hub: args.hub, json: args.json })),
  );
