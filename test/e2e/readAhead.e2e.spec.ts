import { expect } from "chai";
import { defer, finalize, NEVER, Observable, Subject } from "rxjs";
import type { PipelineDefinition, WorkUnit } from "../../src/engine/pipelineDefinition.js";
import type { SourceLine } from "../../src/operators/sourceLine.js";
import { peopleCounter } from "../../src/pipelines/peopleCounter.js";
import type { StateStore } from "../../src/state/stateStore.js";
import { HOUR, PipelineHarness } from "./pipelineHarness.js";

/** "Building A@2026-…": a unit's location and window start, as the logs below name it. */
const unitName = (unit: Pick<WorkUnit, "location" | "window">): string =>
  `${unit.location}@${unit.window.from.toISOString()}`;

/** The real store, with every settlement written to `log` before it is made. */
function loggingStore(store: StateStore, log: string[]): StateStore {
  return new Proxy(store, {
    get(target, property) {
      if (property === "settleWindow") {
        return (settlement: Parameters<StateStore["settleWindow"]>[0]) => {
          // Every settlement, an empty one too: a window with no new lines (the last window is
          // only minutes long when the clock is just past midnight) still settles.
          log.push(`settle ${unitName(settlement)}`);
          return target.settleWindow(settlement);
        };
      }
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === "function" ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
}

/** Logs "read X" when a unit's lines are subscribed and "cancel X" when dropped unfinished. */
function logged(unit: WorkUnit, lines: Observable<SourceLine>, log: string[]): Observable<SourceLine> {
  return defer(() => {
    log.push(`read ${unitName(unit)}`);
    let done = false;
    return lines.pipe(
      finalize(() => {
        if (!done) log.push(`cancel ${unitName(unit)}`);
      }),
      (source) =>
        new Observable<SourceLine>((subscriber) =>
          source.subscribe({
            next: (line) => subscriber.next(line),
            error: (error: unknown) => {
              done = true;
              subscriber.error(error);
            },
            complete: () => {
              done = true;
              subscriber.complete();
            },
          }),
        ),
    );
  });
}

describe("read-ahead: a location's next window is read while the current one is delivered", () => {
  let h: PipelineHarness;
  afterEach(async () => {
    await h.close();
  });

  /**
   * A first tick, then a 30-hour outage: two or three windows per building. Returns a test for
   * "is this unit its location's first window of the next tick" (it starts one lookback behind
   * the watermark). The engine asks for the read-ahead's lines before the current unit's, so
   * the order of `lines` calls cannot tell.
   */
  async function afterOutage(): Promise<(unit: WorkUnit) => boolean> {
    // Fixed day-long windows: sized from their density, these sparse buildings would take the
    // whole outage in one window each, with nothing to read ahead.
    h = await PipelineHarness.start({ hubs: ["a"], env: { WINDOW_LENGTH: "24h" } });
    await h.tick(peopleCounter);
    h.clock += 30 * HOUR;
    const marks = await h.watermarks("peoplecounter");
    return (unit) =>
      unit.window.from.getTime() ===
      Date.parse(marks[unit.location] ?? "") - peopleCounter.windows.lateLookbackInMs;
  }

  it("starts reading the next window before the current one settles, and still settles oldest first, each line once", async () => {
    await afterOutage();
    const log: string[] = [];
    const observed: PipelineDefinition = {
      ...peopleCounter,
      lines: (context, unit) => logged(unit, peopleCounter.lines(context, unit), log),
    };
    const before = h.deliveredPeopleCounterLines("a");
    const summary = await h.tick(observed, { store: loggingStore(h.runtime.store, log) });
    expect(summary.failedLocations).to.deep.equal({});

    for (const building of ["Building A", "Building B", "Building C"]) {
      const reads = log.filter((l) => l.startsWith(`read ${building}@`)).map((l) => l.slice(5));
      const settles = log.filter((l) => l.startsWith(`settle ${building}@`)).map((l) => l.slice(7));
      expect(reads.length, building).to.be.at.least(2);
      // Settled in window order, every window read once.
      expect(settles).to.deep.equal([...reads].sort());
      // The current window's read is queued before its read-ahead.
      expect(reads).to.deep.equal([...reads].sort());
      // The second window was being read before the first one settled.
      expect(log.indexOf(`read ${reads[1]!}`), building).to.be.lessThan(log.indexOf(`settle ${reads[0]!}`));
    }
    expect(log.filter((l) => l.startsWith("cancel"))).to.deep.equal([]);
    const delivered = h.deliveredPeopleCounterLines("a");
    expect(new Set(delivered).size).to.equal(delivered.length);
    expect(delivered.length).to.be.greaterThan(before.length);
  });

  it("cancels the read-ahead when the current window fails: nothing of the next window is delivered", async () => {
    const isFirst = await afterOutage();
    const watermarksBefore = await h.watermarks("peoplecounter");
    const log: string[] = [];
    const nextReadStarted = new Subject<void>();
    const flaky: PipelineDefinition = {
      ...peopleCounter,
      lines: (context, unit) => {
        if (unit.location !== "Building B") return peopleCounter.lines(context, unit);
        if (isFirst(unit)) {
          // Fails only once the next window's read is under way.
          return logged(
            unit,
            new Observable<SourceLine>((subscriber) =>
              nextReadStarted.subscribe(() => subscriber.error(new Error("view broke mid-window"))),
            ),
            log,
          );
        }
        // The next window's read never ends by itself: only a cancel ends it.
        return logged(
          unit,
          defer(() => {
            queueMicrotask(() => nextReadStarted.next());
            return NEVER;
          }),
          log,
        );
      },
    };
    const summary = await h.tick(flaky, { store: loggingStore(h.runtime.store, log) });

    expect(Object.keys(summary.failedLocations)).to.deep.equal(["Building B"]);
    expect(summary.failedLocations["Building B"]).to.match(/view broke mid-window/);
    const bReads = log.filter((l) => l.startsWith("read Building B@"));
    expect(bReads).to.have.length(2);
    expect(log).to.include(`cancel ${bReads[1]!.slice(5)}`);
    expect(log.filter((l) => l.startsWith("settle Building B@"))).to.deep.equal([]);
    const after = await h.watermarks("peoplecounter");
    expect(after["Building B"]).to.equal(watermarksBefore["Building B"]);
    expect(after["Building A"]).to.not.equal(watermarksBefore["Building A"]);
  });

  it("cancels the read-ahead on a stop: the window in flight settles, nothing after it starts", async () => {
    const isFirst = await afterOutage();
    const log: string[] = [];
    const stop$ = new Subject<void>();
    const firstUnits: string[] = [];
    const stoppable: PipelineDefinition = {
      ...peopleCounter,
      lines: (context, unit) => {
        if (isFirst(unit)) {
          firstUnits.push(unitName(unit));
          return logged(unit, peopleCounter.lines(context, unit), log);
        }
        // A read-ahead: the stop comes while it is under way, and it never ends by itself.
        return logged(
          unit,
          defer(() => {
            queueMicrotask(() => stop$.next());
            return NEVER;
          }),
          log,
        );
      },
    };
    const summary = await h.tick(stoppable, { store: loggingStore(h.runtime.store, log), stop$ });

    expect(summary.failedLocations).to.deep.equal({});
    const settles = log.filter((l) => l.startsWith("settle")).map((l) => l.slice(7));
    expect(firstUnits).to.have.length(3);
    expect(settles.sort()).to.deep.equal([...firstUnits].sort());
    const cancels = log.filter((l) => l.startsWith("cancel"));
    expect(cancels).to.have.length(3);
  });
});
