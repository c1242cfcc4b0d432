import { mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createFileState } from "../../src/state/createStateStore.js";
import type { FileDeadLetterQueue } from "../../src/dlq/fileDeadLetterQueue.js";
import type { FileStateStore } from "../../src/state/fileStateStore.js";

/** One test's state directory (a fresh temp directory), removed with its stores in `cleanup`. */
export class FileTestState {
  private directoryPromise: Promise<string> | undefined;
  private readonly opened: FileStateStore[] = [];

  directory(): Promise<string> {
    this.directoryPromise ??= mkdtemp(join(tmpdir(), "msp-state-test-"));
    return this.directoryPromise;
  }

  async open(): Promise<{ store: FileStateStore; dlq: FileDeadLetterQueue }> {
    const state = await createFileState(join(await this.directory(), "state"));
    this.opened.push(state.store);
    return state;
  }

  /** Every file under the state directory, relative to it. */
  async files(): Promise<string[]> {
    const entries = await readdir(join(await this.directory(), "state"), {
      recursive: true,
      withFileTypes: true,
    });
    return entries.filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name));
  }

  async cleanup(): Promise<void> {
    await Promise.all(this.opened.map((store) => store.close()));
    if (this.directoryPromise !== undefined)
      await rm(await this.directoryPromise, { recursive: true, force: true });
  }
}
