import { readConfig } from "../../config/loadConfig.js";
import { pipelineProblems } from "../../engine/pipelineReadiness.js";
import { describeUnknown, unknownVariables } from "../../config/unknownVariables.js";
import { EXIT } from "../../model/exitCodes.js";
import { readEnvironment } from "../bootstrap.js";
import { printJson, printLine } from "../output.js";
import { selectPipelines } from "../pipelineSelection.js";
import type { RegisterCommand } from "../registerCommand.js";

export interface ValidateArgs {
  readonly name: string | undefined;
  readonly strict: boolean;
  readonly json: boolean;
}

/**
 * `validate`: the whole configuration, offline (no Microshare, no hub, no state store): every
 * invalid value at once, each pipeline's missing settings, and variables that look like ours
 * but are not (with the nearest known name). Exit 0, or 78 when the configuration is invalid,
 * the named pipeline cannot run, or (`--strict`) an unknown variable is set.
 */
export function validateCommand(args: ValidateArgs): number {
  const pipelines = selectPipelines(args.name);
  const environment = readEnvironment();
  const unknown = unknownVariables(process.env);
  // Invalid values stand at their defaults here, so what each pipeline would still lack is
  // said in the same run: one pass over the .env, not one per kind of mistake.
  const { config, problems } = readConfig(process.env);
  // The start-up's other warnings (quoted values, hub list oddities), each said once.
  const otherWarnings = config.warnings.filter((w) => !unknown.some((u) => describeUnknown(u) === w));
  const readiness = pipelines.map((p) => ({ pipeline: p.name, missing: pipelineProblems(p, config) }));
  const named = args.name === undefined ? [] : readiness.flatMap((r) => r.missing);
  const valid = problems.length === 0 && named.length === 0 && !(args.strict && unknown.length > 0);

  if (args.json) {
    printJson({
      valid,
      envFile: environment.envFile ?? null,
      problems,
      unknown,
      warnings: otherWarnings,
      pipelines: readiness,
    });
    return valid ? EXIT.ok : EXIT.config;
  }
  printLine(
    `read ${environment.envFile === undefined ? "the environment only (no .env file)" : `the environment and ${environment.envFile}`}`,
  );
  for (const p of problems)
    printLine(
      `FAIL ${p.variable}: ${p.problem}${p.example === undefined ? "" : ` (e.g. ${p.variable}=${p.example})`}`,
    );
  for (const u of unknown) printLine(`${args.strict ? "FAIL" : "WARN"} ${describeUnknown(u)}`);
  for (const w of otherWarnings) printLine(`WARN ${w}`);
  {
    for (const r of readiness) {
      const verdict =
        r.missing.length === 0
          ? "ready"
          : `cannot run: ${r.missing.map((m) => `${m.variable} ${m.problem}`).join("; ")}`;
      printLine(
        `${r.missing.length > 0 && args.name !== undefined ? "FAIL" : "    "} pipeline ${r.pipeline}: ${verdict}`,
      );
    }
  }
  const ready = readiness.filter((r) => r.missing.length === 0).map((r) => r.pipeline);
  printLine(
    `${valid ? "configuration valid" : "configuration invalid (exit 78)"}; ` +
      `pipelines ready to run: ${ready.length === 0 ? "none" : ready.join(", ")}`,
  );
  return valid ? EXIT.ok : EXIT.config;
}

export const registerValidate: RegisterCommand = (y, setExitCode) =>
  y.command(
    "validate",
    "Check the configuration offline: every bad value, missing pipeline settings, unknown variables (exit 0 or 78)",
    (c) =>
      c
        .option("name", {
          type: "string",
          describe: "also require this pipeline's settings (default: report each)",
        })
        .option("strict", { type: "boolean", default: false, describe: "an unknown variable fails too" })
        .option("json", { type: "boolean", default: false, describe: "JSON on stdout" }),
    (args) => setExitCode(validateCommand({ name: args.name, strict: args.strict, json: args.json })),
  );
