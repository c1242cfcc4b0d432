import { bootstrapConfig } from "../cli/bootstrap.js";
import { openRuntime, type PipelineRuntime } from "../runtime/openRuntime.js";
import { componentLogger } from "../observability/logger.js";

let shared: Promise<PipelineRuntime> | undefined;

/**
 * The Functions host's one runtime, opened on the first invocation and reused by every later
 * one and every pipeline: one Microshare token and keep-alive client, one Redis connection, one
 * long-lived producer per hub. Reconnecting per run would cost a login and an AMQP handshake per
 * hub every 15 minutes, and the design asks for long-lived clients. The config comes from the
 * environment (the app settings) through the CLI's bootstrap, so secrets are registered with the
 * redactor before anything logs. A failed open is forgotten, so the next invocation tries again.
 */
export function sharedRuntime(): Promise<PipelineRuntime> {
  shared ??= openShared().catch((error: unknown) => {
    shared = undefined;
    throw error;
  });
  return shared;
}

/** Closes the shared runtime (host shutdown, tests); the next `sharedRuntime()` opens a new one. */
export async function closeSharedRuntime(): Promise<void> {
  const current = shared;
  shared = undefined;
  const runtime = await current?.catch(() => undefined);
  await runtime?.close();
}

async function openShared(): Promise<PipelineRuntime> {
  const logger = componentLogger("functions");
  const config = bootstrapConfig();
  for (const warning of config.warnings) logger.warn(warning);
  logger.info(
    `opening the runtime for this host: ${config.hubs.length} hub(s), state in ${config.state.kind === "redis" ? "Redis" : `files under ${config.state.directory} (no REDIS_URL: unsafe with more than one instance)`}`,
  );
  return openRuntime(config, logger);
}
