import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect } from "chai";
import { createFileState } from "../../src/state/createStateStore.js";
import { startCli } from "../process/childProcess.js";

describe("dlq commands on the file store", function () {
  this.timeout(20_000);
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), "cli-file-store-"));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const env = () => ({
    STATE_DIR: dir,
    EVENT_HUB_CONNECTION_STRING:
      "Endpoint=sb://127.0.0.1:1;SharedAccessKeyName=k;SharedAccessKey=x;UseDevelopmentEmulator=true;EntityPath=b",
    LOG_LEVEL: "warn",
  });

  it("refuses to change dead letters while a pipeline process holds the store, and works once it is free", async () => {
    const { store } = await createFileState(dir);
    const daemon = await store.acquireLease("peoplecounter", "daemon-elsewhere", 60_000);
    expect(daemon).to.not.equal(undefined);

    const refused = startCli(["dlq", "purge", "--name", "peoplecounter", "--hub", "b", "--yes"], env());
    expect(await refused.exited).to.equal(2);
    expect(refused.output()).to.include("is in use by a running peoplecounter process: stop it first");

    await store.releaseLease(daemon!);
    const allowed = startCli(["dlq", "purge", "--name", "peoplecounter", "--hub", "b", "--yes"], env());
    expect(await allowed.exited, allowed.output()).to.equal(0);
    // The command released the lease on its way out: a pipeline can take it at once.
    expect(await store.acquireLease("peoplecounter", "daemon-again", 60_000)).to.not.equal(undefined);
    await store.close();
  });
});
