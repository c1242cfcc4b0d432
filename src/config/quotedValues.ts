import { VARIABLES } from "./variables.js";

/**
 * Warnings for declared variables whose value is still wrapped in quotes after `.env` parsing
 * (`ID="'61a5…'"`, or a quote in the environment itself): the quotes become part of the value,
 * so a view id or a hub name would silently never match. Warned, not refused: a value may
 * really hold quotes, and an old `.env` must still start.
 */
export function quotedValueWarnings(env: Readonly<Record<string, string | undefined>>): string[] {
  return VARIABLES.flatMap(({ name }) => {
    const value = env[name]?.trim();
    if (value === undefined || value.length < 2) return [];
    const first = value[0];
    if ((first !== '"' && first !== "'") || value.at(-1) !== first) return [];
    return [
      `${name}'s value is wrapped in ${first === '"' ? "double" : "single"} quotes, which are kept as part of it; remove them unless the value really holds them`,
    ];
  });
}
