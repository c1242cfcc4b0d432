import { randomUUID } from "node:crypto";
import { mkdir, open, readFile, rename, unlink } from "node:fs/promises";
import { basename, dirname, join, resolve } from "node:path";
import { CorruptStateFileError } from "./corruptStateFileError.js";
import { parseJson } from "./jsonGuards.js";

export interface JsonFileSpec<T> {
  readonly path: string;
  /** The value of a file that does not exist yet. */
  readonly empty: () => T;
  readonly isValid: (value: unknown) => value is T;
  /** What the operator can do when the file is corrupt (part of the error message). */
  readonly recoveryHint: string;
}

export interface UpdateOutcome<R> {
  readonly result: R;
  /** False when the draft was not changed (saves a write and an fsync). */
  readonly write: boolean;
}

/**
 * One JSON state file. Writes go to a temp file in the same directory, are fsynced, then
 * renamed over the file, so a reader or a crash sees the old or the new content, never half.
 * Updates of one path are serialised through a process-wide promise queue, so concurrent
 * read-modify-writes (even from two store instances on one directory) never lose an update.
 */
export class AtomicJsonFile<T> {
  readonly path: string;

  constructor(private readonly spec: JsonFileSpec<T>) {
    this.path = resolve(spec.path);
  }

  /** The current content (the empty value when the file does not exist). Throws when corrupt. */
  async read(): Promise<T> {
    let text: string;
    try {
      text = await readFile(this.path, "utf8");
    } catch (error) {
      if (isMissing(error)) return this.spec.empty();
      throw error;
    }
    const parsed = parseJson(text);
    if (!parsed.ok) throw new CorruptStateFileError(this.path, parsed.reason, this.spec.recoveryHint);
    if (!this.spec.isValid(parsed.value)) {
      throw new CorruptStateFileError(this.path, "unexpected structure", this.spec.recoveryHint);
    }
    return parsed.value;
  }

  /** Read-modify-write under this file's queue: `change` edits a fresh copy of the content. */
  update<R>(change: (draft: T) => UpdateOutcome<R>): Promise<R> {
    return this.exclusive(async () => {
      const draft = await this.read();
      const outcome = change(draft);
      if (outcome.write) await writeAtomically(this.path, `${JSON.stringify(draft, null, 1)}\n`);
      return outcome.result;
    });
  }

  /** Runs `task` while no update of this file runs (for checks that must hold during another write). */
  exclusive<R>(task: () => Promise<R>): Promise<R> {
    return serialise(this.path, task);
  }
}

const queues = new Map<string, Promise<void>>();

function serialise<R>(key: string, task: () => Promise<R>): Promise<R> {
  const previous = queues.get(key) ?? Promise.resolve();
  // A failed task must not block the ones queued after it.
  const run = previous.then(task, task);
  const tail = run.then(
    () => undefined,
    () => undefined,
  );
  queues.set(key, tail);
  void tail.then(() => {
    if (queues.get(key) === tail) queues.delete(key);
  });
  return run;
}

async function writeAtomically(path: string, text: string): Promise<void> {
  const directory = dirname(path);
  await mkdir(directory, { recursive: true });
  const temp = join(directory, `.${basename(path)}.${process.pid}.${randomUUID()}.tmp`);
  try {
    // 0600: the cache file holds the Microshare token.
    const handle = await open(temp, "wx", 0o600);
    try {
      await handle.writeFile(text, "utf8");
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, path);
  } catch (error) {
    await unlink(temp).catch(() => undefined);
    throw error;
  }
  await syncDirectory(directory);
}

/** Makes the rename itself durable; some platforms cannot fsync a directory, which is harmless there. */
async function syncDirectory(directory: string): Promise<void> {
  try {
    const handle = await open(directory, "r");
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch {
    // Best effort only: the data itself was fsynced before the rename.
  }
}

function isMissing(error: unknown): boolean {
  return error instanceof Error && "code" in error && error.code === "ENOENT";
}
