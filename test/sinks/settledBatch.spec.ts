import { expect } from "chai";
import { settledBatch } from "../../src/sinks/settledBatch.js";
import { captureLogger, type LogRecord } from "../sources/microshare/sourceTestKit.js";

describe("settledBatch", () => {
  it("tells the hook about the settled batch, with its duration and error", () => {
    const seen: unknown[] = [];
    const error = { name: "CircuitOpen", code: "CircuitOpen", message: "open" };
    const batch = settledBatch(
      "b",
      { outcome: "dead-lettered", events: 3, bytes: 300, started: Date.now() - 5, error },
      (settled) => seen.push(settled),
      captureLogger([]),
    );
    expect(batch).to.deep.include({ hub: "b", outcome: "dead-lettered", events: 3, bytes: 300, error });
    expect(batch.durationInMs).to.be.at.least(5);
    expect(seen).to.deep.equal([batch]);
  });

  it("a hook that throws is logged and ignored: the batch still counts as settled", () => {
    const logs: LogRecord[] = [];
    const batch = settledBatch(
      "a",
      { outcome: "acknowledged", events: 1, bytes: 10, started: Date.now() },
      () => {
        throw new Error("metrics exploded");
      },
      captureLogger(logs),
    );
    expect(batch.outcome).to.equal("acknowledged");
    expect(logs.map((l) => [l.level, l.message])).to.deep.equal([["error", "onBatchSettled threw"]]);
  });
});
