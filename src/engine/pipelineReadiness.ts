import type { Config } from "../config/config.js";
import { ConfigError, type ConfigProblem } from "../config/configError.js";
import type { PipelineDefinition } from "./pipelineDefinition.js";

/**
 * Throws a ConfigError when `definition` cannot run with `config`: its own required settings,
 * Microshare credentials, at least one hub. Every host (CLI, Functions) checks this before a
 * tick: without a hub a tick would settle windows with nowhere to send them.
 */
export function checkPipelineReady(definition: PipelineDefinition, config: Config): void {
  const problems = pipelineProblems(definition, config);
  if (problems.length > 0) throw new ConfigError(problems);
}

/** What `definition` lacks to run with `config` (empty: it can run); `validate` lists them all. */
export function pipelineProblems(definition: PipelineDefinition, config: Config): ConfigProblem[] {
  const problems: ConfigProblem[] = [...definition.requires(config)];
  if (config.microshare.credentials === undefined) {
    problems.push({
      variable: "MICROSHARE_USERNAME",
      problem: "Microshare credentials are not set (also MICROSHARE_PASSWORD and MICROSHARE_API_KEY)",
      example: "you@example.com",
    });
  }
  if (config.hubs.length === 0) {
    problems.push({
      variable: "EVENT_HUB_CONNECTION_STRINGS",
      problem: "no Event Hub is configured (set it, or EVENT_HUB_CONNECTION_STRING)",
      example: `'["Endpoint=sb://<namespace>.servicebus.windows.net/;SharedAccessKeyName=<policy>;SharedAccessKey=<key>;EntityPath=<hub>"]'`,
    });
  }
  return problems;
}
