import type { HubFault } from "./hubFaults.js";

/** The fault kinds an operator can name, with what each imitates. */
export const FAULT_KINDS = [
  "reject",
  "release",
  "stall",
  "slow",
  "drop-link",
  "down",
  "reset-on-close",
] as const;

/**
 * Reads `hub=kind[:condition]` (the `--fault` option), e.g. `b=stall`, `b=down`, `b=slow:500`
 * (milliseconds per transfer), `b=reject:com.microsoft:server-busy`. Throws an Error naming what is wrong.
 */
export function parseFaultSpec(spec: string, hubs: readonly string[]): { hub: string; fault: HubFault } {
  const eq = spec.indexOf("=");
  if (eq <= 0) throw new Error(`--fault "${spec}" must be hub=kind, e.g. b=stall`);
  const hub = spec.slice(0, eq).trim();
  if (!hubs.includes(hub))
    throw new Error(`--fault "${spec}" names hub "${hub}"; the hubs are ${hubs.join(", ")}`);
  return { hub, fault: parseFault(spec.slice(eq + 1).trim()) };
}

/** `kind[:condition]` or a JSON object `{"kind": …}` (the control endpoint's body) → a HubFault. */
export function parseFault(text: string | Record<string, unknown>): HubFault {
  const object = typeof text === "string" ? undefined : text;
  const kind = object === undefined ? (text as string).split(":")[0] : object.kind;
  switch (kind) {
    case "reject": {
      const condition =
        object === undefined ? (text as string).slice("reject:".length) : String(object.condition ?? "");
      return { kind: "reject", condition: condition === "" ? "amqp:internal-error" : condition };
    }
    case "slow": {
      const raw = object === undefined ? (text as string).slice("slow:".length) : object.delayInMs;
      const delayInMs = Number(raw);
      if (!Number.isInteger(delayInMs) || delayInMs < 0)
        throw new Error(`fault "slow" needs a delay in milliseconds, e.g. slow:500 (got "${String(raw)}")`);
      return { kind: "slow", delayInMs };
    }
    case "release":
    case "stall":
    case "drop-link":
    case "down":
    case "reset-on-close":
      return { kind };
    default:
      throw new Error(
        `unknown fault "${String(kind)}"; use one of ${FAULT_KINDS.join(", ")} (reject:<condition>, slow:<ms>)`,
      );
  }
}
