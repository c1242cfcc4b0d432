import { expect } from "chai";
import { toNcrontab } from "../../src/functions/ncrontab.js";

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;

describe("toNcrontab", () => {
  it("writes steps from :00 as */n in the field of the interval's unit", () => {
    expect(toNcrontab({ everyInMs: 15 * MINUTE, offsetInMs: 0 })).to.equal("0 */15 * * * *");
    expect(toNcrontab({ everyInMs: HOUR, offsetInMs: 0 })).to.equal("0 0 * * * *");
    expect(toNcrontab({ everyInMs: 6 * HOUR, offsetInMs: 0 })).to.equal("0 0 */6 * * *");
    expect(toNcrontab({ everyInMs: 24 * HOUR, offsetInMs: 0 })).to.equal("0 0 0 * * *");
    expect(toNcrontab({ everyInMs: MINUTE, offsetInMs: 0 })).to.equal("0 * * * * *");
    expect(toNcrontab({ everyInMs: 10 * SECOND, offsetInMs: 0 })).to.equal("*/10 * * * * *");
  });

  it("places an offset in the lower fields and lists shifted steps", () => {
    expect(toNcrontab({ everyInMs: HOUR, offsetInMs: 5 * MINUTE + 30 * SECOND })).to.equal("30 5 * * * *");
    expect(toNcrontab({ everyInMs: 15 * MINUTE, offsetInMs: 2 * MINUTE })).to.equal("0 2,17,32,47 * * * *");
    expect(toNcrontab({ everyInMs: 24 * HOUR, offsetInMs: 2 * HOUR + 15 * MINUTE })).to.equal("0 15 2 * * *");
    // An offset of a whole interval or more is the same rhythm.
    expect(toNcrontab({ everyInMs: HOUR, offsetInMs: HOUR + MINUTE })).to.equal("0 1 * * * *");
  });

  it("refuses intervals cron cannot express exactly", () => {
    expect(() => toNcrontab({ everyInMs: 7 * MINUTE, offsetInMs: 0 })).to.throw(/no exact NCRONTAB form/);
    expect(() => toNcrontab({ everyInMs: 90 * SECOND, offsetInMs: 0 })).to.throw(/no exact NCRONTAB form/);
    expect(() => toNcrontab({ everyInMs: 48 * HOUR, offsetInMs: 0 })).to.throw(/no exact NCRONTAB form/);
    expect(() => toNcrontab({ everyInMs: HOUR, offsetInMs: 500 })).to.throw(/not whole seconds/);
  });
});
