import { randomBytes } from "node:crypto";

/** Issued access tokens and their expiry on the simulator clock. */
export class TokenStore {
  private readonly expiries = new Map<string, number>();

  /** Issues a 64-hex token valid for `lifetimeMs` from `nowMs`. */
  issue(nowMs: number, lifetimeMs: number): { token: string; expiresAtMs: number } {
    const token = randomBytes(32).toString("hex");
    const expiresAtMs = nowMs + lifetimeMs;
    this.expiries.set(token, expiresAtMs);
    return { token, expiresAtMs };
  }

  isValid(token: string, nowMs: number): boolean {
    const expiresAtMs = this.expiries.get(token);
    return expiresAtMs !== undefined && nowMs < expiresAtMs;
  }

  /** Every token issued so far stops working. */
  expireAll(): void {
    this.expiries.clear();
  }

  /** The bearer token of an Authorization header, if it is one. */
  static bearer(header: string | undefined): string | undefined {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header ?? "");
    return match?.[1];
  }
}
