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
  readEnvironment(envFile);
  return configFromEnvironment();
}

/** Where a variable's value came from: the process environment wins over `.env`. */
export type ValueSource = "environment" | ".env";

export interface ReadEnvironment {
  /** The `.env` file read, or undefined when there was none. */
  readonly envFile: string | undefined;
  sourceOf(name: string): ValueSource | undefined;
}

/**
 * Merges `.env` into the process environment (without overriding it) and registers the
 * secrets it holds with the redactor; remembers which variables came from where (`config`).
 * Call it once per process: afterwards, `.env`'s values are part of the environment.
 */
export function readEnvironment(envFile = process.env.DOTENV_PATH ?? ".env"): ReadEnvironment {
  const fromProcess = new Set(Object.keys(process.env).filter((name) => process.env[name] !== undefined));
  const present = existsSync(envFile);
  const fromFile = new Set(
    present ? Object.keys(dotenv.config({ path: envFile, quiet: true }).parsed ?? {}) : [],
  );
  registerEnvironmentSecrets(process.env);
  return {
    envFile: present ? envFile : undefined,
    sourceOf: (name) => (fromProcess.has(name) ? "environment" : fromFile.has(name) ? ".env" : undefined),
  };
}

/** Validates the (already merged) environment into a Config, registers its secrets, applies logging. */
export function configFromEnvironment(): Config {
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
  "PUSHGATEWAY_URL",
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
