import { map, type OperatorFunction } from "rxjs";
import type { OutboundEvent } from "../model/outboundEvent.js";
import { forwarderProperties } from "./forwarderProperties.js";
import type { SourceLine } from "./sourceLine.js";

export interface EventShapeOptions {
  readonly pipeline: string;
  readonly recType: string;
}

/**
 * One event per line, exactly as the old forwarder produced them: the line's own fields plus
 * `_location_tags` (the group's `_id.tags`) and `recType`, in that key order, and its
 * application properties next to ours.
 */
export function toLineEvents(options: EventShapeOptions): OperatorFunction<SourceLine, OutboundEvent> {
  return map((source) => {
    const body = { ...source.line, _location_tags: source.tags, recType: options.recType };
    return {
      id: source.key,
      partitionKey: source.location,
      time: source.time,
      body,
      properties: {
        ...forwarderProperties(body),
        recType: options.recType,
        pipeline: options.pipeline,
        location: source.location,
      },
    };
  });
}
