import { Observable, type Subscriber, type Subscription } from "rxjs";

/**
 * Subscribes to `source` now and holds what it emits until `values` is subscribed, then hands
 * over the held values and passes the rest through as they come. The engine reads a
 * location's next window this way while the current one is delivered and settled, so request
 * slots are not left idle during delivery; nothing is delivered or settled early.
 *
 * Unlike a ReplaySubject, a value is held only until the consumer takes it: memory is one
 * window's lines at most. `values` takes one subscriber; unsubscribing it, or `cancel()`,
 * unsubscribes the source (which aborts its requests).
 */
export class ReadAhead<T> {
  private held: T[] = [];
  private finished: { readonly error: unknown } | "complete" | undefined;
  private consumer: Subscriber<T> | undefined;
  private claimed = false;
  private readonly subscription: Subscription;
  private endRead: (completed: boolean) => void = () => undefined;

  /**
   * Resolves once the source ended: true when it completed (every line read), false when it
   * errored or the read was cancelled. The engine starts delivering a location's next window
   * only after this window was read in full, so a read that fails leaves nothing sent beyond it.
   */
  readonly ended: Promise<boolean> = new Promise((resolve) => (this.endRead = resolve));

  readonly values: Observable<T> = new Observable<T>((subscriber) => {
    if (this.claimed) {
      subscriber.error(new Error("ReadAhead.values takes one subscriber"));
      return;
    }
    this.claimed = true;
    const held = this.held;
    this.held = [];
    for (const value of held) {
      if (subscriber.closed) break;
      subscriber.next(value);
    }
    if (this.finished === "complete") subscriber.complete();
    else if (this.finished !== undefined) subscriber.error(this.finished.error);
    else this.consumer = subscriber;
    return () => this.cancel();
  });

  constructor(source: Observable<T>) {
    this.subscription = source.subscribe({
      next: (value) => {
        if (this.consumer !== undefined) this.consumer.next(value);
        else this.held.push(value);
      },
      error: (error: unknown) => {
        this.endRead(false);
        if (this.consumer !== undefined) this.consumer.error(error);
        else this.finished = { error };
      },
      complete: () => {
        this.endRead(true);
        if (this.consumer !== undefined) this.consumer.complete();
        else this.finished = "complete";
      },
    });
  }

  /** Stops reading and drops what is held (the read is not wanted after all). */
  cancel(): void {
    this.endRead(false);
    this.subscription.unsubscribe();
    this.held = [];
    this.consumer = undefined;
  }
}
