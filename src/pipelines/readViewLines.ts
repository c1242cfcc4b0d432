import { tap, type Observable } from "rxjs";
import type { PipelineContext, WorkUnit } from "../engine/pipelineDefinition.js";
import { flattenViewLines, truncationReason } from "../operators/flattenViewLines.js";
import type { SourceLine } from "../operators/sourceLine.js";
import type { ViewQuery } from "../sources/microshare/viewResults.js";

/**
 * One unit of a dashboard-view pipeline: the view for the unit's location and window, split until
 * complete, flattened into lines with their identity. A response still full at the minimum
 * window is delivered, and said loudly: the view's limit hid older lines that no query of this
 * view can return (its lines carry the reason to the tick summary).
 */
export function readViewLines(
  context: PipelineContext,
  unit: WorkUnit,
  recType: string,
  query: ViewQuery,
): Observable<SourceLine> {
  return context.source.viewResults$(query, unit.location, unit.window).pipe(
    tap((result) => {
      if (result.truncated)
        context.logger.warn(`${unit.pipeline}/${unit.location}: ${truncationReason(result)}`);
    }),
    flattenViewLines(recType),
  );
}
