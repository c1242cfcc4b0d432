import { Observable } from "rxjs";

/**
 * A cold Observable around one abortable async call: nothing starts until subscribe, each
 * subscription gets its own AbortController, and unsubscribing aborts the call if it has not
 * settled yet (as RxJS's fromFetch does).
 */
export function fromAbortable<T>(run: (abortSignal: AbortSignal) => Promise<T>): Observable<T> {
  return new Observable<T>((subscriber) => {
    const controller = new AbortController();
    let settled = false;
    run(controller.signal).then(
      (value) => {
        settled = true;
        subscriber.next(value);
        subscriber.complete();
      },
      (error: unknown) => {
        settled = true;
        subscriber.error(error);
      },
    );
    return () => {
      if (!settled) controller.abort();
    };
  });
}
