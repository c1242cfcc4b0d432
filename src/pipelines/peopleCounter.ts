import { MINUTE } from "../model/time.js";
import type { PipelineDefinition } from "../engine/pipelineDefinition.js";
import { toLineEvents } from "../operators/toLineEvents.js";
import { readViewLines } from "./readViewLines.js";
import { requireSettings } from "./requireSettings.js";

export const PEOPLE_COUNTER_RECTYPE = "io.microshare.peoplecounter.unpacked.event.agg";
const RECTYPE = PEOPLE_COUNTER_RECTYPE;

/**
 * The dashboard view's parameters for people counters (besides location and window). The test
 * kits, the simulator's checks and the bench's naive forwarder import these, so a change here is
 * a change everywhere.
 */
export function peopleCounterViewParams(dataContext: string): Record<string, string> {
  return {
    recType: RECTYPE,
    dataContext,
    field1: "daily_total",
    field2: "meta",
    field3: "change",
    // Placeholders the stored view substitutes; without them it fails with a 503.
    field4: "field4",
    field5: "field5",
    field6: "field6",
  };
}

/**
 * People counters: every 15 minutes, each building's 15-minute aggregates from the dashboard
 * view, one event per `line[]` entry with `recType` and `_location_tags`, exactly as the old
 * forwarder sent them.
 */
export const peopleCounter: PipelineDefinition = {
  name: "peoplecounter",
  recType: RECTYPE,
  description: "15-minute people-counter aggregates, one event per line",
  schedule: { everyInMs: 15 * MINUTE, offsetInMs: 0 },
  windows: {
    // Sized from each building's density: a back-fill covers as many days per view call as stay
    // under the view's limit (a day before anything is known; a building dense enough to fill
    // the limit anyway is split). Steady-state ticks still read only the last hour (the
    // lookback) plus what is new. One line per counter per 15 minutes.
    lengthInMs: 24 * 60 * MINUTE,
    adaptive: { linesPerDevicePerDay: 96 },
    settleDelayInMs: 5 * MINUTE,
    lateLookbackInMs: 60 * MINUTE,
    initialLookbackInMs: 24 * 60 * MINUTE,
  },
  requires: (config) =>
    requireSettings(
      {
        MICROSHARE_PC_DEVICE_CLUSTER_ID: config.peopleCounter.clusterId,
        MICROSHARE_PC_DASHBOARD_VIEW_ID: config.peopleCounter.viewId,
      },
      "<24-hex id from the Microshare console>",
    ),
  locations: ({ source, config }) =>
    source.locations$({
      packedRecType: "io.microshare.peoplecounter.packed",
      clusterId: config.peopleCounter.clusterId ?? "",
      locationPrefix: "",
    }),
  lines: (context, unit) =>
    readViewLines(context, unit, RECTYPE, {
      viewId: context.config.peopleCounter.viewId ?? "",
      params: peopleCounterViewParams(context.config.peopleCounter.dataContext),
    }),
  events: () => toLineEvents({ pipeline: "peoplecounter", recType: RECTYPE }),
};
