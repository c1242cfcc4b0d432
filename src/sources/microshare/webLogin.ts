import type { AxiosInstance } from "axios";
import type { MicroshareCredentials } from "../../config/config.js";
import { DEFAULT_TOKEN_LIFETIME_IN_MS, type AccessToken } from "./accessToken.js";
import { MicroshareError } from "./microshareError.js";
import { toMicroshareError } from "./toMicroshareError.js";

/**
 * The web-login fallback the old Python forwarder used: POST {app}/login as a form, redirects
 * NOT followed. Success is exactly a 303 carrying a PLAY_SESSION cookie whose value is a JWT;
 * the token is its payload's `data.access_token`, the expiry its `exp` (seconds).
 */
export async function webLogin(
  http: AxiosInstance,
  appUrl: string,
  credentials: MicroshareCredentials,
  abortSignal?: AbortSignal,
): Promise<AccessToken> {
  const endpoint = "POST /login";
  const form = new URLSearchParams({
    csrfToken: "microshare-pipeline",
    username: credentials.username,
    password: credentials.password,
  });
  let status: number;
  let cookies: string[];
  try {
    const response = await http.post<string>(`${appUrl}/login`, form.toString(), {
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      maxRedirects: 0,
      validateStatus: () => true,
      ...(abortSignal === undefined ? {} : { signal: abortSignal }),
    });
    status = response.status;
    const setCookie: unknown = response.headers["set-cookie"];
    cookies = Array.isArray(setCookie)
      ? setCookie.map(String)
      : typeof setCookie === "string"
        ? [setCookie]
        : [];
  } catch (error) {
    throw toMicroshareError(error, endpoint);
  }
  if (status !== 303) {
    throw new MicroshareError(
      status >= 500 ? "server" : "unauthorized",
      `Microshare web login failed (HTTP ${status}, expected 303): check MICROSHARE_USERNAME and MICROSHARE_PASSWORD, or use MICROSHARE_AUTH_METHOD=password`,
      { status, context: { endpoint } },
    );
  }
  const session = cookies.map((c) => /^PLAY_SESSION=([^;]+)/.exec(c)?.[1]).find((v) => v !== undefined);
  const payload = session === undefined ? undefined : decodeJwtPayload(session);
  const data = payload?.data as { access_token?: unknown } | undefined;
  const token = data?.access_token;
  if (typeof token !== "string" || token === "") {
    throw new MicroshareError(
      "malformed-response",
      "web login answered 303 but its PLAY_SESSION cookie holds no access token",
      {
        context: { endpoint },
      },
    );
  }
  const exp = payload?.exp;
  const expiresAt =
    typeof exp === "number" ? new Date(exp * 1000) : new Date(Date.now() + DEFAULT_TOKEN_LIFETIME_IN_MS);
  return { value: token, expiresAt };
}

function decodeJwtPayload(jwt: string): Record<string, unknown> | undefined {
  const part = decodeURIComponent(jwt).split(".")[1];
  if (part === undefined) return undefined;
  try {
    const parsed: unknown = JSON.parse(Buffer.from(part, "base64url").toString("utf8"));
    return parsed !== null && typeof parsed === "object" ? (parsed as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
