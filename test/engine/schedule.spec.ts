import { expect } from "chai";
import { msUntilNextTick } from "../../src/engine/schedule.js";

describe("msUntilNextTick", () => {
  const quarter = { everyInMs: 15 * 60_000, offsetInMs: 0 };
  it("waits until the next quarter hour", () => {
    expect(msUntilNextTick(quarter, Date.parse("2025-11-14T10:07:30Z"))).to.equal(7.5 * 60_000);
  });
  it("never returns 0: exactly on a slot waits for the next one", () => {
    expect(msUntilNextTick(quarter, Date.parse("2025-11-14T10:15:00Z"))).to.equal(15 * 60_000);
  });
  it("honours an offset (hourly at :05)", () => {
    expect(
      msUntilNextTick({ everyInMs: 3_600_000, offsetInMs: 5 * 60_000 }, Date.parse("2025-11-14T10:50:00Z")),
    ).to.equal(15 * 60_000);
  });
});
