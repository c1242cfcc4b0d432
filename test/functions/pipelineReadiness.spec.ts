import { expect } from "chai";
import { ConfigError } from "../../src/config/configError.js";
import { loadConfig } from "../../src/config/loadConfig.js";
import { checkPipelineReady } from "../../src/engine/pipelineReadiness.js";
import { peopleCounter } from "../../src/pipelines/peopleCounter.js";

describe("checkPipelineReady", () => {
  it("names every missing setting of an unconfigured Function App at once", () => {
    let error: unknown;
    try {
      checkPipelineReady(peopleCounter, loadConfig({}));
    } catch (e) {
      error = e;
    }
    expect(error).to.be.instanceOf(ConfigError);
    const message = (error as Error).message;
    for (const variable of [
      "MICROSHARE_PC_DEVICE_CLUSTER_ID",
      "MICROSHARE_USERNAME",
      "EVENT_HUB_CONNECTION_STRINGS",
    ]) {
      expect(message).to.include(variable);
    }
  });
});
