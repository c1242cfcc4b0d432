import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from "prom-client";
import { buildInfo } from "./buildInfo.js";
import type { SourceObserver } from "./sourceObserver.js";

/** Where the gauges read their values when /metrics is scraped. */
export interface MetricsReadings {
  /** Per pipeline, location → watermark. */
  watermarks(): Promise<ReadonlyArray<{ pipeline: string; location: string; watermark: Date }>>;
  /** Per pipeline and hub, dead letters waiting. */
  deadLetterDepths(): Promise<
    ReadonlyArray<{ pipeline: string; hub: string; queued: number; parked: number }>
  >;
  /** Each hub's circuit breaker, as this process sees it. */
  breakerStates(): ReadonlyArray<{ hub: string; state: BreakerStateName }>;
  /**
   * Whether the state store answered the reads above just now; when it did not, they gave the
   * last values read (a scrape never waits on a store that is gone).
   */
  stateStoreAnswers(): Promise<boolean>;
}

export type BreakerStateName = "closed" | "half-open" | "open";
const BREAKER_STATES: readonly BreakerStateName[] = ["closed", "half-open", "open"];

/**
 * The process's Prometheus metrics (prefix `microshare_pipeline_`; Node's and the process's own
 * under their standard names, `process_*` and `nodejs_*`, which standard dashboards query), in
 * a registry of its own so tests and several runtimes never collide. Counters are fed by hooks on the source and sink;
 * watermark lag and DLQ depth are read from the state store when scraped, so they are true
 * even for work another instance did.
 */
export class PipelineMetrics {
  readonly registry = new Registry();
  private readonly requests: Histogram<"endpoint" | "outcome">;
  private readonly retries: Counter<"endpoint" | "code">;
  private readonly events: Counter<"hub" | "outcome">;
  private readonly batches: Counter<"hub" | "outcome">;
  private readonly batchSeconds: Histogram<"hub">;
  readonly linesFetched: Counter<"pipeline">;
  readonly ticks: Counter<"pipeline" | "result">;
  /** Set by the engine: 1 while this process leads a pipeline. */
  readonly leader: Gauge<"pipeline">;
  /** Set by the engine when a daemon starts leading: its tick interval. */
  readonly schedule: Gauge<"pipeline">;
  /** Set by the engine after a tick in which no location failed. */
  readonly lastSuccess: Gauge<"pipeline">;

  constructor(readings: MetricsReadings) {
    const registers = [this.registry];
    collectDefaultMetrics({ register: this.registry });
    const build = buildInfo();
    new Gauge({
      name: "microshare_pipeline_build_info",
      help: "Always 1; the labels say which build and Node.js runs",
      labelNames: ["version", "node_version"],
      registers,
    }).set({ version: build.version, node_version: build.nodeVersion }, 1);
    this.requests = new Histogram({
      name: "microshare_pipeline_microshare_request_duration_seconds",
      help: "Microshare API request latency by endpoint and outcome (ok or error code)",
      labelNames: ["endpoint", "outcome"],
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers,
    });
    this.retries = new Counter({
      name: "microshare_pipeline_microshare_retries_total",
      help: "Microshare requests retried, by endpoint and error code",
      labelNames: ["endpoint", "code"],
      registers,
    });
    this.events = new Counter({
      name: "microshare_pipeline_events_total",
      help: "Events settled per hub: acknowledged by the hub, or dead-lettered",
      labelNames: ["hub", "outcome"],
      registers,
    });
    this.batches = new Counter({
      name: "microshare_pipeline_batches_total",
      help: "Batches settled per hub and outcome",
      labelNames: ["hub", "outcome"],
      registers,
    });
    this.batchSeconds = new Histogram({
      name: "microshare_pipeline_batch_duration_seconds",
      help: "Time from a batch's first send attempt to its settlement, per hub",
      labelNames: ["hub"],
      buckets: [0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 30, 120],
      registers,
    });
    this.linesFetched = new Counter({
      name: "microshare_pipeline_lines_fetched_total",
      help: "Lines read from Microshare per pipeline",
      labelNames: ["pipeline"],
      registers,
    });
    this.ticks = new Counter({
      name: "microshare_pipeline_ticks_total",
      help: "Ticks per pipeline by result (ok, dead-lettered, locations-failed, failed)",
      labelNames: ["pipeline", "result"],
      registers,
    });
    new Gauge({
      name: "microshare_pipeline_watermark_lag_seconds",
      help: "How far each location's watermark is behind now",
      labelNames: ["pipeline", "location"],
      registers,
      async collect() {
        this.reset();
        const now = Date.now();
        for (const w of await readings.watermarks()) {
          this.set({ pipeline: w.pipeline, location: w.location }, (now - w.watermark.getTime()) / 1000);
        }
      },
    });
    new Gauge({
      name: "microshare_pipeline_state_store_up",
      help: "1 when the state store answered this scrape's reads, 0 when watermark lag and DLQ depth are the last values read",
      registers,
      async collect() {
        this.set((await readings.stateStoreAnswers()) ? 1 : 0);
      },
    });
    new Gauge({
      name: "microshare_pipeline_hub_breaker_state",
      help: "Each hub's circuit breaker: 1 for the state it is in (closed, half-open, open), 0 for the others",
      labelNames: ["hub", "state"],
      registers,
      collect() {
        for (const { hub, state } of readings.breakerStates())
          for (const s of BREAKER_STATES) this.set({ hub, state: s }, s === state ? 1 : 0);
      },
    });
    this.leader = new Gauge({
      name: "microshare_pipeline_lease_leader",
      help: "1 while this process holds the pipeline's lease (leads), 0 otherwise",
      labelNames: ["pipeline"],
      registers,
    });
    this.schedule = new Gauge({
      name: "microshare_pipeline_schedule_seconds",
      help: "A daemon's tick interval per pipeline: alerts count missed ticks in it",
      labelNames: ["pipeline"],
      registers,
    });
    this.lastSuccess = new Gauge({
      name: "microshare_pipeline_last_success_timestamp_seconds",
      help: "When the pipeline's last tick that settled every location finished (Unix time)",
      labelNames: ["pipeline"],
      registers,
    });
    new Gauge({
      name: "microshare_pipeline_dlq_depth",
      help: "Dead-letter entries per pipeline and hub (state: queued or parked)",
      labelNames: ["pipeline", "hub", "state"],
      registers,
      async collect() {
        this.reset();
        for (const d of await readings.deadLetterDepths()) {
          this.set({ pipeline: d.pipeline, hub: d.hub, state: "queued" }, d.queued);
          this.set({ pipeline: d.pipeline, hub: d.hub, state: "parked" }, d.parked);
        }
      },
    });
  }

  /** Hooks for the Microshare source. */
  readonly sourceObserver: SourceObserver = {
    onRequest: (endpoint, outcome, durationInMs) =>
      this.requests.observe({ endpoint, outcome }, durationInMs / 1000),
    onRetry: (endpoint, code) => this.retries.inc({ endpoint, code }),
  };

  /** Hook for the fan-out sink's `onBatchSettled`. */
  readonly onBatchSettled = (event: {
    hub: string;
    outcome: "acknowledged" | "dead-lettered";
    events: number;
    durationInMs: number;
  }): void => {
    this.events.inc({ hub: event.hub, outcome: event.outcome }, event.events);
    this.batches.inc({ hub: event.hub, outcome: event.outcome });
    this.batchSeconds.observe({ hub: event.hub }, event.durationInMs / 1000);
  };
}
