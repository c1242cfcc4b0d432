import { tap, type Observable } from "rxjs";
import type { PipelineContext, WorkUnit } from "../engine/pipelineDefinition.js";
import { flattenViewLines } from "../operators/flattenViewLines.js";
import type { SourceLine } from "../operators/sourceLine.js";
import type { ViewQuery } from "../sources/microshare/viewResults.js";

/**
 * One unit of a dashboard-view pipeline: the view for the unit's location and window, split until
 * complete, flattened into lines with their identity. A response still full at the minimum
 * window is delivered, and said loudly: the view's limit hid older lines that no query of this
 * view can return.
 */
export function readViewLines(
  context: PipelineContext,
  unit: WorkUnit,
  recType: string,
  query: ViewQuery,
): Observable<SourceLine> {
  return context.source.viewResults$(query, unit.location, unit.window).pipe(
    tap((result) => {
      if (result.truncated) {
        const reason =
          `the view was still full (${result.lineCount} lines) at MICROSHARE_MIN_WINDOW from ` +
          `${result.window.from.toISOString()}: older lines of that window may be missing`;
        context.logger.warn(`${unit.pipeline}/${unit.location}: ${reason}`);
        context.onIncomplete?.(unit, reason);
      }
    }),
    flattenViewLines(recType),
  );
}
