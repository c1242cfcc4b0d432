import { VARIABLES } from "./variables.js";

export const TABLE_BEGIN =
  "<!-- variables:begin: generated from src/config/variables.ts by `npm run docs:variables`; edit there -->";
export const TABLE_END = "<!-- variables:end -->";

/** The README's variable table, one row per declared variable (before Prettier aligns it). */
export function variablesTable(): string {
  const cell = (text: string) => text.replace(/\|/g, "\\|");
  const rows = VARIABLES.map((v) => `| \`${v.name}\` | ${cell(v.shown)} | ${cell(v.meaning)} |`);
  return ["| variable | default | meaning |", "| --- | --- | --- |", ...rows].join("\n");
}

/** `readme` with the text between the markers replaced by the generated table. */
export function withVariablesTable(readme: string): string {
  const begin = readme.indexOf(TABLE_BEGIN);
  const end = readme.indexOf(TABLE_END);
  if (begin === -1 || end < begin) throw new Error(`README.md has no ${TABLE_BEGIN} … ${TABLE_END} section`);
  return `${readme.slice(0, begin + TABLE_BEGIN.length)}\n\n${variablesTable()}\n\n${readme.slice(end)}`;
}
