import { Redis } from "ioredis";
import { componentLogger } from "../observability/logger.js";
import { redact, registerSecret } from "../observability/redact.js";
import { urlPasswords } from "../observability/urlPassword.js";
import { StateStoreError } from "./stateStoreError.js";

export interface RedisConnectionOptions {
  /** `redis://[user:password@]host[:port][/db]` or `rediss://…` (TLS). */
  readonly url: string;
  /** Per connection attempt. Default 5000. */
  readonly connectTimeoutInMs?: number;
  /** Per command, including time spent waiting for a connection. Default 5000. */
  readonly commandTimeoutInMs?: number;
  /** Reconnection attempts a queued command waits through before it fails. Default 2. */
  readonly maxRetriesPerRequest?: number;
}

export const DEFAULT_REDIS_CONNECTION_OPTIONS = {
  connectTimeoutInMs: 5000,
  commandTimeoutInMs: 5000,
  maxRetriesPerRequest: 2,
} as const;

const HINT = "Check REDIS_URL, that Redis (6.2 or later) is running and reachable, and its password.";

/**
 * One ioredis client shared by the Redis state store and DLQ. Tuned to fail fast: ioredis'
 * defaults (20 retries per request, reconnect forever) turn a down Redis into a hang of a minute
 * or more, whereas a tick should fail in seconds with an error that says why. The client keeps
 * reconnecting in the background, so the next tick works once Redis is back.
 */
export class RedisConnection {
  readonly client: Redis;
  /** The URL without password. */
  readonly description: string;
  private readonly maxRetriesPerRequest: number;
  private lastConnectionError: string | undefined;
  private closed = false;

  constructor(options: RedisConnectionOptions) {
    const { redisOptions, description } = parseRedisUrl(options.url);
    this.description = description;
    const o = { ...DEFAULT_REDIS_CONNECTION_OPTIONS, ...options };
    this.maxRetriesPerRequest = o.maxRetriesPerRequest;
    this.client = new Redis({
      ...redisOptions,
      lazyConnect: true,
      connectTimeout: o.connectTimeoutInMs,
      commandTimeout: o.commandTimeoutInMs,
      maxRetriesPerRequest: o.maxRetriesPerRequest,
      retryStrategy: (times) => Math.min(times * 200, 2000),
    });
    const log = componentLogger("state-store");
    // Without a listener ioredis prints every failed reconnect; log each new cause once instead.
    this.client.on("error", (error: unknown) => {
      const message = redact(error instanceof Error ? error.message : String(error));
      if (message !== this.lastConnectionError) log.warn(`Redis ${this.description}: ${message}`);
      this.lastConnectionError = message;
    });
    this.client.on("ready", () => {
      this.lastConnectionError = undefined;
    });
  }

  /** Runs one store operation, turning any failure into a StateStoreError naming the store. */
  async run<T>(operation: string, command: (client: Redis) => Promise<T>): Promise<T> {
    if (this.closed) throw new StateStoreError(this.description, operation, new Error("store is closed"), "");
    try {
      return await command(this.client);
    } catch (error) {
      const last =
        this.lastConnectionError === undefined ? "" : ` (last connection error: ${this.lastConnectionError})`;
      const cause = error instanceof Error ? error : new Error(String(error));
      // ioredis' own text for this case points at an option rather than at the outage.
      const what =
        cause.name === "MaxRetriesPerRequestError"
          ? `Redis unreachable after ${this.maxRetriesPerRequest + 1} connection attempts`
          : cause.message;
      throw new StateStoreError(this.description, operation, new Error(`${what}${last}`, { cause }), HINT);
    }
  }

  /** Idempotent. Waits for pending replies when connected; drops the socket otherwise. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.client.status === "ready") {
      try {
        await this.client.quit();
        return;
      } catch {
        // Fall through: the socket is dropped below.
      }
    }
    this.client.disconnect();
  }
}

/** Where and how to connect, as ioredis takes it. */
export interface RedisEndpoint {
  readonly host: string;
  readonly port: number;
  readonly db: number;
  readonly username?: string;
  readonly password?: string;
  readonly tls?: { readonly servername: string };
}

/** ioredis options and a password-free description from a Redis URL. Never echoes the URL in errors. */
export function parseRedisUrl(url: string): { redisOptions: RedisEndpoint; description: string } {
  // Before parsing, so that even a URL that fails to parse cannot leak it into a log.
  urlPasswords(url).forEach(registerSecret);
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new TypeError(
      `Redis URL is not a valid URL (expected redis://[user:password@]host[:port][/db] or rediss://…)`,
    );
  }
  const protocol = parsed.protocol.toLowerCase();
  if (protocol !== "redis:" && protocol !== "rediss:") {
    throw new TypeError(`Redis URL must start with redis:// or rediss://, got ${protocol}//`);
  }
  const host = parsed.hostname.replace(/^\[|\]$/g, "") || "127.0.0.1";
  const port = parsed.port === "" ? 6379 : Number(parsed.port);
  const dbText = parsed.pathname.replace(/^\//, "");
  const db = dbText === "" ? 0 : Number(dbText);
  if (!Number.isInteger(db) || db < 0)
    throw new TypeError(`Redis URL database must be a number, got "${dbText}"`);
  const username = decodeURIComponent(parsed.username);
  const password = decodeURIComponent(parsed.password);
  const redisOptions: RedisEndpoint = {
    host,
    port,
    db,
    ...(username === "" ? {} : { username }),
    ...(password === "" ? {} : { password }),
    // TLS (Azure Cache for Redis listens on 6380 with rediss://); Node checks the certificate against `host`.
    ...(protocol === "rediss:" ? { tls: { servername: host } } : {}),
  };
  const who = username === "" ? "" : `${encodeURIComponent(username)}@`;
  return { redisOptions, description: `${protocol}//${who}${parsed.host}${db === 0 ? "" : `/${db}`}` };
}
