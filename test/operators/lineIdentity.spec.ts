import { expect } from "chai";
import { createHash } from "node:crypto";
import { groupIdentity, lineIdentity } from "../../src/operators/lineIdentity.js";

// Ids are stored (delivered sets) and sent (messageId consumers dedupe on): a change of how they
// are computed would re-send everything inside the lookback after an upgrade. Pinned here.
describe("lineIdentity", () => {
  it("is the first 32 hex digits of sha256 over the JSON of recType, tags, time and record id", () => {
    const args = [
      "io.microshare.peoplecounter.unpacked",
      ["Building A", "Floor 1", "Room 2"],
      "2024-05-01T10:00:00.000Z",
      "rec-1",
    ] as const;
    const expected = createHash("sha256").update(JSON.stringify(args)).digest("hex").slice(0, 32);
    expect(lineIdentity(args[0], args[1], args[2], args[3])).to.equal(expected);
    // The value itself, computed once with createHash (before `hash` was used).
    expect(
      lineIdentity(
        "io.microshare.peoplecounter.unpacked",
        ["Building A"],
        "2024-05-01T10:00:00.000Z",
        "rec-1",
      ),
    ).to.equal("4d57340b65af4543edb54175fa014ec1");
  });

  it("tells apart what differs in any part, and groups by their keys in order", () => {
    const base = lineIdentity("r", ["a"], "t", "x");
    expect(lineIdentity("r", ["a"], "t", "y")).to.not.equal(base);
    expect(lineIdentity("r", ["b"], "t", "x")).to.not.equal(base);
    expect(lineIdentity("r", ["a", "t"], "", "x")).to.not.equal(lineIdentity("r", ["a"], "t", "x"));
    expect(groupIdentity("r", ["k1", "k2"])).to.not.equal(groupIdentity("r", ["k2", "k1"]));
  });
});
