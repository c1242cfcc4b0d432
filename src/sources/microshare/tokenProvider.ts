import { createHash } from "node:crypto";
import { registerSecret } from "../../observability/redact.js";
import type { AccessToken, TokenCache } from "./accessToken.js";

export interface TokenProviderOptions {
  /** Obtains a fresh token (password grant or web login). */
  readonly login: (signal?: AbortSignal) => Promise<AccessToken>;
  /** Shared cache (the state store), so restarts and `--once` runs reuse a valid token. */
  readonly cache?: TokenCache;
  /** Identifies whose token it is (auth URL + username); hashed before it becomes a key. */
  readonly cacheIdentity: string;
  /** Renew this long before expiry. Default 5 minutes. */
  readonly renewBeforeInMs?: number;
}

/**
 * Hands out a valid bearer token: from memory, else from the cache, else by logging in. Logins
 * are single-flight (concurrent callers share one), renewed `renewBeforeInMs` before expiry,
 * and `invalidate` (called on a 401) drops a token the API no longer accepts.
 */
export class TokenProvider {
  private current: AccessToken | undefined;
  private pending: Promise<AccessToken> | undefined;
  private readonly cacheKey: string;
  private readonly renewBeforeInMs: number;

  constructor(private readonly options: TokenProviderOptions) {
    this.cacheKey = `microshare-token:${createHash("sha256").update(options.cacheIdentity).digest("hex").slice(0, 16)}`;
    this.renewBeforeInMs = options.renewBeforeInMs ?? 5 * 60_000;
  }

  async token(signal?: AbortSignal): Promise<string> {
    if (this.current !== undefined && this.isFresh(this.current)) return this.current.value;
    this.pending ??= this.obtain(signal).finally(() => {
      this.pending = undefined;
    });
    return (await this.pending).value;
  }

  /** Forgets `value` if it is the current token, here and in the cache. */
  async invalidate(value: string): Promise<void> {
    if (this.current?.value !== value) return;
    this.current = undefined;
    await this.options.cache?.deleteCached(this.cacheKey);
  }

  private async obtain(signal: AbortSignal | undefined): Promise<AccessToken> {
    const cached = await this.readCache();
    if (cached !== undefined && this.isFresh(cached)) return this.remember(cached);
    const fresh = await this.options.login(signal);
    this.remember(fresh);
    await this.options.cache?.setCached(
      this.cacheKey,
      JSON.stringify({ value: fresh.value, expiresAt: fresh.expiresAt.toISOString() }),
      fresh.expiresAt,
    );
    return fresh;
  }

  private async readCache(): Promise<AccessToken | undefined> {
    const text = await this.options.cache?.getCached(this.cacheKey);
    if (text === undefined) return undefined;
    try {
      const parsed = JSON.parse(text) as { value?: unknown; expiresAt?: unknown };
      if (typeof parsed.value !== "string" || typeof parsed.expiresAt !== "string") return undefined;
      return { value: parsed.value, expiresAt: new Date(parsed.expiresAt) };
    } catch {
      return undefined; // A damaged cache entry only costs one login.
    }
  }

  private remember(token: AccessToken): AccessToken {
    registerSecret(token.value);
    this.current = token;
    return token;
  }

  private isFresh(token: AccessToken): boolean {
    return token.expiresAt.getTime() - this.renewBeforeInMs > Date.now();
  }
}
