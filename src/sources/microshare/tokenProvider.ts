import { MINUTE } from "../../model/time.js";
import { createHash } from "node:crypto";
import { registerSecret } from "../../observability/redact.js";
import type { AccessToken, TokenCache } from "./accessToken.js";

/** Rejected tokens remembered; one is added per early expiry, so a handful is plenty. */
const MAX_REJECTED = 16;

export interface TokenProviderOptions {
  /** Obtains a fresh token (password grant or web login); called without a signal, as the login is shared. */
  readonly login: (abortSignal?: AbortSignal) => Promise<AccessToken>;
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
  /** Tokens the API answered 401 to (the most recent few). */
  private readonly rejected = new Set<string>();
  private readonly cacheKey: string;
  private readonly renewBeforeInMs: number;

  constructor(private readonly options: TokenProviderOptions) {
    this.cacheKey = `microshare-token:${createHash("sha256").update(options.cacheIdentity).digest("hex").slice(0, 16)}`;
    this.renewBeforeInMs = options.renewBeforeInMs ?? 5 * MINUTE;
  }

  async token(abortSignal?: AbortSignal): Promise<string> {
    if (this.current !== undefined && this.isFresh(this.current)) return this.current.value;
    // The login is shared by every caller that needs a token meanwhile, so no single caller's
    // signal may cancel it (that failed every other caller with "aborted"): each caller only
    // stops waiting on its own signal, and the login is bounded by the request timeout.
    if (this.pending === undefined) {
      const pending = this.obtain().finally(() => {
        this.pending = undefined;
      });
      // Callers that all gave up leave nobody to observe a failed login: not an unhandled rejection.
      pending.catch(() => undefined);
      this.pending = pending;
    }
    return (await untilAborted(this.pending, abortSignal)).value;
  }

  /** Forgets `value` if it is the current token, here and in the cache, and never takes it from the cache again. */
  async invalidate(value: string): Promise<void> {
    // Remembered before the (possibly slow) cache deletion: a concurrent caller that read the
    // cache meanwhile would otherwise take the rejected token again and fail on a second 401.
    this.rejected.add(value);
    if (this.rejected.size > MAX_REJECTED) this.rejected.delete(this.rejected.values().next().value ?? "");
    if (this.current?.value !== value) return;
    this.current = undefined;
    await this.options.cache?.deleteCached(this.cacheKey);
  }

  private async obtain(): Promise<AccessToken> {
    const cached = await this.readCache();
    if (cached !== undefined && this.isFresh(cached) && !this.rejected.has(cached.value)) {
      return this.remember(cached);
    }
    const fresh = await this.options.login();
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

/** `promise`, or a rejection with the signal's reason as soon as `abortSignal` aborts. */
function untilAborted<T>(promise: Promise<T>, abortSignal: AbortSignal | undefined): Promise<T> {
  if (abortSignal === undefined) return promise;
  if (abortSignal.aborted) return Promise.reject(abortSignal.reason as Error);
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(abortSignal.reason as Error);
    abortSignal.addEventListener("abort", onAbort, { once: true });
    promise.then(resolve, reject).finally(() => abortSignal.removeEventListener("abort", onAbort));
  });
}
