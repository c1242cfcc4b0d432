/**
 * Slots whose holders take a weight (a batch: the share of a full batch it fills), first come
 * first served: `acquire(weight)` waits until the weight fits beside what is held within `size`,
 * then resolves with the release function (callable more than once; only the first counts). A
 * weight above `size` is let in alone, once nothing else is held, so none waits forever. A
 * waiter never overtakes an earlier one, even when it would fit: a heavy holder is not starved
 * by a stream of light ones. An acquire aborted while it waits leaves the queue and rejects with
 * the signal's reason.
 */
export class WeightedSlots {
  private held = 0;
  /** Holders now: "nothing held" is counted, not read off a sum of fractions. */
  private holders = 0;
  private readonly waiting: { readonly weight: number; readonly grant: () => void }[] = [];

  constructor(readonly size: number) {}

  /** The weight held now. */
  get inUse(): number {
    return this.held;
  }

  async acquire(weight: number, abortSignal?: AbortSignal): Promise<() => void> {
    abortSignal?.throwIfAborted();
    // Not a number (or infinite): as heavy as all the slots, so it cannot poison the sum.
    const counted = Number.isFinite(weight) ? Math.max(0, weight) : this.size;
    if (this.waiting.length === 0 && this.fits(counted)) this.take(counted);
    else await this.queue(counted, abortSignal);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.holders--;
      this.held = this.holders === 0 ? 0 : this.held - counted;
      this.grantWaiting();
    };
  }

  private take(weight: number): void {
    this.holders++;
    this.held += weight;
  }

  private fits(weight: number): boolean {
    return this.holders === 0 || this.held + weight <= this.size;
  }

  private grantWaiting(): void {
    for (let head = this.waiting[0]; head !== undefined && this.fits(head.weight); head = this.waiting[0]) {
      this.waiting.shift();
      this.take(head.weight);
      head.grant();
    }
  }

  private queue(weight: number, abortSignal: AbortSignal | undefined): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const waiter = {
        weight,
        grant: (): void => {
          abortSignal?.removeEventListener("abort", leave);
          resolve();
        },
      };
      const leave = (): void => {
        const place = this.waiting.indexOf(waiter);
        if (place >= 0) this.waiting.splice(place, 1);
        // The one that left may have been holding back lighter ones behind it.
        this.grantWaiting();
        reject(abortSignal?.reason);
      };
      this.waiting.push(waiter);
      abortSignal?.addEventListener("abort", leave, { once: true });
    });
  }
}
