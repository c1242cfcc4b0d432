import { expect } from "chai";
import { deadLetterQueueContract } from "./deadLetterQueueContract.js";
import { deadLetter } from "../state/fixtures.js";
import { RedisTestState } from "../state/redisTestHarness.js";
import { eachTest } from "../support/eachTest.js";

describe("RedisDeadLetterQueue", () => {
  describe("contract", () => {
    deadLetterQueueContract(() => {
      const state = new RedisTestState();
      const queueKey = (pipeline: string, hub: string): string =>
        `${state.keyPrefix}{${pipeline}}:dlq:${hub}:queue`;
      return {
        open: () => Promise.resolve(state.open().dlq),
        injectUnreadable: async (pipeline, hub) => {
          const raw = '{"id": "half-written';
          await state.admin.rpush(queueKey(pipeline, hub), raw);
          return raw;
        },
        injectIncomplete: async (pipeline, hub) => {
          const raw = JSON.stringify({ id: "x", pipeline, hub, events: "not a list" });
          await state.admin.rpush(queueKey(pipeline, hub), raw);
          return raw;
        },
        cleanup: () => state.cleanup(),
      };
    });
  });

  describe("Redis specifics", () => {
    const state = eachTest(
      () => new RedisTestState(),
      (w) => w.cleanup(),
    );

    it("keeps entries as JSON in lists named queue, inflight and parked", async () => {
      const { dlq } = state().open();
      const pushed = await dlq.push(deadLetter());
      const base = `${state().keyPrefix}{peoplecounter}:dlq:hub-a`;
      const [raw] = await state().admin.lrange(`${base}:queue`, 0, -1);
      expect(JSON.parse(raw ?? "null")).to.deep.include({ id: pushed.id, hub: "hub-a", attempts: 0 });
      const claimed = await dlq.claim("peoplecounter", "hub-a");
      expect(claimed?.raw).to.equal(raw);
      expect(await state().admin.lrange(`${base}:inflight`, 0, -1)).to.deep.equal([raw]);
      expect(await state().admin.smembers(`${state().keyPrefix}{peoplecounter}:dlq-hubs`)).to.deep.equal([
        "hub-a",
      ]);
    });

    it("wraps an unreadable entry in parked so its original text survives", async () => {
      const { dlq } = state().open();
      const base = `${state().keyPrefix}{peoplecounter}:dlq:hub-a`;
      await state().admin.rpush(`${base}:queue`, "garbage");
      expect(await dlq.claim("peoplecounter", "hub-a")).to.equal(undefined);
      const [wrapped] = await state().admin.lrange(`${base}:parked`, 0, -1);
      expect(JSON.parse(wrapped ?? "null")).to.deep.include({ corrupt: true, raw: "garbage" });
    });

    it("treats an entry filed under the wrong hub as corrupt rather than sending it there", async () => {
      const { dlq } = state().open();
      await dlq.push(deadLetter({ hub: "hub-a" }));
      const base = `${state().keyPrefix}{peoplecounter}:dlq`;
      await state().admin.lmove(`${base}:hub-a:queue`, `${base}:hub-b:queue`, "LEFT", "RIGHT");
      expect(await dlq.claim("peoplecounter", "hub-b")).to.equal(undefined);
      const [record] = await dlq.list("peoplecounter", "hub-b", { which: "parked" });
      expect(record?.state === "corrupt" && record.reason).to.include('hub "hub-a"');
    });
  });
});
