import { readFileSync } from "node:fs";
import { expect } from "chai";
import prettier from "prettier";
import { loadConfig } from "../../src/config/loadConfig.js";
import { unknownVariables } from "../../src/config/unknownVariables.js";
import { VARIABLES } from "../../src/config/variables.js";
import { withVariablesTable } from "../../src/config/variablesTable.js";
import { variablesRead } from "./variablesRead.js";

const README = new URL("../../README.md", import.meta.url);
const { warnings: _warnings, ...defaults } = loadConfig({});

describe("the declared variables (src/config/variables.ts)", () => {
  it("are exactly the variables the configuration reads", () => {
    expect(VARIABLES.map((v) => v.name).sort()).to.deep.equal(variablesRead());
  });

  it("are the README's table as `npm run docs:variables` writes it", async () => {
    const readme = readFileSync(README, "utf8");
    const regenerated = await prettier.format(withVariablesTable(readme), {
      ...(await prettier.resolveConfig(README)),
      parser: "markdown",
    });
    expect(
      readme === regenerated,
      "README.md's variable table is stale: run npm run docs:variables",
    ).to.equal(true);
  });

  for (const spec of VARIABLES.filter((v) => v.unsetMeans !== undefined)) {
    it(`${spec.name}=${spec.unsetMeans} is what leaving it unset means (the documented default is the loader's)`, () => {
      const { warnings, ...explicit } = loadConfig({ [spec.name]: spec.unsetMeans });
      expect(warnings).to.deep.equal([]);
      expect(explicit).to.deep.equal(defaults);
    });
  }

  it("a documented default that is not the loader's would be caught: EVENT_HUB_TIMEOUT=11s differs", () => {
    const { warnings: _w, ...other } = loadConfig({ EVENT_HUB_TIMEOUT: "11s" });
    expect(other).to.not.deep.equal(defaults);
  });
});

describe("unknownVariables", () => {
  it("names a project-prefixed variable nothing reads, with the declared name it is nearest to", () => {
    expect(
      unknownVariables({
        EVENT_HUB_CONECTION_STRINGS: "[]",
        MICROSHARE_CONCURENCY: "8",
        REDIS_DATABASE: "2",
        EVENT_HUB_CONNECTION_STRINGS: "[]",
        HOME: "/root",
      }),
    ).to.deep.equal([
      { name: "EVENT_HUB_CONECTION_STRINGS", didYouMean: "EVENT_HUB_CONNECTION_STRINGS" },
      { name: "MICROSHARE_CONCURENCY", didYouMean: "MICROSHARE_CONCURRENCY" },
      { name: "REDIS_DATABASE" },
    ]);
  });

  it("names an unprefixed variable one or two edits from a declared one, and leaves other programs' alone", () => {
    expect(
      unknownVariables({
        METRIC_PORT: "9464",
        EVENTHUB_CONNECTION_STRINGS: "[]",
        REDISURL: "redis://127.0.0.1",
        HOSTNAME: "pod-1",
        NODE_OPTIONS: "--max-old-space-size=512",
        PATH: "/usr/bin",
        loglevel: "debug",
        LEASETTLX: "30s",
      }),
    ).to.deep.equal([
      { name: "EVENTHUB_CONNECTION_STRINGS", didYouMean: "EVENT_HUB_CONNECTION_STRINGS" },
      { name: "METRIC_PORT", didYouMean: "METRICS_PORT" },
      { name: "REDISURL", didYouMean: "REDIS_URL" },
    ]);
  });

  it("leaves Kubernetes' service links alone, but not a REDIS_PORT an operator set by hand", () => {
    expect(
      unknownVariables({
        REDIS_SERVICE_HOST: "10.0.0.7",
        REDIS_SERVICE_PORT: "6379",
        REDIS_PORT: "tcp://10.0.0.7:6379",
        REDIS_PORT_6379_TCP_ADDR: "10.0.0.7",
      }),
    ).to.deep.equal([]);
    expect(unknownVariables({ REDIS_PORT: "6380" })).to.deep.equal([{ name: "REDIS_PORT" }]);
  });

  it("warns of a value still wrapped in quotes after .env parsing (they would become part of it)", () => {
    expect(loadConfig({ MICROSHARE_PC_DASHBOARD_VIEW_ID: "'61a5f0'" }).warnings).to.deep.equal([
      "MICROSHARE_PC_DASHBOARD_VIEW_ID's value is wrapped in single quotes, which are kept as part of it; remove them unless the value really holds them",
    ]);
    expect(
      loadConfig({ MICROSHARE_PC_DASHBOARD_VIEW_ID: "61a5f0", MICROSHARE_IDENTITY: '"' }).warnings,
    ).to.deep.equal([]);
  });

  it("reaches every run through the configuration's warnings", () => {
    expect(loadConfig({ LOG_LEVLE: "debug" }).warnings).to.deep.equal([
      "LOG_LEVLE is set but is not a variable of microshare-pipeline (it is ignored); did you mean LOG_LEVEL?",
    ]);
  });
});
