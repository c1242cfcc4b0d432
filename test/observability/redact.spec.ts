import { expect } from "chai";
import { REDACTED, redact } from "../../src/observability/redact.js";

describe("redact: Redis URLs", () => {
  it("masks a password holding a raw '@' whole, and keeps the host", () => {
    const out = redact("cannot reach redis://ops:p@ss@w0rd@cache.example.net:6379/2 (ECONNREFUSED)");
    expect(out).to.equal(`cannot reach redis://ops:${REDACTED}@cache.example.net:6379/2 (ECONNREFUSED)`);
  });

  it("masks an encoded password and an empty user, and each of two URLs on a line", () => {
    const out = redact(`"rediss://:p%40ss%3Aword@cache:6380" and rediss://u:hunter22@other:6380`);
    expect(out).to.equal(`"rediss://:${REDACTED}@cache:6380" and rediss://u:${REDACTED}@other:6380`);
  });

  it("leaves a Redis URL without a password as it is", () => {
    expect(redact("state in redis://127.0.0.1:6379/0")).to.equal("state in redis://127.0.0.1:6379/0");
  });
});
