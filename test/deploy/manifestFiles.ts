import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { parse, parseAllDocuments } from "yaml";

export const ROOT = join(import.meta.dirname, "..", "..");

/** A parsed YAML or JSON node, walked with `field`/`list` below (manifests are untyped data). */
export type Node = unknown;

/** Parses one YAML file; `merge` resolves `<<:` keys as docker compose does. */
export function readYaml(path: string): Node {
  return parse(readFileSync(join(ROOT, path), "utf8"), { merge: true });
}

/** Every document of a multi-document YAML file, failing on any parse error. */
export function readYamlDocuments(path: string): Node[] {
  return parseAllDocuments(readFileSync(join(ROOT, path), "utf8"), { merge: true }).map((doc) => {
    if (doc.errors.length > 0) throw new Error(`${path}: ${doc.errors.map((e) => e.message).join("; ")}`);
    return doc.toJS() as Node;
  });
}

export function kubernetesManifests(): { file: string; doc: Node }[] {
  const dir = "deploy/kubernetes";
  return readdirSync(join(ROOT, dir))
    .filter((f) => f.endsWith(".yaml"))
    .flatMap((f) => readYamlDocuments(join(dir, f)).map((doc) => ({ file: f, doc })));
}

/** `node.a.b.c`, or undefined as soon as a step is missing. */
export function field(node: Node, ...path: string[]): Node {
  let current = node;
  for (const key of path) {
    if (current === null || typeof current !== "object" || Array.isArray(current)) return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}

export function list(node: Node): Node[] {
  return Array.isArray(node) ? (node as Node[]) : [];
}

export function stringRecord(node: Node): Record<string, string> {
  if (node === null || typeof node !== "object" || Array.isArray(node)) return {};
  return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, String(v)]));
}

/**
 * Every variable the configuration reads, taken from the source text of `src/config`
 * (`r.read("X"`, `r.raw("X")`, `env.X` …) so the manifests are checked against the code, not
 * against a second list.
 */
export function knownVariables(): Set<string> {
  const dir = join(ROOT, "src/config");
  const source = readdirSync(dir)
    .filter((f) => f.endsWith(".ts"))
    .map((f) => readFileSync(join(dir, f), "utf8"))
    .join("\n");
  const names = new Set<string>();
  for (const m of source.matchAll(/\b(?:read|raw|string|optional|fail)\(\s*"([A-Z][A-Z0-9_]+)"/g))
    names.add(m[1] ?? "");
  for (const m of source.matchAll(/\benv\.([A-Z][A-Z0-9_]+)/g)) names.add(m[1] ?? "");
  names.delete("");
  return names;
}
