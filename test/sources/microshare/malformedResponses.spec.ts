import { expect } from "chai";
import { lastValueFrom } from "rxjs";
import type { MalformedKind } from "../../../src/local/microshare/microshareSimulator.js";
import { formatWindow } from "../../../src/model/timeWindow.js";
import {
  collect,
  DAY_WINDOW,
  failureOf,
  lineKeys,
  PC_CLUSTER_RECTYPE,
  peopleCounterQuery,
  truthKeys,
  useHarness,
} from "./sourceTestKit.js";

describe("MicroshareSource malformed responses", () => {
  const h = useHarness();
  const layout = { floorsPerBuilding: 2, roomsPerFloor: 3 };

  const kinds: { kind: MalformedKind; says: string }[] = [
    { kind: "missing-objs", says: '"objs"' },
    { kind: "line-not-array", says: '"line"' },
  ];

  /** Bodies a retry can fix: cut short, undecodable, not JSON, or contradicting their own counts. */
  const retried: { kind: MalformedKind; code: string; says: RegExp }[] = [
    { kind: "not-json", code: "unreadable-body", says: /not JSON/ },
    { kind: "truncated-json", code: "unreadable-body", says: /not JSON/ },
    {
      kind: "cut-short",
      code: "unreadable-body",
      says: /could not be read \(ERR_BAD_RESPONSE: stream has been aborted\)/,
    },
    { kind: "broken-gzip", code: "unreadable-body", says: /could not be read \(Z_DATA_ERROR/ },
    {
      kind: "contradictory-count",
      code: "contradictory-page",
      says: /contradicts itself: meta.currentCount is 2 but objs holds 0/,
    },
  ];

  for (const { kind } of retried) {
    it(`reads a ${kind} page again and loses nothing when the retry gets a good one`, async () => {
      const sim = await h.start({ ...layout, malformed: { kind, endpoint: "view", onCalls: [2] } });
      const results = await collect(
        h
          .source({ perPage: 2, maxRetries: 3 })
          .viewResults$(peopleCounterQuery(sim), "Building B", DAY_WINDOW),
      );
      expect(new Set(lineKeys(results))).to.deep.equal(new Set(truthKeys(sim, "Building B", DAY_WINDOW)));
      expect(lineKeys(results)).to.have.length(6 * 96);
      expect(sim.requestCount("view"), "3 pages and one retry").to.equal(4);
    });
  }

  for (const { kind, code, says } of retried) {
    it(`reports a ${kind} page that stays so as "${code}" after the retries, never as an empty page`, async () => {
      const sim = await h.start({ ...layout, malformed: { kind, endpoint: "view" } });
      const error = await failureOf(
        h
          .source({ perPage: 2, maxRetries: 2 })
          .viewResults$(peopleCounterQuery(sim), "Building B", DAY_WINDOW),
      );
      expect(error.code).to.equal(code);
      expect(error.retryable).to.equal(true);
      expect(error.message).to.match(says);
      expect(error.context).to.include({ location: "Building B", window: formatWindow(DAY_WINDOW), page: 1 });
      expect(sim.requestCount("view"), "the first try and two retries").to.equal(3);
    });
  }

  for (const { kind, says } of kinds) {
    it(`reports a ${kind} page as "malformed-response" with location, window and page`, async () => {
      // Page 2 of 3 is damaged: the context must name that page.
      const sim = await h.start({ ...layout, malformed: { kind, endpoint: "view", onCalls: [2] } });
      const error = await failureOf(
        h
          .source({ perPage: 2, maxRetries: 3 })
          .viewResults$(peopleCounterQuery(sim), "Building B", DAY_WINDOW),
      );
      expect(error.code).to.equal("malformed-response");
      expect(error.retryable).to.equal(false);
      expect(error.message).to.contain(says);
      expect(error.context).to.include({ location: "Building B", window: formatWindow(DAY_WINDOW), page: 2 });
      expect(error.describe()).to.contain("location=Building B").and.to.contain("page=2");
      expect(sim.requestCount("view")).to.equal(2);
    });
  }

  it("reports a malformed device cluster with the cluster id", async () => {
    const sim = await h.start({ malformed: { kind: "line-not-array", endpoint: "device" } });
    const error = await failureOf(
      h.source().locations$({
        packedRecType: PC_CLUSTER_RECTYPE,
        clusterId: sim.ids.peopleCounterClusterId,
        locationPrefix: "",
      }),
    );
    expect(error.code).to.equal("malformed-response");
    expect(error.message).to.contain('"data.devices"');
    expect(error.context).to.include({ clusterId: sim.ids.peopleCounterClusterId });
  });

  it("normalises extended-JSON dates to ISO strings, losing no line", async () => {
    const sim = await h.start({ ...layout, malformed: { kind: "extended-json-dates", endpoint: "view" } });
    const results = await collect(
      h.source({ perPage: 2 }).viewResults$(peopleCounterQuery(sim), "Building B", DAY_WINDOW),
    );
    const lines = results.flatMap((r) => r.groups.flatMap((g) => g.lines));
    expect(lines).to.have.length(6 * 96);
    for (const line of lines)
      expect(line.time)
        .to.be.a("string")
        .and.match(/^\d{4}-\d\d-\d\dT\d\d:\d\d:00\.000Z$/);
    const daily = lines[0]?.daily_total as { reset_time?: unknown } | undefined;
    expect(daily?.reset_time).to.be.a("string");
    expect(new Set(lineKeys(results))).to.deep.equal(new Set(truthKeys(sim, "Building B", DAY_WINDOW)));
  });

  it("keeps working after a malformed response (no crash, the next call succeeds)", async () => {
    const sim = await h.start({ malformed: { kind: "missing-objs", endpoint: "view", onCalls: [1] } });
    const source = h.source();
    await failureOf(source.viewResults$(peopleCounterQuery(sim), "Building A", DAY_WINDOW));
    const results = await lastValueFrom(
      source.viewResults$(peopleCounterQuery(sim), "Building A", DAY_WINDOW),
    );
    expect(results.lineCount).to.equal(4 * 96);
  });
});
