import { hostname } from "node:os";
import type { InvocationContext, Timer } from "@azure/functions";
import { lastValueFrom, NEVER, toArray } from "rxjs";
import type { PipelineDefinition } from "../engine/pipelineDefinition.js";
import { runPipeline } from "../engine/runPipeline.js";
import { exitCodeOf, formatSummary, type TickSummary } from "../engine/tickSummary.js";
import { EXIT } from "../model/exitCodes.js";
import { componentLogger } from "../observability/logger.js";
import { pushMetrics } from "../observability/pushMetrics.js";
import { redact } from "../observability/redact.js";
import { checkPipelineReady } from "../engine/pipelineReadiness.js";
import { sharedRuntime } from "./sharedRuntime.js";
import { TickFailedError } from "./tickFailedError.js";

/** What the handler uses of the Functions InvocationContext (the real one satisfies it). */
export type InvocationLog = Pick<InvocationContext, "invocationId" | "log" | "warn" | "error">;

/** A timer handler: the Functions host passes its `Timer` and `InvocationContext`. */
export type PipelineTimerHandler = (timer: Pick<Timer, "isPastDue">, context: InvocationLog) => Promise<void>;

/**
 * The timer handler of one pipeline: one tick, like `pipeline --name X --once`, on the host's
 * shared runtime. Exit code 0 logs the summary; 3 (dead-lettered) warns; 1 and 4 throw a
 * TickFailedError so the host records a failure. A tick skipped because another instance holds
 * the lease (a daemon, or an overlapping run) only warns: that instance does the work.
 */
export function pipelineTimerHandler(definition: PipelineDefinition): PipelineTimerHandler {
  return async (timer, context) => {
    if (timer.isPastDue) {
      context.log(
        `${definition.name}: this run is late; it reads from the watermarks, so no time is skipped`,
      );
    }
    let summary: TickSummary | undefined;
    let skipped = false;
    try {
      const runtime = await sharedRuntime();
      checkPipelineReady(definition, runtime.config);
      const run = runPipeline(definition, runtime, {
        once: true,
        dedupe: true,
        owner: `${process.env.WEBSITE_INSTANCE_ID ?? hostname()}:${context.invocationId}`,
        // The host ends an invocation by timeout or by recycling the worker; a window not yet
        // settled then is simply read again by the next run, so there is nothing to drain.
        stop$: NEVER,
        onSkipped: () => {
          skipped = true;
        },
      });
      try {
        summary = (await lastValueFrom(run.pipe(toArray()))).at(-1);
      } finally {
        // A timer invocation is gone before any scrape: push what it did, when configured.
        const gateway = runtime.config.metrics.pushgatewayUrl;
        if (gateway !== undefined)
          await pushMetrics(runtime.metrics.registry, gateway, definition.name, componentLogger("functions"));
      }
    } catch (error) {
      const message = redact(error instanceof Error ? `${error.name}: ${error.message}` : String(error));
      context.error(`${definition.name}: ${message}`);
      throw new TickFailedError(definition.name, EXIT.failure, `${definition.name}: ${message}`);
    }
    if (summary === undefined) {
      context.warn(
        skipped
          ? `${definition.name}: another instance holds the lease; tick skipped`
          : `${definition.name}: the tick produced no summary`,
      );
      return;
    }
    report(summary, context);
  };
}

function report(summary: TickSummary, context: InvocationLog): void {
  const line = redact(formatSummary(summary));
  const code = exitCodeOf(summary);
  if (code === EXIT.ok) {
    context.log(line);
    return;
  }
  if (code === EXIT.deadLettered) {
    context.warn(`${line} | some events are in a dead-letter queue: replay them`);
    return;
  }
  if (code === EXIT.incomplete) {
    // Delivered and settled; a retry of the invocation cannot return what the view's limit hid.
    context.error(`${line} | see MICROSHARE_VIEW_LIMIT and MICROSHARE_MIN_WINDOW`);
    return;
  }
  context.error(line);
  throw new TickFailedError(
    summary.pipeline,
    code,
    `${summary.pipeline} tick failed (exit code ${code}): ${line}`,
  );
}
