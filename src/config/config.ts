import type { LoggingOptions } from "../observability/logger.js";
import type { HubConfig } from "./hubConfig.js";

/** The whole typed configuration, produced once at start-up by `loadConfig`. */
export interface Config {
  readonly microshare: MicroshareConfig;
  readonly peopleCounter: PeopleCounterConfig;
  readonly snapshot: SnapshotConfig;
  readonly hubs: readonly HubConfig[];
  readonly delivery: DeliveryConfig;
  readonly windows: WindowConfig;
  readonly state: StateConfig;
  readonly dlq: { readonly maxAttempts: number };
  readonly runtime: RuntimeConfig;
  readonly metrics: {
    readonly port: number | undefined;
    readonly host: string;
    /** A `--once` run pushes its metrics here when set. */
    readonly pushgatewayUrl: string | undefined;
  };
  /** LOG_LEVEL (winston's names; Python's are mapped) and LOG_FORMAT, applied once loaded. */
  readonly logging: LoggingOptions;
  /** Non-fatal observations made while loading (e.g. a variable that is ignored). */
  readonly warnings: readonly string[];
}

export interface MicroshareCredentials {
  readonly username: string;
  readonly password: string;
  readonly apiKey: string;
}

export interface MicroshareConfig {
  readonly authUrl: string;
  readonly apiUrl: string;
  readonly appUrl: string;
  readonly authMethod: "password" | "web-login";
  /** Undefined when MICROSHARE_USERNAME/PASSWORD/API_KEY are not all set (commands that need them say so). */
  readonly credentials: MicroshareCredentials | undefined;
  readonly identity: string | undefined;
  readonly requestTimeoutInMs: number;
  readonly concurrency: number;
  /** 0 disables the limit. */
  readonly requestsPerSecond: number;
  readonly viewLimit: number;
  readonly perPage: number;
  readonly maxPages: number;
  readonly minWindowInMs: number;
  /** Longest window a density-sized window may be (see windowSizing). */
  readonly maxWindowInMs: number;
  readonly maxRetries: number;
  readonly retryDelayInMs: number;
  readonly maxRetryDelayInMs: number;
}

export interface PeopleCounterConfig {
  readonly clusterId: string | undefined;
  readonly viewId: string | undefined;
  readonly dataContext: string;
}

export interface SnapshotConfig {
  readonly clusterId: string | undefined;
  readonly viewId: string | undefined;
  readonly dataContext: string;
  readonly category: string;
  readonly metric: string;
  readonly locationPrefix: string;
  /** "response": one event per building response, as the old forwarder sent; "line": one per line. */
  readonly mode: "response" | "line";
}

export interface DeliveryConfig {
  readonly maxRetries: number;
  readonly retryDelayInMs: number;
  readonly maxRetryDelayInMs: number;
  readonly timeoutInMs: number;
  readonly batchMaxEvents: number;
  readonly batchMaxWaitInMs: number;
  readonly breakerThreshold: number;
  readonly breakerCooldownInMs: number;
  /**
   * Windows of one location a hub may hold unsettled beyond the one the fastest hub is on;
   * later windows go to its DLQ (HubLagging) so it never holds the other hubs back.
   */
  readonly maxLagWindows: number;
}

export interface WindowConfig {
  readonly windowLengthInMs: number | undefined;
  readonly initialLookbackInMs: number | undefined;
  readonly settleDelayInMs: number | undefined;
  readonly lateLookbackInMs: number | undefined;
}

export interface RuntimeConfig {
  /** Lease lifetime: a standby takes over at most this long after the leader died. */
  readonly leaseTtlInMs: number;
  /** Overrides every pipeline's schedule interval (e.g. 5m), when set. */
  readonly scheduleEveryInMs: number | undefined;
}

export type StateConfig =
  | { readonly kind: "redis"; readonly url: string; readonly keyPrefix: string }
  | { readonly kind: "file"; readonly directory: string };
