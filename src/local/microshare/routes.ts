import type { EndpointName } from "./faults.js";
import { VIEW_RECTYPE } from "./views.js";

export type Route =
  | { endpoint: "token" }
  | { endpoint: "login" }
  | { endpoint: "device"; recType: string; clusterId: string }
  | { endpoint: "view" }
  | { endpoint: "share"; recType: string }
  | { endpoint: "other" };

/** Maps a path to its endpoint; auth, API and web-app paths share one port (their hosts differ in production). */
export function route(path: string): Route & { endpoint: EndpointName } {
  let parts: string[];
  try {
    parts = path
      .split("/")
      .filter((p) => p.length > 0)
      .map(decodeURIComponent);
  } catch {
    return { endpoint: "other" };
  }
  const [head, a, b, extra] = parts;
  if (head === "oauth2" && a === "token" && b === undefined) return { endpoint: "token" };
  if (head === "login" && a === undefined) return { endpoint: "login" };
  if (head === "device" && a !== undefined && b !== undefined && extra === undefined) {
    return { endpoint: "device", recType: a, clusterId: b };
  }
  if (head === "share" && a !== undefined && b === undefined) {
    return a === VIEW_RECTYPE ? { endpoint: "view" } : { endpoint: "share", recType: a };
  }
  return { endpoint: "other" };
}
