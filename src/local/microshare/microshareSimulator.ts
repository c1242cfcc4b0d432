import { randomBytes } from "node:crypto";
import { type IncomingMessage, type Server, type ServerResponse, createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { type AuthContext, handleLogin, handleTokenGrant } from "./auth.js";
import { Dataset, flattenGroups } from "./dataset.js";
import { handleDeviceCluster } from "./deviceClusters.js";
import { faultResponse, pickFault } from "./faults.js";
import type { Visibility } from "./lineSelection.js";
import type { PeopleCounterGroupLine } from "./peopleCounterLines.js";
import { writeResponse } from "./responseWriter.js";
import { route } from "./routes.js";
import { handleShareList } from "./shareList.js";
import { type SimRequest, type SimResponse, textResponse } from "./simResponse.js";
import {
  type ResolvedOptions,
  type SimulatorCredentials,
  type SimulatorOptions,
  applyPatch,
  resolveOptions,
} from "./simulatorOptions.js";
import type { SnapshotGroupLine } from "./snapshotLines.js";
import { RequestStats, type RequestRecord, type StartedRequest } from "./stats.js";
import { TokenStore } from "./tokenStore.js";
import type { SimulatorIds } from "./topology.js";
import { handleView } from "./views.js";

export type {
  FaultRule,
  LateLinesOption,
  MalformedKind,
  MalformedRule,
  SimulatorCredentials,
  SimulatorOptions,
} from "./simulatorOptions.js";
export type { PeopleCounterGroupLine } from "./peopleCounterLines.js";
export type { SnapshotGroupLine } from "./snapshotLines.js";
export type { RequestRecord } from "./stats.js";
export type { SimulatorIds } from "./topology.js";

const MAX_BODY_BYTES = 1_000_000;

type SimulatorPatch = Partial<Omit<SimulatorOptions, "port" | "host" | "seed">>;

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) chunks.push(chunk);
    });
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

/**
 * A local Microshare: auth, REST API and web-app login on one HTTP port, serving deterministic
 * people-counter and snapshot data computed on demand from the seed, with switches for latency,
 * faults, token expiry, late lines, paging quirks and malformed bodies (see SimulatorOptions).
 */
export class MicroshareSimulator {
  private readonly stats = new RequestStats();
  private readonly tokens = new TokenStore();
  private readonly jwtSecret = randomBytes(32);
  private readonly pendingDelays = new Map<NodeJS.Timeout, () => void>();
  private dataset: Dataset;
  private closing: Promise<void> | undefined;
  private baseUrl = "";

  private constructor(
    private readonly options: ResolvedOptions,
    private readonly server: Server,
  ) {
    this.dataset = new Dataset(
      options.seed,
      options.buildings,
      options.floorsPerBuilding,
      options.roomsPerFloor,
      options.roomsPerFloorByBuilding,
    );
    server.on("request", (req: IncomingMessage, res: ServerResponse) => this.onRequest(req, res));
  }

  /** Starts listening (default 127.0.0.1 on an ephemeral port); resolves once `url` is usable. */
  static async start(options: SimulatorOptions = {}): Promise<MicroshareSimulator> {
    const resolved = resolveOptions(options);
    const sim = new MicroshareSimulator(resolved, createServer({ keepAlive: true }));
    await new Promise<void>((resolve, reject) => {
      sim.server.once("error", reject);
      sim.server.listen(resolved.port, resolved.host, () => {
        sim.server.off("error", reject);
        resolve();
      });
    });
    const address = sim.server.address() as AddressInfo;
    const host = address.family === "IPv6" ? `[${address.address}]` : address.address;
    sim.baseUrl = `http://${host}:${address.port}`;
    return sim;
  }

  get url(): string {
    return this.baseUrl;
  }

  get credentials(): SimulatorCredentials {
    return { ...this.options.credentials };
  }

  get ids(): SimulatorIds {
    return { ...this.dataset.ids };
  }

  get buildings(): readonly string[] {
    return this.dataset.topology.buildings;
  }

  /** How many rooms (one people counter each in the device cluster) a building has. */
  roomsIn(building: string): number {
    return this.dataset.topology.roomsOf(building).length;
  }

  get requests(): readonly RequestRecord[] {
    return this.stats.records;
  }

  /** Changes switches at run time; a new building layout regenerates the (lazy) dataset. */
  configure(patch: SimulatorPatch): void {
    if (applyPatch(this.options, patch)) {
      const o = this.options;
      this.dataset = new Dataset(
        o.seed,
        o.buildings,
        o.floorsPerBuilding,
        o.roomsPerFloor,
        o.roomsPerFloorByBuilding,
      );
    }
  }

  /** Calls received since start or `resetStats`, for one endpoint or all. */
  requestCount(endpoint?: "token" | "login" | "device" | "view" | "share"): number {
    return this.stats.count(endpoint);
  }

  /** Peak number of concurrent requests, for one endpoint or (default) all. */
  maxInFlight(endpoint?: string): number {
    return this.stats.maxInFlight(endpoint);
  }

  /** Clears the request log, counts and peaks; fault `onCalls` numbering restarts at 1. */
  resetStats(): void {
    this.stats.reset();
  }

  expireTokens(): void {
    this.tokens.expireAll();
  }

  /**
   * Ground truth: people-counter lines of a building with from <= time < to, visible now (or at
   * `visibleAt`), without the view limit; by time, then room.
   */
  peopleCounterLines(building: string, from: Date, to: Date, visibleAt?: Date): PeopleCounterGroupLine[] {
    const vis = { ...this.visibility(), ...(visibleAt === undefined ? {} : { nowMs: visibleAt.getTime() }) };
    return flattenGroups(
      this.dataset.peopleCounterGroups(building, from.getTime(), to.getTime() - 1, vis, Infinity),
    );
  }

  /** Ground truth: snapshot lines of a building (bare name) with from <= time < to, visible now; by time, then room. */
  snapshotLines(building: string, from: Date, to: Date): SnapshotGroupLine[] {
    const vis = this.visibility();
    return flattenGroups(
      this.dataset.snapshotGroups(building, from.getTime(), to.getTime() - 1, vis, Infinity),
    );
  }

  /** Stops listening and destroys open (keep-alive) sockets; safe to call more than once. */
  close(): Promise<void> {
    this.closing ??= new Promise<void>((resolve) => {
      for (const [timer, release] of this.pendingDelays) {
        clearTimeout(timer);
        release();
      }
      this.pendingDelays.clear();
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
    return this.closing;
  }

  private visibility(): Visibility {
    const o = this.options;
    return {
      seed: o.seed,
      nowMs: o.now(),
      dataStartMs: o.dataStartMs,
      dataEndMs: o.dataEndMs,
      lateLines: o.lateLines,
    };
  }

  private delay(ms: number): Promise<void> {
    if (ms <= 0 || this.closing) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.pendingDelays.delete(timer);
        resolve();
      }, ms);
      this.pendingDelays.set(timer, resolve);
    });
  }

  private onRequest(req: IncomingMessage, res: ServerResponse): void {
    const url = new URL(req.url ?? "/", "http://simulator.invalid");
    const target = route(url.pathname);
    const started = this.stats.begin(target.endpoint, req.method ?? "GET", url.pathname, url.searchParams);
    let ended = false;
    const end = (): void => {
      if (ended) return;
      ended = true;
      this.stats.end(started, res.statusCode);
    };
    res.on("finish", end);
    res.on("close", end);
    readBody(req)
      .then(async (body) => {
        await this.delay(this.options.latencyMs);
        const simReq: SimRequest = {
          method: req.method ?? "GET",
          path: url.pathname,
          query: url.searchParams,
          headers: req.headers,
          body,
        };
        writeResponse(res, this.answer(simReq, target, started), this.options.malformed, started);
      })
      .catch((error: unknown) => {
        writeResponse(res, textResponse(500, `Simulator error: ${String(error)}`), undefined, started);
      });
  }

  private answer(req: SimRequest, target: ReturnType<typeof route>, started: StartedRequest): SimResponse {
    const o = this.options;
    const fault = pickFault(o.faults, target.endpoint, started, o.seed);
    if (fault) return faultResponse(fault);
    const nowMs = o.now();
    const auth: AuthContext = {
      credentials: o.credentials,
      tokens: this.tokens,
      nowMs,
      tokenLifetimeMs: o.tokenLifetimeMs,
      ownerOrg: o.ownerOrg,
    };
    if (target.endpoint === "token") return handleTokenGrant(req, auth);
    if (target.endpoint === "login") return handleLogin(req, auth, this.jwtSecret);
    if (target.endpoint === "other") return textResponse(404, `No route for ${req.method} ${req.path}`);
    if (req.method !== "GET") return textResponse(405, "Method Not Allowed");
    const token = TokenStore.bearer(req.headers.authorization);
    if (token === undefined || !this.tokens.isValid(token, nowMs)) {
      return textResponse(401, "Unauthorized: missing, invalid or expired access token");
    }
    const paging = { totalCountExtra: o.totalCountExtra, emptyPagesBefore: o.emptyPagesBefore };
    switch (target.endpoint) {
      case "device":
        return handleDeviceCluster(target.clusterId, {
          dataset: this.dataset,
          ownerOrg: o.ownerOrg,
          appId: o.credentials.apiKey,
          username: o.credentials.username,
          snapshotLocationPrefix: o.snapshotLocationPrefix,
          dataStartMs: o.dataStartMs,
        });
      case "view":
        return handleView(req.query, {
          dataset: this.dataset,
          visibility: this.visibility(),
          viewLimit: o.viewLimit,
          perPageDefault: o.perPageDefault,
          paging,
        });
      case "share":
        return handleShareList(target.recType, req.query, {
          dataset: this.dataset,
          nowMs,
          dataStartMs: o.dataStartMs,
          dataEndMs: o.dataEndMs,
          perPageDefault: o.perPageDefault,
          paging,
          owner: { org: o.ownerOrg, appid: o.credentials.apiKey, user: o.credentials.username },
        });
    }
  }
}
