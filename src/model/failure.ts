/**
 * Why something failed, in the one serialisable shape every layer uses: a delivery's error
 * (`DeliveryError.toJSON()`), a hub settlement's distinct errors, a dead-letter entry's error.
 * `code` is the machine-readable part (`CircuitOpen`, `HubLagging`, an SDK code); redacted.
 */
export interface Failure {
  readonly name: string;
  readonly code?: string;
  readonly message: string;
}

/**
 * The failures the pipeline itself decides on (not the SDK's, the network's or a server's), by
 * the name and code they carry in DLQ entries, logs and summaries: operators filter on these.
 */
export const PIPELINE_FAILURE = {
  /** A hub's circuit breaker refused the batch (open, or half-open with a probe out). */
  circuitOpen: "CircuitOpen",
  /** The hub fell too far behind the fastest one: the batch was spooled unsent. */
  hubLagging: "HubLagging",
  /** The hub is paused by configuration: spooled unsent. */
  hubPaused: "HubPaused",
  /** An event larger than an empty batch of the hub. */
  oversizedEvent: "OversizedEvent",
  /** A breaker's probe batch ended without telling anything about the hub. */
  probeAbandoned: "ProbeAbandoned",
  /** A window not read because an earlier window of its location failed. */
  skipped: "Skipped",
} as const;

export type PipelineFailureCode = (typeof PIPELINE_FAILURE)[keyof typeof PIPELINE_FAILURE];
