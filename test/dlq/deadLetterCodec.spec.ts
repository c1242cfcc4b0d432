import { expect } from "chai";
import {
  corruptWrapper,
  decodeDeadLetter,
  encodeDeadLetter,
  newDeadLetterEntry,
} from "../../src/dlq/deadLetterCodec.js";
import { deadLetter } from "../state/fixtures.js";

const where = { pipeline: "peoplecounter", hub: "hub-a" };

describe("deadLetterCodec", () => {
  it("round-trips an entry, reviving event times as Dates", () => {
    const entry = newDeadLetterEntry(deadLetter(), new Date("2024-05-01T12:20:00Z"));
    const decoded = decodeDeadLetter(encodeDeadLetter(entry), where);
    expect(decoded).to.deep.equal({ state: "ok", entry });
    expect(entry.firstFailedAt).to.equal("2024-05-01T12:20:00.000Z");
  });

  it("names what is wrong with an unreadable or incomplete text", () => {
    const entry = JSON.parse(encodeDeadLetter(newDeadLetterEntry(deadLetter(), new Date()))) as Record<
      string,
      unknown
    >;
    const cases: [string, RegExp][] = [
      ["{nope", /not JSON/],
      ["[1,2]", /not a JSON object/],
      [JSON.stringify({ ...entry, window: undefined }), /"window"/],
      [JSON.stringify({ ...entry, attempts: -1 }), /"attempts"/],
      [JSON.stringify({ ...entry, error: { name: "E" } }), /"error"/],
      [
        JSON.stringify({ ...entry, events: [{ id: "e", partitionKey: "p", time: "yesterday" }] }),
        /events\[0\]: .*"time"/,
      ],
    ];
    for (const [raw, reason] of cases) {
      const decoded = decodeDeadLetter(raw, where);
      expect(decoded.state, raw).to.equal("corrupt");
      if (decoded.state === "corrupt") {
        expect(decoded.reason).to.match(reason);
        expect(decoded.raw).to.equal(raw);
        expect(JSON.parse(decoded.parked)).to.deep.equal({ corrupt: true, reason: decoded.reason, raw });
      }
    }
  });

  it("does not wrap an already parked wrapper twice", () => {
    const wrapper = corruptWrapper("junk", "not JSON");
    expect(decodeDeadLetter(wrapper, where)).to.deep.equal({
      state: "corrupt",
      raw: "junk",
      reason: "not JSON",
      parked: wrapper,
    });
  });
});
