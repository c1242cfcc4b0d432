import type { Config } from "../config/config.js";
import type { TickSummary } from "../engine/tickSummary.js";
import type { DeadLetterDepth, DeadLetterQueue } from "../dlq/deadLetterQueue.js";
import type { StateStore } from "../state/stateStore.js";
import { configuredHub } from "../config/hubConfig.js";
import { hubsOf } from "./hubSelection.js";

export interface LocationStatus {
  readonly location: string;
  readonly watermark: string;
  /**
   * How far the watermark is behind now, in whole seconds (the unit /status and the
   * watermark-lag metric use); normal is up to the settle delay plus one schedule period.
   */
  readonly lagSeconds: number;
}

export interface HubStatus {
  readonly hub: string;
  readonly configured: boolean;
  readonly paused: boolean;
  readonly dlq: DeadLetterDepth;
}

export interface PipelineStatus {
  readonly pipeline: string;
  readonly locations: readonly LocationStatus[];
  /** The resume point `migrate` set (ISO), if any: no window starts before it. */
  readonly resumeFrom: string | undefined;
  /** The last tick's summary as the pipeline stored it (undefined before the first tick). */
  readonly lastTick: unknown;
  readonly counters: Readonly<Record<string, number>>;
  readonly hubs: readonly HubStatus[];
}

/** Reads one pipeline's state: watermarks with their lag, last tick, counters, DLQ depth per hub. */
export async function pipelineStatus(
  pipeline: string,
  config: Config,
  store: StateStore,
  dlq: DeadLetterQueue,
  now: number,
): Promise<PipelineStatus> {
  const marks = await store.watermarks(pipeline);
  const locations = [...marks]
    .map(([location, at]) => ({
      location,
      watermark: at.toISOString(),
      lagSeconds: Math.round((now - at.getTime()) / 1000),
    }))
    .sort((a, b) => a.location.localeCompare(b.location));
  const hubs: HubStatus[] = [];
  for (const hub of hubsOf(config, await dlq.hubs(pipeline))) {
    const hubConfig = configuredHub(config, hub);
    hubs.push({
      hub,
      configured: hubConfig !== undefined,
      paused: hubConfig?.paused ?? false,
      dlq: await dlq.depth(pipeline, hub),
    });
  }
  return {
    pipeline,
    locations,
    resumeFrom: (await store.resumeFrom(pipeline))?.toISOString(),
    lastTick: (await store.lastTick(pipeline)) ?? undefined,
    counters: await store.counters(pipeline),
    hubs,
  };
}

/** The stored last tick when it has the shape of a TickSummary (it is written by this code, but read back as JSON). */
export function asTickSummary(value: unknown): TickSummary | undefined {
  if (value === null || typeof value !== "object") return undefined;
  const v = value as Partial<Record<keyof TickSummary, unknown>>;
  const ok =
    typeof v.pipeline === "string" &&
    typeof v.startedAt === "string" &&
    typeof v.finishedAt === "string" &&
    typeof v.events === "number" &&
    v.windows !== null &&
    typeof v.windows === "object" &&
    v.hubs !== null &&
    typeof v.hubs === "object" &&
    v.failedLocations !== null &&
    typeof v.failedLocations === "object";
  return ok ? (value as TickSummary) : undefined;
}
