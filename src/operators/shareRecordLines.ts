import { map, type OperatorFunction } from "rxjs";
import type { ShareRecord } from "../sources/microshare/shareRecords.js";
import { copyWith } from "./copyWith.js";
import { lineIdentity } from "./lineIdentity.js";
import type { SourceLine } from "./sourceLine.js";

/**
 * Share-list records → SourceLines. The location (partition key) is the record's building,
 * `tags[0]`, because one share list holds every building; the line is the record's `data`
 * with its id and timestamp, so consumers can trace it back.
 */
export function shareRecordLines(recType: string): OperatorFunction<ShareRecord, SourceLine> {
  return map((record) => ({
    key: lineIdentity(recType, record.tags, record.tstamp.toISOString(), record.id),
    location: record.tags[0] ?? "unknown",
    tags: record.tags,
    time: record.tstamp,
    line: copyWith(record.data, { id: record.id, tstamp: record.tstamp.toISOString() }),
  }));
}
