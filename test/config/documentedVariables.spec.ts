import { readFileSync } from "node:fs";
import { expect } from "chai";
import { variablesRead } from "./variablesRead.js";

const read = (path: string) => readFileSync(new URL(`../../${path}`, import.meta.url), "utf8");

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
