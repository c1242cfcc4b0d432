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
  /** For the text table: the value, or the default as the README shows it ("none", "off"). */
  readonly value: string;
  /** For `--json`: the value, or the default as a value (`null` where there is none). */
  readonly effective: string | null;
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
    const byDefault = spec.unsetMeans ?? null;
    if (source === undefined || raw === undefined)
      return { name: spec.name, value: shown, effective: byDefault, source: "default" };
    // `NAME=` in a .env is a placeholder: the default applies, and that is said, not hidden.
    if (raw.trim() === "")
      return {
        name: spec.name,
        value: `${shown} (set empty in ${source}: the default applies)`,
        effective: byDefault,
        source: "default",
      };
    const value = spec.secret === true ? "<redacted>" : raw;
    return { name: spec.name, value, effective: value, source };
  });
  const unknown = unknownVariables(process.env);
  let invalid: ConfigError | undefined;
  try {
    configFromEnvironment();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    invalid = error;
  }
  if (args.json)
    // The same shape as `validate --json` where they overlap (valid, envFile, problems, unknown).
    printJson({
      valid: invalid === undefined,
      envFile: environment.envFile ?? null,
      problems: invalid?.problems ?? [],
      variables: rows.map(({ name, effective, source }) => ({ name, value: effective, source })),
      unknown,
    });
  else {
    const width = Math.max(...rows.map((r) => r.name.length));
    for (const r of rows) printLine(`${r.name.padEnd(width)}  ${r.source.padEnd(11)}  ${r.value}`);
    for (const u of unknown) printLine(`WARN ${describeUnknown(u)}`);
  }
  if (invalid !== undefined) {
    if (!args.json) printError(invalid.message);
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
