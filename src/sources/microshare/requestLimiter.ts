/**
 * Bounds Microshare requests: at most `maxConcurrent` in flight and, when `requestsPerSecond`
 * is above 0, starts spaced evenly at that rate. Waiters are served in arrival order, and a
 * waiter whose signal aborts leaves the queue without taking a slot.
 */
export interface RequestLimiterOptions {
  readonly maxConcurrent: number;
  /** 0 = no rate limit. */
  readonly requestsPerSecond: number;
}

interface Waiter {
  readonly resolve: () => void;
  readonly reject: (reason: unknown) => void;
  readonly abortSignal: AbortSignal | undefined;
  readonly onAbort: () => void;
}

export class RequestLimiter {
  private inFlight = 0;
  private nextStartAt = 0;
  private readonly queue: Waiter[] = [];
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly options: RequestLimiterOptions) {}

  /** Runs `task` once a slot is free; the slot is released when it settles. */
  async run<T>(task: () => Promise<T>, abortSignal?: AbortSignal): Promise<T> {
    await this.acquire(abortSignal);
    try {
      return await task();
    } finally {
      this.inFlight -= 1;
      this.drain();
    }
  }

  private acquire(abortSignal: AbortSignal | undefined): Promise<void> {
    abortSignal?.throwIfAborted();
    return new Promise<void>((resolve, reject) => {
      const waiter: Waiter = {
        resolve,
        reject,
        abortSignal,
        onAbort: () => {
          const index = this.queue.indexOf(waiter);
          if (index >= 0) this.queue.splice(index, 1);
          reject(abortSignal?.reason);
        },
      };
      abortSignal?.addEventListener("abort", waiter.onAbort, { once: true });
      this.queue.push(waiter);
      this.drain();
    });
  }

  private drain(): void {
    while (this.queue.length > 0 && this.inFlight < this.options.maxConcurrent) {
      const wait = this.nextStartAt - Date.now();
      if (wait > 0) {
        this.timer ??= setTimeout(() => {
          this.timer = undefined;
          this.drain();
        }, wait);
        return;
      }
      const waiter = this.queue.shift();
      if (waiter === undefined) return;
      waiter.abortSignal?.removeEventListener("abort", waiter.onAbort);
      this.inFlight += 1;
      if (this.options.requestsPerSecond > 0) {
        this.nextStartAt = Math.max(Date.now(), this.nextStartAt) + 1000 / this.options.requestsPerSecond;
      }
      waiter.resolve();
    }
  }
}
