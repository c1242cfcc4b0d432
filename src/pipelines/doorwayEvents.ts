import { MINUTE } from "../model/time.js";
import { of } from "rxjs";
import type { PipelineDefinition } from "../engine/pipelineDefinition.js";
import { shareRecordLines } from "../operators/shareRecordLines.js";
import { toLineEvents } from "../operators/toLineEvents.js";
import { shareRecords$ } from "../sources/microshare/shareRecords.js";

const RECTYPE = "io.microshare.peoplecounter.unpacked.event";

/**
 * Raw doorway events, the worked example of composing a pipeline (README "Adding a recType").
 * The plain share list is not per building, so this pipeline has ONE location, "all": one
 * watermark, one read per window, and each event still partitioned by its own building.
 */
export const doorwayEvents: PipelineDefinition = {
  name: "doorway",
  recType: RECTYPE,
  description: "raw people-counter doorway events from the share list, one event per record",
  schedule: { everyInMs: 15 * MINUTE, offsetInMs: 0 },
  windows: {
    // One hour: the share list holds every building, so a window is the unit of memory too.
    lengthInMs: 60 * MINUTE,
    settleDelayInMs: 2 * MINUTE,
    lateLookbackInMs: 60 * MINUTE,
    initialLookbackInMs: 24 * 60 * MINUTE,
  },
  requires: () => [],
  locations: () => of([{ name: "all", clusterName: "all" }]),
  lines: ({ source, config }, unit) =>
    shareRecords$(source.client, {
      recType: RECTYPE,
      window: unit.window,
      perPage: config.microshare.perPage,
      maxPages: config.microshare.maxPages,
    }).pipe(shareRecordLines(RECTYPE)),
  events: () => toLineEvents({ pipeline: "doorway", recType: RECTYPE }),
};
