import { expect } from "chai";
import {
  collect,
  DAY_WINDOW,
  failureOf,
  HOUR_MS,
  HOUR_WINDOW,
  lineKeys,
  peopleCounterQuery,
  truthKeys,
  useHarness,
} from "./sourceTestKit.js";

describe("MicroshareSource view paging", () => {
  const h = useHarness();
  // 6 rooms in a building; the view pages over room groups.
  const layout = { floorsPerBuilding: 2, roomsPerFloor: 3 };

  const viewPages = () =>
    h.sim.requests.filter((r) => r.endpoint === "view").map((r) => `${r.query.page}/${r.query.perPage}`);

  it("walks every page and receives every room group exactly once", async () => {
    const sim = await h.start(layout);
    const results = await collect(
      h.source({ perPage: 2 }).viewResults$(peopleCounterQuery(sim), "Building A", DAY_WINDOW),
    );
    expect(viewPages()).to.deep.equal(["1/2", "2/2", "3/2"]);
    expect(results).to.have.length(1);
    const tags = results.flatMap((r) => r.groups.map((g) => g.tags.join("/")));
    expect(tags).to.have.length(6);
    expect(new Set(tags).size).to.equal(6);
    expect(results[0]).to.include({ location: "Building A", lineCount: 6 * 96, truncated: false });
    expect(lineKeys(results)).to.have.members(truthKeys(sim, "Building A", DAY_WINDOW));
  });

  it("sends the half-open window as an inclusive `to` one millisecond before its end", async () => {
    const sim = await h.start(layout);
    await collect(h.source().viewResults$(peopleCounterQuery(sim), "Building A", HOUR_WINDOW));
    const [view] = sim.requests.filter((r) => r.endpoint === "view");
    expect(view?.query).to.include({
      from: HOUR_WINDOW.from.toISOString(),
      to: new Date(HOUR_WINDOW.to.getTime() - 1).toISOString(),
      loc1: "Building A",
      dataContext: '["people"]',
    });
  });

  it("does not stop at an empty page that comes before totalPages", async () => {
    const sim = await h.start({ ...layout, emptyPagesBefore: 2 });
    const results = await collect(
      h.source({ perPage: 2 }).viewResults$(peopleCounterQuery(sim), "Building A", DAY_WINDOW),
    );
    // Pages 3 and 4 are empty; page 5 still holds the last two rooms.
    expect(viewPages()).to.deep.equal(["1/2", "2/2", "3/2", "4/2", "5/2"]);
    expect(results.flatMap((r) => r.groups)).to.have.length(6);
    expect(lineKeys(results)).to.have.members(truthKeys(sim, "Building A", DAY_WINDOW));
  });

  it("ignores a totalCount inflated by records it cannot see", async () => {
    const sim = await h.start({ ...layout, totalCountExtra: 5000 });
    const results = await collect(
      h.source({ perPage: 2 }).viewResults$(peopleCounterQuery(sim), "Building A", DAY_WINDOW),
    );
    expect(viewPages()).to.deep.equal(["1/2", "2/2", "3/2"]);
    expect(lineKeys(results)).to.have.members(truthKeys(sim, "Building A", DAY_WINDOW));
  });

  it('fails with "page-cap" when the server keeps reporting more pages than maxPages', async () => {
    const sim = await h.start({ ...layout, emptyPagesBefore: 50 });
    const error = await failureOf(
      h.source({ perPage: 2, maxPages: 4 }).viewResults$(peopleCounterQuery(sim), "Building A", DAY_WINDOW),
    );
    expect(error.code).to.equal("page-cap");
    expect(error.message).to.contain("MICROSHARE_MAX_PAGES").and.to.contain("totalPages=53");
    expect(error.context).to.include({ location: "Building A", page: 4 });
    expect(sim.requestCount("view")).to.equal(4);
  });
});

describe("MicroshareSource view truncation", () => {
  const h = useHarness();

  it("splits a window holding more lines than the view limit until every line arrives exactly once", async () => {
    // 4 rooms × 96 lines = 384 lines in the day, the view returns at most 50.
    const sim = await h.start({ viewLimit: 50 });
    const results = await collect(
      h
        .source({ viewLimit: 50, minWindowInMs: 60_000 })
        .viewResults$(peopleCounterQuery(sim), "Building C", DAY_WINDOW),
    );
    const keys = lineKeys(results);
    const truth = truthKeys(sim, "Building C", DAY_WINDOW);
    expect(truth).to.have.length(384);
    expect(keys).to.have.length(truth.length);
    expect(new Set(keys)).to.deep.equal(new Set(truth));
    expect(results.every((r) => !r.truncated && r.lineCount < 50)).to.equal(true);
    // The results tile the window in time order: each starts where the previous one ended.
    expect(results[0]?.window.from).to.deep.equal(DAY_WINDOW.from);
    expect(results.at(-1)?.window.to).to.deep.equal(DAY_WINDOW.to);
    results.slice(1).forEach((r, i) => expect(r.window.from).to.deep.equal(results[i]?.window.to));
    // The full answer's 50 newest lines span about 3 h, so the day holds about 400: it is read
    // again as 9 windows of under 45 lines (90 % of the limit), 10 view calls in all. Halving
    // (24 h → 12 h → 6 h → 3 h) took 1 + 2 + 4 + 8 = 15.
    expect(sim.requestCount("view")).to.equal(10);
    expect(results).to.have.length(9);
  });

  it("reads a full window whose lines all sit at its end in a bounded number of calls, every line once", async () => {
    // Data only in the day's last 2 hours: the full answer's newest lines span minutes, which
    // read as a density over the whole day would mean hundreds of windows, nearly all empty.
    const dataStart = new Date(DAY_WINDOW.to.getTime() - 2 * HOUR_MS);
    const sim = await h.start({ viewLimit: 10, dataStart });
    const results = await collect(
      h
        .source({ viewLimit: 10, minWindowInMs: 60_000 })
        .viewResults$(peopleCounterQuery(sim), "Building C", DAY_WINDOW),
    );
    const truth = truthKeys(sim, "Building C", DAY_WINDOW);
    expect(truth).to.have.length(32); // 4 rooms × 8 quarter-hours
    expect(lineKeys(results).sort()).to.deep.equal([...truth].sort());
    expect(results.every((r) => !r.truncated)).to.equal(true);
    // At most 16 windows per split, each splitting again by its own density if still full.
    expect(sim.requestCount("view")).to.be.at.most(1 + 16 + 16);
  });

  it("emits a still-full minimum window with truncated: true", async () => {
    // One 15-minute period holds 4 lines (one per room); a limit of 3 cannot hold it.
    const sim = await h.start({ viewLimit: 3 });
    const results = await collect(
      h
        .source({ viewLimit: 3, minWindowInMs: 15 * 60_000 })
        .viewResults$(peopleCounterQuery(sim), "Building A", HOUR_WINDOW),
    );
    expect(results).to.have.length(4);
    for (const result of results) {
      expect(result.truncated).to.equal(true);
      expect(result.lineCount).to.equal(3);
      expect(result.window.to.getTime() - result.window.from.getTime()).to.equal(15 * 60_000);
    }
  });

  it("stops splitting at one millisecond even when minWindowInMs is 0", async () => {
    // MICROSHARE_MIN_WINDOW=0ms is a valid duration; a 1 ms window cannot be halved.
    const sim = await h.start({ viewLimit: 3 });
    const quarter = { from: HOUR_WINDOW.from, to: new Date(HOUR_WINDOW.from.getTime() + 15 * 60_000) };
    const results = await collect(
      h
        .source({ viewLimit: 3, minWindowInMs: 0 })
        .viewResults$(peopleCounterQuery(sim), "Building A", quarter),
    );
    const full = results.filter((r) => r.lineCount > 0);
    expect(full).to.have.length(1);
    expect(full[0]).to.include({ truncated: true, lineCount: 3 });
    expect(full[0]?.window).to.deep.equal({ from: quarter.from, to: new Date(quarter.from.getTime() + 1) });
  });
});
