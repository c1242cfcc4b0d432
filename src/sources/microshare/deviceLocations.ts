import { concatMap, EMPTY, from, map, reduce, type Observable } from "rxjs";
import type { Logger } from "../../observability/logger.js";
import { allPages } from "./allPages.js";
import { annotateFailure } from "./annotateFailure.js";
import { malformed, parseEnvelope } from "./envelope.js";
import type { MicroshareClient } from "./microshareClient.js";

export interface LocationQuery {
  /** Packed recType of the cluster, e.g. io.microshare.peoplecounter.packed. */
  readonly packedRecType: string;
  readonly clusterId: string;
  /** Only clusters whose owner.org contains this (case-insensitive) yield locations. */
  readonly identity: string | undefined;
  /** Stripped from cluster building names before they are used in view queries ("ACME Dinard" → "Dinard"). */
  readonly locationPrefix: string;
  readonly perPage: number;
  readonly maxPages: number;
}

/** A building: the unit of watermarks, view calls and partition keys. */
export interface Location {
  /** The name the view expects as `loc1`. */
  readonly name: string;
  /** The name as the device cluster spells it (may carry the prefix). */
  readonly clusterName: string;
  /**
   * How many of the cluster's devices are in it: what the engine sizes a new location's first
   * windows from (each device reports at a known rate), before it has seen any of its data.
   * Absent for locations that do not come from a device cluster.
   */
  readonly devices?: number;
}

/**
 * The distinct buildings (`devices[].meta.location[0]`) of a device cluster, sorted by name,
 * emitted once as an array. A cluster owned by another organisation yields none, with a
 * warning: it is a configuration mistake to point out, not an outage.
 */
export function deviceLocations$(
  client: MicroshareClient,
  query: LocationQuery,
  logger: Logger,
): Observable<readonly Location[]> {
  const path = `/device/${encodeURIComponent(query.packedRecType)}/${encodeURIComponent(query.clusterId)}`;
  const endpoint = "GET /device";
  return allPages(
    (page) =>
      client
        .getJson$(
          path,
          { details: "true", page: String(page), perPage: String(query.perPage) },
          endpoint,
          (body) => parseEnvelope(body, { endpoint, clusterId: query.clusterId, page }),
        )
        .pipe(
          annotateFailure(
            { endpoint, clusterId: query.clusterId, page },
            {
              "not-found": `check the device cluster id "${query.clusterId}" (MICROSHARE_PC_DEVICE_CLUSTER_ID or MICROSHARE_SNAPSHOT_DEVICE_CLUSTER_ID) and MICROSHARE_IDENTITY`,
            },
          ),
        ),
    query.maxPages,
  ).pipe(
    annotateFailure({ endpoint, clusterId: query.clusterId }),
    concatMap((page) => from(page.objs)),
    concatMap((cluster) => {
      const names = buildingsOf(cluster, query, logger);
      return names.length === 0 ? EMPTY : from(names);
    }),
    // Distinct by the name the view is queried with: "ACME Dinard" and "Dinard" are one
    // building once the prefix is stripped, and must not be read (and sent) twice.
    reduce((byName, clusterName) => {
      const name =
        query.locationPrefix !== "" && clusterName.startsWith(query.locationPrefix)
          ? clusterName.slice(query.locationPrefix.length).trim()
          : clusterName;
      const seen = byName.get(name);
      byName.set(name, { clusterName: seen?.clusterName ?? clusterName, devices: (seen?.devices ?? 0) + 1 });
      return byName;
    }, new Map<string, { clusterName: string; devices: number }>()),
    map((byName) =>
      [...byName]
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([name, { clusterName, devices }]) => ({ name, clusterName, devices })),
    ),
  );
}

function buildingsOf(cluster: unknown, query: LocationQuery, logger: Logger): string[] {
  const context = { endpoint: "GET /device", clusterId: query.clusterId };
  if (cluster === null || typeof cluster !== "object")
    throw malformed("a device cluster is not an object", context);
  const c = cluster as { owner?: { org?: unknown }; data?: { devices?: unknown } };
  const org = typeof c.owner?.org === "string" ? c.owner.org : "";
  if (query.identity !== undefined && !org.toLowerCase().includes(query.identity.toLowerCase())) {
    logger.warn(
      `device cluster ${query.clusterId} belongs to "${org}", which does not match MICROSHARE_IDENTITY "${query.identity}"; it yields no locations`,
    );
    return [];
  }
  const devices = c.data?.devices;
  if (!Array.isArray(devices)) throw malformed('a device cluster has no "data.devices" array', context);
  const names: string[] = [];
  for (const device of devices) {
    const location = (device as { meta?: { location?: unknown } } | null)?.meta?.location;
    const building = Array.isArray(location) ? location[0] : undefined;
    if (typeof building === "string" && building.trim() !== "") names.push(building.trim());
  }
  return names;
}
