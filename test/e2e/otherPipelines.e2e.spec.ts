import { expect } from "chai";
import { doorwayEvents } from "../../src/pipelines/doorwayEvents.js";
import { snapshot } from "../../src/pipelines/snapshot.js";
import { HOUR, MINUTE, PipelineHarness } from "./pipelineHarness.js";

describe("snapshot and doorway pipelines end to end", () => {
  let h: PipelineHarness;
  afterEach(async () => {
    await h.close();
  });

  it("snapshot: one response per building and window, holding every hourly line once", async () => {
    h = await PipelineHarness.start({ hubs: ["a"], env: { INITIAL_LOOKBACK: "12h" } });
    const summary = await h.tick(snapshot);
    const events = h.received("a", "snapshot");
    expect(events.length).to.equal(summary.events).and.to.be.greaterThan(0);
    const lines = events.flatMap((e) => {
      const body = e.body as {
        recType: string;
        objs: { data: { _id: { tags: string[] }; line: { time: string }[] } }[];
      };
      expect(body.recType).to.equal("io.microshare.lake.snapshot.hourly");
      return body.objs.flatMap((o) => o.data.line.map((l) => `${o.data._id.tags.join("/")}|${l.time}`));
    });
    const expected = h.sim.buildings
      .flatMap((b) => h.sim.snapshotLines(b, new Date(h.clock - 12 * HOUR), new Date(h.clock - 10 * MINUTE)))
      .map((l) => `${l.tags.join("/")}|${String(l.line.time)}`);
    expect(lines.sort()).to.deep.equal(expected.sort());
    // The next tick re-reads its lookback and sends no response made only of delivered lines.
    h.clock += HOUR;
    await h.tick(snapshot);
    const again = h.received("a", "snapshot").slice(events.length);
    const relines = again.flatMap((e) =>
      (e.body as { objs: { data: { line: unknown[] } }[] }).objs.flatMap((o) => o.data.line),
    );
    expect(relines.length).to.equal(
      h.sim.buildings.flatMap((b) =>
        h.sim.snapshotLines(b, new Date(h.clock - HOUR - 10 * MINUTE), new Date(h.clock - 10 * MINUTE)),
      ).length,
    );
  });

  it("doorway: every raw event of the share list once, partitioned by its own building", async () => {
    h = await PipelineHarness.start({
      hubs: ["a"],
      env: { INITIAL_LOOKBACK: "3h", MICROSHARE_PAGE_SIZE: "7" },
    });
    const summary = await h.tick(doorwayEvents);
    const events = h.received("a", "doorway");
    expect(events.length).to.equal(summary.events).and.to.be.greaterThan(0);
    expect(new Set(events.map((e) => e.messageId)).size).to.equal(events.length);
    for (const e of events) {
      const body = e.body as { _location_tags: string[] };
      expect(e.partitionKey).to.equal(body._location_tags[0]);
    }
    expect(new Set(events.map((e) => e.partitionKey))).to.have.property("size", 3);
    expect(await h.watermarks("doorway")).to.have.keys(["all"]);
  });
});
