import type { Observable, OperatorFunction } from "rxjs";
import type { Config } from "../config/config.js";
import type { ConfigProblem } from "../config/configError.js";
import type { OutboundEvent } from "../model/outboundEvent.js";
import type { TimeWindow } from "../model/timeWindow.js";
import type { Logger } from "../observability/logger.js";
import type { SourceLine } from "../operators/sourceLine.js";
import type { Location } from "../sources/microshare/deviceLocations.js";
import type { MicroshareSource } from "../sources/microshare/microshareSource.js";

/**
 * A recType pipeline, declared: where its locations come from, how one location × window is
 * read into lines, and how lines become events. Watermarks, dedupe, delivery and settlement
 * are the engine's, the same for every pipeline, so a new recType is one small file in
 * src/pipelines that composes sources and operators.
 */
export interface PipelineDefinition {
  readonly name: string;
  /** The recType added to every event. */
  readonly recType: string;
  readonly description: string;
  readonly schedule: Schedule;
  readonly windows: WindowSettings;
  /** Settings this pipeline cannot run without, checked before it starts. */
  readonly requires: (config: Config) => readonly ConfigProblem[];
  readonly locations: (context: PipelineContext) => Observable<readonly Location[]>;
  readonly lines: (context: PipelineContext, unit: WorkUnit) => Observable<SourceLine>;
  readonly events: (context: PipelineContext) => OperatorFunction<SourceLine, OutboundEvent>;
}

/** Ticks at every multiple of `everyInMs` (UTC) plus `offsetInMs`, e.g. every 15 min, or hourly at :00. */
export interface Schedule {
  readonly everyInMs: number;
  readonly offsetInMs: number;
}

export interface WindowSettings {
  /**
   * The window length: of every window, or, with `adaptive`, of a location's windows before
   * anything is known of its density.
   */
  readonly lengthInMs: number;
  /**
   * Size each location's windows from its density (windowSizing.ts), for pipelines that read a
   * view whose answers are capped at its limit: as few calls as the data allows. Each device
   * reports `linesPerDevicePerDay`, which sizes a new location's first windows.
   */
  readonly adaptive?: { readonly linesPerDevicePerDay: number };
  /** Windows end this long before now: the newest data is still arriving. */
  readonly settleDelayInMs: number;
  /** Re-read this far behind the watermark every tick to catch late lines. */
  readonly lateLookbackInMs: number;
  /** A location seen for the first time starts this far back. */
  readonly initialLookbackInMs: number;
}

export interface PipelineContext {
  readonly config: Config;
  readonly source: MicroshareSource;
  readonly logger: Logger;
}

/** One location and window: the unit that is read, delivered and settled as a whole. */
export interface WorkUnit {
  readonly pipeline: string;
  readonly location: string;
  readonly window: TimeWindow;
  /** Re-reads of already settled time (lookback, --from/--to) do not move the watermark past it. */
  readonly advancesWatermark: boolean;
}
