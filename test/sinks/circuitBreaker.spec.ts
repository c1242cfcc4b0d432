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

  it("refuses retries only while open and cooling down: closed, or past the cool-down, it lets them go on", () => {
    expect(breaker.refusal()).to.equal(undefined);
    for (let i = 0; i < 3; i++) breaker.failed(FAILURE);
    const refusal = breaker.refusal();
    expect(refusal?.code).to.equal("CircuitOpen");
    expect(refusal?.message).to.include("3 consecutive failed batch(es)");
    clock += 1000;
    expect(breaker.refusal()).to.equal(undefined);
  });
});
