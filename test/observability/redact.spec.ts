import { expect } from "chai";
import { REDACTED, redact, redactValue, registerSecret } from "../../src/observability/redact.js";
import { urlPasswords } from "../../src/observability/urlPassword.js";

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

  it("does not run past the host into a path, a query or a second URL", () => {
    for (const text of ["redis://cache:6379/0?client=me@x", "redis://cache:6379/0,ops@example.com"])
      expect(redact(text)).to.equal(text);
    expect(redact("redis://u:p1@h1:6379,redis://u:p2@h2:6379")).to.equal(
      `redis://u:${REDACTED}@h1:6379,redis://u:${REDACTED}@h2:6379`,
    );
  });
});

describe("urlPasswords: what is registered as a secret", () => {
  it("takes the password to the authority's last '@', raw and decoded", () => {
    expect(urlPasswords("redis://ops:p@ss@w0rd@cache:6379/2")).to.deep.equal(["p@ss@w0rd"]);
    expect(urlPasswords("rediss://:p%40ss%3Aword@cache:6380")).to.deep.equal(["p%40ss%3Aword", "p@ss:word"]);
    expect(urlPasswords("redis://u:it's-secret@h")).to.deep.equal(["it's-secret"]);
  });

  it("finds none without a password, and never throws on a malformed escape", () => {
    expect(urlPasswords("redis://127.0.0.1:6379/0")).to.deep.equal([]);
    expect(urlPasswords("not a url :hunter2@")).to.deep.equal([]);
    expect(urlPasswords("redis://u:50%off@h")).to.deep.equal(["50%off"]);
  });

  it("masks a password with a raw '@' and a quote once it is registered, as start-up does", () => {
    urlPasswords("redis://u:it's@n0t-safe@cache:6379").forEach(registerSecret);
    expect(redact(`error: "redis://u:it's@n0t-safe@cache:6379" refused`)).to.not.include("n0t-safe");
  });
});

describe("redactValue of an Error (log metadata)", () => {
  it("keeps its name, message, code and own fields, redacted, instead of logging {}", () => {
    const error = Object.assign(new TypeError("refused: Endpoint=sb://x/;SharedAccessKey=abc123secret"), {
      code: "ECONNREFUSED",
      hub: "client",
    });
    const logged = JSON.parse(JSON.stringify(redactValue({ error }))) as { error: Record<string, unknown> };
    expect(logged.error).to.deep.equal({
      hub: "client",
      name: "TypeError",
      message: `refused: Endpoint=sb://x/;SharedAccessKey=${REDACTED}`,
      code: "ECONNREFUSED",
    });
  });

  it("follows its cause", () => {
    const error = new Error("tick failed", { cause: new Error("password=hunter22") });
    const logged = JSON.parse(JSON.stringify(redactValue(error))) as { cause: { message: string } };
    expect(logged.cause.message).to.equal(`password=${REDACTED}`);
  });
});

describe("redact: our own messages about secret variables", () => {
  it("keeps 'MICROSHARE_PASSWORD: is missing' and an example's <placeholder>, and still masks a real value", () => {
    const message =
      "  - MICROSHARE_PASSWORD: is missing while the username is set\n    example: MICROSHARE_PASSWORD=<your password>";
    expect(redact(message)).to.equal(message);
    expect(redact("login failed: password=hunter2xyz")).to.equal(`login failed: password=${REDACTED}`);
    expect(redact('{"api_key": "k-123456"}')).to.equal(`{"api_key": "${REDACTED}"}`);
  });

  it("keeps a connection string example's SharedAccessKey=<key>, and masks a real key", () => {
    const example =
      "example: EVENT_HUB_CONNECTION_STRINGS='[\"Endpoint=sb://<namespace>.servicebus.windows.net/;SharedAccessKeyName=<policy>;SharedAccessKey=<key>;EntityPath=<hub>\"]'";
    expect(redact(example)).to.equal(example);
    expect(redact("Endpoint=sb://ns/;SharedAccessKey=c2VjcmV0K2tleQ==;EntityPath=hub")).to.equal(
      `Endpoint=sb://ns/;SharedAccessKey=${REDACTED};EntityPath=hub`,
    );
  });
});
