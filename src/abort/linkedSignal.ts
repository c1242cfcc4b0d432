/**
 * An AbortSignal that aborts when any of `signals` does, with an explicit `dispose`. It replaces
 * `AbortSignal.any` where one input lives as long as the process (a client's close signal): on
 * Node 20 every `AbortSignal.any` result stays registered with its inputs for their lifetime
 * (nodejs/node#55351), so a daemon making one per request would grow without bound.
 */
export function linkedSignal(...signals: readonly AbortSignal[]): {
  readonly signal: AbortSignal;
  dispose(): void;
} {
  const controller = new AbortController();
  const aborted = signals.find((s) => s.aborted);
  if (aborted !== undefined) {
    controller.abort(aborted.reason);
    return { signal: controller.signal, dispose: () => undefined };
  }
  const listeners = signals.map((source) => {
    const onAbort = () => controller.abort(source.reason);
    source.addEventListener("abort", onAbort, { once: true });
    return () => source.removeEventListener("abort", onAbort);
  });
  return { signal: controller.signal, dispose: () => listeners.forEach((remove) => remove()) };
}
