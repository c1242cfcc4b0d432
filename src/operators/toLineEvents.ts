import { map, type OperatorFunction } from "rxjs";
import type { EventProperties, OutboundEvent } from "../model/outboundEvent.js";
import { copyWith } from "./copyWith.js";
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
    const body = copyWith(source.line, { _location_tags: source.tags, recType: options.recType });
    // Set one by one after the old forwarder's own, in this order (not spread: see copyWith).
    const properties = forwarderProperties(body);
    properties.recType = options.recType;
    properties.pipeline = options.pipeline;
    properties.location = source.location;
    return {
      id: source.key,
      partitionKey: source.location,
      time: source.time,
      body,
      properties: properties as Record<string, string> & EventProperties,
    };
  });
}
