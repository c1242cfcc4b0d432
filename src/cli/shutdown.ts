import { Subject, type Observable } from "rxjs";

export interface Shutdown {
  /** Emits on the first SIGINT/SIGTERM: stop taking ticks, let in-flight work settle. */
  readonly graceful$: Observable<void>;
  /** Resolves on the second signal or when the grace period runs out: stop now. */
  readonly hard: Promise<string>;
  dispose(): void;
}

/**
 * Two-stage shutdown: the first signal drains (no new ticks; batches in flight settle and
 * commit), the second, or the end of the grace period, stops at once (unsettled windows are
 * simply read again on restart, so nothing is lost either way).
 */
export function watchSignals(graceInMs: number, onSignal: (message: string) => void): Shutdown {
  const graceful = new Subject<void>();
  let resolveHard: (reason: string) => void = () => undefined;
  const hard = new Promise<string>((resolve) => (resolveHard = resolve));
  let signals = 0;
  let graceTimer: NodeJS.Timeout | undefined;
  const handler = (signal: NodeJS.Signals) => {
    signals += 1;
    if (signals === 1) {
      onSignal(
        `${signal} received: finishing in-flight batches (up to ${Math.round(graceInMs / 1000)} s; send again to stop now)`,
      );
      graceful.next();
      graceful.complete();
      graceTimer = setTimeout(() => resolveHard("grace period over"), graceInMs);
      graceTimer.unref();
    } else {
      resolveHard(`second ${signal}`);
    }
  };
  process.on("SIGINT", handler);
  process.on("SIGTERM", handler);
  return {
    graceful$: graceful.asObservable(),
    hard,
    dispose: () => {
      process.off("SIGINT", handler);
      process.off("SIGTERM", handler);
      if (graceTimer !== undefined) clearTimeout(graceTimer);
    },
  };
}
