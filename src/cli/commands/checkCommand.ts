import { componentLogger } from "../../observability/logger.js";
import type { CheckResult } from "../check/checkResult.js";
import { hubChecks } from "../check/hubChecks.js";
import { microshareChecks } from "../check/microshareChecks.js";
import { stateStoreCheck } from "../check/stateStoreCheck.js";
import { openCliState } from "../cliState.js";
import { EXIT } from "../../model/exitCodes.js";
import { formatCheck } from "../format/checkFormat.js";
import { printJson, printLine } from "../output.js";
import { selectPipelines } from "../pipelineSelection.js";
import type { RegisterCommand } from "../registerCommand.js";

export interface CheckArgs {
  readonly name: string | undefined;
  readonly json: boolean;
}

/**
 * `check`: state store, Microshare login, each pipeline's locations and view, and every hub, one
 * verdict each. Exit 0 when nothing failed, 1 otherwise (78 when the configuration itself is bad).
 */
export async function checkCommand(args: CheckArgs): Promise<number> {
  const pipelines = selectPipelines(args.name);
  const state = await openCliState();
  for (const warning of state.config.warnings) componentLogger("check").warn(warning);
  const results: CheckResult[] = [];
  const report = (result: CheckResult) => {
    results.push(result);
    if (!args.json) printLine(formatCheck(result));
  };
  try {
    report(await stateStoreCheck(state.store));
    // Hubs are probed while Microshare is checked: they are independent and each may take a timeout.
    const hubs = hubChecks(state.config, state.dlq);
    for (const r of await microshareChecks(state.config, pipelines, args.name !== undefined)) report(r);
    for (const r of await hubs) report(r);
  } finally {
    await state.close();
  }
  const ok = results.every((r) => r.verdict !== "FAIL");
  if (args.json) printJson({ ok, checks: results });
  else
    printLine(
      ok ? "all checks passed" : `${results.filter((r) => r.verdict === "FAIL").length} check(s) failed`,
    );
  return ok ? EXIT.ok : EXIT.failure;
}

export const registerCheck: RegisterCommand = (y, setExitCode) =>
  y.command(
    "check",
    "Check Microshare login, device clusters, views, the state store and every hub (PASS/FAIL each)",
    (c) =>
      c
        .option("name", { type: "string", describe: "only this pipeline's Microshare checks (default: all)" })
        .option("json", { type: "boolean", default: false, describe: "JSON on stdout" }),
    async (args) => setExitCode(await checkCommand({ name: args.name, json: args.json })),
  );
