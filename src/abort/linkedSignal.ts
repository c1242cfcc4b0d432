import { getMaxListeners, setMaxListeners } from "node:events";

/**
 * Listeners a long-lived input may hold before Node warns of a leak. Node's default, 10, is
 * crossed in normal work: a client's close signal gets one listener per request queued or in
 * flight (two windows for each of 2 × MICROSHARE_CONCURRENCY locations), each removed again by
 * `dispose`. A real leak (links never disposed) still reaches this and warns.
 */
export const LINKS_BEFORE_WARNING = 1_000;

/** From Node 21 on, an AbortSignal's listener limit defaults to 0 (no warning); before, to 10. */
export const ZERO_IS_DEFAULT = Number(process.versions.node.split(".")[0]) >= 21;

/**
 * An AbortSignal that aborts when any of `signals` does, with an explicit `dispose`. It replaces
 * `AbortSignal.any` where one input lives as long as the process (a client's close signal): on
 * Node 20 every `AbortSignal.any` result stays registered with its inputs for their lifetime
 * (nodejs/node#55351), so a daemon making one per request would grow without bound.
 */
export function linkedSignal(...signals: readonly AbortSignal[]): {
  readonly abortSignal: AbortSignal;
  dispose(): void;
} {
  const controller = new AbortController();
  const aborted = signals.find((s) => s.aborted);
  if (aborted !== undefined) {
    controller.abort(aborted.reason);
    return { abortSignal: controller.signal, dispose: () => undefined };
  }
  const listeners = signals.map((source) => {
    const limit = listenerLimit(source);
    // Only a lower limit is raised. 0 ("unlimited") is someone's deliberate choice on Node 20,
    // whose AbortSignals default to 10; from Node 21 on, 0 is every AbortSignal's default (no
    // leak warning at all), indistinguishable from a choice, so it is raised to ours: a pile-up
    // of undisposed links warns on both. (On Node 22, keep an input unlimited with a high limit.)
    const deliberate = limit === 0 && !ZERO_IS_DEFAULT;
    if (!deliberate && limit < LINKS_BEFORE_WARNING) setMaxListeners(LINKS_BEFORE_WARNING, source);
    const onAbort = () => controller.abort(source.reason);
    source.addEventListener("abort", onAbort, { once: true });
    return () => source.removeEventListener("abort", onAbort);
  });
  return { abortSignal: controller.signal, dispose: () => listeners.forEach((remove) => remove()) };
}

/**
 * `events.getMaxListeners`, except that an EventTarget set to 0 ("unlimited") reads as 0: Node
 * 20 throws ERR_INVALID_ARG_TYPE for it (it tests the stored limit for truthiness).
 */
function listenerLimit(target: AbortSignal): number {
  try {
    return getMaxListeners(target);
  } catch {
    return 0;
  }
}
