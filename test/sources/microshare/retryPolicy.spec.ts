import { expect } from "chai";
import { MicroshareError } from "../../../src/sources/microshare/microshareError.js";
import { retryDelayInMs, type RetryOptions } from "../../../src/sources/microshare/retryPolicy.js";

describe("retryDelayInMs", () => {
  const options: RetryOptions = { maxRetries: 5, retryDelayInMs: 100, maxRetryDelayInMs: 1000 };
  const server = new MicroshareError("server", "HTTP 502", { status: 502 });
  const throttled = (retryAfterInMs: number) =>
    new MicroshareError("throttled", "HTTP 429", { status: 429, retryAfterInMs });

  it("doubles the ceiling per attempt with equal jitter: between half and all of it", () => {
    const ceilings = [100, 200, 400, 800];
    ceilings.forEach((ceiling, i) => {
      expect(retryDelayInMs(server, i + 1, options, () => 0)).to.equal(ceiling / 2);
      expect(retryDelayInMs(server, i + 1, options, () => 0.999999)).to.equal(ceiling);
    });
  });

  it("stays within the jitter bounds for any random draw", () => {
    for (let draw = 0; draw < 1; draw += 0.01) {
      expect(retryDelayInMs(server, 3, options, () => draw)).to.be.within(200, 400);
    }
  });

  it("never exceeds maxRetryDelayInMs, even after many attempts", () => {
    expect(retryDelayInMs(server, 5, options, () => 0.999999)).to.equal(1000);
    expect(retryDelayInMs(server, 60, options, () => 0.999999)).to.equal(1000);
    expect(retryDelayInMs(server, 2000, options, () => 0)).to.equal(500);
  });

  it("waits exactly Retry-After when the server sent one, without jitter", () => {
    expect(retryDelayInMs(throttled(700), 1, options, () => 0)).to.equal(700);
    expect(retryDelayInMs(throttled(0), 4, options, () => 0.9)).to.equal(0);
  });

  it("caps Retry-After at maxRetryDelayInMs", () => {
    expect(retryDelayInMs(throttled(86_400_000), 1, options)).to.equal(1000);
  });
});
