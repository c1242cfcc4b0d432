import { closeStore } from "../state/closeStore.js";
import type { Config } from "../config/config.js";
import { componentLogger, type Logger } from "../observability/logger.js";
import { PipelineMetrics, type MetricsReadings } from "../observability/pipelineMetrics.js";
import { LiveState } from "../observability/liveState.js";
import { PIPELINES } from "../pipelines/registry.js";
import { liveStatus, type LiveStatus } from "./liveStatus.js";
import { storeReadings } from "./storeReadings.js";
import { FanOutSink } from "../sinks/fanOutSink.js";
import { MicroshareSource } from "../sources/microshare/microshareSource.js";
import { createStateStore } from "../state/createStateStore.js";
import type { DeadLetterQueue } from "../dlq/deadLetterQueue.js";
import type { EngineRuntime } from "../engine/engineRuntime.js";
import type { PipelineContext } from "../engine/pipelineDefinition.js";

/**
 * The composition root. Everything a running process shares across pipelines and ticks: one
 * Microshare source (one keep-alive client, one token), one state store, one fan-out sink with
 * one long-lived producer per hub. `close()` releases them all, once.
 */
export interface PipelineRuntime extends EngineRuntime {
  readonly context: PipelineContext;
  readonly dlq: DeadLetterQueue;
  readonly sink: FanOutSink;
  /** The process's live view, served as `/status`. */
  status(): Promise<LiveStatus>;
  close(): Promise<void>;
}

export async function openRuntime(
  config: Config,
  logger: Logger = componentLogger("pipeline"),
  pipelineNames: readonly string[] = PIPELINES.map((p) => p.name),
): Promise<PipelineRuntime> {
  const { store, dlq } = await createStateStore(config.state);
  const readings = storeReadings(store, dlq, config, pipelineNames);
  const metrics: PipelineMetrics = new PipelineMetrics({
    watermarks: async () => (await readings.watermarks()).value,
    deadLetterDepths: async () => (await readings.deadLetterDepths()).value,
    stateStoreAnswers: async () =>
      (await Promise.all([readings.watermarks(), readings.deadLetterDepths()])).every((r) => r.fresh),
    // The sink is made below; the gauge reads it only when scraped.
    breakerStates: (): ReturnType<MetricsReadings["breakerStates"]> =>
      sink.hubNames.map((hub: string) => ({ hub, state: sink.breakerState(hub).state })),
  });
  const source = new MicroshareSource({
    config: config.microshare,
    tokenCache: store,
    logger: componentLogger("microshare"),
    observer: metrics.sourceObserver,
  });
  const sink: FanOutSink = new FanOutSink({
    hubs: config.hubs,
    delivery: config.delivery,
    dlq,
    logger: componentLogger("sink"),
    onBatchSettled: metrics.onBatchSettled,
    // As many locations as a tick works on at once (runTick), each a few windows behind at most.
    maxBacklogUnits: (config.delivery.maxLagWindows + 1) * 2 * config.microshare.concurrency,
  });
  let closed: Promise<void> | undefined;
  const live = new LiveState();
  return {
    config,
    context: { config, source, logger },
    store,
    dlq,
    sink,
    metrics,
    live,
    status: () => liveStatus({ config, readings, sink, live }, pipelineNames),
    close: () =>
      (closed ??= (async () => {
        source.close();
        await Promise.allSettled([sink.close()]);
        await closeStore(store, logger);
      })()),
  };
}
