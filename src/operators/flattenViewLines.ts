import { concatMap, from, type OperatorFunction } from "rxjs";
import type { ViewResult } from "../sources/microshare/viewResults.js";
import { lineIdentity } from "./lineIdentity.js";
import type { SourceLine } from "./sourceLine.js";

/**
 * View results → one SourceLine per `line[]` entry, in response order. The identity uses the
 * line's `record` id when the view provides one, else its time (snapshot lines have none), with
 * the group tags keeping rooms apart. Lines without a readable `time` are kept and timed at the
 * window start and identified by their content: dropping them would be silent loss. The lines
 * of a truncated result carry its reason (`incomplete`).
 */
export function flattenViewLines(recType: string): OperatorFunction<ViewResult, SourceLine> {
  return concatMap((result) => {
    const incomplete = result.truncated ? { incomplete: truncationReason(result) } : {};
    return from(
      result.groups.flatMap((group) =>
        group.lines.map((line): SourceLine => {
          const rawTime = typeof line.time === "string" ? line.time : undefined;
          const parsed = rawTime === undefined ? Number.NaN : Date.parse(rawTime);
          const time = Number.isNaN(parsed) ? result.window.from : new Date(parsed);
          // Without a record id the time tells lines of one group apart; without either, only
          // the content does (else such lines would collapse into one key and be dropped).
          const recordId =
            typeof line.record === "string" ? line.record : (rawTime ?? `content:${JSON.stringify(line)}`);
          return {
            key: lineIdentity(recType, group.tags, time.toISOString(), recordId),
            location: result.location,
            tags: group.tags,
            time,
            line,
            ...incomplete,
          };
        }),
      ),
    );
  });
}

/** Why a result still full at the minimum window may miss lines: said in logs and the tick summary. */
export function truncationReason(result: ViewResult): string {
  return (
    `the view was still full (${result.lineCount} lines) at MICROSHARE_MIN_WINDOW from ` +
    `${result.window.from.toISOString()}: older lines of that window may be missing`
  );
}
