import { expect } from "chai";
import type { MicroshareSimulator } from "../../../src/local/microshare/microshareSimulator.js";
import { get, grantToken, startSim, type TestClock } from "./simulatorTestKit.js";

describe("MicroshareSimulator auth", () => {
  let sim: MicroshareSimulator;
  let clock: TestClock;

  beforeEach(async () => {
    ({ sim, clock } = await startSim({ tokenLifetimeMs: 60_000 }));
  });
  afterEach(() => sim.close());

  const clusterUrl = (): string =>
    `${sim.url}/device/io.microshare.peoplecounter.packed/${sim.ids.peopleCounterClusterId}?details=true`;

  it("grants a 64-hex token for good query-string credentials, without expires_in", async () => {
    const c = sim.credentials;
    const q = new URLSearchParams({
      username: c.username,
      password: c.password,
      client_id: c.apiKey,
      grant_type: "password",
      scope: "ALL:ALL",
      identity: "SIMORG",
    });
    const res = await fetch(`${sim.url}/oauth2/token?${q}`, { method: "POST" });
    expect(res.status).to.equal(200);
    const body = (await res.json()) as { access_token: string; extended: Record<string, unknown> };
    expect(body.access_token).to.match(/^[0-9a-f]{64}$/);
    expect(body).not.to.have.property("expires_in");
    expect(body.extended).to.include({
      appid: c.apiKey,
      token_type: "Bearer",
      identity: "SIMORG",
      email: c.username,
    });
  });

  it("accepts the same fields as a JSON body", async () => {
    const c = sim.credentials;
    const res = await fetch(`${sim.url}/oauth2/token`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        username: c.username,
        password: c.password,
        client_id: c.apiKey,
        grant_type: "password",
        scope: "ALL:ALL",
      }),
    });
    expect(res.status).to.equal(200);
    const body = (await res.json()) as { access_token: string };
    expect((await get(clusterUrl(), body.access_token)).status).to.equal(200);
  });

  it("answers 401 in plain text to a wrong password or API key", async () => {
    const c = sim.credentials;
    for (const [password, apiKey] of [
      ["wrong", c.apiKey],
      [c.password, "not-the-key"],
    ]) {
      const q = new URLSearchParams({
        username: c.username,
        password: password ?? "",
        client_id: apiKey ?? "",
        grant_type: "password",
      });
      const res = await fetch(`${sim.url}/oauth2/token?${q}`, { method: "POST" });
      expect(res.status).to.equal(401);
      expect(res.headers.get("content-type")).to.match(/^text\/plain/);
    }
    expect(sim.requestCount("token")).to.equal(2);
  });

  it("web login answers 303 with a PLAY_SESSION JWT holding data.access_token and exp", async () => {
    const c = sim.credentials;
    const res = await fetch(`${sim.url}/login`, {
      method: "POST",
      redirect: "manual",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ csrfToken: "x", username: c.username, password: c.password }).toString(),
    });
    expect(res.status).to.equal(303);
    const cookie = res.headers.get("set-cookie") ?? "";
    const jwt = /PLAY_SESSION=([^;]+)/.exec(cookie)?.[1] ?? "";
    expect(jwt.split(".")).to.have.length(3);
    const payload = JSON.parse(Buffer.from(jwt.split(".")[1] ?? "", "base64url").toString("utf8")) as {
      data: { access_token: string };
      exp: number;
    };
    expect(payload.data.access_token).to.match(/^[0-9a-f]{64}$/);
    expect(payload.exp).to.equal(Math.floor((clock.ms + 60_000) / 1000));
    expect((await get(clusterUrl(), payload.data.access_token)).status).to.equal(200);
  });

  it("web login with a bad password does not answer 303", async () => {
    const res = await fetch(`${sim.url}/login`, {
      method: "POST",
      redirect: "manual",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({
        csrfToken: "x",
        username: sim.credentials.username,
        password: "bad",
      }).toString(),
    });
    expect(res.status).to.not.equal(303);
    expect(res.headers.get("set-cookie")).to.equal(null);
  });

  it("answers 401 to API calls without a token or with an unknown one", async () => {
    expect((await get(clusterUrl())).status).to.equal(401);
    expect((await get(clusterUrl(), "f".repeat(64))).status).to.equal(401);
  });

  it("answers 401 once the token lifetime has passed on the simulator clock", async () => {
    const token = await grantToken(sim);
    clock.advance(59_000);
    expect((await get(clusterUrl(), token)).status).to.equal(200);
    clock.advance(1_000);
    expect((await get(clusterUrl(), token)).status).to.equal(401);
  });

  it("expireTokens invalidates every issued token; a new grant works again", async () => {
    const token = await grantToken(sim);
    sim.expireTokens();
    expect((await get(clusterUrl(), token)).status).to.equal(401);
    expect((await get(clusterUrl(), await grantToken(sim))).status).to.equal(200);
  });
});
