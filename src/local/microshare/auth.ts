import { createHmac, randomBytes } from "node:crypto";
import { type SimRequest, type SimResponse, jsonResponse, textResponse } from "./simResponse.js";
import type { SimulatorCredentials } from "./simulatorOptions.js";
import type { TokenStore } from "./tokenStore.js";

export interface AuthContext {
  credentials: SimulatorCredentials;
  tokens: TokenStore;
  nowMs: number;
  tokenLifetimeMs: number;
  ownerOrg: string;
}

/** Fields from the query string, overridden by a JSON or form body carrying the same names (both are documented). */
function grantFields(req: SimRequest): Map<string, string> {
  const fields = new Map<string, string>();
  for (const [k, v] of req.query) fields.set(k, v);
  const body = req.body.trim();
  if (body.startsWith("{")) {
    try {
      const parsed: unknown = JSON.parse(body);
      if (parsed && typeof parsed === "object") {
        for (const [k, v] of Object.entries(parsed)) {
          if (typeof v === "string" || typeof v === "number") fields.set(k, String(v));
        }
      }
    } catch {
      // A broken body is treated like an absent one: the grant then fails on missing fields.
    }
  } else if (body.includes("=") && /urlencoded/i.test(req.headers["content-type"] ?? "")) {
    for (const [k, v] of new URLSearchParams(body)) fields.set(k, v);
  }
  return fields;
}

/** `POST /oauth2/token`: the password grant. No expires_in, as the real service. */
export function handleTokenGrant(req: SimRequest, ctx: AuthContext): SimResponse {
  if (req.method !== "POST") return textResponse(405, "Method Not Allowed");
  const f = grantFields(req);
  const c = ctx.credentials;
  const ok =
    f.get("grant_type") === "password" &&
    f.get("username") === c.username &&
    f.get("password") === c.password &&
    f.get("client_id") === c.apiKey;
  if (!ok) return textResponse(401, "Invalid credentials or API key");
  const { token } = ctx.tokens.issue(ctx.nowMs, ctx.tokenLifetimeMs);
  const identity = f.get("identity") ?? ctx.ownerOrg;
  return jsonResponse(200, {
    access_token: token,
    extended: {
      email: c.username,
      appid: c.apiKey,
      identity,
      identityname: identity.split(".").pop() ?? identity,
      scope: f.get("scope") ?? "ALL:ALL",
      token_type: "Bearer",
      tokendata: { id: randomBytes(12).toString("hex"), ip: "127.0.0.1" },
      sessionkey: randomBytes(16).toString("hex"),
    },
  });
}

const LOGIN_PAGE =
  '<!DOCTYPE html><html><head><title>Microshare login</title></head><body><form method="post" action="/login">' +
  '<input type="hidden" name="csrfToken" value="sim"><input name="username"><input name="password" type="password">' +
  "</form></body></html>";

function base64url(data: string | Buffer): string {
  return Buffer.from(data).toString("base64url");
}

/** A Play-style session JWT (HS256) whose payload carries the access token, as the web app's cookie does. */
export function sessionJwt(secret: Buffer, payload: Record<string, unknown>): string {
  const head = base64url(JSON.stringify({ alg: "HS256", typ: "JWT" }));
  const body = base64url(JSON.stringify(payload));
  const sig = createHmac("sha256", secret).update(`${head}.${body}`).digest();
  return `${head}.${body}.${base64url(sig)}`;
}

/**
 * `POST /login` (form): 303 with a PLAY_SESSION cookie on success. Bad credentials re-render the
 * login page with 200, as a web app does: callers must treat anything but 303 as failure.
 */
export function handleLogin(req: SimRequest, ctx: AuthContext, secret: Buffer): SimResponse {
  if (req.method === "GET")
    return textResponse(200, LOGIN_PAGE, { "content-type": "text/html; charset=utf-8" });
  if (req.method !== "POST") return textResponse(405, "Method Not Allowed");
  const form = new URLSearchParams(req.body);
  const c = ctx.credentials;
  if (form.get("username") !== c.username || form.get("password") !== c.password) {
    return textResponse(200, LOGIN_PAGE, { "content-type": "text/html; charset=utf-8" });
  }
  const { token, expiresAtMs } = ctx.tokens.issue(ctx.nowMs, ctx.tokenLifetimeMs);
  const nowSeconds = Math.floor(ctx.nowMs / 1000);
  const jwt = sessionJwt(secret, {
    data: {
      access_token: token,
      username: c.username,
      identity: ctx.ownerOrg,
      csrfToken: form.get("csrfToken"),
    },
    nbf: nowSeconds,
    iat: nowSeconds,
    exp: Math.floor(expiresAtMs / 1000),
  });
  return textResponse(303, "", {
    location: "/",
    "set-cookie": `PLAY_SESSION=${jwt}; Path=/; SameSite=Lax; HTTPOnly`,
  });
}
