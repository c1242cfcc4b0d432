import type { Config } from "../config/config.js";
import type { LiveStatus } from "../runtime/liveStatus.js";

/** How long `status` waits for a running daemon's `/status`: a silent one must not hold it. */
export const LIVE_VIEW_TIMEOUT_IN_MS = 2_000;

/**
 * A running daemon's live view, from its metrics server at METRICS_HOST:METRICS_PORT (what the
 * daemon itself serves on): breakers, leadership, the tick in progress. A string says why there
 * is none (no port configured, nothing answers), which `status` prints instead.
 */
export async function fetchLiveView(config: Config): Promise<LiveStatus | string> {
  const port = config.metrics.port;
  if (port === undefined || port === 0)
    return "set METRICS_PORT to the daemon's to see its live view (breakers, leadership, tick in progress)";
  const url = `http://${config.metrics.host}:${port}/status`;
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(LIVE_VIEW_TIMEOUT_IN_MS) });
    if (!response.ok) return `${url} answered ${response.status}`;
    return (await response.json()) as LiveStatus;
  } catch (error) {
    const reason =
      error instanceof Error && error.name === "TimeoutError" ? "no answer within 2 s" : "nothing answers";
    return `no running daemon at ${url} (${reason})`;
  }
}
