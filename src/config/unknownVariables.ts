import { editDistance } from "./editDistance.js";
import { PROJECT_PREFIXES, VARIABLES } from "./variables.js";

/**
 * A variable nothing reads that looks like one of the project's: it has one of the project's
 * prefixes, or it is a slip of the keyboard away from a declared name (`METRIC_PORT`,
 * `EVENTHUB_CONNECTION_STRINGS`). A typo, or a removed setting.
 */
export interface UnknownVariable {
  readonly name: string;
  /** The declared variable nearest to it, when it is near enough to be the one meant. */
  readonly didYouMean?: string;
}

const KNOWN = new Set(VARIABLES.map((v) => v.name));

/**
 * The environment's variables that look like the project's but are not declared in VARIABLES.
 * A typo like `EVENT_HUB_CONECTION_STRINGS` would otherwise leave the setting at its default
 * without a word. Kubernetes' service links (`REDIS_SERVICE_HOST`, `REDIS_PORT=tcp://…` for a
 * Service named redis) are the platform's, not the operator's, and are not reported.
 */
export function unknownVariables(env: Readonly<Record<string, string | undefined>>): UnknownVariable[] {
  const unknown: UnknownVariable[] = [];
  for (const name of Object.keys(env).sort()) {
    if (env[name] === undefined || KNOWN.has(name)) continue;
    if (PROJECT_PREFIXES.some((p) => name.startsWith(p))) {
      if (isServiceLink(name, env[name] ?? "")) continue;
      const nearest = nearestKnown(name);
      unknown.push(nearest === undefined ? { name } : { name, didYouMean: nearest });
    } else {
      const slip = slipOf(name);
      if (slip !== undefined) unknown.push({ name, didYouMean: slip });
    }
  }
  return unknown;
}

/** The warning an unknown variable gets, at start-up and from `validate`/`config`. */
export function describeUnknown(unknown: UnknownVariable): string {
  const hint = unknown.didYouMean === undefined ? "" : `; did you mean ${unknown.didYouMean}?`;
  return `${unknown.name} is set but is not a variable of microshare-pipeline (it is ignored)${hint}`;
}

function isServiceLink(name: string, value: string): boolean {
  if (/_SERVICE_(HOST|PORT)(_[A-Z0-9_]+)?$/.test(name)) return true;
  if (/_PORT_\d+_(TCP|UDP|SCTP)(_PROTO|_PORT|_ADDR)?$/.test(name)) return true;
  return /_PORT$/.test(name) && /^(tcp|udp|sctp):\/\//.test(value);
}

function nearestKnown(name: string): string | undefined {
  // Near enough to be a slip of the keyboard, not merely another variable of the same family.
  return nearestWithin(name, Math.max(2, Math.floor(name.length / 6)));
}

/**
 * The declared name an unprefixed variable is a typo of, if any. Stricter than `nearestKnown`:
 * the environment holds every other program's variables too, so only upper-case names of some
 * length and one or two edits away count (a short name two edits from `LEASE_TTL` is more
 * likely someone else's).
 */
function slipOf(name: string): string | undefined {
  if (name.length < 8 || name !== name.toUpperCase()) return undefined;
  return nearestWithin(name, name.length >= 10 ? 2 : 1);
}

/** The declared name fewest edits from `name`, if it is at most `allowed` edits away. */
function nearestWithin(name: string, allowed: number): string | undefined {
  let best: { name: string; distance: number } | undefined;
  for (const known of KNOWN) {
    // Names whose lengths differ by more than `allowed` are further apart than that.
    if (Math.abs(known.length - name.length) > allowed) continue;
    const distance = editDistance(name, known);
    if (distance <= allowed && (best === undefined || distance < best.distance))
      best = { name: known, distance };
  }
  return best?.name;
}
