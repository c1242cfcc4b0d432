import { expect } from "chai";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { CorruptStateFileError } from "../../src/state/corruptStateFileError.js";
import { deadLetterQueueContract } from "./deadLetterQueueContract.js";
import { FileTestState } from "../state/fileTestHarness.js";
import { deadLetter } from "../state/fixtures.js";
import { eachTest } from "../support/eachTest.js";

interface HubFile {
  queue: unknown[];
  inflight: unknown[];
  parked: unknown[];
}

/** Edits a hub's DLQ file the way an operator (or a bug) might: appends a value to the queue. */
async function appendToQueue(
  state: FileTestState,
  pipeline: string,
  hub: string,
  value: unknown,
): Promise<string> {
  const path = join(await state.directory(), "state", "dlq", pipeline, `${hub}.json`);
  const lists = await readFile(path, "utf8").then(
    (text) => JSON.parse(text) as HubFile,
    (): HubFile => ({ queue: [], inflight: [], parked: [] }),
  );
  lists.queue.push(value);
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, JSON.stringify(lists));
  return JSON.stringify(value);
}

describe("FileDeadLetterQueue", () => {
  describe("contract", () => {
    deadLetterQueueContract(() => {
      const state = new FileTestState();
      return {
        open: async () => (await state.open()).dlq,
        injectUnreadable: (pipeline, hub) => appendToQueue(state, pipeline, hub, "half-written entry"),
        injectIncomplete: (pipeline, hub) =>
          appendToQueue(state, pipeline, hub, { id: "x", pipeline, hub, events: 3 }),
        cleanup: () => state.cleanup(),
      };
    });
  });

  describe("file specifics", () => {
    const state = eachTest(
      () => new FileTestState(),
      (w) => w.cleanup(),
    );

    it("keeps one readable JSON file per pipeline and hub", async () => {
      const { dlq } = await state().open();
      const pushed = await dlq.push(deadLetter({ hub: "hub/a" }));
      const files = await state().files();
      expect(files.map((f) => f.slice(f.indexOf("/state/") + 7))).to.deep.equal([
        "dlq/peoplecounter/hub%2Fa.json",
      ]);
      const lists = JSON.parse(await readFile(files[0] ?? "", "utf8")) as HubFile;
      expect(lists.queue[0]).to.deep.include({ id: pushed.id, hub: "hub/a" });
      expect(await dlq.hubs("peoplecounter")).to.deep.equal(["hub/a"]);
    });

    it("refuses a corrupt DLQ file, telling the operator not to just delete it", async () => {
      const { dlq } = await state().open();
      await dlq.push(deadLetter());
      const path = join(await state().directory(), "state", "dlq", "peoplecounter", "hub-a.json");
      await writeFile(path, "{ truncated");
      let error: unknown;
      await dlq.claim("peoplecounter", "hub-a").catch((e: unknown) => (error = e));
      expect(error).to.be.instanceOf(CorruptStateFileError);
      expect((error as Error).message)
        .to.include(path)
        .and.include("move it aside");
      expect(await readFile(path, "utf8")).to.equal("{ truncated");
    });
  });
});
