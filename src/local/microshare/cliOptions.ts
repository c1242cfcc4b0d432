import type { FaultRule, MalformedKind, MalformedRule, SimulatorOptions } from "./simulatorOptions.js";

const FAULT_ENDPOINTS = ["token", "login", "device", "view", "share", "any"] as const;
const MALFORMED_ENDPOINTS = ["view", "device", "share"] as const;
const MALFORMED_KINDS: readonly MalformedKind[] = [
  "not-json",
  "missing-objs",
  "line-not-array",
  "extended-json-dates",
  "truncated-json",
  "contradictory-count",
  "cut-short",
  "broken-gzip",
];

function member<T extends string>(value: string | undefined, allowed: readonly T[], what: string): T {
  const found = allowed.find((a) => a === value);
  if (found === undefined)
    throw new Error(`Unknown ${what} "${value ?? ""}"; expected one of ${allowed.join(", ")}`);
  return found;
}

function calls(raw: string): number[] {
  const numbers = raw.split(/[;|]/).map(Number);
  if (numbers.some((n) => !Number.isInteger(n) || n < 1)) throw new Error(`Bad call list "${raw}"`);
  return numbers;
}

/** Parses `endpoint:status[:key=value,…]`, keys `calls=1;3`, `rate=0.1`, `retry-after=2`, `body=text`. */
export function parseFaultSpec(spec: string): FaultRule {
  const [endpoint, status, ...rest] = spec.split(":");
  const settings = rest.join(":");
  const code = Number(status);
  if (!Number.isInteger(code) || code < 100 || code > 599) throw new Error(`Bad status in fault "${spec}"`);
  const rule: FaultRule = { endpoint: member(endpoint, FAULT_ENDPOINTS, "fault endpoint"), status: code };
  for (const setting of settings.split(",").filter((s) => s.length > 0)) {
    const [key, value = ""] = setting.split(/=(.*)/s);
    if (key === "calls") rule.onCalls = calls(value);
    else if (key === "rate") rule.rate = Number(value);
    else if (key === "retry-after") rule.retryAfterSeconds = Number(value);
    else if (key === "body") rule.body = value;
    else throw new Error(`Unknown fault setting "${key ?? ""}" in "${spec}"`);
  }
  return rule;
}

/** Parses `kind:endpoint[:calls]`, e.g. `truncated-json:view:2;5`. */
export function parseMalformedSpec(spec: string): MalformedRule {
  const [kind, endpoint, onCalls] = spec.split(":");
  const rule: MalformedRule = {
    kind: member(kind, MALFORMED_KINDS, "malformed kind"),
    endpoint: member(endpoint, MALFORMED_ENDPOINTS, "malformed endpoint"),
  };
  if (onCalls !== undefined && onCalls.length > 0) rule.onCalls = calls(onCalls);
  return rule;
}

export interface CliArgs {
  port: number;
  host: string;
  seed: number;
  buildings: number;
  floorsPerBuilding: number;
  roomsPerFloor: number;
  dataStart: string | undefined;
  dataEnd: string | undefined;
  latencyMs: number;
  tokenLifetimeMs: number | undefined;
  lateFraction: number;
  lateDelayMs: number;
  totalCountExtra: number;
  emptyPagesBefore: number;
  viewLimit: number;
  perPageDefault: number;
  fault: readonly string[];
  malformed: string | undefined;
  username: string | undefined;
  password: string | undefined;
  apiKey: string | undefined;
  ownerOrg: string | undefined;
  snapshotLocationPrefix: string;
}

function date(raw: string, flag: string): Date {
  const d = new Date(raw);
  if (Number.isNaN(d.getTime())) throw new Error(`--${flag} must be an ISO-8601 date, got "${raw}"`);
  return d;
}

/** Turns parsed command-line flags into simulator options. */
export function optionsFromCli(
  args: CliArgs,
  defaults: { username: string; password: string; apiKey: string },
): SimulatorOptions {
  const options: SimulatorOptions = {
    port: args.port,
    host: args.host,
    seed: args.seed,
    buildings: args.buildings,
    floorsPerBuilding: args.floorsPerBuilding,
    roomsPerFloor: args.roomsPerFloor,
    latencyMs: args.latencyMs,
    totalCountExtra: args.totalCountExtra,
    emptyPagesBefore: args.emptyPagesBefore,
    viewLimit: args.viewLimit,
    perPageDefault: args.perPageDefault,
    faults: args.fault.map(parseFaultSpec),
    snapshotLocationPrefix: args.snapshotLocationPrefix,
    credentials: {
      username: args.username ?? defaults.username,
      password: args.password ?? defaults.password,
      apiKey: args.apiKey ?? defaults.apiKey,
    },
  };
  if (args.dataStart !== undefined) options.dataStart = date(args.dataStart, "data-start");
  if (args.dataEnd !== undefined) options.dataEnd = date(args.dataEnd, "data-end");
  if (args.tokenLifetimeMs !== undefined) options.tokenLifetimeMs = args.tokenLifetimeMs;
  if (args.lateFraction > 0) options.lateLines = { fraction: args.lateFraction, delayMs: args.lateDelayMs };
  if (args.malformed !== undefined) options.malformed = parseMalformedSpec(args.malformed);
  if (args.ownerOrg !== undefined) options.ownerOrg = args.ownerOrg;
  return options;
}
