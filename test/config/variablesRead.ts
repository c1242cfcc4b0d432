import { readdirSync, readFileSync } from "node:fs";

const read = (path: string) => readFileSync(new URL(`../../${path}`, import.meta.url), "utf8");

/** The declaration and what is made from it: scanning them would find every name by definition. */
const DECLARATIONS = [
  "variables.ts",
  "variableSpec.ts",
  "microshareVariables.ts",
  "hubVariables.ts",
  "stateVariables.ts",
  "observabilityVariables.ts",
  "variablesTable.ts",
  "unknownVariables.ts",
  "quotedValues.ts",
];

/** Every variable the config loader reads, taken from its source so a new one cannot be missed. */
export function variablesRead(): string[] {
  const configFiles = readdirSync(new URL("../../src/config/", import.meta.url)).filter(
    (f) => f.endsWith(".ts") && !DECLARATIONS.includes(f),
  );
  const source = configFiles.map((f) => read(`src/config/${f}`)).join("\n") + read("src/cli/bootstrap.ts");
  const names = [
    ...source.matchAll(
      /"((?:MICROSHARE|EVENT_HUB|REDIS|STATE|WINDOW|SETTLE|LATE|INITIAL|SNAPSHOT|DLQ|METRICS|PUSHGATEWAY|LOG|LEASE|SCHEDULE)_?[A-Z_]*)"/g,
    ),
  ].map((m) => m[1]!);
  return [...new Set(names)].sort();
}
