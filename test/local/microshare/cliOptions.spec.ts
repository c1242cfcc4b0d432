import { expect } from "chai";
import { parseFaultSpec, parseMalformedSpec } from "../../../src/local/microshare/cliOptions.js";

describe("Microshare simulator command-line specs", () => {
  it("parses a fault with calls, rate, retry-after and a body containing colons", () => {
    expect(parseFaultSpec("view:429:calls=1;3,retry-after=2,body=wait: later")).to.deep.equal({
      endpoint: "view",
      status: 429,
      onCalls: [1, 3],
      retryAfterSeconds: 2,
      body: "wait: later",
    });
    expect(parseFaultSpec("any:503:rate=0.05")).to.deep.equal({ endpoint: "any", status: 503, rate: 0.05 });
  });

  it("rejects unknown endpoints, statuses and settings with a message naming them", () => {
    expect(() => parseFaultSpec("views:503")).to.throw(/fault endpoint "views"/);
    expect(() => parseFaultSpec("view:99")).to.throw(/Bad status/);
    expect(() => parseFaultSpec("view:503:often=1")).to.throw(/often/);
  });

  it("parses malformed specs with and without call lists", () => {
    expect(parseMalformedSpec("truncated-json:view:2;5")).to.deep.equal({
      kind: "truncated-json",
      endpoint: "view",
      onCalls: [2, 5],
    });
    expect(parseMalformedSpec("not-json:share")).to.deep.equal({ kind: "not-json", endpoint: "share" });
    expect(() => parseMalformedSpec("garbage:view")).to.throw(/malformed kind/);
  });
});
