import { expect } from "chai";
import { createStateStore } from "../../src/state/createStateStore.js";
import { pipelineTimerHandler } from "../../src/functions/runPipelineOnce.js";
import { TickFailedError } from "../../src/functions/tickFailedError.js";
import { peopleCounter } from "../../src/pipelines/peopleCounter.js";
import { snapshot } from "../../src/pipelines/snapshot.js";
import { FunctionsWorld } from "./functionsWorld.js";

const ON_TIME = { isPastDue: false };

describe("pipelineTimerHandler (Azure Functions timer)", () => {
  let world: FunctionsWorld;
  afterEach(async () => {
    await world.close();
  });

  it("runs one tick that reaches every hub and logs its summary", async () => {
    world = await FunctionsWorld.start(["a", "b"]);
    await pipelineTimerHandler(peopleCounter)(ON_TIME, world.context("peoplecounter"));

    const a = world.hubs.received("a").filter((e) => e.applicationProperties.pipeline === "peoplecounter");
    const b = world.hubs.received("b").filter((e) => e.applicationProperties.pipeline === "peoplecounter");
    expect(a.length).to.be.greaterThan(0);
    expect(b.map((e) => e.messageId).sort()).to.deep.equal(a.map((e) => e.messageId).sort());
    const summary = world.logged.find(
      (l) => l.level === "information" && l.text.startsWith("peoplecounter:"),
    );
    expect(summary?.text).to.include(`a: ${a.length} acked`);
    expect(world.logged.filter((l) => l.level === "error")).to.deep.equal([]);
  });

  it("reuses one runtime across invocations and pipelines: one login, one connection per hub", async () => {
    world = await FunctionsWorld.start(["a"]);
    await pipelineTimerHandler(peopleCounter)(ON_TIME, world.context("peoplecounter"));
    const afterFirst = world.hubs.received("a").length;
    await pipelineTimerHandler(snapshot)(ON_TIME, world.context("snapshot"));
    await pipelineTimerHandler(peopleCounter)(ON_TIME, world.context("peoplecounter"));

    const received = world.hubs.received("a");
    expect(received.some((e) => e.applicationProperties.pipeline === "snapshot")).to.equal(true);
    expect(received.length).to.be.greaterThan(afterFirst);
    // The producer sent after the first invocation, over the connection that invocation opened.
    expect(world.hubs.stats("a").connectionsOpened).to.equal(1);
    expect(world.sim.requestCount("token")).to.equal(1);
    // The third run re-read its lookback window; dedupe (on, as with --once) sent nothing twice.
    const ids = received.map((e) => e.messageId);
    expect(new Set(ids).size).to.equal(ids.length);
  });

  it("throws a redacted TickFailedError when the tick cannot run (wrong password)", async () => {
    world = await FunctionsWorld.start(["a"]);
    const wrongPassword = "wrong-password-4f1c9e";
    world.setEnv({ MICROSHARE_PASSWORD: wrongPassword });
    const error = await pipelineTimerHandler(peopleCounter)(ON_TIME, world.context("peoplecounter")).then(
      () => undefined,
      (e: unknown) => e,
    );

    expect(error).to.be.instanceOf(TickFailedError);
    const failure = error as TickFailedError;
    expect(failure.exitCode).to.equal(1);
    expect(failure.message).to.match(/^peoplecounter tick failed \(exit code 1\)/);
    const logged = world.logged.filter((l) => l.level === "error").map((l) => l.text);
    expect(logged).to.have.length(1);
    for (const text of [failure.message, ...logged]) {
      expect(text).not.to.include(wrongPassword);
      expect(text).not.to.include(world.sim.credentials.apiKey);
    }
    expect(world.hubs.received("a")).to.have.length(0);
  });

  it("fails on a bad app setting without caching the failure: the next invocation opens afresh", async () => {
    world = await FunctionsWorld.start(["a"]);
    world.setEnv({ REDIS_URL: "http://127.0.0.1:6379" });
    const error = await pipelineTimerHandler(peopleCounter)(ON_TIME, world.context("peoplecounter")).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).to.be.instanceOf(TickFailedError);
    expect((error as Error).message).to.include("REDIS_URL");

    world.setEnv({ REDIS_URL: process.env.TEST_REDIS_URL ?? "redis://127.0.0.1:6379" });
    await pipelineTimerHandler(peopleCounter)(ON_TIME, world.context("peoplecounter"));
    expect(world.hubs.received("a").length).to.be.greaterThan(0);
  });

  it("warns, without failing, when some events went to a dead-letter queue (exit code 3)", async () => {
    world = await FunctionsWorld.start(["up", "down"]);
    world.setEnv({ EVENT_HUB_MAX_RETRIES: "0", EVENT_HUB_TIMEOUT: "1s" });
    world.hubs.setFault("down", { kind: "down" });
    await pipelineTimerHandler(peopleCounter)(ON_TIME, world.context("peoplecounter"));

    expect(world.hubs.received("up").length).to.be.greaterThan(0);
    const warning = world.logged.find((l) => l.level === "warning")?.text;
    expect(warning).to.match(/down: 0 acked, \d+ dead-lettered/);
    expect(warning).to.include("replay");
  });

  it("skips the tick with a warning while another instance holds the pipeline's lease", async () => {
    world = await FunctionsWorld.start(["a"]);
    const { store } = await createStateStore({
      kind: "redis",
      url: process.env.TEST_REDIS_URL ?? "redis://127.0.0.1:6379",
      keyPrefix: world.keyPrefix,
    });
    try {
      expect(await store.acquireLease("peoplecounter", "a-kubernetes-daemon", 60_000)).not.to.equal(
        undefined,
      );
      await pipelineTimerHandler(peopleCounter)(ON_TIME, world.context("peoplecounter"));
    } finally {
      await store.close();
    }
    expect(world.logged.map((l) => `${l.level} ${l.text}`)).to.include(
      "warning peoplecounter: another instance holds the lease; tick skipped",
    );
    expect(world.hubs.received("a")).to.have.length(0);
  });
});
