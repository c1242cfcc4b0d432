/**
 * Where one unit's events go on one hub: after the hub's earlier units of the same location
 * (`queued`: wait for `turn`, call `done` once settled, whatever happened), or straight to the
 * hub's DLQ because the hub is too far behind the others (`spilled`).
 */
export type HubPlacement =
  | { readonly kind: "queued"; readonly turn: Promise<void>; readonly done: () => void }
  | {
      readonly kind: "spilled";
      /** What the hub held: this location's units, or (`over: "all"`) every location's. */
      readonly backlog: number;
      readonly over: "location" | "all";
    };

/**
 * Units every hub holds unsettled over all locations, shared by the sink's sequences: a stalled
 * hub's memory stays bounded however many locations a back-fill has.
 */
export class HubBacklogs {
  private readonly counts = new Map<string, number>();

  /** `limit`: units one hub may hold over all locations before the next are spilled. */
  constructor(readonly limit: number) {}

  of(hub: string): number {
    return this.counts.get(hub) ?? 0;
  }

  add(hub: string, delta: number): void {
    this.counts.set(hub, this.of(hub) + delta);
  }
}

/**
 * The order of one location's units on every hub, with hubs running at their own pace.
 *
 * A location's units are delivered one after another, but each hub takes them at its own speed:
 * the next unit may start as soon as the FASTEST hub is done (`room`), while slower hubs queue it
 * behind their earlier units (a location's batches reach its partition in order on every hub).
 * A hub that has `1 + maxLag` units of this location unsettled (it stalls, or is far slower than
 * the others) gets the next units spilled to its DLQ until it catches up: a stalled hub never
 * holds a healthy one back, and what is held in memory for it stays bounded (`1 + maxLag` units
 * of a location, and `HubBacklogs.limit` units over all locations).
 * Spilled units are settled for the watermark (durably in that hub's DLQ), as a paused hub's are.
 */
export class DeliverySequence {
  private readonly backlog = new Map<string, number>();
  private readonly tails = new Map<string, Promise<void>>();
  private readonly roomWaiters = new Set<() => void>();

  /**
   * `isLive`: whether a hub really sends right now. A paused hub, or one whose breaker is open,
   * settles everything at once (into its DLQ): it must not count as the fastest hub, or the
   * healthy hubs would look behind it and be spilled.
   */
  constructor(
    readonly hubNames: readonly string[],
    readonly maxLag: number,
    private readonly hubBacklogs: HubBacklogs = new HubBacklogs(Number.POSITIVE_INFINITY),
    private readonly isLive: (hub: string) => boolean = () => true,
  ) {
    for (const hub of hubNames) this.backlog.set(hub, 0);
  }

  /** Resolves once some live hub has none of this location's units in flight (the only hub, with one). */
  room(): Promise<void> {
    if (this.hasRoom()) return Promise.resolve();
    return new Promise((resolve) => this.roomWaiters.add(resolve));
  }

  /** Places the next unit on every hub (call once per unit, in the units' order). */
  place(): ReadonlyMap<string, HubPlacement> {
    const placements = new Map<string, HubPlacement>();
    for (const hub of this.hubNames) placements.set(hub, this.placeOn(hub));
    return placements;
  }

  /** This location's units a hub has been handed and not yet settled. */
  backlogOf(hub: string): number {
    return this.backlog.get(hub) ?? 0;
  }

  private placeOn(hub: string): HubPlacement {
    const backlog = this.backlogOf(hub);
    // One hub alone is never spilled: there is no other hub to protect from it.
    if (this.hubNames.length > 1) {
      if (backlog > this.maxLag) return { kind: "spilled", backlog, over: "location" };
      const total = this.hubBacklogs.of(hub);
      if (total >= this.hubBacklogs.limit) return { kind: "spilled", backlog: total, over: "all" };
    }
    this.backlog.set(hub, backlog + 1);
    this.hubBacklogs.add(hub, 1);
    const turn = this.tails.get(hub) ?? Promise.resolve();
    let finished: () => void = () => undefined;
    const settled = new Promise<void>((resolve) => (finished = resolve));
    this.tails.set(hub, settled);
    let once = false;
    return {
      kind: "queued",
      turn,
      done: () => {
        if (once) return;
        once = true;
        this.backlog.set(hub, this.backlogOf(hub) - 1);
        this.hubBacklogs.add(hub, -1);
        // A unit that ended early (no events, cancelled) must not let its successor overtake
        // the units still sending before it: its turn passes on only after its own turn came.
        void turn.then(finished);
        if (this.hasRoom()) {
          const waiters = [...this.roomWaiters];
          this.roomWaiters.clear();
          for (const resolve of waiters) resolve();
        }
      },
    };
  }

  private hasRoom(): boolean {
    const live = this.hubNames.filter((hub) => this.isLive(hub));
    const pacing = live.length > 0 ? live : this.hubNames;
    return pacing.length === 0 || pacing.some((hub) => this.backlogOf(hub) === 0);
  }
}
