import { ConfigError } from "../../config/configError.js";
import { describeUnknown, unknownVariables } from "../../config/unknownVariables.js";
import { VARIABLES } from "../../config/variables.js";
import { EXIT } from "../../model/exitCodes.js";
import { configFromEnvironment, readEnvironment } from "../bootstrap.js";
import { printError, printJson, printLine } from "../output.js";
import type { RegisterCommand } from "../registerCommand.js";

/** One variable as `config` shows it: its value (secrets redacted) and where it came from. */
interface EffectiveVariable {
  readonly name: string;
  readonly value: string;
  readonly source: "environment" | ".env" | "default";
}

/**
 * `config`: the effective configuration, variable by variable, with where each value came from
 * (the environment, `.env`, or the default) and secrets shown as `<redacted>`; then variables
 * that look like ours but are not. Exit 0, or 78 (with every problem) when it is invalid.
 */
export function configCommand(args: { readonly json: boolean }): number {
  const environment = readEnvironment();
  const rows = VARIABLES.map((spec): EffectiveVariable => {
    const source = environment.sourceOf(spec.name);
    const raw = process.env[spec.name];
    const shown = spec.shown.replace(/`/g, "");
    if (source === undefined || raw === undefined)
      return { name: spec.name, value: shown, source: "default" };
    // `NAME=` in a .env is a placeholder: the default applies, and that is said, not hidden.
    if (raw.trim() === "")
      return {
        name: spec.name,
        value: `${shown} (set empty in ${source}: the default applies)`,
        source: "default",
      };
    return { name: spec.name, value: spec.secret === true ? "<redacted>" : raw, source };
  });
  const unknown = unknownVariables(process.env);
  let problems: string | undefined;
  try {
    configFromEnvironment();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    problems = error.message;
  }
  if (args.json) printJson({ envFile: environment.envFile ?? null, variables: rows, unknown });
  else {
    const width = Math.max(...rows.map((r) => r.name.length));
    for (const r of rows) printLine(`${r.name.padEnd(width)}  ${r.source.padEnd(11)}  ${r.value}`);
    for (const u of unknown) printLine(`WARN ${describeUnknown(u)}`);
  }
  if (problems !== undefined) {
    printError(problems);
    return EXIT.config;
  }
  return EXIT.ok;
}

export const registerConfig: RegisterCommand = (y, setExitCode) =>
  y.command(
    "config",
    "Print the effective configuration: each variable's value (secrets redacted) and whether it came from the environment, .env or the default",
    (c) => c.option("json", { type: "boolean", default: false, describe: "JSON on stdout" }),
    (args) => setExitCode(configCommand({ json: args.json })),
  );
