import { randomUUID } from "node:crypto";
import { hostname } from "node:os";
import { from, lastValueFrom, takeLast, takeUntil, tap, toArray } from "rxjs";
import type { Config } from "../../config/config.js";
import { ConfigError } from "../../config/configError.js";
import { checkPipelineReady } from "../../engine/pipelineReadiness.js";
import { openRuntime } from "../../runtime/openRuntime.js";
import { deliveredScope } from "../../engine/processUnit.js";
import { runPipeline } from "../../engine/runPipeline.js";
import { exitCodeOf, formatSummary, summaryFields, summaryLevel } from "../../engine/tickSummary.js";
import { timeWindow, type TimeWindow } from "../../model/timeWindow.js";
import { componentLogger } from "../../observability/logger.js";
import { serveMetrics } from "../../runtime/serveMetrics.js";
import { bootstrapConfig } from "../bootstrap.js";
import { EXIT } from "../../model/exitCodes.js";
import { configuredHub } from "../../config/hubConfig.js";
import { UsageError } from "../usageError.js";
import { progressReporter } from "../progressReporter.js";
import { watchSignals } from "../shutdown.js";
import { pushMetrics } from "../../observability/pushMetrics.js";
import { findPipelineOrExplain } from "./findPipelineOrExplain.js";

export interface PipelineCommandArgs {
  readonly name: string;
  readonly once: boolean;
  readonly from: string | undefined;
  readonly to: string | undefined;
  readonly dedupe: boolean;
  readonly graceSeconds: number;
  /** Serve metrics in a one-tick run too (daemons always do when METRICS_PORT is set). */
  readonly metrics?: boolean;
  /** With --from/--to: send the range to this hub only (a hub added later), see `deliveredScope`. */
  readonly hub?: string | undefined;
}

/** `pipeline --name X [--once] [--from --to] [--no-dedupe]`: returns the process exit code. */
export async function pipelineCommand(args: PipelineCommandArgs): Promise<number> {
  const logger = componentLogger(args.name);
  const definition = findPipelineOrExplain(args.name);
  if (definition === undefined) return EXIT.usage;
  const range = parseRange(args.from, args.to);
  if (typeof range === "string") {
    console.error(range);
    return EXIT.usage;
  }
  if (args.hub !== undefined && range === undefined) {
    console.error(
      "--hub back-fills one hub: give the range with --from (and --to), e.g. --from 2025-11-01T00:00:00Z",
    );
    return EXIT.usage;
  }
  const loaded = bootstrapConfig();
  const config = args.hub === undefined ? loaded : onlyHub(loaded, args.hub);
  checkPipelineReady(definition, config);
  for (const warning of config.warnings) logger.warn(warning);
  logger.info(
    `starting ${definition.name}${args.once || range !== undefined ? " (one tick)" : ""}: ${config.hubs.length} hub(s), state in ${config.state.kind === "redis" ? "Redis" : `files under ${config.state.directory} (no REDIS_URL set)`}`,
  );
  const runtime = await openRuntime(config, logger);
  // Metrics serve daemons; a --once run is usually over before anything would scrape it.
  const oneTick = args.once || range !== undefined;
  if (args.metrics === true && config.metrics.port === undefined) {
    throw new ConfigError([
      { variable: "METRICS_PORT", problem: "--metrics needs a port to serve on", example: "9464" },
    ]);
  }
  const metricsServer =
    config.metrics.port !== undefined && (!oneTick || args.metrics === true)
      ? await serveMetrics(runtime, config.metrics.port)
      : undefined;
  if (metricsServer !== undefined)
    logger.info(`metrics on ${metricsServer.url}/metrics (also /status, /live, /ready)`);
  let skipped = false;
  let hardStop: string | undefined;
  let signalled = false;
  const shutdown = watchSignals(args.graceSeconds * 1000, (message) => {
    signalled = true;
    logger.warn(message);
  });
  let exitCode: number = EXIT.failure;
  try {
    const run = runPipeline(definition, runtime, {
      once: args.once || range !== undefined,
      ...(range === undefined ? {} : { range }),
      dedupe: args.dedupe,
      ...(args.hub === undefined ? {} : { dedupeScope: deliveredScope(definition.name, args.hub) }),
      // Host and pid say who; the random part keeps two containers that are both pid 1 on
      // the same host name from sharing a lease identity (and a fence).
      owner: `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`,
      stop$: shutdown.graceful$,
      onProgress: progressReporter(definition.name, logger),
      onSkipped: () => {
        skipped = true;
        logger.warn(`${definition.name}: another instance holds the lease; tick skipped`);
      },
      onStandby: () => logger.info(`${definition.name}: another instance leads; standing by to take over`),
      onStoreUnreachable: (error) =>
        logger.warn(
          `${definition.name}: the state store does not answer; ticks wait until it does, then the lease is taken again (${error instanceof Error ? error.message : String(error)})`,
        ),
      onStoreBack: () => logger.info(`${definition.name}: the state store answers again; resuming`),
    }).pipe(
      tap((summary) =>
        logger.log(summaryLevel(summary), formatSummary(summary), { tick: summaryFields(summary) }),
      ),
      // A hard stop unsubscribes: work in flight is abandoned (its windows are read again on the
      // next start) but teardown still runs, so the lease is released for the next run.
      takeUntil(from(shutdown.hard).pipe(tap((reason) => (hardStop = reason)))),
      // A daemon runs for months: keep the last summary, not all of them.
      takeLast(1),
      toArray(),
    );
    const outcome = await lastValueFrom(run);
    if (hardStop !== undefined) {
      logger.warn(`stopping now (${hardStop}); unsettled windows will be read again on the next start`);
      return (exitCode = EXIT.failure);
    }
    const last = outcome.at(-1);
    if (last === undefined) return (exitCode = skipped ? EXIT.leaseHeld : EXIT.ok);
    return (exitCode = exitCodeOf(last));
  } finally {
    shutdown.dispose();
    // Before the store closes: the lag and DLQ gauges read it while the push collects them.
    // Not after a hard stop: "stop now" must not wait up to the push's 10 s.
    if (oneTick && hardStop === undefined && config.metrics.pushgatewayUrl !== undefined)
      await pushMetrics(runtime.metrics.registry, config.metrics.pushgatewayUrl, definition.name, logger);
    await metricsServer?.close();
    await runtime.close();
    // A supervisor's log should end with how the process ended, not with the signal's line.
    if (signalled || !oneTick)
      logger.info(
        `${definition.name}: stopped (exit ${exitCode})${hardStop === undefined ? ": in-flight batches settled" : ""}; state store and hub connections closed`,
      );
  }
}

/** The configuration with `hub` as its only hub; a UsageError names the hubs when it is not one. */
function onlyHub(config: Config, hub: string): Config {
  const found = configuredHub(config, hub);
  if (found === undefined)
    throw new UsageError(
      `--hub "${hub}" is not configured; the hubs are ${config.hubs.map((h) => h.name).join(", ")}`,
    );
  if (found.paused)
    throw new UsageError(
      `--hub "${hub}" is paused (EVENT_HUB_PAUSED or "paused": true): unpause it to back-fill it`,
    );
  return { ...config, hubs: [found] };
}

function parseRange(from: string | undefined, to: string | undefined): TimeWindow | undefined | string {
  if (from === undefined && to === undefined) return undefined;
  if (from === undefined)
    return "--to needs --from (e.g. --from 2025-11-12T00:00:00Z --to 2025-11-13T00:00:00Z)";
  const start = Date.parse(from);
  const end = to === undefined ? Date.now() : Date.parse(to);
  if (Number.isNaN(start)) return `--from "${from}" is not a date; use ISO 8601, e.g. 2025-11-12T00:00:00Z`;
  if (Number.isNaN(end)) return `--to "${to}" is not a date; use ISO 8601, e.g. 2025-11-13T00:00:00Z`;
  if (end <= start) return "--to must be after --from";
  return timeWindow(start, end);
}
