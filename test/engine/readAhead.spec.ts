import { expect } from "chai";
import { asyncScheduler, firstValueFrom, Observable, Subject, toArray } from "rxjs";
import { TestScheduler } from "rxjs/testing";
import { ReadAhead } from "../../src/engine/readAhead.js";

function testScheduler(): TestScheduler {
  return new TestScheduler((actual, expected) => {
    expect(actual).to.deep.equal(expected);
  });
}

describe("ReadAhead", () => {
  it("reads from construction, holds what arrives, then hands it over and passes the rest through", () => {
    testScheduler().run(({ cold, hot, expectObservable, expectSubscriptions }) => {
      const source = cold("-a-b-----c-|");
      const subscribeAt = hot("----x");
      // Constructed at frame 0; the consumer arrives at frame 4, after a and b.
      const ahead = new ReadAhead(source);
      const consumer = new Observable<string>((subscriber) => {
        return subscribeAt.subscribe(() => ahead.values.subscribe(subscriber));
      });
      expectObservable(consumer).toBe("----(ab)-c-|");
      expectSubscriptions(source.subscriptions).toBe("^----------!");
    });
  });

  it("replays an error that came before the consumer", async () => {
    const ahead = new ReadAhead(
      new Observable<number>((subscriber) => {
        subscriber.next(1);
        subscriber.error(new Error("view unavailable"));
      }),
    );
    const seen: number[] = [];
    const error = await new Promise<unknown>((resolve) =>
      ahead.values.subscribe({ next: (v) => seen.push(v), error: resolve }),
    );
    expect(seen).to.deep.equal([1]);
    expect((error as Error).message).to.equal("view unavailable");
  });

  it("passes values, completion and errors that come after the consumer straight through", async () => {
    const source = new Subject<number>();
    const ahead = new ReadAhead(source);
    const all = firstValueFrom(ahead.values.pipe(toArray()));
    source.next(1);
    source.next(2);
    source.complete();
    expect(await all).to.deep.equal([1, 2]);

    const failing = new Subject<number>();
    const failed = firstValueFrom(new ReadAhead(failing).values).catch((e: unknown) => e);
    failing.error(new Error("lost"));
    expect(((await failed) as Error).message).to.equal("lost");
  });

  it("cancel() unsubscribes the source (aborting its requests) and drops what it held", () => {
    testScheduler().run(({ cold, expectSubscriptions, flush }) => {
      const source = cold("-a-b-c-d|");
      const ahead = new ReadAhead(source);
      // Inside run(), asyncScheduler runs on virtual time: cancel at frame 3.
      asyncScheduler.schedule(() => ahead.cancel(), 3);
      flush();
      expectSubscriptions(source.subscriptions).toBe("^--!");
    });
  });

  it("unsubscribing the consumer unsubscribes the source", () => {
    testScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold("-a-b-c-d|");
      const ahead = new ReadAhead(source);
      expectObservable(ahead.values, "^---!").toBe("-a-b");
      expectSubscriptions(source.subscriptions).toBe("^---!");
    });
  });

  it("takes one consumer: a second one gets an error instead of a share of the values", async () => {
    const ahead = new ReadAhead(new Subject<number>());
    ahead.values.subscribe();
    const error = await firstValueFrom(ahead.values).catch((e: unknown) => e);
    expect((error as Error).message).to.match(/one subscriber/);
  });
});
