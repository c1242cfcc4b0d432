import { HOUR, MINUTE } from "../model/time.js";
import type { PipelineDefinition } from "../engine/pipelineDefinition.js";
import { toLineEvents } from "../operators/toLineEvents.js";
import { toResponseEvents } from "../operators/toResponseEvents.js";
import { readViewLines } from "./readViewLines.js";
import { requireSettings } from "./requireSettings.js";

export const SNAPSHOT_RECTYPE = "io.microshare.lake.snapshot.hourly";
const RECTYPE = SNAPSHOT_RECTYPE;

/** The dashboard view's parameters for hourly snapshots (besides location and window); see peopleCounterViewParams. */
export function snapshotViewParams(settings: {
  readonly dataContext: string;
  readonly category: string;
  readonly metric: string;
}): Record<string, string> {
  return {
    recType: RECTYPE,
    dataContext: settings.dataContext,
    field1: "current",
    field2: "field2",
    field3: "field3",
    field4: "field4",
    field5: "field5",
    field6: "field6",
    category: settings.category,
    metric: settings.metric,
    // Literally this pattern: the stored view matches any owner organisation with it.
    ownerOrg: "[a-zA-Z]",
  };
}

/**
 * Hourly occupancy snapshots, hourly at :00. By default one event per building response
 * (`{meta, objs, recType}`), the old forwarder's format, built from the lines not yet delivered
 * and split when it would exceed the event size limit; SNAPSHOT_EVENT_MODE=line sends one event
 * per line instead. Buildings come from the people-counter cluster unless
 * MICROSHARE_SNAPSHOT_DEVICE_CLUSTER_ID is set, with MICROSHARE_LOCATION_PREFIX stripped.
 */
export const snapshot: PipelineDefinition = {
  name: "snapshot",
  recType: RECTYPE,
  description: "hourly occupancy snapshots, one event per building response (or per line)",
  schedule: { everyInMs: HOUR, offsetInMs: 0 },
  windows: {
    // A UTC day per view call, not sized from density like the people counter's: the old
    // forwarder sent one response per building per UTC day, and consumers read that grouping
    // (24 lines per room a day; a fuller day is split, still within the day).
    lengthInMs: 24 * HOUR,
    settleDelayInMs: 10 * MINUTE,
    lateLookbackInMs: 6 * HOUR,
    initialLookbackInMs: 24 * HOUR,
  },
  requires: (config) =>
    requireSettings(
      {
        MICROSHARE_PC_DEVICE_CLUSTER_ID: config.snapshot.clusterId,
        MICROSHARE_SNAPSHOT_DASHBOARD_VIEW_ID: config.snapshot.viewId,
      },
      "<24-hex id from the Microshare console>",
    ),
  locations: ({ source, config }) =>
    source.locations$({
      packedRecType: "io.microshare.peoplecounter.packed",
      clusterId: config.snapshot.clusterId ?? "",
      locationPrefix: config.snapshot.locationPrefix,
    }),
  lines: (context, unit) =>
    readViewLines(context, unit, RECTYPE, {
      viewId: context.config.snapshot.viewId ?? "",
      params: snapshotViewParams(context.config.snapshot),
    }),
  events: ({ config }) =>
    config.snapshot.mode === "line"
      ? toLineEvents({ pipeline: "snapshot", recType: RECTYPE })
      : toResponseEvents({ pipeline: "snapshot", recType: RECTYPE }),
};
