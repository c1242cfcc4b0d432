import { expect } from "chai";
import { createRedisState } from "../../src/state/redisState.js";
import type { DeadLetterDepth } from "../../src/dlq/deadLetterQueue.js";
import { CliWorld, parseJson } from "./cliWorld.js";
import { eachTest } from "../support/eachTest.js";

describe("cli dlq replay interrupted", function () {
  this.timeout(120_000);
  const world = eachTest(
    () => CliWorld.start(),
    (w) => w.close(),
  );

  async function depthOfB(): Promise<DeadLetterDepth> {
    const { store, dlq } = createRedisState({ url: "redis://127.0.0.1:6379", keyPrefix: world().keyPrefix });
    try {
      return await dlq.depth("peoplecounter", "b");
    } finally {
      await store.close();
    }
  }

  it("a second SIGINT stops at once (exit 130), leaving the entry in-flight; the next replay recovers it and sends everything once", async () => {
    const fill = await world().runPeopleCounterOnce({ EVENT_HUB_PAUSED: "b" });
    expect(fill.code, fill.stderr).to.equal(3);
    const queued = (await depthOfB()).queued;

    // A stalled hub holds the first entry's send open, so the interrupt lands mid-send.
    world().hubs.setFault("b", { kind: "stall" });
    const { child, done } = world().spawn(["dlq", "replay", "--name", "peoplecounter"], {
      EVENT_HUB_TIMEOUT: "20s",
    });
    const deadline = Date.now() + 30_000;
    while ((await depthOfB()).inFlight === 0) {
      if (Date.now() > deadline) throw new Error("the replay never claimed an entry");
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    child.kill("SIGINT");
    await new Promise((resolve) => setTimeout(resolve, 200));
    child.kill("SIGINT");
    const interrupted = await done;
    expect(interrupted.code, interrupted.stderr).to.equal(130);
    expect(interrupted.stderr).to.include("stays in-flight");
    expect(await depthOfB()).to.deep.equal({ queued: queued - 1, inFlight: 1, parked: 0 });

    world().hubs.setFault("b", undefined);
    const resumed = await world().run(["dlq", "replay", "--name", "peoplecounter", "--json"]);
    expect(resumed.code, resumed.stderr).to.equal(0);
    const report = parseJson<{ hubs: { replay: { recovered: number; replayedEntries: number } }[] }>(resumed);
    expect(report.hubs[0]?.replay).to.include({ recovered: 1, replayedEntries: queued });
    const sent = world()
      .received("a")
      .map((e) => e.messageId)
      .sort();
    expect(
      world()
        .received("b")
        .map((e) => e.messageId)
        .sort(),
    ).to.deep.equal(sent);
  });
});
