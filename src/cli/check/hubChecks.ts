import type { Config } from "../../config/config.js";
import type { HubConfig } from "../../config/hubConfig.js";
import { componentLogger } from "../../observability/logger.js";
import { FanOutSink } from "../../sinks/fanOutSink.js";
import type { DeadLetterQueue } from "../../dlq/deadLetterQueue.js";
import { hubVariable } from "../../config/hubConfig.js";
import { fail, messageOf, pass, skip, type CheckResult } from "./checkResult.js";

/** Probes every configured hub at once (a properties call each: connection, key and hub name). */
export async function hubChecks(config: Config, dlq: DeadLetterQueue): Promise<CheckResult[]> {
  if (config.hubs.length === 0)
    return [
      fail(
        "hubs",
        "no Event Hub is configured",
        "EVENT_HUB_CONNECTION_STRINGS (or EVENT_HUB_CONNECTION_STRING)",
      ),
    ];
  return Promise.all(config.hubs.map((hub) => hubCheck(config, hub, dlq)));
}

async function hubCheck(config: Config, hub: HubConfig, dlq: DeadLetterQueue): Promise<CheckResult> {
  const name = `hub ${hub.name}`;
  const variable = hubVariable(config, hub.name);
  let sink: FanOutSink;
  try {
    // One sink per hub, so that a hub this build cannot serve fails its own line only.
    sink = new FanOutSink({ hubs: [hub], delivery: config.delivery, dlq, logger: componentLogger("check") });
  } catch (error) {
    return fail(name, messageOf(error), variable);
  }
  try {
    const [probe] = await sink.probe();
    if (probe === undefined) return skip(name, "not probed");
    const paused = hub.paused ? " (paused: its batches go to its DLQ until unpaused)" : "";
    if (probe.ok) return pass(name, `${probe.partitionIds?.length ?? 0} partitions${paused}`);
    return fail(name, probe.error ?? "unreachable", fixFor(probe.error ?? "", variable));
  } finally {
    await sink.close();
  }
}

/** Points at the part of the connection string an error is about. */
function fixFor(error: string, variable: string): string {
  if (/EntityNotFound|not.?found/i.test(error)) return `EntityPath in ${variable}`;
  if (/Unauthori[sz]ed|SharedAccess|token/i.test(error))
    return `SharedAccessKeyName/SharedAccessKey in ${variable}`;
  return `Endpoint in ${variable} (and that the namespace is reachable)`;
}
