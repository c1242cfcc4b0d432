import type { AddressInfo, Server, Socket } from "node:net";
import rhea from "rhea";
import { closeConnection } from "./connectionControl.js";
import { ConnectionRegistry } from "./connectionState.js";
import { downError, type HubFault } from "./hubFaults.js";
import { HubStore, type HubStats, type ReceivedEvent } from "./hubStore.js";
import { LinkRouter } from "./linkRouter.js";
import { acceptCbsSasl, padPerformativeFields } from "./rheaInternals.js";

export type { HubFault } from "./hubFaults.js";
export type { HubStats, ReceivedEvent } from "./hubStore.js";

export interface LocalEventHubsOptions {
  /** TCP port; default 0, an ephemeral port (read it back from `port`). */
  port?: number;
  /** Interface to bind; default "127.0.0.1". */
  host?: string;
  /** Hub names served on this one port. */
  hubs: readonly string[];
  /** Partitions per hub; default 4. */
  partitionCount?: number;
  /** Largest transfer accepted, sent as `max_message_size` in the sender attach; default 1048576 (Standard tier). */
  maxMessageSizeInBytes?: number;
  /**
   * Default true: every accepted event is decoded and kept (`received`, consumers, waits).
   * false: accepted events are only counted (`stats`), not decoded or kept. Benchmarks use it:
   * the endpoint stands in for a remote service, and decoding every event would take CPU from
   * the process being measured on the same machine.
   */
  retainEvents?: boolean;
  /**
   * Also serve AMQP over TLS (amqps) on this port, as the service does on 5671. Clients that
   * ignore `UseDevelopmentEmulator` always dial TLS there (the Python `azure-eventhub` SDK of
   * the old forwarder's consumer scripts). Both ports serve the same hubs.
   */
  tls?: LocalTlsOptions;
}

export interface LocalTlsOptions {
  /** Default 0, an ephemeral port (read it back from `tlsPort`). */
  port?: number;
  /** PEM private key and certificate chain; the certificate should name the host clients dial. */
  key: string | Buffer;
  cert: string | Buffer;
}

export interface WaitForEventsOptions {
  /** Default 10000. */
  timeoutInMs?: number;
}

export const DEFAULT_LOCAL_EVENT_HUBS_OPTIONS = {
  port: 0,
  host: "127.0.0.1",
  partitionCount: 4,
  maxMessageSizeInBytes: 1048576,
  waitTimeoutInMs: 10000,
} as const;

/** Time given to clients to answer our `close` before `close()` destroys their sockets. */
const SHUTDOWN_GRACE_IN_MS = 250;

/**
 * A local Azure Event Hubs endpoint: a real AMQP 1.0 server that the unmodified
 * `@azure/event-hubs` SDK talks to with `UseDevelopmentEmulator=true`. It keeps every accepted
 * event in memory for tests to read back, serves consumers, and can be switched into failures.
 */
export class LocalEventHubs {
  readonly hubs: readonly string[];
  private readonly stores: Map<string, HubStore>;
  private readonly connections = new ConnectionRegistry();
  private readonly sockets = new Set<Socket>();
  private readonly pendingWaits = new Set<(error: Error) => void>();
  private closing: Promise<void> | undefined;

  private constructor(
    private readonly servers: readonly Server[],
    readonly port: number,
    /** The TLS port, when `tls` was given. */
    readonly tlsPort: number | undefined,
    private readonly host: string,
    stores: Map<string, HubStore>,
  ) {
    this.stores = stores;
    this.hubs = [...stores.keys()];
    for (const server of servers)
      server.on("connection", (socket: Socket) => {
        this.sockets.add(socket);
        socket.once("close", () => this.sockets.delete(socket));
      });
  }

  /** Starts listening; resolves once the port is bound. */
  static async start(options: LocalEventHubsOptions): Promise<LocalEventHubs> {
    const host = options.host ?? DEFAULT_LOCAL_EVENT_HUBS_OPTIONS.host;
    const partitionCount = options.partitionCount ?? DEFAULT_LOCAL_EVENT_HUBS_OPTIONS.partitionCount;
    const maxMessageSizeInBytes =
      options.maxMessageSizeInBytes ?? DEFAULT_LOCAL_EVENT_HUBS_OPTIONS.maxMessageSizeInBytes;
    if (options.hubs.length === 0) throw new Error("LocalEventHubs needs at least one hub name in `hubs`.");
    if (!Number.isInteger(partitionCount) || partitionCount < 1 || partitionCount > 32) {
      throw new Error(`partitionCount must be an integer from 1 to 32, got ${partitionCount}.`);
    }
    padPerformativeFields();
    const stores = new Map(options.hubs.map((name) => [name, new HubStore(name, partitionCount)]));
    const container = rhea.create_container({
      id: "local-eventhubs",
      // Server-side receivers are the SDK's senders: the attach reply must carry
      // max_message_size, since `createBatch()` takes its limit from it; credit and settlement
      // are managed by hand so faults can withhold them. Every attach reply carries a properties
      // map, as the service's do: the Python SDK's client merges it into its own and fails on null.
      receiver_options: {
        max_message_size: maxMessageSizeInBytes,
        credit_window: 0,
        autoaccept: false,
        properties: {},
      },
      sender_options: { properties: {} },
    });
    acceptCbsSasl(container);
    const servers = [container.listen({ port: options.port ?? DEFAULT_LOCAL_EVENT_HUBS_OPTIONS.port, host })];
    if (options.tls !== undefined)
      servers.push(
        container.listen({
          transport: "tls",
          port: options.tls.port ?? 0,
          host,
          key: options.tls.key,
          cert: options.tls.cert,
        }),
      );
    const bound = await Promise.allSettled(servers.map(listening));
    const failed = bound.find((b) => b.status === "rejected");
    if (failed !== undefined) {
      servers.forEach((s) => s.close());
      throw failed.reason;
    }
    const [port, tlsPort] = servers.map((s) => (s.address() as AddressInfo).port);
    const hubs = new LocalEventHubs(servers, port ?? 0, tlsPort, host, stores);
    new LinkRouter({
      hubs: stores,
      connections: hubs.connections,
      authority: `${hubs.connectionHost()}:${port}`,
      maxMessageSizeInBytes,
      retainEvents: options.retainEvents ?? true,
    }).listen(container);
    return hubs;
  }

  /** The SDK connection string for one hub (key name and key are placeholders; nothing checks them). */
  connectionString(hub: string): string {
    this.store(hub);
    return (
      `Endpoint=sb://${this.connectionHost()}:${this.port};SharedAccessKeyName=RootManageSharedAccessKey;` +
      `SharedAccessKey=local-dev-key;UseDevelopmentEmulator=true;EntityPath=${hub}`
    );
  }

  /** Every event the hub accepted, in arrival order. */
  received(hub: string): readonly ReceivedEvent[] {
    return this.store(hub).received();
  }

  /** Resolves as soon as the hub has accepted at least `count` events; rejects after the timeout (default 10 s). */
  async waitForEvents(
    hub: string,
    count: number,
    options: WaitForEventsOptions = {},
  ): Promise<readonly ReceivedEvent[]> {
    const store = this.store(hub);
    const timeoutInMs = options.timeoutInMs ?? DEFAULT_LOCAL_EVENT_HUBS_OPTIONS.waitTimeoutInMs;
    const wait = store.waitFor(count);
    let timer: NodeJS.Timeout | undefined;
    let abort: ((error: Error) => void) | undefined;
    const failure = new Promise<never>((_, reject) => {
      abort = reject;
      this.pendingWaits.add(reject);
      timer = setTimeout(() => {
        reject(
          new Error(
            `waitForEvents: hub '${hub}' accepted ${store.received().length} of the ${count} ` +
              `event(s) awaited within ${timeoutInMs} ms.`,
          ),
        );
      }, timeoutInMs);
    });
    try {
      return await Promise.race([wait.promise, failure]);
    } finally {
      clearTimeout(timer);
      wait.cancel();
      if (abort) this.pendingWaits.delete(abort);
    }
  }

  /**
   * Switches a hub into a failure, or back to normal with `undefined`. "down" closes the hub's
   * open connections at once with `amqp:connection:forced` (retryable in the SDK).
   */
  setFault(hub: string, fault: HubFault | undefined): void {
    this.store(hub).fault = fault;
    if (fault?.kind !== "down") return;
    for (const state of this.connections.using(hub)) {
      closeConnection(state.connection, downError(hub));
    }
  }

  /** The fault a hub is in, if any. */
  faultOf(hub: string): HubFault | undefined {
    return this.store(hub).fault;
  }

  stats(hub: string): HubStats {
    return this.store(hub).stats();
  }

  /** The consumer groups receivers of `hub` attached with. */
  consumerGroupsOf(hub: string): readonly string[] {
    return [...this.store(hub).consumerGroups].sort();
  }

  /** Wall-clock ms the hub last accepted a transfer (since the last `clear`), if it did. */
  lastAcceptedAt(hub: string): number | undefined {
    return this.store(hub).lastAcceptedAt;
  }

  /** Forgets received events and counters, of one hub or of all. Faults stay as they are. */
  clear(hub?: string): void {
    const stores = hub === undefined ? [...this.stores.values()] : [this.store(hub)];
    for (const store of stores) store.clear();
  }

  /** Closes every connection and the listener. Idempotent. */
  close(): Promise<void> {
    this.closing ??= this.shutDown();
    return this.closing;
  }

  private async shutDown(): Promise<void> {
    for (const reject of this.pendingWaits) reject(new Error("waitForEvents: LocalEventHubs was closed."));
    this.pendingWaits.clear();
    const serversClosed = Promise.all(
      this.servers.map((server) => new Promise<void>((resolve) => server.close(() => resolve()))),
    );
    for (const state of this.connections.all()) closeConnection(state.connection, undefined);
    const socketsClosed = Promise.all(
      [...this.sockets].map(
        (socket) => new Promise<void>((resolve) => socket.once("close", () => resolve())),
      ),
    );
    let timer: NodeJS.Timeout | undefined;
    const grace = new Promise<void>((resolve) => (timer = setTimeout(resolve, SHUTDOWN_GRACE_IN_MS)));
    await Promise.race([socketsClosed, grace]);
    clearTimeout(timer);
    for (const socket of this.sockets) socket.destroy();
    await serversClosed;
  }

  /** The connection string for a client that dials TLS (`amqps`), without `UseDevelopmentEmulator`. */
  tlsConnectionString(hub: string): string {
    this.store(hub);
    if (this.tlsPort === undefined) throw new Error("LocalEventHubs was started without `tls`.");
    return (
      `Endpoint=sb://${this.connectionHost()}:${this.tlsPort}/;SharedAccessKeyName=RootManageSharedAccessKey;` +
      `SharedAccessKey=local-dev-key;EntityPath=${hub}`
    );
  }

  private store(hub: string): HubStore {
    const store = this.stores.get(hub);
    if (!store) throw new Error(`LocalEventHubs serves no hub '${hub}'; it serves: ${this.hubs.join(", ")}.`);
    return store;
  }

  /** The host clients dial: a wildcard bind address is reached through the loopback. */
  private connectionHost(): string {
    return this.host === "0.0.0.0" || this.host === "::" || this.host === "" ? "127.0.0.1" : this.host;
  }
}

function listening(server: Server): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    server.once("listening", resolve);
    server.once("error", reject);
  });
}
