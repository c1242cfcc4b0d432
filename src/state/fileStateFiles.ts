import { join } from "node:path";
import { AtomicJsonFile } from "./atomicJsonFile.js";
import { isFiniteNumber, isIsoDate, isObject, isRecordOf, isString, recordOf } from "./jsonGuards.js";
import { encodeFileName } from "./safeFileName.js";

/**
 * The JSON files of the embedded state store and what an operator may do with each when it is
 * corrupt. A location's watermark and delivered ids share one small file, so settling a window
 * is a single atomic rename (all or nothing, like the Redis script) and never rewrites the
 * state of other locations.
 */

/**
 * `locations/<pipeline>/<location>.json`: watermark (ISO), delivered id → keep-until (ms), and
 * the density estimate (lines per hour; absent in files written before it existed).
 */
export interface LocationFile {
  watermark: string | null;
  delivered: Record<string, number>;
  linesPerHour?: number;
}

export interface CachedValue {
  value: string;
  expiresAt: string;
}

/** The fence counter outlives holders, so a fence is never reused. */
export interface LeaseRecord {
  fence: number;
  holder: { owner: string; expiresAt: string } | null;
}

export type CacheFile = Record<string, CachedValue>;
export type CountersFile = Record<string, Record<string, number>>;
export type LastTickFile = Record<string, unknown>;
export type LeasesFile = Record<string, LeaseRecord>;

/** The directory of a pipeline's location files. */
export function locationsDirectory(directory: string, pipeline: string): string {
  return join(directory, "locations", encodeFileName(pipeline));
}

export function locationFile(
  directory: string,
  pipeline: string,
  location: string,
): AtomicJsonFile<LocationFile> {
  return new AtomicJsonFile<LocationFile>({
    path: join(locationsDirectory(directory, pipeline), `${encodeFileName(location)}.json`),
    empty: () => ({ watermark: null, delivered: {} }),
    isValid: (v): v is LocationFile =>
      isObject(v) &&
      (v.watermark === null || isIsoDate(v.watermark)) &&
      isRecordOf(v.delivered, isFiniteNumber) &&
      (v.linesPerHour === undefined || (isFiniteNumber(v.linesPerHour) && v.linesPerHour >= 0)),
    recoveryHint:
      "Delete it to start this location over: its watermark restarts at now − initial lookback and its " +
      "dedupe memory is lost, so the re-read may send duplicates.",
  });
}

export function cacheFile(directory: string): AtomicJsonFile<CacheFile> {
  return new AtomicJsonFile<CacheFile>({
    path: join(directory, "cache.json"),
    empty: () => ({}),
    isValid: (v): v is CacheFile => isRecordOf(v, isCachedValue),
    recoveryHint: "Delete it: cached values (the Microshare token) are fetched again.",
  });
}

export function countersFile(directory: string): AtomicJsonFile<CountersFile> {
  return new AtomicJsonFile<CountersFile>({
    path: join(directory, "counters.json"),
    empty: () => ({}),
    isValid: (v): v is CountersFile => isRecordOf(v, recordOf(isFiniteNumber)),
    recoveryHint: "Delete it: counters restart at zero.",
  });
}

export function lastTickFile(directory: string): AtomicJsonFile<LastTickFile> {
  return new AtomicJsonFile<LastTickFile>({
    path: join(directory, "last-tick.json"),
    empty: () => ({}),
    isValid: (v): v is LastTickFile => isObject(v),
    recoveryHint: "Delete it: it only feeds `status` and is rewritten after the next tick.",
  });
}

/** `resume-from.json`: pipeline → resume point (ISO), set by `migrate`. */
export type ResumeFile = Record<string, string>;

export function resumeFile(directory: string): AtomicJsonFile<ResumeFile> {
  return new AtomicJsonFile<ResumeFile>({
    path: join(directory, "resume-from.json"),
    empty: () => ({}),
    isValid: (v): v is ResumeFile => isRecordOf(v, isIsoDate),
    recoveryHint:
      "Run `migrate` again to rewrite it, or delete it: locations without a watermark then start at now − initial lookback.",
  });
}

export function leasesFile(directory: string): AtomicJsonFile<LeasesFile> {
  return new AtomicJsonFile<LeasesFile>({
    path: join(directory, "leases.json"),
    empty: () => ({}),
    isValid: (v): v is LeasesFile => isRecordOf(v, isLeaseRecord),
    recoveryHint: "Stop every process using this directory, then delete it: leases are taken afresh.",
  });
}

function isCachedValue(v: unknown): v is CachedValue {
  return isObject(v) && isString(v.value) && isIsoDate(v.expiresAt);
}

function isLeaseRecord(v: unknown): v is LeaseRecord {
  if (!isObject(v) || !isFiniteNumber(v.fence)) return false;
  const holder = v.holder;
  return holder === null || (isObject(holder) && isString(holder.owner) && isIsoDate(holder.expiresAt));
}
