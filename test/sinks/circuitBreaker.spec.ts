import { expect } from "chai";
import { CircuitBreaker } from "../../src/sinks/circuitBreaker.js";

const FAILURE = { name: "MessagingError", code: "ServerBusyError", message: "busy" };

describe("CircuitBreaker", () => {
  let clock: number;
  let breaker: CircuitBreaker;

  beforeEach(() => {
    clock = 1_000_000;
    breaker = new CircuitBreaker({ hub: "b", threshold: 3, cooldownInMs: 1000, now: () => clock });
  });

  it("stays closed below the threshold and resets on a success", () => {
    breaker.failed(FAILURE);
    breaker.failed(FAILURE);
    expect(breaker.state).to.deep.equal({ state: "closed", consecutiveFailures: 2 });
    expect(breaker.admit().kind).to.equal("send");
    breaker.succeeded();
    breaker.failed(FAILURE);
    expect(breaker.state).to.deep.equal({ state: "closed", consecutiveFailures: 1 });
  });

  it("opens at the threshold, rejects with CircuitOpen until the cool-down ends, then admits one probe", () => {
    for (let i = 0; i < 3; i++) breaker.failed(FAILURE);
    expect(breaker.state).to.deep.equal({
      state: "open",
      since: new Date(clock),
      until: new Date(clock + 1000),
      lastError: FAILURE,
    });
    const rejected = breaker.admit();
    expect(rejected.kind === "reject" && rejected.error.name).to.equal("CircuitOpen");

    clock += 1000;
    expect(breaker.state).to.deep.equal({ state: "half-open" });
    expect(breaker.admit().kind).to.equal("probe");
    const second = breaker.admit();
    expect(second.kind === "reject" && second.error.message).to.match(/probe batch is deciding/);
  });

  it("re-opens on a failed probe and closes on a successful one", () => {
    for (let i = 0; i < 3; i++) breaker.failed(FAILURE);
    clock += 1000;
    breaker.admit();
    breaker.failed(FAILURE);
    expect(breaker.state).to.deep.include({ state: "open", until: new Date(clock + 1000) });
    clock += 1000;
    expect(breaker.admit().kind).to.equal("probe");
    breaker.succeeded();
    expect(breaker.state).to.deep.equal({ state: "closed", consecutiveFailures: 0 });
  });

  it("lets the next batch probe when a probe is abandoned (it sent nothing)", () => {
    for (let i = 0; i < 3; i++) breaker.failed(FAILURE);
    clock += 1000;
    breaker.admit();
    breaker.abandonProbe();
    expect(breaker.admit().kind).to.equal("probe");
  });

  it("never opens with a threshold below 1", () => {
    const disabled = new CircuitBreaker({ hub: "b", threshold: 0, cooldownInMs: 1000, now: () => clock });
    for (let i = 0; i < 10; i++) disabled.failed(FAILURE);
    expect(disabled.admit().kind).to.equal("send");
  });

  it("fires the signal taken while closed when it opens, with its refusal; each opening has its own", () => {
    const first = breaker.opens;
    breaker.failed(FAILURE);
    breaker.failed(FAILURE);
    expect(first.aborted).to.equal(false);
    breaker.failed(FAILURE);
    expect(first.aborted).to.equal(true);
    expect(first.reason).to.deep.include({ code: "CircuitOpen", retryable: false });
    expect((first.reason as Error).message).to.include("3 consecutive failed batch(es)");

    const second = breaker.opens;
    expect(second.aborted).to.equal(false);
    clock += 1000;
    expect(breaker.admit().kind).to.equal("probe");
    breaker.succeeded();
    expect(second.aborted).to.equal(false);
    for (let i = 0; i < 3; i++) breaker.failed(FAILURE);
    expect(second.aborted).to.equal(true);
    expect(breaker.opens.aborted).to.equal(false);
  });
});
