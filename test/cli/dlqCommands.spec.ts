import { expect } from "chai";
import { createRedisState } from "../../src/state/redisState.js";
import type { DeadLetterRecord } from "../../src/dlq/deadLetterQueue.js";
import { CliWorld, parseJson, secretsIn } from "./cliWorld.js";
import { eachTest } from "../support/eachTest.js";

interface ListJson {
  pipeline: string;
  hubs: {
    hub: string;
    depth: { queued: number; inFlight: number; parked: number };
    events: number;
    oldest?: string;
    reasons: { reason: string; count: number }[];
  }[];
}

interface ShowJson {
  state: "ok" | "corrupt";
  which: string;
  index: number;
  id?: string;
  attempts?: number;
  location?: string;
  window?: { from: string; to: string };
  error?: string;
  eventCount?: number;
  events?: { id: string; body: string }[];
  reason?: string;
}

interface ReplayJson {
  drained: boolean;
  hubs: {
    hub: string;
    remainingBecause?: string;
    replay?: { replayedEntries: number; replayedEvents: number };
  }[];
}

describe("cli dlq", function () {
  this.timeout(120_000);
  const world = eachTest(
    () => CliWorld.start(),
    (w) => w.close(),
  );

  /** Spools every people-counter event for hub b into its DLQ (b paused), a gets them all. */
  async function fillDlqOfB(): Promise<number> {
    // Small batches: many dead-letter entries, so --limit and grouping have something to cut.
    const run = await world().runPeopleCounterOnce({
      EVENT_HUB_PAUSED: "b",
      EVENT_HUB_BATCH_MAX_EVENTS: "10",
    });
    expect(run.code, run.stderr).to.equal(3);
    expect(world().received("b")).to.have.length(0);
    return world().received("a").length;
  }

  async function queuedOfB(): Promise<readonly DeadLetterRecord[]> {
    const { store, dlq } = createRedisState({ url: "redis://127.0.0.1:6379", keyPrefix: world().keyPrefix });
    try {
      return await dlq.list("peoplecounter", "b");
    } finally {
      await store.close();
    }
  }

  it("lists depth, events, times and grouped reasons per hub", async () => {
    const events = await fillDlqOfB();
    const run = await world().run(["dlq", "list", "--name", "peoplecounter", "--json"]);
    expect(run.code, run.stderr).to.equal(0);
    const list = parseJson<ListJson>(run);
    const b = list.hubs.find((h) => h.hub === "b");
    const a = list.hubs.find((h) => h.hub === "a");
    expect(a?.depth).to.deep.equal({ queued: 0, inFlight: 0, parked: 0 });
    expect(b?.events).to.equal(events);
    expect(b?.depth.queued).to.be.greaterThan(0);
    expect(b?.reasons).to.have.length(1);
    expect(b?.reasons[0]?.count).to.equal(b?.depth.queued);
    expect(b?.reasons[0]?.reason).to.match(/^HubPaused/);
    expect(Date.parse(b?.oldest ?? "")).to.be.closeTo(Date.now(), 120_000);

    const text = await world().run(["dlq", "list", "--name", "peoplecounter", "--hub", "b"]);
    expect(text.code).to.equal(0);
    expect(text.stdout).to.match(/\bb\s+\d+\s+0\s+0\s+\d+/);
    expect(text.stdout).to.include("× HubPaused");
  });

  it("groups different failure reasons of a hub that was down", async () => {
    world().hubs.setFault("b", { kind: "down" });
    const fill = await world().runPeopleCounterOnce();
    expect(fill.code, fill.stderr).to.equal(3);
    const list = parseJson<ListJson>(
      await world().run(["dlq", "list", "--name", "peoplecounter", "--hub", "b", "--json"]),
    );
    const b = list.hubs[0];
    expect(list.hubs).to.have.length(1);
    const total = (b?.reasons ?? []).reduce((n, r) => n + r.count, 0);
    expect(total).to.equal(b?.depth.queued);
    expect(b?.reasons.some((r) => /down|Connection/i.test(r.reason))).to.equal(true);
  });

  it("shows one entry truncated, by index and by id, and a corrupt entry with its reason", async () => {
    await fillDlqOfB();
    // An entry with more events than shown (a batch cut by its idle time may hold only one or two).
    const entries = await queuedOfB();
    const index = entries.findIndex((r) => r.state === "ok" && r.entry.events.length > 2) + 1;
    expect(index, "an entry of more than 2 events").to.be.greaterThan(0);
    const first = parseJson<ShowJson>(
      await world().run([
        "dlq",
        "show",
        "--name",
        "peoplecounter",
        "--hub",
        "b",
        "--index",
        String(index),
        "--events",
        "2",
        "--json",
      ]),
    );
    expect(first.state).to.equal("ok");
    expect(first.attempts).to.equal(0);
    expect(first.location).to.match(/^Building /);
    expect(first.events).to.have.length(2);
    expect(first.eventCount).to.be.greaterThan(2);
    for (const e of first.events ?? []) expect(e.body.length).to.be.at.most(300 + 40);

    const byId = await world().run([
      "dlq",
      "show",
      "--name",
      "peoplecounter",
      "--hub",
      "b",
      "--id",
      first.id ?? "",
    ]);
    expect(byId.code, byId.stderr).to.equal(0);
    expect(byId.stdout).to.include(`entry ${first.id ?? ""} (queued #${index})`);
    expect(byId.stdout).to.include("HubPaused");
    expect(byId.stdout).to.match(/more chars\)/);

    const redis = world().redis();
    await redis.rpush(`${world().keyPrefix}{peoplecounter}:dlq:b:queue`, "{not json");
    await redis.quit();
    const depth = (await queuedOfB()).length;
    const corrupt = parseJson<ShowJson>(
      await world().run([
        "dlq",
        "show",
        "--name",
        "peoplecounter",
        "--hub",
        "b",
        "--index",
        String(depth),
        "--json",
      ]),
    );
    expect(corrupt.state).to.equal("corrupt");
    expect(corrupt.reason).to.match(/corrupt entry: .+/);
  });

  it("answers an unknown pipeline, hub or entry with exit 2 and the known names", async () => {
    const pipeline = await world().run(["dlq", "list", "--name", "nope"]);
    expect(pipeline.code).to.equal(2);
    expect(pipeline.stderr).to.include('unknown pipeline "nope"').and.include("peoplecounter");
    const hub = await world().run(["dlq", "show", "--name", "peoplecounter", "--hub", "zz"]);
    expect(hub.code).to.equal(2);
    expect(hub.stderr).to.include('unknown hub "zz"; hubs: a, b');
    const entry = await world().run(["dlq", "show", "--name", "peoplecounter", "--hub", "a", "--index", "1"]);
    expect(entry.code).to.equal(2);
    expect(entry.stderr).to.include("no dead letter #1");
    const replay = await world().run(["dlq", "replay", "--name", "peoplecounter", "--hub", "zz"]);
    expect(replay.code).to.equal(2);
  });

  it("replay to a hub still down keeps every entry with one more attempt (exit 3), then drains once it is up (exit 0)", async () => {
    const events = await fillDlqOfB();
    const before = await queuedOfB();
    world().hubs.setFault("b", { kind: "down" });
    const failing = await world().run(["dlq", "replay", "--name", "peoplecounter", "--json"]);
    expect(failing.code, failing.stderr).to.equal(3);
    const failed = parseJson<ReplayJson>(failing);
    expect(failed.drained).to.equal(false);
    expect(failed.hubs[0]?.remainingBecause).to.match(
      /hub still failing: .*EVENT_HUB_CONNECTION_STRINGS item 2/,
    );
    const after = await queuedOfB();
    expect(after).to.have.length(before.length);
    const attempts = after.map((r) => (r.state === "ok" ? r.entry.replayAttempts : -1));
    expect(attempts.reduce((n, a) => n + a, 0)).to.equal(1);
    expect(attempts.at(-1)).to.equal(1);

    world().hubs.setFault("b", undefined);
    const draining = await world().run(["dlq", "replay", "--name", "peoplecounter"]);
    expect(draining.code, draining.stderr).to.equal(0);
    expect(draining.stderr).to.match(/replay b: \d+\/\d+ entries, \d+ events replayed/);
    expect(await queuedOfB()).to.have.length(0);
    const sent = world()
      .received("a")
      .map((e) => e.messageId)
      .sort();
    const replayed = world()
      .received("b")
      .map((e) => e.messageId)
      .sort();
    expect(replayed).to.have.length(events);
    expect(replayed).to.deep.equal(sent);
  });

  it("counts replay attempts only: a failed replay after the pipeline's own retries does not park; parked entries say so, unpark, replay", async () => {
    // The pipeline tries b 4 times (EVENT_HUB_MAX_RETRIES 3) before it dead-letters: more than
    // DLQ_MAX_ATTEMPTS, which counts replays alone.
    const settings = { DLQ_MAX_ATTEMPTS: "2", EVENT_HUB_MAX_RETRIES: "3", EVENT_HUB_RETRY_DELAY: "10ms" };
    world().hubs.setFault("b", { kind: "down" });
    const tick = await world().runPeopleCounterOnce(settings);
    expect(tick.code, tick.stderr).to.equal(3);
    const written = await queuedOfB();
    expect(written.length).to.be.greaterThan(0);
    expect(
      written.map((r) => (r.state === "ok" ? [r.entry.attempts, r.entry.replayAttempts] : [])),
    ).to.deep.equal(written.map(() => [4, 0]));

    const once = await world().run(["dlq", "replay", "--name", "peoplecounter", "--hub", "b"], settings);
    expect(once.code, once.stderr).to.equal(3);
    const depthAfterOne = await world().run(["dlq", "list", "--name", "peoplecounter", "--json"], settings);
    const bAfterOne = parseJson<ListJson>(depthAfterOne).hubs.find((h) => h.hub === "b");
    expect(bAfterOne?.depth.parked, "one failed replay parks nothing").to.equal(0);

    // One entry per building and window (two windows when the lookback crosses UTC midnight).
    // Each replay stops at its first failure and re-queues that entry at the end, so the
    // (n + 1)th failed replay is the first entry's second: it parks.
    expect(written.length).to.be.oneOf([2, 4]);
    for (let i = 0; i < written.length; i++) {
      const failed = await world().run(["dlq", "replay", "--name", "peoplecounter", "--hub", "b"], settings);
      expect(failed.code, failed.stderr).to.equal(3);
    }
    world().hubs.setFault("b", undefined);
    // The hub is back and the queue drains, but a parked entry remains: not "drained", and said.
    const parkedLeft = await world().run(
      ["dlq", "replay", "--name", "peoplecounter", "--hub", "b", "--json"],
      settings,
    );
    expect(parkedLeft.code, parkedLeft.stderr).to.equal(3);
    const parkedJson = parseJson<ReplayJson>(parkedLeft);
    expect(parkedJson.drained).to.equal(false);
    expect(parkedJson.hubs[0]?.remainingBecause).to.match(/1 parked entry remains .*dlq unpark/);
    const listed = parseJson<ListJson>(
      await world().run(["dlq", "list", "--name", "peoplecounter", "--json"], settings),
    );
    expect(listed.hubs.find((h) => h.hub === "b")?.depth).to.deep.equal({
      queued: 0,
      inFlight: 0,
      parked: 1,
    });
    const unpark = await world().run(["dlq", "unpark", "--name", "peoplecounter", "--hub", "b"], settings);
    expect(unpark.code, unpark.stderr).to.equal(0);
    expect(unpark.stdout).to.contain("1 parked entry back in the queue");
    const drain = await world().run(["dlq", "replay", "--name", "peoplecounter", "--hub", "b"], settings);
    expect(drain.code, drain.stderr).to.equal(0);
    expect(await queuedOfB()).to.have.length(0);
    const sent = world()
      .received("a")
      .map((e) => e.messageId);
    expect(
      new Set(
        world()
          .received("b")
          .map((e) => e.messageId),
      ),
    ).to.deep.equal(new Set(sent));
  });

  it("replays only to the failed hub and stops at --limit (exit 3, the rest remain)", async () => {
    await fillDlqOfB();
    const depth = (await queuedOfB()).length;
    const aBefore = world().received("a").length;
    const run = await world().run(["dlq", "replay", "--name", "peoplecounter", "--hub", "b", "--limit", "2"]);
    expect(run.code, run.stderr).to.equal(3);
    expect(run.stdout).to.include("--limit 2 reached");
    expect(await queuedOfB()).to.have.length(depth - 2);
    expect(world().received("a")).to.have.length(aBefore);
  });

  it("--dry-run reports what would be replayed and changes nothing", async () => {
    const events = await fillDlqOfB();
    const before = await queuedOfB();
    const run = await world().run(["dlq", "replay", "--name", "peoplecounter", "--dry-run", "--json"]);
    expect(run.code, run.stderr).to.equal(0);
    const report = parseJson<{
      dryRun: boolean;
      hubs: { hub: string; wouldReplay: { entries: number; events: number } }[];
    }>(run);
    expect(report.dryRun).to.equal(true);
    expect(report.hubs.map((h) => [h.hub, h.wouldReplay.entries, h.wouldReplay.events])).to.deep.equal([
      ["b", before.length, events],
    ]);
    expect(await queuedOfB()).to.deep.equal(before);
    expect(world().received("b")).to.have.length(0);
  });

  it("purge refuses without --yes and without a terminal (exit 2), and deletes with --yes", async () => {
    await fillDlqOfB();
    const depth = (await queuedOfB()).length;
    const refused = await world().run(["dlq", "purge", "--name", "peoplecounter", "--hub", "b"]);
    expect(refused.code).to.equal(2);
    expect(refused.stderr).to.include("refusing to purge").and.include("--yes");
    expect(await queuedOfB()).to.have.length(depth);
    const purged = await world().run([
      "dlq",
      "purge",
      "--name",
      "peoplecounter",
      "--hub",
      "b",
      "--yes",
      "--json",
    ]);
    expect(purged.code, purged.stderr).to.equal(0);
    expect(parseJson<{ purged: number }>(purged).purged).to.equal(depth);
    expect(await queuedOfB()).to.have.length(0);
    expect(secretsIn(refused).concat(secretsIn(purged))).to.deep.equal([]);
  });
});
