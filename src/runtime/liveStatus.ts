import type { Config } from "../config/config.js";
import type { DeadLetterQueue } from "../dlq/deadLetterQueue.js";
import type { LivePipeline, LiveState } from "../observability/liveState.js";
import type { BreakerState } from "../sinks/circuitBreaker.js";
import type { FanOutSink } from "../sinks/fanOutSink.js";
import type { StateStore } from "../state/stateStore.js";

/** `/status`: what this process knows now, and what the state store says of each pipeline. */
export interface LiveStatus {
  readonly generatedAt: string;
  readonly pid: number;
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
    readonly store: StateStore;
    readonly dlq: DeadLetterQueue;
    readonly sink: FanOutSink;
    readonly live: LiveState;
  },
  pipelineNames: readonly string[],
): Promise<LiveStatus> {
  const now = Date.now();
  const live = new Map(parts.live.snapshot().map((p) => [p.pipeline, p]));
  // Only the pipelines this process runs: listing the others as "leader: no" would read as
  // another instance leading them.
  const pipelines = await Promise.all(
    pipelineNames
      .filter((pipeline) => live.has(pipeline))
      .map(async (pipeline) => {
        const marks = await parts.store.watermarks(pipeline);
        return {
          ...(live.get(pipeline) ?? { pipeline, leader: false }),
          locations: [...marks].map(([location, watermark]) => ({
            location,
            watermark: watermark.toISOString(),
            lagSeconds: Math.round((now - watermark.getTime()) / 1000),
          })),
        };
      }),
  );
  const hubs = await Promise.all(
    parts.config.hubs.map(async (hub) => ({
      hub: hub.name,
      paused: hub.paused,
      breaker: parts.sink.breakerState(hub.name),
      deadLetters: await Promise.all(
        pipelineNames.map(async (pipeline) => ({ pipeline, ...(await parts.dlq.depth(pipeline, hub.name)) })),
      ),
    })),
  );
  return { generatedAt: new Date(now).toISOString(), pid: process.pid, pipelines, hubs };
}
