import { expect } from "chai";
import { readFile, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { timeWindow } from "../../src/model/timeWindow.js";
import { CorruptStateFileError } from "../../src/state/corruptStateFileError.js";
import { FileTestState } from "./fileTestHarness.js";
import { stateStoreContract } from "./stateStoreContract.js";
import { eachTest } from "../support/eachTest.js";

const window = timeWindow("2024-05-01T12:00:00Z", "2024-05-01T12:15:00Z");
const soon = (): Date => new Date(Date.now() + 60_000);

describe("FileStateStore", () => {
  describe("contract", () => {
    stateStoreContract(() => {
      const state = new FileTestState();
      return { open: async () => (await state.open()).store, cleanup: () => state.cleanup() };
    });
  });

  describe("file specifics", () => {
    const state = eachTest(
      () => new FileTestState(),
      (w) => w.cleanup(),
    );

    it("writes atomically: readable JSON files, no temp files left after concurrent writes", async () => {
      const { store } = await state().open();
      await Promise.all([
        ...Array.from({ length: 30 }, (_, i) =>
          store.settleWindow({
            pipeline: "p",
            location: `b${i}`,
            window,
            delivered: [`id${i}`],
            deliveredUntil: soon(),
          }),
        ),
        ...Array.from({ length: 30 }, () => store.incrementCounters("p", { sent: 1 })),
        store.setCached("token", "t", soon()),
        store.setLastTick("p", { ok: true }),
        store.acquireLease("p", "a", 60_000),
      ]);
      const files = await state().files();
      expect(files.filter((f) => f.endsWith(".tmp"))).to.deep.equal([]);
      const relative = files.map((f) => f.slice(f.indexOf("/state/") + 7));
      expect(relative.filter((f) => !f.startsWith("locations/")).sort()).to.deep.equal([
        "cache.json",
        "counters.json",
        "last-tick.json",
        "leases.json",
      ]);
      expect(relative.filter((f) => f.startsWith("locations/p/"))).to.have.length(30);
      for (const file of files) {
        const text = await readFile(file, "utf8");
        expect(() => JSON.parse(text) as unknown, file).to.not.throw();
      }
      const location = JSON.parse(
        await readFile(join(await state().directory(), "state", "locations", "p", "b7.json"), "utf8"),
      ) as unknown;
      expect(location).to.deep.include({ watermark: window.to.toISOString() });
      expect(await store.counters("p")).to.deep.equal({ sent: 30 });
    });

    it("keeps the cache file (it holds a token) readable by the owner only", async () => {
      const { store } = await state().open();
      await store.setCached("token", "t", soon());
      const mode = (await stat(join(await state().directory(), "state", "cache.json"))).mode & 0o777;
      expect(mode).to.equal(0o600);
    });

    it("refuses a corrupt state file with an error naming the file and the fix, and does not reset it", async () => {
      const { store } = await state().open();
      await store.settleWindow({
        pipeline: "p",
        location: "b1",
        window,
        delivered: [],
        deliveredUntil: soon(),
      });
      const path = join(await state().directory(), "state", "locations", "p", "b1.json");
      await writeFile(path, '{"watermark": "2024-05-01T12:15:00.000Z", "deliv');
      let error: unknown;
      await store.watermarks("p").catch((e: unknown) => (error = e));
      expect(error).to.be.instanceOf(CorruptStateFileError);
      expect((error as Error).message)
        .to.include(path)
        .and.include("Delete it")
        .and.include("initial lookback");
      await store
        .settleWindow({ pipeline: "p", location: "b1", window, delivered: [], deliveredUntil: soon() })
        .then(
          () => expect.fail("settled over a corrupt file"),
          (e: unknown) => expect(e).to.be.instanceOf(CorruptStateFileError),
        );
      expect(await readFile(path, "utf8")).to.equal('{"watermark": "2024-05-01T12:15:00.000Z", "deliv');
    });

    it("refuses a state file of the wrong structure", async () => {
      const { store } = await state().open();
      await writeFile(join(await state().directory(), "state", "counters.json"), '{"p": {"sent": "many"}}');
      let error: unknown;
      await store.counters("p").catch((e: unknown) => (error = e));
      expect(error).to.be.instanceOf(CorruptStateFileError);
      expect((error as Error).message)
        .to.include("counters.json")
        .and.include("unexpected structure");
    });

    it("keeps odd pipeline names inside the directory", async () => {
      const { store } = await state().open();
      await store.settleWindow({
        pipeline: "../escape",
        location: "__proto__",
        window,
        delivered: ["constructor"],
        deliveredUntil: soon(),
      });
      const files = await state().files();
      expect(files).to.have.length(1);
      expect(files[0]).to.include(join(await state().directory(), "state"));
      expect((await store.watermarks("../escape")).get("__proto__")?.toISOString()).to.equal(
        window.to.toISOString(),
      );
      expect([
        ...(await store.deliveredAmong("../escape", "__proto__", ["constructor", "toString"])),
      ]).to.deep.equal(["constructor"]);
    });

    it("describes itself by its directory", async () => {
      const { store } = await state().open();
      expect(store.kind).to.equal("file");
      expect(store.description).to.equal(join(await state().directory(), "state"));
    });
  });
});
