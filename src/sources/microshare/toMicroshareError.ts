import { isAxiosError } from "axios";
import { MicroshareError } from "./microshareError.js";

const TEMPLATE_ERROR = /unresolvable property or identifier:?\s*([\w.$-]+)?/i;

/**
 * The one funnel from anything thrown by an HTTP call to a MicroshareError. Error bodies are
 * free-form text on this API, so only the template-error marker is looked for in them, and at
 * most a short, single-line excerpt reaches the message.
 */
export function toMicroshareError(error: unknown, endpoint: string): MicroshareError {
  if (error instanceof MicroshareError) return error;
  const context = { endpoint };
  if (!isAxiosError(error)) {
    if (error instanceof Error && error.name === "AbortError") {
      return new MicroshareError("aborted", `request to ${endpoint} was cancelled`, {
        context,
        cause: error,
      });
    }
    return new MicroshareError("network", `request to ${endpoint} failed: ${String(error)}`, {
      context,
      cause: error,
    });
  }
  if (error.code === "ERR_CANCELED") {
    return new MicroshareError("aborted", `request to ${endpoint} was cancelled`, { context });
  }
  const response = error.response;
  if (response === undefined) {
    if (error.code === "ECONNABORTED" || error.code === "ETIMEDOUT") {
      return new MicroshareError("timeout", `request to ${endpoint} timed out (MICROSHARE_REQUEST_TIMEOUT)`, {
        context,
      });
    }
    // No response at all: refused, reset, DNS… all worth retrying.
    return new MicroshareError("network", `request to ${endpoint} failed: ${error.code ?? error.message}`, {
      context,
    });
  }
  const status = response.status;
  if (status >= 200 && status < 300) {
    // Only a body that failed on the way fails a 2xx: cut short, or not decodable as sent.
    return new MicroshareError(
      "unreadable-body",
      `Microshare's HTTP ${status} response from ${endpoint} could not be read (${error.code ?? "error"}: ${error.message}): the body was cut short or is not decodable as its Content-Encoding says`,
      { status, context, cause: error },
    );
  }
  const body = excerpt(response.data);
  const retryAfterInMs = parseRetryAfter(response.headers["retry-after"]);
  const details = { status, context, ...(retryAfterInMs === undefined ? {} : { retryAfterInMs }) };
  const template = TEMPLATE_ERROR.exec(body);
  if (status === 503 && template !== null) {
    const identifier = template[1] ?? "unknown";
    return new MicroshareError(
      "view-template",
      `Microshare could not resolve the view parameter "${identifier}" (HTTP 503 "${body}"): the query is missing a placeholder or dataContext is not one JSON-array parameter; retrying cannot help`,
      details,
    );
  }
  if (status === 401 || status === 403) {
    return new MicroshareError(
      "unauthorized",
      `Microshare refused the credentials or token at ${endpoint} (HTTP ${status})`,
      details,
    );
  }
  if (status === 404) {
    return new MicroshareError(
      "not-found",
      `Microshare has no record at ${endpoint}, or it is not accessible to this identity (HTTP 404 "${body}")`,
      details,
    );
  }
  if (status === 429)
    return new MicroshareError("throttled", `Microshare throttled ${endpoint} (HTTP 429)`, details);
  if (status >= 500)
    return new MicroshareError(
      "server",
      `Microshare failed at ${endpoint} (HTTP ${status} "${body}")`,
      details,
    );
  return new MicroshareError("http", `unexpected HTTP ${status} from ${endpoint} ("${body}")`, details);
}

/**
 * Retry-After in ms: delay-seconds, or the time left until an HTTP date (0 if past); anything
 * else is ignored, so the caller falls back to its own backoff.
 */
export function parseRetryAfter(header: unknown, now = Date.now()): number | undefined {
  if (typeof header !== "string") return undefined;
  const value = header.trim();
  if (/^\d+(\.\d+)?$/.test(value)) return Math.round(Number(value) * 1000);
  // Every HTTP-date form starts with a day name. Date.parse alone is lenient enough to read
  // "-5" as the year −5, which turned a malformed header into "retry at once".
  if (!/^[A-Za-z]{3}/.test(value)) return undefined;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

function excerpt(data: unknown): string {
  const text =
    typeof data === "string"
      ? data
      : Buffer.isBuffer(data)
        ? data.toString("utf8")
        : JSON.stringify(data ?? "");
  const line = text.replace(/\s+/g, " ").trim();
  return line.length > 160 ? `${line.slice(0, 157)}...` : line;
}
