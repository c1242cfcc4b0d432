import { existsSync } from "node:fs";
import dotenv from "dotenv";
import type { Config } from "../config/config.js";
import { loadConfig } from "../config/loadConfig.js";
import { configureLogging } from "../observability/logger.js";
import { registerSecret } from "../observability/redact.js";
import { urlPasswords } from "../observability/urlPassword.js";

/**
 * Reads `.env` (if present; real environment variables win, as with the old forwarder), then
 * validates everything into a typed config and registers every secret value with the
 * redactor before anything can log, then applies LOG_LEVEL/LOG_FORMAT. Throws ConfigError (exit 78) on a bad value.
 */
export function bootstrapConfig(envFile = process.env.DOTENV_PATH ?? ".env"): Config {
  if (existsSync(envFile)) dotenv.config({ path: envFile, quiet: true });
  registerEnvironmentSecrets(process.env);
  const config = loadConfig(process.env);
  registerConfigSecrets(config);
  configureLogging(config.logging);
  return config;
}

const SECRET_VARIABLES = [
  "MICROSHARE_PASSWORD",
  "MICROSHARE_API_KEY",
  "REDIS_URL",
  "EVENT_HUB_CONNECTION_STRING",
  "EVENT_HUB_CONNECTION_STRINGS",
];

function registerEnvironmentSecrets(env: NodeJS.ProcessEnv): void {
  for (const name of SECRET_VARIABLES) {
    const value = env[name];
    if (value === undefined) continue;
    // Register the pieces that are secret, not whole values like a JSON list of hubs.
    if (name === "MICROSHARE_PASSWORD" || name === "MICROSHARE_API_KEY") registerSecret(value);
    for (const match of value.matchAll(/SharedAccessKey=([^;"'\s]+)/gi)) registerSecret(match[1]);
    urlPasswords(value).forEach(registerSecret);
  }
}

function registerConfigSecrets(config: Config): void {
  registerSecret(config.microshare.credentials?.password);
  registerSecret(config.microshare.credentials?.apiKey);
}
