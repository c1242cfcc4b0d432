import { expect } from "chai";
import { EMPTY, firstValueFrom, from, toArray } from "rxjs";
import type { SourceLine } from "../../src/operators/sourceLine.js";
import { toResponseEvents } from "../../src/operators/toResponseEvents.js";

const line = (room: string, i: number, padding = 0): SourceLine => ({
  key: `${room}-${i}`,
  location: "Dinard",
  tags: ["Dinard", "1st Floor", room],
  time: new Date(Date.UTC(2024, 3, 22, i)),
  line: {
    time: new Date(Date.UTC(2024, 3, 22, i)).toISOString(),
    current: { last: i },
    pad: "x".repeat(padding),
  },
});

describe("toResponseEvents", () => {
  it("builds one response per building in the old forwarder's shape", async () => {
    const events = await firstValueFrom(
      from([line("Bedroom 1", 0), line("Bedroom 2", 0), line("Bedroom 1", 1)]).pipe(
        toResponseEvents({ pipeline: "snapshot", recType: "rt" }),
        toArray(),
      ),
    );
    expect(events).to.have.length(1);
    const body = events[0]!.body as {
      objs: { data: { _id: { tags: string[] }; line: unknown[] } }[];
      recType: string;
    };
    expect(body.recType).to.equal("rt");
    expect(body.objs.map((o) => [o.data._id.tags[2], o.data.line.length])).to.deep.equal([
      ["Bedroom 1", 2],
      ["Bedroom 2", 1],
    ]);
    expect(events[0]!.partitionKey).to.equal("Dinard");
    expect(events[0]!.body.meta, "a one-page envelope, as the view answered the old forwarder").to.deep.equal(
      {
        totalPages: 1,
        currentPage: 1,
        perPage: 999,
        totalCount: 2,
        currentCount: 2,
        source: "db",
      },
    );
    expect(Object.keys(events[0]!.body)).to.deep.equal(["meta", "objs", "recType"]);
    expect(events[0]!.properties).to.deep.equal({
      device_id: "",
      source: "microshare-forwarder",
      recType: "rt",
      pipeline: "snapshot",
      location: "Dinard",
    });
  });

  it("emits nothing when every line was already delivered", async () => {
    expect(
      await firstValueFrom(EMPTY.pipe(toResponseEvents({ pipeline: "s", recType: "rt" }), toArray())),
    ).to.deep.equal([]);
  });

  it("splits a response over the size limit, losing no line and keeping each part under it", async () => {
    const lines = Array.from({ length: 40 }, (_, i) => line(`Room ${i % 3}`, i, 1000));
    const events = await firstValueFrom(
      from(lines).pipe(toResponseEvents({ pipeline: "s", recType: "rt", maxBodyBytes: 8 * 1024 }), toArray()),
    );
    expect(events.length).to.be.greaterThan(4);
    for (const e of events) expect(Buffer.byteLength(JSON.stringify(e.body))).to.be.at.most(8 * 1024 + 512);
    const delivered = events.flatMap((e) =>
      (e.body as { objs: { data: { line: { current: { last: number } }[] } }[] }).objs.flatMap((o) =>
        o.data.line.map((l) => l.current.last),
      ),
    );
    expect(delivered.sort((a, b) => a - b)).to.deep.equal(lines.map((_, i) => i));
    expect(new Set(events.map((e) => e.id)).size).to.equal(events.length);
  });
});
