import type { ConfigProblem } from "../config/configError.js";

/** Problems for each named setting that is missing, for a pipeline's `requires`. */
export function requireSettings(
  settings: Readonly<Record<string, string | undefined>>,
  example: string,
): ConfigProblem[] {
  return Object.entries(settings)
    .filter(([, value]) => value === undefined || value === "")
    .map(([variable]) => ({ variable, problem: "is required by this pipeline but not set", example }));
}
