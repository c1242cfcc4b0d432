import {
  DEFAULT_OLD_STATE_DIR,
  OLD_STATE_FILES,
  readOldForwarderState,
  type OldForwarderState,
} from "../../migration/oldForwarderState.js";
import { openCliState } from "../cliState.js";
import { EXIT } from "../../model/exitCodes.js";
import { printJson, printLine } from "../output.js";
import { requirePipeline } from "../pipelineSelection.js";
import type { RegisterCommand } from "../registerCommand.js";
import { UsageError } from "../usageError.js";

export interface MigrateArgs {
  readonly oldStateDir: string;
  readonly name: string | undefined;
  readonly dryRun: boolean;
  readonly json: boolean;
}

interface MigrationPlan extends OldForwarderState {
  /** The resume point the store holds now (from an earlier import). */
  readonly currentResumeFrom: Date | undefined;
  /** Locations that already have a watermark in this store: kept as they are. */
  readonly locationsWithWatermarks: number;
}

/**
 * `migrate`: the cut-over from the old forwarder. Reads its state files and sets each pipeline's
 * resume point where the old forwarder's next run would have read from, so the first run here
 * continues there: what it delivered is not read again, what it never read is back-filled.
 * Every file is read and checked before anything is written.
 */
export async function migrateCommand(args: MigrateArgs): Promise<number> {
  const pipelines = args.name === undefined ? Object.keys(OLD_STATE_FILES) : [args.name];
  for (const name of pipelines) {
    requirePipeline(name);
    if (OLD_STATE_FILES[name] === undefined)
      throw new UsageError(
        `the old forwarder had no state for pipeline "${name}"; migrate peoplecounter or snapshot`,
      );
  }
  const found: OldForwarderState[] = [];
  for (const name of pipelines) {
    const state = await readOldForwarderState(args.oldStateDir, name);
    if (state !== undefined) found.push(state);
  }
  if (found.length === 0) {
    throw new UsageError(
      `no old forwarder state in ${args.oldStateDir} (looked for ${pipelines.map((p) => OLD_STATE_FILES[p]).join(", ")}); ` +
        "pass the directory that holds them with --old-state-dir",
    );
  }
  const cli = await openCliState();
  try {
    const plans: MigrationPlan[] = [];
    for (const state of found) {
      plans.push({
        ...state,
        currentResumeFrom: await cli.store.resumeFrom(state.pipeline),
        locationsWithWatermarks: (await cli.store.watermarks(state.pipeline)).size,
      });
    }
    if (!args.dryRun)
      for (const plan of plans)
        if (plan.resumeFrom !== undefined) await cli.store.setResumeFrom(plan.pipeline, plan.resumeFrom);
    report(plans, args, `${cli.store.kind}: ${cli.store.description}`);
    return EXIT.ok;
  } finally {
    await cli.close();
  }
}

function report(plans: readonly MigrationPlan[], args: MigrateArgs, store: string): void {
  if (args.json) {
    printJson({
      dryRun: args.dryRun,
      stateStore: store,
      pipelines: plans.map((p) => ({
        pipeline: p.pipeline,
        file: p.file,
        lastFetch: p.lastFetch?.toISOString() ?? null,
        resumeFrom: p.resumeFrom?.toISOString() ?? null,
        previousResumeFrom: p.currentResumeFrom?.toISOString() ?? null,
        locationsWithWatermarks: p.locationsWithWatermarks,
        totals: p.totals,
      })),
    });
    return;
  }
  for (const p of plans) {
    printLine(`${p.pipeline}: ${p.file}`);
    const sent = p.totals.total_snapshots_sent;
    printLine(
      `  old forwarder's last run that sent: ${p.lastFetch?.toISOString() ?? "none"}` +
        (sent === undefined ? "" : ` (${sent} events sent in all)`),
    );
    if (p.resumeFrom === undefined) {
      printLine(
        "  nothing to import: it never sent; the first run reads the last 24 h, as the old one would have",
      );
      continue;
    }
    printLine(
      `  ${args.dryRun ? "would resume" : "resumes"} from ${p.resumeFrom.toISOString()}: every building is read from there on, nothing before it again`,
    );
    if (p.currentResumeFrom !== undefined && p.currentResumeFrom.getTime() !== p.resumeFrom.getTime())
      printLine(`  replaces the resume point ${p.currentResumeFrom.toISOString()} of an earlier import`);
    if (p.locationsWithWatermarks > 0)
      printLine(
        `  ${p.locationsWithWatermarks} location(s) already have watermarks in this store: kept (for a clean cut-over, use a fresh STATE_DIR or REDIS_KEY_PREFIX)`,
      );
  }
  printLine(args.dryRun ? `dry run: nothing written to ${store}` : `written to ${store}`);
}

export const registerMigrate: RegisterCommand = (y, setExitCode) =>
  y.command(
    "migrate",
    "Cut over from the old Python forwarder: continue each pipeline where its state files say it stopped",
    (c) =>
      c
        .option("old-state-dir", {
          type: "string",
          default: DEFAULT_OLD_STATE_DIR,
          describe: "the directory holding peoplecounterstate.json and snapshotstate.json",
        })
        .option("name", { type: "string", describe: "only this pipeline (default: both)" })
        .option("dry-run", {
          type: "boolean",
          default: false,
          describe: "print what would be set, write nothing",
        })
        .option("json", { type: "boolean", default: false, describe: "JSON on stdout" }),
    async (args) =>
      setExitCode(
        await migrateCommand({
          oldStateDir: args["old-state-dir"],
          name: args.name,
          dryRun: args["dry-run"],
          json: args.json,
        }),
      ),
  );
