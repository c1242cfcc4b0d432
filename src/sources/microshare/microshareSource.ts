import type { SourceObserver } from "../../observability/sourceObserver.js";
import type { AxiosInstance } from "axios";
import type { Observable } from "rxjs";
import type { MicroshareConfig } from "../../config/config.js";
import type { TimeWindow } from "../../model/timeWindow.js";
import { componentLogger, type Logger } from "../../observability/logger.js";
import type { TokenCache } from "./accessToken.js";
import { deviceLocations$, type Location, type LocationQuery } from "./deviceLocations.js";
import { createHttpClient, destroyHttpClient } from "./httpClient.js";
import { MicroshareClient } from "./microshareClient.js";
import { MicroshareError } from "./microshareError.js";
import { passwordGrant } from "./passwordGrant.js";
import { RequestLimiter } from "./requestLimiter.js";
import { TokenProvider } from "./tokenProvider.js";
import { viewResults$, type ViewQuery, type ViewResult } from "./viewResults.js";
import { webLogin } from "./webLogin.js";

export interface MicroshareSourceOptions {
  readonly config: MicroshareConfig;
  /** Where the token is cached between runs (the state store); memory only when absent. */
  readonly tokenCache?: TokenCache;
  readonly logger?: Logger;
  /** Renew the token this long before it expires. Default 5 minutes. */
  readonly tokenRenewBeforeInMs?: number;
  /** Observability hooks (metrics): every request and every retry. */
  readonly observer?: SourceObserver;
}

/**
 * The Microshare API as cold Observables: `locations$` (device cluster buildings) and
 * `viewResults$` (one location and window of a dashboard view, split until complete). One
 * keep-alive HTTP client, one token provider and one request limiter are shared by every call,
 * so the concurrency and rate limits hold across all locations and pipelines of the process.
 */
export class MicroshareSource {
  readonly client: MicroshareClient;
  private readonly http: AxiosInstance;
  private readonly logger: Logger;
  /** Aborted by `close`: ends every request of this source, queued or in flight. */
  private readonly lifetime = new AbortController();

  constructor(private readonly options: MicroshareSourceOptions) {
    const { config } = options;
    this.logger = options.logger ?? componentLogger("microshare");
    this.http = createHttpClient({ timeoutInMs: config.requestTimeoutInMs });
    const credentials = config.credentials;
    const tokens = new TokenProvider({
      // Everything the token depends on (hashed into the key, never stored): a changed password,
      // API key or host is a cache miss, so the next run logs in and notices it.
      cacheIdentity: [
        config.authUrl,
        config.appUrl,
        config.apiUrl,
        config.authMethod,
        credentials?.username ?? "",
        credentials?.password ?? "",
        credentials?.apiKey ?? "",
      ].join("\u0000"),
      ...(options.tokenCache === undefined ? {} : { cache: options.tokenCache }),
      ...(options.tokenRenewBeforeInMs === undefined
        ? {}
        : { renewBeforeInMs: options.tokenRenewBeforeInMs }),
      login: (abortSignal) => {
        if (credentials === undefined) {
          return Promise.reject(
            new MicroshareError(
              "unauthorized",
              "MICROSHARE_USERNAME, MICROSHARE_PASSWORD and MICROSHARE_API_KEY must be set",
            ),
          );
        }
        this.logger.info(`logging in to Microshare (${config.authMethod})`);
        return config.authMethod === "web-login"
          ? webLogin(this.http, config.appUrl, credentials, abortSignal)
          : passwordGrant(this.http, config.authUrl, credentials, config.identity, abortSignal);
      },
    });
    this.client = new MicroshareClient({
      apiUrl: config.apiUrl,
      http: this.http,
      tokens,
      limiter: new RequestLimiter({
        maxConcurrent: config.concurrency,
        requestsPerSecond: config.requestsPerSecond,
      }),
      retry: config,
      abortSignal: this.lifetime.signal,
      ...(options.observer?.onRequest === undefined
        ? {}
        : { onRequest: options.observer.onRequest.bind(options.observer) }),
      onRetry: (error, attempt, delayInMs) => {
        options.observer?.onRetry?.(String(error.context.endpoint ?? "unknown"), error.code);
        this.logger.warn(
          `retrying in ${delayInMs} ms (attempt ${attempt}/${config.maxRetries}): ${error.describe()}`,
        );
      },
    });
  }

  locations$(
    query: Omit<LocationQuery, "perPage" | "maxPages" | "identity">,
  ): Observable<readonly Location[]> {
    const { config } = this.options;
    return deviceLocations$(
      this.client,
      { ...query, identity: config.identity, perPage: config.perPage, maxPages: config.maxPages },
      this.logger,
    );
  }

  viewResults$(query: ViewQuery, location: string, window: TimeWindow): Observable<ViewResult> {
    const { config } = this.options;
    return viewResults$(this.client, query, {
      location,
      window,
      viewLimit: config.viewLimit,
      perPage: config.perPage,
      maxPages: config.maxPages,
      minWindowInMs: config.minWindowInMs,
    });
  }

  /**
   * Aborts every request still queued or in flight (their streams fail with "aborted", nothing
   * is retried) and frees the keep-alive sockets so the process can exit. Idempotent.
   */
  close(): void {
    if (!this.lifetime.signal.aborted) {
      this.lifetime.abort(new MicroshareError("aborted", "the Microshare source was closed"));
    }
    destroyHttpClient(this.http);
  }
}
