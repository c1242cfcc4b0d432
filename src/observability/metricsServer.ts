import http from "node:http";
import type { AddressInfo } from "node:net";
import type { PipelineMetrics } from "./pipelineMetrics.js";
import { redact, redactValue } from "./redact.js";

export interface ReadinessCheck {
  /** Resolves with a reason when not ready, undefined when ready. */
  (): Promise<string | undefined>;
}

export interface MetricsServerOptions {
  readonly port: number;
  /** Default 127.0.0.1: metrics are not for the open network unless asked. */
  readonly host: string;
  readonly metrics: PipelineMetrics;
  readonly ready: ReadinessCheck;
  /** The error to fail with when the port is taken (default: the listen error itself). */
  readonly onInUse?: () => Error;
  /** The process's live view as JSON (`/status`). */
  readonly status: () => Promise<unknown>;
}

/**
 * `/metrics` (Prometheus text), `/status` (the live view as JSON), `/live` (the process serves
 * requests) and `/ready` (the state store and at least one hub answer). Readiness results are cached for a few seconds so a
 * probe every second does not turn into a management call per hub per second.
 */
export async function startMetricsServer(
  options: MetricsServerOptions,
): Promise<{ url: string; close(): Promise<void> }> {
  let cached: { at: number; reason: string | undefined } | undefined;
  const readiness = async (): Promise<string | undefined> => {
    if (cached !== undefined && Date.now() - cached.at < 5_000) return cached.reason;
    const reason = await options
      .ready()
      .catch((error: unknown) => (error instanceof Error ? error.message : String(error)));
    cached = { at: Date.now(), reason };
    return reason;
  };
  const server = http.createServer((request, response) => {
    const path = (request.url ?? "/").split("?")[0];
    const send = (status: number, body: string, type = "text/plain; charset=utf-8") => {
      response.writeHead(status, { "Content-Type": type });
      response.end(body);
    };
    if (path === "/live") return send(200, "live\n");
    if (path === "/ready") {
      void readiness().then((reason) =>
        reason === undefined ? send(200, "ready\n") : send(503, `not ready: ${reason}\n`),
      );
      return;
    }
    if (path === "/status") {
      void options.status().then(
        (status) => send(200, `${JSON.stringify(redactValue(status), null, 2)}\n`, "application/json"),
        (error: unknown) => send(500, `status failed: ${redact(String(error))}\n`),
      );
      return;
    }
    if (path === "/metrics") {
      void options.metrics.registry.metrics().then(
        (text) => send(200, text, options.metrics.registry.contentType),
        (error: unknown) => send(500, `metrics failed: ${String(error)}\n`),
      );
      return;
    }
    send(404, "not found: try /metrics, /status, /live or /ready\n");
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", (error: NodeJS.ErrnoException) =>
      reject(error.code === "EADDRINUSE" && options.onInUse !== undefined ? options.onInUse() : error),
    );
    server.listen(options.port, options.host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${options.host}:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
