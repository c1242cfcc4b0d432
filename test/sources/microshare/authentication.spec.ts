import { expect } from "chai";
import { from, lastValueFrom, mergeMap } from "rxjs";
import type { MicroshareSimulator } from "../../../src/local/microshare/microshareSimulator.js";
import {
  collect,
  DAY_WINDOW,
  failureOf,
  HOUR_WINDOW,
  MemoryTokenCache,
  PC_CLUSTER_RECTYPE,
  peopleCounterQuery,
  SIM_NOW,
  lineKeys,
  truthKeys,
  useHarness,
} from "./sourceTestKit.js";

describe("MicroshareSource authentication", () => {
  const h = useHarness();
  const locationQuery = (sim: MicroshareSimulator) => ({
    packedRecType: PC_CLUSTER_RECTYPE,
    clusterId: sim.ids.peopleCounterClusterId,
    locationPrefix: "",
  });

  it("logs in with the password grant by default and uses the token on API calls", async () => {
    const sim = await h.start();
    const locations = await lastValueFrom(h.source().locations$(locationQuery(sim)));
    expect(locations.map((l) => l.name)).to.deep.equal(["Building A", "Building B", "Building C"]);
    expect(sim.requestCount("token")).to.equal(1);
    expect(sim.requestCount("login")).to.equal(0);
    const grant = sim.requests.find((r) => r.endpoint === "token");
    expect(grant?.query).to.include({
      grant_type: "password",
      scope: "ALL:ALL",
      client_id: sim.credentials.apiKey,
    });
    expect(sim.requests.filter((r) => r.endpoint === "device").map((r) => r.status)).to.deep.equal([200]);
  });

  it("logs in through the web app when authMethod is web-login", async () => {
    const sim = await h.start();
    const locations = await lastValueFrom(
      h.source({ authMethod: "web-login" }).locations$(locationQuery(sim)),
    );
    expect(locations).to.have.length(3);
    expect(sim.requestCount("login")).to.equal(1);
    expect(sim.requestCount("token")).to.equal(0);
    expect(sim.requests.filter((r) => r.endpoint === "device").map((r) => r.status)).to.deep.equal([200]);
  });

  for (const authMethod of ["password", "web-login"] as const) {
    it(`reports bad credentials (${authMethod}) as "unauthorized" naming the variables, without retrying`, async () => {
      const sim = await h.start();
      const credentials = { ...sim.credentials, password: "not-the-password" };
      const error = await failureOf(
        h.source({ authMethod, credentials, maxRetries: 5 }).locations$(locationQuery(sim)),
      );
      expect(error.code).to.equal("unauthorized");
      expect(error.retryable).to.equal(false);
      expect(error.message).to.contain("MICROSHARE_USERNAME").and.to.contain("MICROSHARE_PASSWORD");
      expect(error.message).not.to.contain("not-the-password");
      expect(sim.requestCount(authMethod === "password" ? "token" : "login")).to.equal(1);
      expect(sim.requestCount("device")).to.equal(0);
    });
  }

  it("caches the token through the TokenCache so a second source does not log in again", async () => {
    const sim = await h.start();
    const cache = new MemoryTokenCache();
    await lastValueFrom(h.source({}, { tokenCache: cache }).locations$(locationQuery(sim)));
    expect(cache.writes).to.equal(1);
    const [entry] = [...cache.entries.values()];
    expect(entry?.expiresAt.getTime()).to.be.greaterThan(Date.now() + 47 * 3_600_000);

    const second = h.source({}, { tokenCache: cache });
    const locations = await lastValueFrom(second.locations$(locationQuery(sim)));
    expect(locations).to.have.length(3);
    expect(sim.requestCount("token")).to.equal(1);
    expect(sim.requests.filter((r) => r.endpoint === "device").map((r) => r.status)).to.deep.equal([
      200, 200,
    ]);
  });

  it("replaces a cached token the API no longer accepts with one new login", async () => {
    const sim = await h.start();
    const cache = new MemoryTokenCache();
    await lastValueFrom(h.source({}, { tokenCache: cache }).locations$(locationQuery(sim)));
    sim.expireTokens();
    await lastValueFrom(h.source({}, { tokenCache: cache }).locations$(locationQuery(sim)));
    expect(sim.requestCount("token")).to.equal(2);
    expect(sim.requests.filter((r) => r.endpoint === "device").map((r) => r.status)).to.deep.equal([
      200, 401, 200,
    ]);
    expect(cache.writes).to.equal(2);
  });

  it("renews a token before it expires instead of waiting for a 401", async () => {
    // Web login reports the expiry (JWT exp); a token that is valid on the server for 5 more
    // minutes but inside the 10-minute renewal margin must be replaced before the next call.
    const sim = await h.start({ tokenLifetimeMs: 5 * 60_000 });
    const source = h.source({ authMethod: "web-login" }, { tokenRenewBeforeInMs: 10 * 60_000 });
    const logins: number[] = [];
    for (let call = 0; call < 2; call++) {
      await lastValueFrom(source.locations$(locationQuery(sim)));
      logins.push(sim.requestCount("login"));
    }
    sim.configure({ tokenLifetimeMs: 48 * 3_600_000 });
    for (let call = 0; call < 2; call++) {
      await lastValueFrom(source.locations$(locationQuery(sim)));
      logins.push(sim.requestCount("login"));
    }
    // Calls 1 and 2 each needed a new token; call 3 got a long-lived one that call 4 reused.
    expect(logins).to.deep.equal([1, 2, 3, 3]);
    expect(sim.requests.filter((r) => r.endpoint === "device").every((r) => r.status === 200)).to.equal(true);
  });

  it("logs in again exactly once when the token expires mid-pagination, and loses no line", async () => {
    let expired = false;
    const ref: { sim?: MicroshareSimulator } = {};
    // The simulator reads its clock while answering each request: the hook expires every token
    // just as page 2 is being answered, so that request gets a 401 mid-walk.
    const now = (): number => {
      if (!expired && ref.sim?.requestCount("view") === 2) {
        expired = true;
        ref.sim.expireTokens();
      }
      return SIM_NOW;
    };
    const sim = await h.start({ now, floorsPerBuilding: 2, roomsPerFloor: 3 });
    ref.sim = sim;
    const results = await collect(
      h.source({ perPage: 1 }).viewResults$(peopleCounterQuery(sim), "Building B", DAY_WINDOW),
    );

    expect(expired).to.equal(true);
    expect(sim.requestCount("token")).to.equal(2);
    const views = sim.requests.filter((r) => r.endpoint === "view");
    expect(views.map((r) => r.status)).to.deep.equal([200, 401, 200, 200, 200, 200, 200]);
    expect(views.map((r) => r.query.page)).to.deep.equal(["1", "2", "2", "3", "4", "5", "6"]);
    const keys = lineKeys(results);
    expect(keys).to.have.length(6 * 96);
    expect(new Set(keys)).to.deep.equal(new Set(truthKeys(sim, "Building B", DAY_WINDOW)));
  });

  it("logs in once when concurrent calls all get a 401, even with a slow token cache", async () => {
    const sim = await h.start({ buildings: 4 });
    // A shared cache (Redis) answers asynchronously: a deletion still in progress must not let
    // another caller pick the rejected token up again.
    const cache = new SlowTokenCache();
    const source = h.source({ concurrency: 4 }, { tokenCache: cache });
    const locations = await lastValueFrom(source.locations$(locationQuery(sim)));
    sim.expireTokens();
    const results = await collect(
      from(locations).pipe(
        mergeMap((l) => source.viewResults$(peopleCounterQuery(sim), l.name, HOUR_WINDOW)),
      ),
    );
    expect(results.map((r) => r.location).sort()).to.deep.equal(locations.map((l) => l.name));
    expect(sim.requestCount("token")).to.equal(2);
    const statuses = sim.requests.filter((r) => r.endpoint === "view").map((r) => r.status);
    expect(statuses.filter((s) => s === 401)).to.have.length(4);
    expect(statuses.filter((s) => s === 200)).to.have.length(4);
  });
});

/** A token cache that answers asynchronously, as a networked store does, with deletions slower than reads. */
class SlowTokenCache extends MemoryTokenCache {
  private later<T>(delayInMs: number, value: () => T): Promise<T> {
    return new Promise((resolve) => setTimeout(() => resolve(value()), delayInMs));
  }
  override getCached(key: string): Promise<string | undefined> {
    return this.later(1, () => this.entries.get(key)?.value);
  }
  override deleteCached(key: string): Promise<void> {
    return this.later(20, () => {
      this.entries.delete(key);
    });
  }
}
