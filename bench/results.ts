/** One scenario's figures: printed as a table row and, with --json, as one JSON line. */
export interface ScenarioResult {
  readonly name: string;
  readonly events: number;
  readonly wallSeconds: number;
  readonly eventsPerSecond: number;
  /** Of the pipeline (or replay) process. */
  readonly peakRssMb: number;
  /** Ratios and other figures (ratioToFloor, ratioToMin, speedupVsNaive, …). */
  readonly [extra: string]: string | number | boolean;
}

export interface Target {
  readonly scenario: string;
  readonly field: string;
  readonly max?: number;
  readonly min?: number;
}

/** The product's performance targets, checked and printed after the table (never asserted). */
export const TARGETS: readonly Target[] = [
  { scenario: "throughput", field: "ratioToFloor", max: 1.0 },
  { scenario: "latency-backfill", field: "callsToMin", max: 1.2 },
  { scenario: "latency-backfill", field: "ratioToMin", max: 1.15 },
  { scenario: "latency-backfill", field: "speedupVsNaive", min: 5 },
  { scenario: "latency-backfill-dense", field: "callsToMin", max: 1.2 },
  { scenario: "latency-backfill-dense", field: "ratioToMin", max: 1.15 },
  { scenario: "memory", field: "peakRssMb", max: 200 },
  { scenario: "memory", field: "growthPercent", max: 30 },
  { scenario: "cold-start", field: "wallSeconds", max: 1.5 },
  { scenario: "replay", field: "ratioToFloor", max: 1.3 },
  { scenario: "isolation", field: "ratio", max: 1.5 },
  { scenario: "isolation", field: "missingOnHealthy", max: 0 },
  { scenario: "isolation", field: "missingFromStalledDlq", max: 0 },
];

export function round(value: number, digits = 2): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

export function rate(events: number, seconds: number): number {
  return seconds > 0 ? Math.round(events / seconds) : 0;
}

function cell(value: string | number | boolean): string {
  return typeof value === "number" ? String(round(value)) : String(value);
}

/** A plain-text table: the fixed columns, then every extra field as `key=value`. */
export function formatTable(results: readonly ScenarioResult[]): string {
  const header = ["scenario", "events", "wall s", "events/s", "peak RSS MB", "details"];
  const rows = results.map((r) => {
    const { name, events, wallSeconds, eventsPerSecond, peakRssMb, ...extra } = r;
    const details = Object.entries(extra)
      .map(([k, v]) => `${k}=${cell(v)}`)
      .join(" ");
    return [name, cell(events), cell(wallSeconds), cell(eventsPerSecond), cell(round(peakRssMb, 0)), details];
  });
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => (row[i] ?? "").length)));
  const line = (cells: readonly string[]): string =>
    cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i] ?? 0))).join("  ");
  return [line(header), line(widths.map((w) => "-".repeat(w))), ...rows.map(line)].join("\n");
}

/** "met"/"MISSED" per target whose scenario ran. */
export function formatTargets(results: readonly ScenarioResult[]): string {
  const lines: string[] = [];
  for (const t of TARGETS) {
    const r = results.find((x) => x.name === t.scenario);
    const value = r?.[t.field];
    if (typeof value !== "number") continue;
    const ok = (t.max === undefined || value <= t.max) && (t.min === undefined || value >= t.min);
    const bound = t.max !== undefined ? `<= ${t.max}` : `>= ${String(t.min)}`;
    lines.push(`${ok ? "met   " : "MISSED"}  ${t.scenario}.${t.field} = ${cell(value)} (target ${bound})`);
  }
  return lines.join("\n");
}

/** The middle value (the lower of the two middles for an even count). */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor((sorted.length - 1) / 2)] ?? Number.NaN;
}

/** Every sample of a repeated figure, in run order: "1.18/1.24/1.15". */
export function samples(values: readonly number[]): string {
  return values.map((v) => String(round(v))).join("/");
}
