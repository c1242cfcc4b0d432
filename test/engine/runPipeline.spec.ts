import { expect } from "chai";
import { lastValueFrom, of, Subject, throwError, toArray } from "rxjs";
import type { EngineRuntime } from "../../src/engine/engineRuntime.js";
import { runPipeline, type RunPipelineOptions } from "../../src/engine/runPipeline.js";
import type { TickSummary } from "../../src/engine/tickSummary.js";
import { LiveState } from "../../src/observability/liveState.js";
import { PipelineMetrics } from "../../src/observability/pipelineMetrics.js";
import type { RedisStateStore } from "../../src/state/redisStateStore.js";
import { RedisTestState } from "../state/redisTestHarness.js";
import { AcknowledgingSink, lineOf, standInContext, standInDefinition } from "./engineTestKit.js";

const definition = standInDefinition((unit) =>
  of(lineOf(`k${unit.window.from.getTime()}`, unit.location, unit.window.from)),
);

describe("runPipeline (the lease, the schedule and the bookkeeping around ticks, against a real Redis)", () => {
  let redis: RedisTestState;
  let store: RedisStateStore;
  let sink: AcknowledgingSink;
  let runtime: EngineRuntime;

  beforeEach(() => {
    redis = new RedisTestState();
    store = redis.open().store;
    sink = new AcknowledgingSink(["a"]);
    const metrics = new PipelineMetrics({
      watermarks: async () => [],
      deadLetterDepths: async () => [],
      breakerStates: () => [],
      stateStoreAnswers: async () => true,
    });
    const context = standInContext();
    runtime = { config: context.config, context, store, sink, metrics, live: new LiveState() };
  });
  afterEach(async () => {
    await redis.cleanup();
  });

  const options = (overrides: Partial<RunPipelineOptions> = {}): RunPipelineOptions => ({
    once: true,
    dedupe: true,
    owner: "me",
    stop$: new Subject<void>(),
    ...overrides,
  });

  const gauge = async (name: string) => (await runtime.metrics.registry.getSingleMetricAsString(name)).trim();

  it("--once: one tick under the lease; its summary is stored for status, its counters added and its metrics counted", async () => {
    let leaderDuringTick = "";
    sink.onDelivery = () =>
      void gauge("microshare_pipeline_lease_leader").then((t) => (leaderDuringTick = t));
    const before = Date.now() / 1000;
    const summaries = await lastValueFrom(runPipeline(definition, runtime, options()).pipe(toArray()));
    expect(summaries).to.have.length(1);
    const [summary] = summaries as [TickSummary];
    expect(summary.windows.settled).to.be.greaterThan(0);
    expect(summary.hubs.a?.acknowledged).to.equal(summary.events).and.to.be.greaterThan(0);
    expect(await store.lastTick("p")).to.deep.equal(summary);
    expect(await store.counters("p")).to.deep.include({
      ticks: 1,
      events: summary.events,
      eventsAcknowledged: summary.events,
    });
    const ticks = await runtime.metrics.registry.getSingleMetricAsString("microshare_pipeline_ticks_total");
    expect(ticks).to.include('microshare_pipeline_ticks_total{pipeline="p",result="ok"} 1');
    expect(leaderDuringTick).to.include('microshare_pipeline_lease_leader{pipeline="p"} 1');
    expect(await gauge("microshare_pipeline_lease_leader")).to.include(
      'microshare_pipeline_lease_leader{pipeline="p"} 0',
    );
    const lastSuccess = /last_success_timestamp_seconds\{pipeline="p"\} ([\d.e+]+)/.exec(
      await gauge("microshare_pipeline_last_success_timestamp_seconds"),
    );
    expect(Number(lastSuccess?.[1])).to.be.at.least(Math.floor(before));
    // The lease was given back: another instance may run the next one at once.
    expect(await store.acquireLease("p", "other", 60_000)).to.not.equal(undefined);
  });

  it("--once: a tick whose location failed is counted, but is not a success", async () => {
    const failing = standInDefinition(() => throwError(() => new Error("view down")));
    const [summary] = await lastValueFrom(runPipeline(failing, runtime, options()).pipe(toArray()));
    expect(summary?.windows.failed).to.be.greaterThan(0);
    expect(await gauge("microshare_pipeline_ticks_total")).to.include('result="locations-failed"} 1');
    expect(await gauge("microshare_pipeline_last_success_timestamp_seconds")).to.not.include('pipeline="p"');
  });

  it("--once: skipped, reading nothing, while another instance holds the lease", async () => {
    await store.acquireLease("p", "other", 60_000);
    let skipped = 0;
    const summaries = await lastValueFrom(
      runPipeline(definition, runtime, options({ onSkipped: () => (skipped += 1) })).pipe(toArray()),
    );
    expect(summaries).to.deep.equal([]);
    expect(skipped).to.equal(1);
    expect(await gauge("microshare_pipeline_lease_leader")).to.not.include("} 1");
    // Known to /status all the same, as not leading.
    expect(runtime.live.snapshot()).to.deep.equal([{ pipeline: "p", leader: false }]);
    expect(sink.deliveries).to.deep.equal([]);
    expect(await store.lastTick("p")).to.equal(undefined);
  });

  it("daemon: ticks at once on leading, and a stop ends it once the tick in flight has settled", async () => {
    const stop$ = new Subject<void>();
    let open: () => void = () => undefined;
    sink.gate = new Promise((resolve) => (open = resolve));
    sink.onDelivery = () => {
      stop$.next();
      open();
    };
    const summaries = await lastValueFrom(
      runPipeline(definition, runtime, options({ once: false, stop$ })).pipe(toArray()),
    );
    expect(summaries).to.have.length(1);
    expect(summaries[0]?.windows.settled).to.be.greaterThan(0);
    expect(summaries[0]?.windows.failed).to.equal(0);
    expect(await store.lastTick("p")).to.deep.equal(summaries[0]);
    // What the no-successful-tick alert counts missed ticks in.
    expect(await gauge("microshare_pipeline_schedule_seconds")).to.include('{pipeline="p"} 3600');
  });
});
