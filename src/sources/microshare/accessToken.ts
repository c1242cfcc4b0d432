import { HOUR } from "../../model/time.js";
/** A Microshare bearer token and when it stops working. */
export interface AccessToken {
  readonly value: string;
  readonly expiresAt: Date;
}

/** Documented token lifetime when the response carries no expiry (48 h). */
export const DEFAULT_TOKEN_LIFETIME_IN_MS = 48 * HOUR;

/** Where tokens are cached between runs: the state store implements it. */
export interface TokenCache {
  getCached(key: string): Promise<string | undefined>;
  setCached(key: string, value: string, expiresAt: Date): Promise<void>;
  deleteCached(key: string): Promise<void>;
}
