import { expect } from "chai";
import { freePort } from "../observability/prometheusServer.js";
import { startCli, waitFor, type RunningChild } from "./childProcess.js";
import { OwnRedis } from "./ownRedis.js";
import { ProcessWorld } from "./processWorld.js";

describe("a daemon through a Redis outage longer than its lease", function () {
  this.timeout(90_000);
  let world: ProcessWorld;
  let redis: OwnRedis;
  const children: RunningChild[] = [];
  before(async () => {
    world = await ProcessWorld.start(["a"]);
    redis = await OwnRedis.start();
  });
  after(async () => {
    for (const c of children.splice(0)) if (c.child.exitCode === null) c.child.kill("SIGKILL");
    await redis.close();
    await world.close();
  });

  it("logs once that the store does not answer, waits, takes its lease again and ticks on", async () => {
    const daemon = startCli(
      ["pipeline", "--name", "peoplecounter"],
      world.env({ REDIS_URL: redis.url, LEASE_TTL: "2s", SCHEDULE_EVERY: "1s", LOG_LEVEL: "info" }),
    );
    children.push(daemon);
    const ticks = (): number => daemon.output().split("windows over 3 locations").length - 1;
    await waitFor(() => ticks() >= 1, "the first tick", 30_000);

    await redis.down();
    await waitFor(
      () => daemon.output().includes("the state store does not answer; ticks wait until it does"),
      "the daemon to notice that its lease lapsed",
      30_000,
    );
    expect(daemon.child.exitCode, daemon.output()).to.equal(null);

    await redis.up();
    await waitFor(
      () => daemon.output().includes("the state store answers again; resuming"),
      "the store to be back",
      30_000,
    );
    const before = ticks();
    await waitFor(() => ticks() > before, "a tick after the outage", 30_000);
    expect(daemon.output()).to.not.match(/another instance took over|LeaseLostError|\n\s+at /);
    expect(daemon.output().split("the state store does not answer").length - 1, "said once").to.equal(1);

    daemon.child.kill("SIGTERM");
    expect(await daemon.exited, daemon.output()).to.equal(0);
  });

  it("serves /metrics, /status and /ready through the outage: last values read, the store said to be down", async () => {
    const port = await freePort();
    const daemon = startCli(
      ["pipeline", "--name", "peoplecounter"],
      world.env({
        REDIS_URL: redis.url,
        SCHEDULE_EVERY: "1s",
        METRICS_PORT: String(port),
        LOG_LEVEL: "info",
      }),
    );
    children.push(daemon);
    const get = (path: string) =>
      fetch(`http://127.0.0.1:${port}${path}`).then(async (r) => ({ code: r.status, body: await r.text() }));
    const storeUp = (metrics: string) => /^microshare_pipeline_state_store_up (\d)$/m.exec(metrics)?.[1];
    await waitFor(() => daemon.output().includes("windows over 3 locations"), "the first tick", 30_000);
    const before = JSON.parse((await get("/status")).body) as {
      stateStore: { answers: boolean };
      pipelines: { locations: { location: string; watermark: string }[] }[];
    };
    expect(before.stateStore.answers).to.equal(true);
    expect(before.pipelines[0]?.locations).to.have.length(3);
    expect(storeUp((await get("/metrics")).body)).to.equal("1");

    await redis.down();
    // Each answers (a scrape that waited on the store would lose every series), and says why.
    const metrics = await get("/metrics");
    expect(metrics.code).to.equal(200);
    expect(storeUp(metrics.body), metrics.body).to.equal("0");
    expect(metrics.body).to.match(/^microshare_pipeline_watermark_lag_seconds\{.*location=/m);
    const during = JSON.parse((await get("/status")).body) as typeof before & {
      stateStore: { answers: boolean; lastReadAt: string | null; error?: string };
    };
    expect(during.stateStore.answers).to.equal(false);
    expect(during.stateStore.error).to.be.a("string");
    expect(during.stateStore.lastReadAt).to.be.a("string");
    // The watermarks cannot have moved while the store was gone: the last ones read are true.
    expect(during.pipelines[0]?.locations.map((l) => l.location).sort()).to.deep.equal(
      before.pipelines[0]?.locations.map((l) => l.location).sort(),
    );
    const ready = await get("/ready");
    expect(ready.code).to.equal(503);
    expect(ready.body).to.match(/not ready: state store .* (did not answer within 2000 ms|does not answer)/);

    await redis.up();
    await waitFor(
      async () => storeUp((await get("/metrics")).body) === "1",
      "the gauge to say the store is back",
      30_000,
    );
    daemon.child.kill("SIGTERM");
    expect(await daemon.exited, daemon.output()).to.equal(0);
  });
});
