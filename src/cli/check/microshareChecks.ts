import { HOUR, MINUTE } from "../../model/time.js";
import { count, lastValueFrom, take } from "rxjs";
import type { Config, MicroshareConfig } from "../../config/config.js";
import type { PipelineDefinition } from "../../engine/pipelineDefinition.js";
import { timeWindow } from "../../model/timeWindow.js";
import { componentLogger } from "../../observability/logger.js";
import { createHttpClient, destroyHttpClient } from "../../sources/microshare/httpClient.js";
import { MicroshareSource } from "../../sources/microshare/microshareSource.js";
import { passwordGrant } from "../../sources/microshare/passwordGrant.js";
import { webLogin } from "../../sources/microshare/webLogin.js";
import { fail, messageOf, pass, skip, within, type CheckResult } from "./checkResult.js";

const CHECK_TIMEOUT_IN_MS = MINUTE;

/** Variables that point a pipeline at its data, for the "what to fix" of a failed check. */
const PIPELINE_VARIABLES: Readonly<Record<string, { cluster?: string; view?: string }>> = {
  peoplecounter: { cluster: "MICROSHARE_PC_DEVICE_CLUSTER_ID", view: "MICROSHARE_PC_DASHBOARD_VIEW_ID" },
  snapshot: {
    cluster: "MICROSHARE_SNAPSHOT_DEVICE_CLUSTER_ID (or MICROSHARE_PC_DEVICE_CLUSTER_ID)",
    view: "MICROSHARE_SNAPSHOT_DASHBOARD_VIEW_ID",
  },
};

/**
 * A fresh login (never the cached token: a check must prove the credentials work today), then
 * for each pipeline its locations and one hour of its view for the first location. Retries
 * are cut to one so that a dead endpoint fails in seconds, not minutes.
 */
export async function microshareChecks(
  config: Config,
  pipelines: readonly PipelineDefinition[],
  explicit: boolean,
): Promise<CheckResult[]> {
  const microshare: MicroshareConfig = {
    ...config.microshare,
    maxRetries: Math.min(1, config.microshare.maxRetries),
  };
  const auth = await authCheck(microshare);
  const results = [auth];
  const source = new MicroshareSource({ config: microshare, logger: componentLogger("check") });
  try {
    for (const definition of pipelines) {
      const problems = definition.requires(config);
      if (problems.length > 0) {
        const missing = `not configured: ${problems.map((p) => p.variable).join(", ")}`;
        results.push(
          explicit
            ? fail(`pipeline ${definition.name}`, missing, problems.map((p) => p.variable).join(", "))
            : skip(`pipeline ${definition.name}`, missing),
        );
        continue;
      }
      if (auth.verdict !== "PASS") {
        results.push(
          skip(`locations ${definition.name}`, "needs a Microshare login"),
          skip(`view ${definition.name}`, "needs a Microshare login"),
        );
        continue;
      }
      results.push(...(await pipelineChecks(config, source, definition)));
    }
  } finally {
    source.close();
  }
  return results;
}

async function authCheck(config: MicroshareConfig): Promise<CheckResult> {
  const name = "microshare auth";
  const credentials = config.credentials;
  if (credentials === undefined)
    return fail(name, "no credentials set", "MICROSHARE_USERNAME, MICROSHARE_PASSWORD, MICROSHARE_API_KEY");
  const http = createHttpClient({ timeoutInMs: Math.min(config.requestTimeoutInMs, 30_000) });
  const where = config.authMethod === "web-login" ? config.appUrl : config.authUrl;
  try {
    const token =
      config.authMethod === "web-login"
        ? await webLogin(http, config.appUrl, credentials, AbortSignal.timeout(CHECK_TIMEOUT_IN_MS))
        : await passwordGrant(
            http,
            config.authUrl,
            credentials,
            config.identity,
            AbortSignal.timeout(CHECK_TIMEOUT_IN_MS),
          );
    return pass(
      name,
      `${config.authMethod} login as ${credentials.username} at ${where}; token valid until ${token.expiresAt.toISOString()}`,
    );
  } catch (error) {
    const refused = (error as { code?: unknown }).code === "unauthorized";
    return fail(
      name,
      `${config.authMethod} login at ${where}: ${messageOf(error)}`,
      refused
        ? "MICROSHARE_USERNAME, MICROSHARE_PASSWORD, MICROSHARE_API_KEY"
        : config.authMethod === "web-login"
          ? "MICROSHARE_APP_URL"
          : "MICROSHARE_AUTH_URL",
    );
  } finally {
    destroyHttpClient(http);
  }
}

async function pipelineChecks(
  config: Config,
  source: MicroshareSource,
  definition: PipelineDefinition,
): Promise<CheckResult[]> {
  const context = { config, source, logger: componentLogger("check") };
  const variables = PIPELINE_VARIABLES[definition.name] ?? {};
  let first: string | undefined;
  let locations: CheckResult;
  try {
    const found = await within(
      lastValueFrom(definition.locations(context)),
      CHECK_TIMEOUT_IN_MS,
      "the device cluster",
    );
    first = found[0]?.name;
    const names = found.map((l) => l.name);
    locations =
      first === undefined
        ? fail(
            `locations ${definition.name}`,
            "no locations found",
            `${variables.cluster ?? "the cluster id"} and MICROSHARE_IDENTITY`,
          )
        : pass(
            `locations ${definition.name}`,
            `${names.length}: ${names.slice(0, 5).join(", ")}${names.length > 5 ? ", …" : ""}`,
          );
  } catch (error) {
    locations = fail(
      `locations ${definition.name}`,
      messageOf(error),
      variables.cluster ?? "MICROSHARE_API_URL",
    );
  }
  if (first === undefined) return [locations, skip(`view ${definition.name}`, "needs a location")];
  const now = Date.now();
  const window = timeWindow(now - HOUR, now);
  try {
    const lines = await within(
      lastValueFrom(
        definition
          .lines(context, { pipeline: definition.name, location: first, window, advancesWatermark: false })
          .pipe(take(100_000), count()),
      ),
      CHECK_TIMEOUT_IN_MS,
      "the view",
    );
    return [locations, pass(`view ${definition.name}`, `${lines} lines for ${first} in the last hour`)];
  } catch (error) {
    return [
      locations,
      fail(
        `view ${definition.name}`,
        `${first}, last hour: ${messageOf(error)}`,
        variables.view ?? "MICROSHARE_API_URL",
      ),
    ];
  }
}
