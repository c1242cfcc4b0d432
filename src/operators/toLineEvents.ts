import { map, type OperatorFunction } from "rxjs";
import type { OutboundEvent } from "../model/outboundEvent.js";
import type { SourceLine } from "./sourceLine.js";

export interface EventShapeOptions {
  readonly pipeline: string;
  readonly recType: string;
}

/**
 * One event per line, exactly as the old forwarder produced them: the line's own fields plus
 * `recType` and `_location_tags` (the group's `_id.tags`).
 */
export function toLineEvents(options: EventShapeOptions): OperatorFunction<SourceLine, OutboundEvent> {
  return map((source) => ({
    id: source.key,
    partitionKey: source.location,
    time: source.time,
    body: { ...source.line, recType: options.recType, _location_tags: source.tags },
    properties: { recType: options.recType, pipeline: options.pipeline, location: source.location },
  }));
}
