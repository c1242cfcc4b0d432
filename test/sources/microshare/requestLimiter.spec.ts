import { expect } from "chai";
import { RequestLimiter } from "../../../src/sources/microshare/requestLimiter.js";

/** A task whose completion the test controls. */
class Gate {
  started = false;
  private release: () => void = () => undefined;
  private fail: (error: Error) => void = () => undefined;
  readonly task = (): Promise<string> => {
    this.started = true;
    return new Promise<string>((resolve, reject) => {
      this.release = () => resolve("done");
      this.fail = reject;
    });
  };
  open(): void {
    this.release();
  }
  break(error: Error): void {
    this.fail(error);
  }
}

/** Lets every pending promise callback run. */
const settle = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe("RequestLimiter", () => {
  it("runs at most maxConcurrent tasks at once, in arrival order", async () => {
    const limiter = new RequestLimiter({ maxConcurrent: 2, requestsPerSecond: 0 });
    const gates = Array.from({ length: 5 }, () => new Gate());
    const runs = gates.map((g) => limiter.run(g.task));
    await settle();
    expect(gates.map((g) => g.started)).to.deep.equal([true, true, false, false, false]);
    gates[1]?.open();
    await settle();
    expect(gates.map((g) => g.started)).to.deep.equal([true, true, true, false, false]);
    gates[0]?.open();
    gates[2]?.open();
    await settle();
    expect(gates.map((g) => g.started)).to.deep.equal([true, true, true, true, true]);
    gates.forEach((g) => g.open());
    expect(await Promise.all(runs)).to.deep.equal(Array(5).fill("done"));
  });

  it("releases the slot when a task fails", async () => {
    const limiter = new RequestLimiter({ maxConcurrent: 1, requestsPerSecond: 0 });
    const [a, b] = [new Gate(), new Gate()];
    const first = limiter.run(a.task);
    const second = limiter.run(b.task);
    await settle();
    a.break(new Error("boom"));
    await expectRejection(first, "boom");
    await settle();
    expect(b.started).to.equal(true);
    b.open();
    expect(await second).to.equal("done");
  });

  it("rejects a waiter whose signal aborts, without running it or freeing a slot", async () => {
    const limiter = new RequestLimiter({ maxConcurrent: 1, requestsPerSecond: 0 });
    const [running, cancelled, next] = [new Gate(), new Gate(), new Gate()];
    const controller = new AbortController();
    const first = limiter.run(running.task);
    const aborted = limiter.run(cancelled.task, controller.signal);
    const third = limiter.run(next.task);
    controller.abort();
    await expectRejection(aborted, "This operation was aborted");
    await settle();
    // The running task still holds the only slot.
    expect([cancelled.started, next.started]).to.deep.equal([false, false]);
    running.open();
    await first;
    await settle();
    expect([cancelled.started, next.started]).to.deep.equal([false, true]);
    next.open();
    expect(await third).to.equal("done");
  });

  it("rejects at once when the signal is already aborted", async () => {
    const limiter = new RequestLimiter({ maxConcurrent: 1, requestsPerSecond: 0 });
    const gate = new Gate();
    await expectRejection(limiter.run(gate.task, AbortSignal.abort()), "This operation was aborted");
    expect(gate.started).to.equal(false);
    const after = new Gate();
    const run = limiter.run(after.task);
    await settle();
    expect(after.started).to.equal(true);
    after.open();
    await run;
  });

  it("spaces starts evenly at requestsPerSecond", async () => {
    const limiter = new RequestLimiter({ maxConcurrent: 10, requestsPerSecond: 50 });
    const starts: number[] = [];
    await Promise.all(
      Array.from({ length: 5 }, () =>
        limiter.run(() => {
          starts.push(Date.now());
          return Promise.resolve();
        }),
      ),
    );
    const gaps = starts.slice(1).map((t, i) => t - (starts[i] ?? 0));
    // 50 per second = one start every 20 ms (1 ms of slack for timer rounding).
    for (const gap of gaps) expect(gap).to.be.at.least(19);
  });
});

async function expectRejection(promise: Promise<unknown>, message: string): Promise<void> {
  try {
    await promise;
  } catch (error) {
    expect((error as Error).message).to.equal(message);
    return;
  }
  expect.fail("expected a rejection");
}
