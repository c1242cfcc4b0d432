import { readdirSync, readFileSync } from "node:fs";
import { expect } from "chai";

const read = (path: string) => readFileSync(new URL(`../../${path}`, import.meta.url), "utf8");

/** Every variable the config loader reads, taken from its source so a new one cannot be missed. */
function variablesRead(): string[] {
  const configFiles = readdirSync(new URL("../../src/config/", import.meta.url)).filter((f) =>
    f.endsWith(".ts"),
  );
  const source = configFiles.map((f) => read(`src/config/${f}`)).join("\n") + read("src/cli/bootstrap.ts");
  const names = [
    ...source.matchAll(
      /"((?:MICROSHARE|EVENT_HUB|REDIS|STATE|WINDOW|SETTLE|LATE|INITIAL|SNAPSHOT|DLQ|METRICS|LOG|LEASE|SCHEDULE)_?[A-Z_]*)"/g,
    ),
  ].map((m) => m[1]!);
  return [...new Set(names)].sort();
}

describe("documented variables", () => {
  const variables = variablesRead();

  it("finds the variables the loader reads", () => {
    expect(variables).to.include.members([
      "MICROSHARE_USERNAME",
      "EVENT_HUB_CONNECTION_STRINGS",
      "REDIS_URL",
      "LEASE_TTL",
    ]);
  });

  for (const file of [".env.example", "README.md"]) {
    it(`${file} mentions every one of them`, () => {
      const text = read(file);
      const missing = variables.filter((name) => !text.includes(name));
      expect(missing, `${file} does not mention`).to.deep.equal([]);
    });
  }
});
