import type { AxiosInstance } from "axios";
import type { MicroshareCredentials } from "../../config/config.js";
import { DEFAULT_TOKEN_LIFETIME_IN_MS, type AccessToken } from "./accessToken.js";
import { MicroshareError } from "./microshareError.js";
import { toMicroshareError } from "./toMicroshareError.js";

/**
 * The documented OAuth2 password grant: POST {auth}/oauth2/token with the fields as query
 * parameters and an empty body. The response has no `expires_in` in what is documented; if one
 * appears it wins over the documented 48 h lifetime.
 */
export async function passwordGrant(
  http: AxiosInstance,
  authUrl: string,
  credentials: MicroshareCredentials,
  identity: string | undefined,
  abortSignal?: AbortSignal,
): Promise<AccessToken> {
  const params: Record<string, string> = {
    username: credentials.username,
    password: credentials.password,
    client_id: credentials.apiKey,
    grant_type: "password",
    scope: "ALL:ALL",
  };
  if (identity !== undefined) params.identity = identity;
  const endpoint = "POST /oauth2/token";
  let body: unknown;
  try {
    const response = await http.post<string>(`${authUrl}/oauth2/token`, undefined, {
      params,
      ...(abortSignal === undefined ? {} : { signal: abortSignal }),
    });
    body = JSON.parse(response.data);
  } catch (error) {
    if (error instanceof SyntaxError) {
      throw new MicroshareError("malformed-response", `${endpoint} did not return JSON`, {
        context: { endpoint },
      });
    }
    const failure = toMicroshareError(error, endpoint);
    if (failure.code === "unauthorized") {
      throw new MicroshareError(
        "unauthorized",
        "Microshare refused the login: check MICROSHARE_USERNAME, MICROSHARE_PASSWORD and MICROSHARE_API_KEY",
        { status: failure.status ?? 401, context: { endpoint } },
      );
    }
    throw failure;
  }
  const token = (body as { access_token?: unknown } | null)?.access_token;
  if (typeof token !== "string" || token === "") {
    throw new MicroshareError("malformed-response", `${endpoint} returned no access_token`, {
      context: { endpoint },
    });
  }
  const expiresIn = (body as { expires_in?: unknown }).expires_in;
  const lifetime =
    typeof expiresIn === "number" && expiresIn > 0 ? expiresIn * 1000 : DEFAULT_TOKEN_LIFETIME_IN_MS;
  return { value: token, expiresAt: new Date(Date.now() + lifetime) };
}
