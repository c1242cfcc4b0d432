import { expect } from "chai";
import { firstValueFrom, map, of } from "rxjs";
import { TestScheduler } from "rxjs/testing";
import { flattenViewLines } from "../../src/operators/flattenViewLines.js";
import { toLineEvents } from "../../src/operators/toLineEvents.js";
import { timeWindow } from "../../src/model/timeWindow.js";
import type { ViewResult } from "../../src/sources/microshare/viewResults.js";

const window = timeWindow("2025-11-14T08:00:00Z", "2025-11-14T09:00:00Z");
const result = (lines: Record<string, unknown>[], tags = ["Building A", "4", "Room 71"]): ViewResult => ({
  location: "Building A",
  window,
  groups: [{ tags, lines }],
  lineCount: lines.length,
  truncated: false,
});
const line = (time: string, record: string) => ({ time, record, change: { in: 1, out: 0 } });

describe("flattenViewLines", () => {
  const scheduler = () =>
    new TestScheduler((actual, expected) => {
      expect(actual).to.deep.equal(expected);
    });

  it("emits one line per line[] entry, in order, and subscribes to its source once", () => {
    scheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const lines = [line("2025-11-14T08:00:00.000Z", "r1"), line("2025-11-14T08:15:00.000Z", "r2")];
      // A group "(xy)" takes four frames of the diagram, so the source completes at frame 6.
      const source = cold("-a----|", { a: result(lines) });
      const times = source.pipe(
        flattenViewLines("rt"),
        map((l) => l.line.record),
      );
      expectObservable(times).toBe("-(xy)-|", { x: "r1", y: "r2" });
      expectSubscriptions(source.subscriptions).toBe("^-----!");
    });
  });

  it("gives the same line the same key on every read, and different rooms different keys", async () => {
    const { firstValueFrom, of, toArray } = await import("rxjs");
    const read = () =>
      firstValueFrom(
        of(
          result([line("2025-11-14T08:00:00.000Z", "r1")]),
          result([line("2025-11-14T08:00:00.000Z", "r1")], ["Building A", "4", "Room 72"]),
        ).pipe(flattenViewLines("rt"), toArray()),
      );
    const [a, b] = await read();
    const [again] = await read();
    expect(a!.key)
      .to.equal(again!.key)
      .and.to.match(/^[0-9a-f]{32}$/);
    expect(a!.key).to.not.equal(b!.key);
  });

  it("tells apart lines that have neither time nor record id by their content", async () => {
    const { firstValueFrom, of, toArray } = await import("rxjs");
    const out = await firstValueFrom(
      of(result([{ count: 1 }, { count: 2 }, { count: 1 }])).pipe(flattenViewLines("rt"), toArray()),
    );
    expect(new Set(out.map((l) => l.key)).size).to.equal(2);
    expect(out[0]!.key).to.equal(out[2]!.key);
  });

  it("keeps a line without a readable time, timed at the window start", async () => {
    const out = await firstValueFrom(of(result([{ record: "r9" }])).pipe(flattenViewLines("rt")));
    expect(out.time.toISOString()).to.equal("2025-11-14T08:00:00.000Z");
  });
});

describe("toLineEvents", () => {
  it("adds recType and _location_tags exactly as the old forwarder did", async () => {
    const event = await firstValueFrom(
      of(result([line("2025-11-14T08:00:00.000Z", "r1")])).pipe(
        flattenViewLines("rt"),
        toLineEvents({ pipeline: "pc", recType: "rt" }),
      ),
    );
    expect(event.body).to.deep.equal({
      time: "2025-11-14T08:00:00.000Z",
      record: "r1",
      change: { in: 1, out: 0 },
      recType: "rt",
      _location_tags: ["Building A", "4", "Room 71"],
    });
    expect(event.partitionKey).to.equal("Building A");
    expect(Object.keys(event.body).slice(-2), "the old forwarder's key order").to.deep.equal([
      "_location_tags",
      "recType",
    ]);
    expect(event.properties).to.deep.equal({
      device_id: "",
      source: "microshare-forwarder",
      recType: "rt",
      pipeline: "pc",
      location: "Building A",
    });
  });

  it("carries a line's own device_id and location.building as the old forwarder's properties", async () => {
    const withDevice = {
      ...line("2025-11-14T08:00:00.000Z", "r2"),
      device_id: "00-04-A3",
      location: { building: "HQ" },
    };
    const event = await firstValueFrom(
      of(result([withDevice])).pipe(flattenViewLines("rt"), toLineEvents({ pipeline: "pc", recType: "rt" })),
    );
    expect(event.properties).to.include({
      device_id: "00-04-A3",
      source: "microshare-forwarder",
      building: "HQ",
    });
    expect(Object.keys(event.properties), "properties in the old forwarder's order, then ours").to.deep.equal(
      ["device_id", "source", "building", "recType", "pipeline", "location"],
    );
  });

  it("overwrites a line's own _location_tags and recType in place and leaves the line itself untouched", async () => {
    const own = { _location_tags: ["stale"], time: "2025-11-14T08:00:00.000Z", recType: "old", record: "r3" };
    const event = await firstValueFrom(
      of(result([own])).pipe(flattenViewLines("rt"), toLineEvents({ pipeline: "pc", recType: "rt" })),
    );
    // Where an object spread would put them: at the line's own positions, with our values.
    expect(JSON.stringify(event.body)).to.equal(
      '{"_location_tags":["Building A","4","Room 71"],"time":"2025-11-14T08:00:00.000Z","recType":"rt","record":"r3"}',
    );
    expect(own).to.deep.equal({
      _location_tags: ["stale"],
      time: "2025-11-14T08:00:00.000Z",
      recType: "old",
      record: "r3",
    });
  });

  it("keeps a line's own __proto__ field as a field, never as the body's prototype", async () => {
    // JSON.parse makes "__proto__" an ordinary own property; copying it with assignment would
    // call the prototype setter, drop the field and give the body a foreign prototype.
    const odd = JSON.parse(
      '{"time":"2025-11-14T08:00:00.000Z","record":"r4","__proto__":{"polluted":true}}',
    ) as Record<string, unknown>;
    const event = await firstValueFrom(
      of(result([odd])).pipe(flattenViewLines("rt"), toLineEvents({ pipeline: "pc", recType: "rt" })),
    );
    expect(Object.getPrototypeOf(event.body)).to.equal(Object.prototype);
    expect((event.body as { polluted?: unknown }).polluted).to.equal(undefined);
    expect(JSON.stringify(event.body)).to.equal(
      '{"time":"2025-11-14T08:00:00.000Z","record":"r4","__proto__":{"polluted":true},"_location_tags":["Building A","4","Room 71"],"recType":"rt"}',
    );
  });
});
