import type { Config } from "../config/config.js";
import type { LivePipeline, LiveState } from "../observability/liveState.js";
import type { BreakerState } from "../sinks/circuitBreaker.js";
import type { FanOutSink } from "../sinks/fanOutSink.js";
import type { StoreReadings } from "./storeReadings.js";

/** `/status`: what this process knows now, and what the state store says of each pipeline. */
export interface LiveStatus {
  readonly generatedAt: string;
  readonly pid: number;
  /**
   * Whether the watermarks and DLQ depths below are from just now. When the store does not
   * answer in time they are the last ones read (`lastReadAt`; null if it never answered).
   */
  readonly stateStore: {
    readonly answers: boolean;
    readonly lastReadAt: string | null;
    readonly error?: string;
  };
  readonly pipelines: readonly (LivePipeline & {
    readonly locations: readonly {
      readonly location: string;
      readonly watermark: string;
      readonly lagSeconds: number;
    }[];
  })[];
  readonly hubs: readonly {
    readonly hub: string;
    readonly paused: boolean;
    readonly breaker: BreakerState;
    readonly deadLetters: readonly {
      readonly pipeline: string;
      readonly queued: number;
      readonly parked: number;
    }[];
  }[];
}

export async function liveStatus(
  parts: {
    readonly config: Config;
    readonly readings: StoreReadings;
    readonly sink: FanOutSink;
    readonly live: LiveState;
  },
  pipelineNames: readonly string[],
): Promise<LiveStatus> {
  const now = Date.now();
  const live = new Map(parts.live.snapshot().map((p) => [p.pipeline, p]));
  const [marks, depths] = await Promise.all([parts.readings.watermarks(), parts.readings.deadLetterDepths()]);
  // Only the pipelines this process runs: listing the others as "leader: no" would read as
  // another instance leading them.
  const pipelines = pipelineNames
    .filter((pipeline) => live.has(pipeline))
    .map((pipeline) => ({
      ...(live.get(pipeline) ?? { pipeline, leader: false }),
      locations: marks.value
        .filter((m) => m.pipeline === pipeline)
        .map((m) => ({
          location: m.location,
          watermark: m.watermark.toISOString(),
          lagSeconds: Math.round((now - m.watermark.getTime()) / 1000),
        })),
    }));
  const hubs = parts.config.hubs.map((hub) => ({
    hub: hub.name,
    paused: hub.paused,
    breaker: parts.sink.breakerState(hub.name),
    deadLetters: pipelineNames.map((pipeline) => {
      const depth = depths.value.find((d) => d.pipeline === pipeline && d.hub === hub.name);
      return { pipeline, queued: depth?.queued ?? 0, parked: depth?.parked ?? 0 };
    }),
  }));
  const stale = [marks, depths].find((r) => !r.fresh);
  // The older of the two: what the view as a whole is as of.
  const readAt = [marks.readAt, depths.readAt].map((d) => d?.getTime() ?? Number.NaN);
  const stateStore = {
    answers: stale === undefined,
    lastReadAt: readAt.some(Number.isNaN) ? null : new Date(Math.min(...readAt)).toISOString(),
    ...(stale?.error === undefined ? {} : { error: stale.error }),
  };
  return { generatedAt: new Date(now).toISOString(), pid: process.pid, stateStore, pipelines, hubs };
}
