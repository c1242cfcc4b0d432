import { MINUTE } from "../model/time.js";
import { readFile } from "node:fs/promises";
import { join } from "node:path";

/** The old forwarder's state file of each pipeline (`old-forwarder.md`, "State and schedule"). */
export const OLD_STATE_FILES: Readonly<Record<string, string>> = {
  peoplecounter: "peoplecounterstate.json",
  snapshot: "snapshotstate.json",
};

/** Where the old forwarder kept its files on its VM. */
export const DEFAULT_OLD_STATE_DIR = "/var/lib/microshare-forwarder";

/** What one old state file says, and where this pipeline resumes because of it. */
export interface OldForwarderState {
  readonly pipeline: string;
  readonly file: string;
  /** `last_fetch_timestamp`: the start of the old forwarder's last run that sent something (UTC). */
  readonly lastFetch: Date | undefined;
  /**
   * Where the old forwarder's next run would have read from: `last_fetch_timestamp` to the whole
   * second (its `from` parameter). Undefined when it never sent anything (its next run would have
   * read the last 24 h, as a first run here does).
   */
  readonly resumeFrom: Date | undefined;
  /** Its counters, for the operator's comparison (`total_snapshots_sent` …). */
  readonly totals: Readonly<Record<string, number>>;
}

/** A state file that cannot be read as the old forwarder wrote it; nothing is imported. */
export class OldStateFileError extends Error {
  override readonly name = "OldStateFileError";
  constructor(
    readonly file: string,
    problem: string,
    options?: { cause?: unknown },
  ) {
    super(`${file}: ${problem}`, options);
  }
}

const TOTALS = [
  "total_snapshots_sent",
  "total_duplicates_skipped",
  "total_errors",
  "total_pages_fetched",
  "devices_tracked",
] as const;

/**
 * Reads the old state file of `pipeline` in `directory`; undefined when there is none. Throws
 * OldStateFileError for a file that is not the old forwarder's JSON or has an unreadable
 * `last_fetch_timestamp`: importing a guess could skip or re-send a day.
 */
export async function readOldForwarderState(
  directory: string,
  pipeline: string,
): Promise<OldForwarderState | undefined> {
  const name = OLD_STATE_FILES[pipeline];
  if (name === undefined) return undefined;
  const file = join(directory, name);
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw new OldStateFileError(file, `cannot be read (${(error as Error).message})`, { cause: error });
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new OldStateFileError(file, "is not valid JSON; restore it from the old VM or a backup", {
      cause: error,
    });
  }
  if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) {
    throw new OldStateFileError(file, "is not a JSON object with last_fetch_timestamp");
  }
  const record = parsed as Record<string, unknown>;
  const raw = record.last_fetch_timestamp;
  if (raw !== null && raw !== undefined && typeof raw !== "string") {
    throw new OldStateFileError(file, `last_fetch_timestamp is ${typeof raw}, not an ISO 8601 string`);
  }
  const lastFetch = raw === null || raw === undefined ? undefined : parseOldTimestamp(file, raw);
  const totals: Record<string, number> = {};
  for (const key of TOTALS) {
    const value = record[key];
    if (typeof value === "number" && Number.isFinite(value)) totals[key] = value;
  }
  return {
    pipeline,
    file,
    lastFetch,
    resumeFrom: lastFetch === undefined ? undefined : new Date(Math.floor(lastFetch.getTime() / 1000) * 1000),
    totals,
  };
}

/**
 * Python's `datetime.isoformat()`: "2025-11-14T12:00:03.123456", without a zone meaning UTC (the
 * old forwarder used `utcnow()`); a zone, when present, is honoured. Microseconds are cut to ms.
 */
export function parseOldTimestamp(file: string, raw: string): Date {
  const match =
    /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}:?\d{2})?$/.exec(
      raw.trim(),
    );
  if (match === null) {
    throw new OldStateFileError(
      file,
      `last_fetch_timestamp "${raw}" is not an ISO 8601 time like "2025-11-14T12:00:03.123456"`,
    );
  }
  const [, y, mo, d, h, mi, s, fraction, zone] = match;
  const ms = Number((fraction ?? "").padEnd(3, "0").slice(0, 3));
  const utc = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s), ms);
  const offsetInMs = zone === undefined || zone === "Z" ? 0 : zoneOffset(zone);
  const time = new Date(utc - offsetInMs);
  if (Number.isNaN(time.getTime()) || new Date(utc).getUTCDate() !== Number(d)) {
    throw new OldStateFileError(file, `last_fetch_timestamp "${raw}" is not a real date`);
  }
  return time;
}

function zoneOffset(zone: string): number {
  const sign = zone.startsWith("-") ? -1 : 1;
  const digits = zone.slice(1).replace(":", "");
  return sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2, 4))) * MINUTE;
}
