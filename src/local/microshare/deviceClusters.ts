import { type SimResponse, jsonResponse, notFound } from "./simResponse.js";
import type { Dataset } from "./dataset.js";

export const PEOPLE_COUNTER_PACKED_RECTYPE = "io.microshare.peoplecounter.packed";
export const SNAPSHOT_PACKED_RECTYPE = "io.microshare.lake.snapshot.packed";

export interface ClusterContext {
  dataset: Dataset;
  ownerOrg: string;
  appId: string;
  username: string;
  snapshotLocationPrefix: string;
  dataStartMs: number;
}

/**
 * The device cluster with that id: every room is a device whose meta.location is
 * [building, floor, room]. The snapshot cluster names buildings with the configured prefix,
 * which the snapshot view does not use (a quirk seen on live data).
 */
export function clusterObject(clusterId: string, ctx: ClusterContext): Record<string, unknown> | undefined {
  const ids = ctx.dataset.ids;
  const isPeopleCounter = clusterId === ids.peopleCounterClusterId;
  if (!isPeopleCounter && clusterId !== ids.snapshotClusterId) return undefined;
  const prefix = isPeopleCounter ? "" : ctx.snapshotLocationPrefix;
  const created = new Date(ctx.dataStartMs).toISOString();
  return {
    id: clusterId,
    recType: isPeopleCounter ? PEOPLE_COUNTER_PACKED_RECTYPE : SNAPSHOT_PACKED_RECTYPE,
    createDate: created,
    updateDate: created,
    owner: { org: ctx.ownerOrg, appid: ctx.appId, user: ctx.username },
    tags: [],
    data: {
      name: isPeopleCounter ? "Simulated people counters" : "Simulated occupancy snapshots",
      targetRecType: isPeopleCounter
        ? "io.microshare.peoplecounter.unpacked"
        : "io.microshare.lake.snapshot.hourly",
      meta: { location: isPeopleCounter ? "Microshare,simulated,people" : "Microshare,simulated,snapshot" },
      devices: ctx.dataset.topology.rooms.map((room) => ({
        id: room.deviceId,
        guid: room.deviceId,
        meta: { location: [`${prefix}${room.tags[0]}`, room.tags[1], room.tags[2]] },
      })),
    },
  };
}

/** `GET /device/{packedRecType}/{clusterId}`: either cluster id is accepted on any recType path. */
export function handleDeviceCluster(clusterId: string, ctx: ClusterContext): SimResponse {
  const cluster = clusterObject(clusterId, ctx);
  if (!cluster) return notFound();
  return jsonResponse(200, {
    meta: { totalPages: 1, currentPage: 1, perPage: 999, totalCount: 1, currentCount: 1, source: "db" },
    objs: [cluster],
  });
}
