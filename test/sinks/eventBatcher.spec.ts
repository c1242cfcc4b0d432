import { expect } from "chai";
import { map } from "rxjs";
import { TestScheduler } from "rxjs/testing";
import type { OutboundEvent } from "../../src/model/outboundEvent.js";
import { eventBatcher } from "../../src/sinks/eventBatcher.js";
import type { EventGroup } from "../../src/sinks/eventGroup.js";

function event(id: string, partitionKey = "x"): OutboundEvent {
  return {
    id,
    partitionKey,
    time: new Date(0),
    body: { id },
    properties: { recType: "t", pipeline: "p", location: partitionKey },
  };
}

/** Groups as "key:id,id" strings, easy to read in marble expectations. */
function label(group: EventGroup): string {
  return `${group.partitionKey}:${group.events.map((e) => e.id).join(",")}`;
}

describe("eventBatcher", () => {
  let scheduler: TestScheduler;

  beforeEach(() => {
    scheduler = new TestScheduler((actual, expected) => {
      expect(actual).to.deep.equal(expected);
    });
  });

  it("cuts a group at maxEvents and flushes the rest when the input completes", () => {
    scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold("abcde|", {
        a: event("1"),
        b: event("2"),
        c: event("3"),
        d: event("4"),
        e: event("5"),
      });
      const groups = source.pipe(eventBatcher({ maxEvents: 2, maxWaitInMs: 100, scheduler }));
      expectObservable(groups.pipe(map(label))).toBe("-x-y-(z|)", { x: "x:1,2", y: "x:3,4", z: "x:5" });
      expectSubscriptions(source.subscriptions).toBe("^----!");
    });
  });

  it("flushes a partition key after maxWaitInMs without a new event for it", () => {
    scheduler.run(({ cold, expectObservable }) => {
      const source = cold("a 9ms b 20ms c|", { a: event("1"), b: event("2"), c: event("3") });
      const groups = source.pipe(eventBatcher({ maxEvents: 10, maxWaitInMs: 10, scheduler }));
      // a and b are 10 ms apart: b resets the timer; flushed 10 ms after b; c flushed at completion.
      expectObservable(groups.pipe(map(label))).toBe("20ms x 11ms (y|)", { x: "x:1,2", y: "x:3" });
    });
  });

  it("keeps one open group per partition key and never mixes keys", () => {
    scheduler.run(({ cold, expectObservable }) => {
      const source = cold("abcd|", {
        a: event("1", "x"),
        b: event("2", "y"),
        c: event("3", "x"),
        d: event("4", "y"),
      });
      const groups = source.pipe(eventBatcher({ maxEvents: 2, maxWaitInMs: 100, scheduler }));
      expectObservable(groups.pipe(map(label))).toBe("--xy|", { x: "x:1,3", y: "y:2,4" });
    });
  });

  it("drops open groups and cancels its timers on an input error", () => {
    scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold("ab#", { a: event("1"), b: event("2") });
      const groups = source.pipe(eventBatcher({ maxEvents: 10, maxWaitInMs: 5, scheduler }));
      expectObservable(groups.pipe(map(label))).toBe("--#");
      expectSubscriptions(source.subscriptions).toBe("^-!");
    });
  });

  it("cancels timers when unsubscribed", () => {
    scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold("a-------", { a: event("1") });
      const groups = source.pipe(eventBatcher({ maxEvents: 10, maxWaitInMs: 5, scheduler }));
      expectObservable(groups.pipe(map(label)), "^--!").toBe("---");
      expectSubscriptions(source.subscriptions).toBe("^--!");
    });
  });
});
