import type { Config } from "../config/config.js";
import type { DeadLetterQueue } from "../dlq/deadLetterQueue.js";
import type { StateStore } from "../state/stateStore.js";
import { lastKnownReading, type Reading } from "./lastKnownReading.js";

/**
 * How long `/metrics` and `/status` wait for the state store: well inside Prometheus' default
 * 10 s scrape timeout and the `status` command's wait for a daemon.
 */
export const STORE_READ_BOUND_MS = 2_000;

export interface WatermarkRow {
  readonly pipeline: string;
  readonly location: string;
  readonly watermark: Date;
}

export interface DeadLetterRow {
  readonly pipeline: string;
  readonly hub: string;
  readonly queued: number;
  readonly parked: number;
}

/** What the served views read from the state store, each bounded (see lastKnownReading). */
export interface StoreReadings {
  watermarks(): Promise<Reading<readonly WatermarkRow[]>>;
  deadLetterDepths(): Promise<Reading<readonly DeadLetterRow[]>>;
}

export function storeReadings(
  store: StateStore,
  dlq: DeadLetterQueue,
  config: Config,
  pipelineNames: readonly string[],
  boundInMs: number = STORE_READ_BOUND_MS,
): StoreReadings {
  const watermarks = async (): Promise<WatermarkRow[]> =>
    (
      await Promise.all(
        pipelineNames.map(async (pipeline) =>
          [...(await store.watermarks(pipeline))].map(([location, watermark]) => ({
            pipeline,
            location,
            watermark,
          })),
        ),
      )
    ).flat();
  const deadLetterDepths = (): Promise<DeadLetterRow[]> =>
    Promise.all(
      pipelineNames.flatMap((pipeline) =>
        config.hubs.map(async (hub) => ({
          pipeline,
          hub: hub.name,
          ...(await dlq.depth(pipeline, hub.name)),
        })),
      ),
    );
  return {
    watermarks: lastKnownReading<readonly WatermarkRow[]>(watermarks, [], boundInMs),
    deadLetterDepths: lastKnownReading<readonly DeadLetterRow[]>(deadLetterDepths, [], boundInMs),
  };
}
