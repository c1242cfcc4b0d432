import { PIPELINE_FAILURE, type Failure } from "../model/failure.js";
import { describeFailure, DeliveryError } from "./deliveryError.js";

/** A hub's breaker as `breakerState(hub)` reports it. */
export type BreakerState =
  | { readonly state: "closed"; readonly consecutiveFailures: number }
  | {
      readonly state: "open";
      readonly since: Date;
      readonly until: Date;
      readonly lastError: Failure;
    }
  /** The cool-down is over: the next batch is the probe (or the probe is being sent). */
  | { readonly state: "half-open" };

/** What the breaker lets a batch do. A "probe" must end in `succeeded`, `failed` or `abandonProbe`. */
export type Admission =
  | { readonly kind: "send" }
  | { readonly kind: "probe" }
  | { readonly kind: "reject"; readonly error: DeliveryError };

export interface CircuitBreakerOptions {
  readonly hub: string;
  /** Consecutive batches failed after retries that open the breaker; below 1 disables it. */
  readonly threshold: number;
  readonly cooldownInMs: number;
  readonly now: () => number;
}

type Internal =
  | { readonly state: "closed"; readonly consecutiveFailures: number }
  | {
      readonly state: "open";
      readonly since: number;
      readonly until: number;
      readonly lastError: Failure;
    }
  | { readonly state: "probing" };

/**
 * Per-hub circuit breaker. While open, batches skip the hub (straight to its DLQ) instead of
 * spending `maxRetries` × `timeoutInMs` each on a hub that is known to be down; after the cool-down
 * exactly one probe batch is let through, and only its outcome closes or re-opens the breaker.
 * Batches admitted concurrently with the probe (other deliveries on the same sink) are rejected.
 */
export class CircuitBreaker {
  private current: Internal = { state: "closed", consecutiveFailures: 0 };
  private failuresBeforeOpen = 0;
  private opening = new AbortController();

  constructor(private readonly options: CircuitBreakerOptions) {}

  get state(): BreakerState {
    const s = this.current;
    if (s.state === "probing") return { state: "half-open" };
    if (s.state === "closed") return s;
    if (this.options.now() >= s.until) return { state: "half-open" };
    return { state: "open", since: new Date(s.since), until: new Date(s.until), lastError: s.lastError };
  }

  admit(): Admission {
    const s = this.current;
    if (s.state === "closed") return { kind: "send" };
    if (s.state === "open" && this.options.now() >= s.until) {
      this.current = { state: "probing" };
      return { kind: "probe" };
    }
    return { kind: "reject", error: this.rejection(s) };
  }

  /**
   * Fires, with the breaker's refusal, the next time the breaker opens. A batch admitted while it
   * was closed ends its try on it (a try in flight or a backoff wait): once the hub is known to be
   * down, the batch goes to the DLQ at once instead of waiting out a timeout the batches that
   * opened the breaker have just waited out. Each opening has its own signal.
   */
  get opens(): AbortSignal {
    return this.opening.signal;
  }

  succeeded(): void {
    this.current = { state: "closed", consecutiveFailures: 0 };
  }

  /** A batch failed after its retries for a reason that says something about the hub. */
  failed(error: Failure): void {
    const s = this.current;
    const now = this.options.now();
    if (s.state === "probing" || s.state === "open") {
      this.open(now, error);
      return;
    }
    const consecutiveFailures = s.consecutiveFailures + 1;
    if (this.options.threshold >= 1 && consecutiveFailures >= this.options.threshold) {
      this.failuresBeforeOpen = consecutiveFailures;
      this.open(now, error);
    } else {
      this.current = { state: "closed", consecutiveFailures };
    }
  }

  /** The probe ended without telling anything about the hub (nothing sent, cancelled): probe again next time. */
  abandonProbe(): void {
    const s = this.current;
    if (s.state !== "probing") return;
    const now = this.options.now();
    this.current = {
      state: "open",
      since: now,
      until: now,
      lastError: { name: PIPELINE_FAILURE.probeAbandoned, message: "the probe batch sent nothing" },
    };
  }

  private open(now: number, error: Failure): void {
    const opened: Internal = {
      state: "open",
      since: now,
      until: now + this.options.cooldownInMs,
      lastError: error,
    };
    this.current = opened;
    const opening = this.opening;
    this.opening = new AbortController();
    opening.abort(this.rejection(opened));
  }

  private rejection(s: Internal): DeliveryError {
    const hub = this.options.hub;
    const message =
      s.state === "open"
        ? `circuit breaker of hub '${hub}' open since ${new Date(s.since).toISOString()} after ` +
          `${this.failuresBeforeOpen} consecutive failed batch(es), last ${describeFailure(s.lastError)}; ` +
          `next probe after ${new Date(s.until).toISOString()}`
        : `circuit breaker of hub '${hub}' half-open: a probe batch is deciding whether the hub is back`;
    return new DeliveryError({
      name: PIPELINE_FAILURE.circuitOpen,
      code: PIPELINE_FAILURE.circuitOpen,
      message,
      retryable: false,
    });
  }
}
