import type { AxiosInstance } from "axios";
import { defer, retry, timer, type Observable } from "rxjs";
import { linkedSignal } from "../../abort/linkedSignal.js";
import { yieldToEventLoop } from "../../concurrency/yieldToEventLoop.js";
import { fromAbortable } from "../../abort/fromAbortable.js";
import { MicroshareError } from "./microshareError.js";
import type { RequestLimiter } from "./requestLimiter.js";
import { retryDelayInMs, type RetryOptions } from "./retryPolicy.js";
import { toMicroshareError } from "./toMicroshareError.js";
import type { TokenProvider } from "./tokenProvider.js";

export interface MicroshareClientOptions {
  readonly apiUrl: string;
  readonly http: AxiosInstance;
  readonly tokens: TokenProvider;
  readonly limiter: RequestLimiter;
  readonly retry: RetryOptions;
  /** Told about every retry (for logs and metrics). */
  readonly onRetry?: (error: MicroshareError, attempt: number, delayInMs: number) => void;
  /** Told about every HTTP request: endpoint, "ok" or the error code, and its duration (for metrics). */
  readonly onRequest?: (endpoint: string, outcome: string, durationInMs: number) => void;
  /** Aborts every request, queued or in flight, when it fires (the owner closed). */
  readonly abortSignal?: AbortSignal;
}

/**
 * Authenticated GETs against the Microshare API, as cold Observables of parsed JSON. Each call
 * waits for a limiter slot, renews the token once on a 401 and repeats the request, and retries
 * throttling, 5xx (except the permanent template error), time-outs and network errors with
 * capped, jittered backoff honouring Retry-After. Unsubscribing aborts the request in flight.
 */
export class MicroshareClient {
  constructor(private readonly options: MicroshareClientOptions) {}

  /**
   * One GET's JSON, read by `parse` (default: as is). `parse` runs inside the retries, so a body
   * it refuses with a retryable MicroshareError (a page that contradicts itself) is fetched again.
   */
  getJson$<T = unknown>(
    path: string,
    params: Readonly<Record<string, string>>,
    endpoint: string,
    parse: (body: unknown) => T = (body) => body as T,
  ): Observable<T> {
    return defer(() =>
      fromAbortable((abortSignal) => this.send(path, params, endpoint, abortSignal, parse)),
    ).pipe(
      retry({
        count: this.options.retry.maxRetries,
        delay: (error: unknown, attempt: number) => {
          if (!(error instanceof MicroshareError) || !error.retryable) throw error;
          const delay = retryDelayInMs(error, attempt, this.options.retry);
          this.options.onRetry?.(error, attempt, delay);
          return timer(delay);
        },
      }),
    );
  }

  private send<T>(
    path: string,
    params: Readonly<Record<string, string>>,
    endpoint: string,
    subscriptionAbortSignal: AbortSignal,
    parse: (body: unknown) => T,
  ): Promise<T> {
    const owner = this.options.abortSignal;
    const linked = owner === undefined ? undefined : linkedSignal(subscriptionAbortSignal, owner);
    const abortSignal = linked?.abortSignal ?? subscriptionAbortSignal;
    return this.options.limiter
      .run(async () => {
        const token = await this.options.tokens.token(abortSignal);
        try {
          return await this.request(path, params, endpoint, token, abortSignal);
        } catch (error) {
          if (!(error instanceof MicroshareError) || error.code !== "unauthorized") throw error;
          // A 401 mid-run means the token died early (revoked, or the 48 h guess was wrong):
          // log in again once and repeat; a second 401 is a real credentials problem.
          await this.options.tokens.invalidate(token);
          const fresh = await this.options.tokens.token(abortSignal);
          return await this.request(path, params, endpoint, fresh, abortSignal);
        }
      }, abortSignal)
      .catch((error: unknown) => {
        // An abort while queued or waiting for the login rejects with the signal's reason:
        // still a MicroshareError ("aborted") for the caller.
        throw toMicroshareError(error, endpoint);
      })
      .then(async (text) => {
        // The slot is free now. Parsing (and everything downstream of this page) waits one
        // turn of the event loop, so the request that took the slot goes out first instead of
        // queueing behind this page's processing.
        await yieldToEventLoop();
        return parse(parseBody(text, endpoint));
      })
      .finally(() => linked?.dispose());
  }

  /** One GET; resolves with the body as text (parsed outside the request slot). */
  private async request(
    path: string,
    params: Readonly<Record<string, string>>,
    endpoint: string,
    token: string,
    abortSignal: AbortSignal,
  ): Promise<string> {
    const startedAt = performance.now();
    try {
      const response = await this.options.http.get<string>(`${this.options.apiUrl}${path}`, {
        params,
        headers: { Authorization: `Bearer ${token}` },
        signal: abortSignal,
      });
      this.options.onRequest?.(endpoint, "ok", performance.now() - startedAt);
      return response.data;
    } catch (error) {
      const failure = toMicroshareError(error, endpoint);
      this.options.onRequest?.(endpoint, failure.code, performance.now() - startedAt);
      throw failure;
    }
  }
}

function parseBody(text: string, endpoint: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new MicroshareError(
      "unreadable-body",
      `${endpoint} returned a body that is not JSON (${text.length} bytes: cut short, or a gateway's page)`,
      {
        context: { endpoint },
      },
    );
  }
}
