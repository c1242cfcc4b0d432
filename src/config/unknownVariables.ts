import { PROJECT_PREFIXES, VARIABLES } from "./variables.js";

/** A variable with one of the project's prefixes that nothing reads: a typo, or a removed setting. */
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
  return Object.keys(env)
    .filter((name) => env[name] !== undefined && PROJECT_PREFIXES.some((p) => name.startsWith(p)))
    .filter((name) => !KNOWN.has(name) && !isServiceLink(name, env[name] ?? ""))
    .sort()
    .map((name) => {
      const nearest = nearestKnown(name);
      return nearest === undefined ? { name } : { name, didYouMean: nearest };
    });
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
  let best: { name: string; distance: number } | undefined;
  for (const known of KNOWN) {
    const distance = editDistance(name, known);
    if (best === undefined || distance < best.distance) best = { name: known, distance };
  }
  // Near enough to be a slip of the keyboard, not merely another variable of the same family.
  const allowed = Math.max(2, Math.floor(name.length / 6));
  return best !== undefined && best.distance <= allowed ? best.name : undefined;
}

/** Levenshtein distance with adjacent transpositions counted as one edit (optimal string alignment). */
function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) =>
    Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      const row = d[i]!;
      row[j] = Math.min(d[i - 1]![j]! + 1, row[j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        row[j] = Math.min(row[j]!, d[i - 2]![j - 2]! + 1);
    }
  }
  return d[a.length]![b.length]!;
}
