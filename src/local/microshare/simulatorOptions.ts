/** A rule that makes the simulator answer some calls of an endpoint with an error status instead. */
export interface FaultRule {
  endpoint: "token" | "login" | "device" | "view" | "share" | "any";
  /** 429, 500, 502, 503, 504, 404, 401 … */
  status: number;
  /** Sets a Retry-After header (in seconds) on the faulted response. */
  retryAfterSeconds?: number;
  /** Fail exactly these calls of the endpoint (1-based, numbered like `requestCount(endpoint)`; "any" numbers all calls). */
  onCalls?: readonly number[];
  /** Or fail this fraction of calls (0..1), chosen deterministically from the seed and the call number. */
  rate?: number;
  /** Plain-text body; default a short message. */
  body?: string;
}

export type MalformedKind =
  | "not-json"
  | "missing-objs"
  | "line-not-array"
  | "extended-json-dates"
  | "truncated-json"
  /** `objs` emptied while `meta` still counts the records (a page that contradicts itself). */
  | "contradictory-count"
  /** The whole body is announced (Content-Length), half is sent, then the connection is closed. */
  | "cut-short"
  /** `Content-Encoding: gzip` on bytes that are not gzip. */
  | "broken-gzip";

export interface MalformedRule {
  kind: MalformedKind;
  endpoint: "view" | "device" | "share";
  /** Only these calls of the endpoint (1-based); every call when absent. */
  onCalls?: readonly number[];
}

export interface LateLinesOption {
  /** Fraction (0..1) of lines, chosen deterministically per (room, period), that arrive late. */
  fraction: number;
  /** How long after its period ends a late line becomes visible. */
  delayMs: number;
}

export interface SimulatorCredentials {
  username: string;
  password: string;
  apiKey: string;
}

export interface SimulatorOptions {
  /** Default 0 (an ephemeral port). */
  port?: number;
  /** Default "127.0.0.1". */
  host?: string;
  /** Default 1; every generated value derives from it. */
  seed?: number;
  /** Default 3; named "Building A", "Building B", … then "Building 27", … */
  buildings?: number;
  /** Default 2. */
  floorsPerBuilding?: number;
  /** Default 2. */
  roomsPerFloor?: number;
  /**
   * Rooms per floor of the first buildings, in order (a dense building among sparse ones);
   * the others have `roomsPerFloor`. Default none.
   */
  roomsPerFloorByBuilding?: readonly number[];
  /** First instant with data; default now − 2 days, floored to 15 minutes. */
  dataStart?: Date;
  /** Exclusive end of data; default none (data continues up to "now"). */
  dataEnd?: Date;
  /** The simulator's clock in ms (default Date.now); lines whose period has not ended are not visible. */
  now?: () => number;
  /** Added to every response, default 0. */
  latencyMs?: number;
  faults?: readonly FaultRule[];
  /** Default 48 h; an expired token gets 401 on API calls. */
  tokenLifetimeMs?: number;
  lateLines?: LateLinesOption;
  /** Added to meta.totalCount (records of other tenants the caller cannot see). Default 0. */
  totalCountExtra?: number;
  /** This many extra empty pages are served before the real last page. Default 0. */
  emptyPagesBefore?: number;
  /** A view returns at most this many lines, the most recent ones; default 999. */
  viewLimit?: number;
  /** Default 999. */
  perPageDefault?: number;
  malformed?: MalformedRule;
  /** Defaults: "sim-user@example.com", "sim-password", a fixed GUID. */
  credentials?: SimulatorCredentials;
  /** Device cluster owner.org, default "com.simulated.SIMORG". */
  ownerOrg?: string;
  /** The snapshot cluster names buildings "<prefix><building>" while the snapshot view expects the bare name. Default "". */
  snapshotLocationPrefix?: string;
}

/** Options after defaults, as the simulator reads them on every request (so `configure` takes effect at once). */
export interface ResolvedOptions {
  port: number;
  host: string;
  seed: number;
  buildings: number;
  floorsPerBuilding: number;
  roomsPerFloor: number;
  roomsPerFloorByBuilding: readonly number[];
  dataStartMs: number;
  dataEndMs: number | undefined;
  now: () => number;
  latencyMs: number;
  faults: readonly FaultRule[];
  tokenLifetimeMs: number;
  lateLines: LateLinesOption | undefined;
  totalCountExtra: number;
  emptyPagesBefore: number;
  viewLimit: number;
  perPageDefault: number;
  malformed: MalformedRule | undefined;
  credentials: SimulatorCredentials;
  ownerOrg: string;
  snapshotLocationPrefix: string;
}

export const QUARTER_HOUR_MS = 15 * 60_000;

export const DEFAULT_CREDENTIALS: SimulatorCredentials = {
  username: "sim-user@example.com",
  password: "sim-password",
  apiKey: "3f2c9a1e-7b4d-4e8a-9c61-5d0b2e8f7a13",
};

export const DEFAULT_SIMULATOR_OPTIONS = {
  port: 0,
  host: "127.0.0.1",
  seed: 1,
  buildings: 3,
  floorsPerBuilding: 2,
  roomsPerFloor: 2,
  dataStartAgoMs: 2 * 24 * 3_600_000,
  latencyMs: 0,
  tokenLifetimeMs: 48 * 3_600_000,
  totalCountExtra: 0,
  emptyPagesBefore: 0,
  viewLimit: 999,
  perPageDefault: 999,
  ownerOrg: "com.simulated.SIMORG",
  snapshotLocationPrefix: "",
} as const;

export function resolveOptions(options: SimulatorOptions): ResolvedOptions {
  const d = DEFAULT_SIMULATOR_OPTIONS;
  const now = options.now ?? Date.now;
  const dataStartMs =
    options.dataStart?.getTime() ??
    Math.floor((now() - d.dataStartAgoMs) / QUARTER_HOUR_MS) * QUARTER_HOUR_MS;
  const resolved: ResolvedOptions = {
    port: options.port ?? d.port,
    host: options.host ?? d.host,
    seed: options.seed ?? d.seed,
    buildings: options.buildings ?? d.buildings,
    floorsPerBuilding: options.floorsPerBuilding ?? d.floorsPerBuilding,
    roomsPerFloor: options.roomsPerFloor ?? d.roomsPerFloor,
    roomsPerFloorByBuilding: options.roomsPerFloorByBuilding ?? [],
    dataStartMs,
    dataEndMs: options.dataEnd?.getTime(),
    now,
    latencyMs: options.latencyMs ?? d.latencyMs,
    faults: options.faults ?? [],
    tokenLifetimeMs: options.tokenLifetimeMs ?? d.tokenLifetimeMs,
    lateLines: options.lateLines,
    totalCountExtra: options.totalCountExtra ?? d.totalCountExtra,
    emptyPagesBefore: options.emptyPagesBefore ?? d.emptyPagesBefore,
    viewLimit: options.viewLimit ?? d.viewLimit,
    perPageDefault: options.perPageDefault ?? d.perPageDefault,
    malformed: options.malformed,
    credentials: options.credentials ?? DEFAULT_CREDENTIALS,
    ownerOrg: options.ownerOrg ?? d.ownerOrg,
    snapshotLocationPrefix: options.snapshotLocationPrefix ?? d.snapshotLocationPrefix,
  };
  validateOptions(resolved);
  return resolved;
}

/** Applies a run-time patch; returns true when the building layout changed (the dataset must be rebuilt). */
export function applyPatch(
  target: ResolvedOptions,
  patch: Partial<Omit<SimulatorOptions, "port" | "host" | "seed">>,
): boolean {
  const before = [target.buildings, target.floorsPerBuilding, target.roomsPerFloor].join();
  if (patch.buildings !== undefined) target.buildings = patch.buildings;
  if (patch.floorsPerBuilding !== undefined) target.floorsPerBuilding = patch.floorsPerBuilding;
  if (patch.roomsPerFloor !== undefined) target.roomsPerFloor = patch.roomsPerFloor;
  if (patch.dataStart !== undefined) target.dataStartMs = patch.dataStart.getTime();
  if (patch.dataEnd !== undefined) target.dataEndMs = patch.dataEnd.getTime();
  if (patch.now !== undefined) target.now = patch.now;
  if (patch.latencyMs !== undefined) target.latencyMs = patch.latencyMs;
  if (patch.faults !== undefined) target.faults = patch.faults;
  if (patch.tokenLifetimeMs !== undefined) target.tokenLifetimeMs = patch.tokenLifetimeMs;
  if (patch.lateLines !== undefined) target.lateLines = patch.lateLines;
  if (patch.totalCountExtra !== undefined) target.totalCountExtra = patch.totalCountExtra;
  if (patch.emptyPagesBefore !== undefined) target.emptyPagesBefore = patch.emptyPagesBefore;
  if (patch.viewLimit !== undefined) target.viewLimit = patch.viewLimit;
  if (patch.perPageDefault !== undefined) target.perPageDefault = patch.perPageDefault;
  if (patch.malformed !== undefined) target.malformed = patch.malformed;
  if (patch.credentials !== undefined) target.credentials = patch.credentials;
  if (patch.ownerOrg !== undefined) target.ownerOrg = patch.ownerOrg;
  if (patch.snapshotLocationPrefix !== undefined)
    target.snapshotLocationPrefix = patch.snapshotLocationPrefix;
  validateOptions(target);
  return before !== [target.buildings, target.floorsPerBuilding, target.roomsPerFloor].join();
}

function validateOptions(o: ResolvedOptions): void {
  const positive: [string, number][] = [
    ["buildings", o.buildings],
    ["floorsPerBuilding", o.floorsPerBuilding],
    ["roomsPerFloor", o.roomsPerFloor],
    ["viewLimit", o.viewLimit],
    ["perPageDefault", o.perPageDefault],
  ];
  for (const [name, value] of positive) {
    if (!Number.isInteger(value) || value < 1) {
      throw new RangeError(`Simulator option ${name} must be a positive integer, got ${value}`);
    }
  }
  if (!Number.isFinite(o.dataStartMs)) throw new RangeError("Simulator option dataStart is not a valid date");
  if (o.lateLines && (o.lateLines.fraction < 0 || o.lateLines.fraction > 1)) {
    throw new RangeError(
      `Simulator option lateLines.fraction must be within 0..1, got ${o.lateLines.fraction}`,
    );
  }
}
