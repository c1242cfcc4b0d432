/**
 * A counting semaphore, first come first served: at most `size` holders at once. `acquire`
 * resolves with the release function, which may be called more than once (only the first counts).
 * An acquire aborted while it waits leaves the queue and rejects with the signal's reason, so a
 * holder that gave up never takes a slot it cannot give back.
 */
export class Slots {
  private free: number;
  private readonly waiting: (() => void)[] = [];

  constructor(readonly size: number) {
    this.free = Math.max(1, size);
  }

  async acquire(abortSignal?: AbortSignal): Promise<() => void> {
    abortSignal?.throwIfAborted();
    if (this.free > 0) this.free -= 1;
    else await this.queue(abortSignal);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.waiting.shift();
      if (next) next();
      else this.free += 1;
    };
  }

  private queue(abortSignal: AbortSignal | undefined): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const turn = (): void => {
        abortSignal?.removeEventListener("abort", leave);
        resolve();
      };
      const leave = (): void => {
        const place = this.waiting.indexOf(turn);
        if (place >= 0) this.waiting.splice(place, 1);
        reject(abortSignal?.reason);
      };
      this.waiting.push(turn);
      abortSignal?.addEventListener("abort", leave, { once: true });
    });
  }
}
