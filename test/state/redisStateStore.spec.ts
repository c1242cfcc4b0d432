import { expect } from "chai";
import { timeWindow } from "../../src/model/timeWindow.js";
import { createRedisState } from "../../src/state/redisState.js";
import { parseRedisUrl } from "../../src/state/redisConnection.js";
import { StateStoreError } from "../../src/state/stateStoreError.js";
import { RedisTestState } from "./redisTestHarness.js";
import { stateStoreContract } from "./stateStoreContract.js";
import { eachTest } from "../support/eachTest.js";

describe("RedisStateStore", () => {
  describe("contract", () => {
    stateStoreContract(() => {
      const state = new RedisTestState();
      return { open: () => Promise.resolve(state.open().store), cleanup: () => state.cleanup() };
    });
  });

  describe("Redis specifics", () => {
    const state = eachTest(
      () => new RedisTestState(),
      (w) => w.cleanup(),
    );

    it("keeps every key of a pipeline under the prefix and the pipeline's hash tag", async () => {
      const { store, dlq } = state().open();
      const lease = await store.acquireLease("peoplecounter", "a", 60_000);
      const window = timeWindow("2024-05-01T12:00:00Z", "2024-05-01T12:15:00Z");
      const deliveredUntil = new Date(Date.now() + 60_000);
      await store.settleWindow({
        pipeline: "peoplecounter",
        location: "b1",
        window,
        delivered: ["x"],
        deliveredUntil,
        fence: lease!,
      });
      await store.incrementCounters("peoplecounter", { sent: 1 });
      await dlq.recoverInFlight("peoplecounter", "hub-a");
      const keys = await state().keys();
      expect(keys).to.have.length.greaterThan(4);
      for (const key of keys)
        expect(key.startsWith(`${state().keyPrefix}{peoplecounter}:`), key).to.equal(true);
      expect(await state().admin.hget(`${state().keyPrefix}{peoplecounter}:watermarks`, "b1")).to.equal(
        String(window.to.getTime()),
      );
    });

    it("records thousands of ids in one settlement (chunked inside the script)", async () => {
      const { store } = state().open();
      const ids = Array.from({ length: 2500 }, (_, i) => `id-${i}`);
      const window = timeWindow("2024-05-01T12:00:00Z", "2024-05-01T12:15:00Z");
      await store.settleWindow({
        pipeline: "p",
        location: "b1",
        window,
        delivered: ids,
        deliveredUntil: new Date(Date.now() + 60_000),
      });
      expect((await store.deliveredAmong("p", "b1", ids)).size).to.equal(2500);
    });

    it("describes itself without the password", () => {
      const { store } = createRedisState({ url: "redis://ops:pa55-w0rd-x@127.0.0.1:6379/2" });
      expect(store.description).to.equal("redis://ops@127.0.0.1:6379/2");
      expect(store.kind).to.equal("redis");
      return store.close();
    });

    it("turns rediss:// into TLS and reads passwords with special characters", () => {
      const { redisOptions, description } = parseRedisUrl("rediss://:p%40ss%3Aword@cache.example.net:6380");
      expect(redisOptions).to.deep.include({
        host: "cache.example.net",
        port: 6380,
        password: "p@ss:word",
        db: 0,
      });
      expect(redisOptions.tls).to.deep.equal({ servername: "cache.example.net" });
      expect(description).to.equal("rediss://cache.example.net:6380");
    });

    it("rejects a URL that is not Redis without echoing it", () => {
      expect(() => parseRedisUrl("http://u:hunter2-secret@host")).to.throw(TypeError, /redis:\/\//);
      expect(() => parseRedisUrl("not a url :hunter2-secret@"))
        .to.throw(TypeError)
        .with.property("message")
        .that.does.not.include("hunter2");
    });

    it("fails a call within seconds with a clear error when Redis is down", async () => {
      const { store } = createRedisState({ url: "redis://ops:d0wn-pa55word@127.0.0.1:1" });
      const started = Date.now();
      let error: unknown;
      try {
        await store.watermarks("peoplecounter");
      } catch (e) {
        error = e;
      } finally {
        await store.close();
      }
      expect(Date.now() - started).to.be.lessThan(4000);
      expect(error).to.be.instanceOf(StateStoreError);
      const message = (error as Error).message;
      expect(message).to.include("redis://ops@127.0.0.1:1");
      expect(message).to.include("read watermarks");
      expect(message).to.match(/ECONNREFUSED|unreachable/);
      expect(message).to.not.include("d0wn-pa55word");
    });

    it("fails calls on a closed store instead of reconnecting", async () => {
      const { store } = state().open();
      await store.close();
      let error: unknown;
      await store.counters("p").catch((e: unknown) => (error = e));
      expect(error).to.be.instanceOf(StateStoreError);
      expect((error as Error).message).to.include("closed");
    });
  });
});
