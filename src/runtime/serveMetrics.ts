import { ConfigError } from "../config/configError.js";
import { startMetricsServer } from "../observability/metricsServer.js";
import { settleWithin } from "../concurrency/settleWithin.js";
import type { PipelineRuntime } from "./openRuntime.js";
import { STORE_READ_BOUND_MS } from "./storeReadings.js";

/**
 * Serves the runtime's metrics on METRICS_HOST:METRICS_PORT. Ready means the state store
 * answers and at least one hub answers a properties call: with every hub down the process can
 * still settle work (into DLQs), but an orchestrator should know nothing reaches a hub.
 */
export function serveMetrics(
  runtime: PipelineRuntime,
  port: number,
): Promise<{ url: string; close(): Promise<void> }> {
  return startMetricsServer({
    onInUse: () =>
      new ConfigError([
        {
          variable: "METRICS_PORT",
          problem: `port ${port} is already in use on ${runtime.config.metrics.host} (another instance on this host?): give each instance its own port`,
          example: String(port + 1),
        },
      ]),
    port,
    host: runtime.config.metrics.host,
    metrics: runtime.metrics,
    status: () => runtime.status(),
    ready: async () => {
      const store = `state store (${runtime.store.description})`;
      const probe = runtime.store.getCached("readiness-probe").then(
        () => undefined,
        (error: unknown) =>
          `${store} does not answer: ${error instanceof Error ? error.message : String(error)}`,
      );
      // A store that is gone makes a command wait out its timeout and retries; a probe must not.
      if (!(await settleWithin(probe, STORE_READ_BOUND_MS)))
        return `${store} did not answer within ${STORE_READ_BOUND_MS} ms`;
      const storeProblem = await probe;
      if (storeProblem !== undefined) return storeProblem;
      const probes = await runtime.sink.probe();
      if (probes.some((p) => p.ok)) return undefined;
      return `no hub answers: ${probes.map((p) => `${p.hub}: ${p.error ?? "failed"}`).join("; ")}`;
    },
  });
}
