import { expect } from "chai";
import {
  attemptWithRetries,
  backoffDelayInMs,
  worstCaseInMs,
  type RetryPolicy,
} from "../../src/sinks/retryPolicy.js";

const POLICY: RetryPolicy = {
  maxRetries: 3,
  retryDelayInMs: 100,
  maxRetryDelayInMs: 300,
  timeoutInMs: 1000,
};

function busy(): Error {
  return Object.assign(new Error("busy"), {
    name: "MessagingError",
    code: "ServerBusyError",
    retryable: true,
  });
}

describe("retryPolicy", () => {
  it("backs off exponentially with equal jitter, capped at maxRetryDelayInMs", () => {
    expect([1, 2, 3, 4].map((n) => backoffDelayInMs(n, POLICY, () => 0))).to.deep.equal([50, 100, 150, 150]);
    expect([1, 2, 3, 4].map((n) => backoffDelayInMs(n, POLICY, () => 1))).to.deep.equal([100, 200, 300, 300]);
  });

  it("bounds the time of a batch that fails every try", () => {
    // 4 tries × 1000 ms + waits of at most 100 + 200 + 300 ms.
    expect(worstCaseInMs(POLICY)).to.equal(4600);
  });

  it("retries retryable errors up to maxRetries and reports the attempts made", async () => {
    let calls = 0;
    const outcome = await attemptWithRetries(
      () => {
        calls++;
        return Promise.reject(busy());
      },
      { ...POLICY, retryDelayInMs: 1, maxRetryDelayInMs: 2 },
      new AbortController().signal,
    );
    expect(calls).to.equal(4);
    expect(outcome).to.deep.include({ ok: false, attempts: 4 });
    expect(!outcome.ok && outcome.error.code).to.equal("ServerBusyError");
  });

  it("stops at the first non-retryable error", async () => {
    const outcome = await attemptWithRetries(
      () =>
        Promise.reject(
          Object.assign(new Error("too big"), {
            name: "MessagingError",
            code: "MessageTooLargeError",
            retryable: false,
          }),
        ),
      POLICY,
      new AbortController().signal,
    );
    expect(outcome).to.deep.include({ ok: false, attempts: 1 });
  });

  it("returns the value of the first successful try", async () => {
    let calls = 0;
    const outcome = await attemptWithRetries(
      (_signal, attempt) => (++calls < 3 ? Promise.reject(busy()) : Promise.resolve(`ok on ${attempt}`)),
      { ...POLICY, retryDelayInMs: 1, maxRetryDelayInMs: 2 },
      new AbortController().signal,
    );
    expect(outcome).to.deep.equal({ ok: true, value: "ok on 3", attempts: 3 });
  });

  it("aborts a try after timeoutInMs with a retryable timeout naming the limit", async () => {
    const outcome = await attemptWithRetries(
      (signal) =>
        new Promise((_resolve, reject) =>
          signal.addEventListener("abort", () => reject(new Error("aborted"))),
        ),
      { maxRetries: 0, retryDelayInMs: 1, maxRetryDelayInMs: 1, timeoutInMs: 30 },
      new AbortController().signal,
    );
    expect(!outcome.ok && outcome.error.toJSON()).to.deep.equal({
      name: "OperationTimeoutError",
      code: "OperationTimeoutError",
      message: "try 1 got no acknowledgement within timeoutInMs (30 ms)",
    });
  });

  it("ends a backoff wait at once when the signal fires", async () => {
    const controller = new AbortController();
    const started = Date.now();
    const outcome = attemptWithRetries(
      () => {
        setImmediate(() => controller.abort(Object.assign(new Error("closed"), { name: "SinkClosedError" })));
        return Promise.reject(busy());
      },
      { ...POLICY, retryDelayInMs: 10_000, maxRetryDelayInMs: 10_000 },
      controller.signal,
    );
    const result = await outcome;
    expect(Date.now() - started).to.be.below(1000);
    expect(!result.ok && result.error).to.include({ name: "SinkClosedError", retryable: false });
  });
});
