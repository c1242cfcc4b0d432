import { expect } from "chai";
import type { ReceivedEvent } from "../../src/local/eventhubs/localEventHubs.js";
import { goldenEvents, lineKey, OldForwarderWorld, type GoldenEvent } from "./oldForwarderWorld.js";

/** The capture's first run read from 24 h before its tick, to the whole second. */
const CAPTURE_FROM_STATE = "2026-11-29T12:00:00.204224";
const OUR_PROPERTIES = ["recType", "pipeline", "location"] as const;

function byLine(
  a: { body: Readonly<Record<string, unknown>> },
  b: { body: Readonly<Record<string, unknown>> },
) {
  return lineKey(a.body) < lineKey(b.body) ? -1 : lineKey(a.body) > lineKey(b.body) ? 1 : 0;
}

function goldenOf(events: readonly GoldenEvent[], hub: "hubA" | "hubB"): GoldenEvent[] {
  return events.filter((e) => e.hub === hub);
}

describe("drop-in for the old forwarder (its .env, state files and golden events)", function () {
  this.timeout(120_000);

  describe("the capture's day, continued from the old forwarder's state", () => {
    let world: OldForwarderWorld;
    before(async () => {
      world = await OldForwarderWorld.start({ dataEnd: "2026-11-30T12:00:00Z" });
      await world.writeEnv();
      await world.writeOldState("peoplecounterstate.json", CAPTURE_FROM_STATE);
      await world.writeOldState("snapshotstate.json", CAPTURE_FROM_STATE);
      const migrated = await world.cli(["migrate", "--old-state-dir", "old"]);
      expect(migrated.code, migrated.stderr).to.equal(0);
      expect(migrated.stdout).to.contain("resumes from 2026-11-29T12:00:00.000Z");
    });
    after(() => world.close());

    it("sends every people-counter event the old forwarder sent, equal as JSON with its key order, to both hubs", async () => {
      const run = await world.cli(["pipeline", "--name", "peoplecounter", "--once"]);
      expect(run.code, run.stderr).to.equal(0);
      const golden = await goldenEvents("peoplecounter");
      for (const hub of ["hubA", "hubB"] as const) {
        const ours = [...world.received(hub)].map((e) => ({ ...e, body: e.body as Record<string, unknown> }));
        const theirs = goldenOf(golden, hub);
        expect(ours, `${hub} event count`).to.have.length(theirs.length).and.length(768);
        ours.sort(byLine);
        theirs.sort(byLine);
        ours.forEach((event, i) => {
          const expected = theirs[i]!;
          // JSON.stringify keeps key order: equal strings mean equal values and the same order.
          expect(JSON.stringify(event.body), `${hub} ${lineKey(event.body)}`).to.equal(
            JSON.stringify(expected.body),
          );
          expect(
            event.applicationProperties,
            "the old forwarder's properties, for its consumers' filters",
          ).to.include(expected.properties);
          expect(Object.keys(event.applicationProperties)).to.include.members([...OUR_PROPERTIES]);
          expect(event.applicationProperties).to.not.have.property("building");
        });
      }
    });

    it("logs at the .env's Python LOG_LEVEL (DEBUG), as JSON on a non-terminal stderr", async () => {
      const run = await world.cli(["pipeline", "--name", "peoplecounter", "--once"]);
      expect(run.code, run.stderr).to.equal(0);
      const levels = run.stderr
        .split("\n")
        .filter((l) => l.startsWith("{"))
        .map((l) => (JSON.parse(l) as { level: string }).level);
      expect(levels).to.include("debug");
    });

    it("sends the snapshot responses' lines exactly, in the old envelope, one response per building per UTC day", async () => {
      const run = await world.cli(["pipeline", "--name", "snapshot", "--once"]);
      expect(run.code, run.stderr).to.equal(0);
      const golden = await goldenEvents("snapshot");
      for (const hub of ["hubA", "hubB"] as const) {
        const ours = world.received(hub).filter((e) => e.applicationProperties.pipeline === "snapshot");
        for (const expected of goldenOf(golden, hub)) {
          const building = (expected.body.objs as { data: { _id: { tags: string[] } } }[])[0]!.data._id
            .tags[0]!;
          const responses = ours.filter((e) => e.applicationProperties.location === building);
          // The capture's 24 h from 12:00 crosses UTC midnight: two view calls, two responses.
          expect(responses, `${hub} ${building}`).to.have.length(2);
          for (const response of responses) {
            const body = response.body as Record<string, unknown>;
            expect(Object.keys(body)).to.deep.equal(["meta", "objs", "recType"]);
            expect(body.meta).to.deep.equal(expected.body.meta);
            expect(body.recType).to.equal(expected.body.recType);
            expect(response.applicationProperties).to.include(expected.properties);
          }
          expect(mergedRooms(responses)).to.deep.equal(mergedRooms([{ body: expected.body }]));
        }
      }
    });
  });

  describe("the cut-over", () => {
    let world: OldForwarderWorld;
    before(async () => {
      // Six more hours of data after the capture's tick: what the old forwarder never read.
      world = await OldForwarderWorld.start({ dataEnd: "2026-11-30T18:00:00Z" });
    });
    after(() => world.close());

    it("continues where the old forwarder stopped: nothing it sent is sent again, nothing after it is skipped", async () => {
      await world.writeEnv({ LOG_LEVEL: "WARNING" });
      await world.writeOldState("peoplecounterstate.json", "2026-11-30T12:00:00.204224");
      const dryRun = await world.cli([
        "migrate",
        "--old-state-dir",
        "old",
        "--name",
        "peoplecounter",
        "--dry-run",
      ]);
      expect(dryRun.code, dryRun.stderr).to.equal(0);
      expect(dryRun.stdout).to.contain("would resume from 2026-11-30T12:00:00.000Z");
      expect(dryRun.stdout).to.contain("dry run: nothing written");
      const migrated = await world.cli(["migrate", "--old-state-dir", "old", "--name", "peoplecounter"]);
      expect(migrated.code, migrated.stderr).to.equal(0);
      const status = await world.cli(["status", "--name", "peoplecounter", "--json"]);
      expect(
        (JSON.parse(status.stdout) as { pipelines: { resumeFrom: string | null }[] }).pipelines[0]
          ?.resumeFrom,
      ).to.equal("2026-11-30T12:00:00.000Z");

      const first = await world.cli(["pipeline", "--name", "peoplecounter", "--once"]);
      expect(first.code, first.stderr).to.equal(0);
      expect(first.stderr, "LOG_LEVEL=WARNING from .env: no info lines").to.not.match(/"level":"info"/);
      const golden = await goldenEvents("peoplecounter");
      const everyLine = world.sim.buildings
        .flatMap((b) =>
          world.sim.peopleCounterLines(b, new Date("2026-11-29T12:00:00Z"), new Date("2026-11-30T18:00:00Z")),
        )
        .map((l) => `${JSON.stringify(l.tags)}|${String(l.line.time)}`)
        .sort();
      for (const hub of ["hubA", "hubB"] as const) {
        const old = goldenOf(golden, hub).map((e) => lineKey(e.body));
        const ours = world.received(hub).map((e) => lineKey(e.body as Record<string, unknown>));
        expect(
          ours.filter((k) => old.includes(k)),
          `${hub}: re-sent after the cut-over`,
        ).to.deep.equal([]);
        expect(
          [...old, ...ours].sort(),
          `${hub}: the old forwarder's events and ours, together`,
        ).to.deep.equal(everyLine);
        expect(ours).to.have.length(2 * 4 * 24);
      }

      const second = await world.cli(["pipeline", "--name", "peoplecounter", "--once"]);
      expect(second.code, second.stderr).to.equal(0);
      expect(world.received("hubA"), "the lookback re-read sends nothing twice").to.have.length(2 * 4 * 24);
    });

    it("pauses the client hub with the old .env's empty list: the primary alone receives", async () => {
      await world.writeEnv({ EVENT_HUB_CONNECTION_STRINGS: "[]", LOG_LEVEL: "WARNING" });
      await world.writeOldState("snapshotstate.json", "2026-11-30T12:00:00.204224");
      const migrated = await world.cli(["migrate", "--old-state-dir", "old", "--name", "snapshot"]);
      expect(migrated.code, migrated.stderr).to.equal(0);
      const before = { hubA: world.received("hubA").length, hubB: world.received("hubB").length };
      const run = await world.cli(["pipeline", "--name", "snapshot", "--once"]);
      expect(run.code, run.stderr).to.equal(0);
      expect(world.received("hubA").length).to.be.greaterThan(before.hubA);
      expect(world.received("hubB").length).to.equal(before.hubB);
    });

    it("refuses an unreadable old state file with exit 65, naming it, and imports nothing", async () => {
      await world.writeEnv({ LOG_LEVEL: "WARNING" });
      const dir = await world.writeOldState("snapshotstate.json", "30/11/2026 12:00");
      const run = await world.cli(["migrate", "--old-state-dir", dir]);
      expect(run.code).to.equal(65);
      expect(run.stderr).to.match(
        /snapshotstate\.json: last_fetch_timestamp "30\/11\/2026 12:00" is not an ISO 8601 time/,
      );
      expect(run.stderr).to.contain("nothing was imported");
    });
  });
});

/** Room tags → the room's lines, over every response given, in order. */
function mergedRooms(responses: readonly Pick<ReceivedEvent, "body">[]): Record<string, unknown[]> {
  const rooms: Record<string, unknown[]> = {};
  for (const { body } of responses) {
    for (const obj of (body as { objs: { data: { _id: { tags: string[] }; line: unknown[] } }[] }).objs) {
      const key = JSON.stringify(obj.data._id.tags);
      (rooms[key] ??= []).push(...obj.data.line);
    }
  }
  return rooms;
}
