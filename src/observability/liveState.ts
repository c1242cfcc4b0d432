/** A tick being worked on, as its progress reports say. */
export interface TickInProgress {
  readonly startedAt: string;
  readonly plannedWindows: number;
  readonly doneWindows: number;
  readonly events: number;
}

export interface LivePipeline {
  readonly pipeline: string;
  /** This process holds the pipeline's lease. */
  readonly leader: boolean;
  readonly tick?: TickInProgress;
  readonly lastTick?: { readonly finishedAt: string; readonly exitCode: number };
}

/**
 * What only the running process knows, kept for `/status`: whether it leads each pipeline and
 * how far the current tick is. The state store holds the rest (watermarks, DLQs, last tick),
 * which any instance can read; this is the part `status` alone cannot see.
 */
export class LiveState {
  private readonly pipelines = new Map<string, LivePipeline>();

  leading(pipeline: string, leader: boolean): void {
    this.update(pipeline, (p) => ({ ...p, leader }));
  }

  progress(pipeline: string, tick: Omit<TickInProgress, "startedAt">): void {
    this.update(pipeline, (p) => ({
      ...p,
      tick: { startedAt: p.tick?.startedAt ?? new Date().toISOString(), ...tick },
    }));
  }

  tickEnded(pipeline: string, finishedAt: string, exitCode: number): void {
    this.update(pipeline, ({ tick: _done, ...p }) => ({ ...p, lastTick: { finishedAt, exitCode } }));
  }

  snapshot(): readonly LivePipeline[] {
    return [...this.pipelines.values()];
  }

  private update(pipeline: string, change: (p: LivePipeline) => LivePipeline): void {
    this.pipelines.set(pipeline, change(this.pipelines.get(pipeline) ?? { pipeline, leader: false }));
  }
}
