import { Pushgateway, type Registry } from "prom-client";
import type { Logger } from "./logger.js";

/** A push that takes longer is abandoned: the run's exit code must not wait on a metrics sink. */
export const PUSH_TIMEOUT_IN_MS = 10_000;

/**
 * Pushes a `--once` run's metrics to a Pushgateway (job `microshare-pipeline`, grouping key
 * `run="<pipeline>"`), replacing the previous push of the same pipeline's runs: a CronJob or a
 * Functions timer is gone before any scrape, so without this it would report nothing. Not
 * `pipeline=` as the key: the gateway stamps its grouping labels over the metrics' own, so the
 * other pipelines' lag and DLQ gauges would collide and the gateway refuse the push (HTTP 400).
 * A failure is logged and does not change the run's exit code; what was delivered stays delivered.
 */
export async function pushMetrics(
  registry: Registry,
  gatewayUrl: string,
  pipeline: string,
  logger: Logger,
): Promise<boolean> {
  const gateway = new Pushgateway(gatewayUrl, { timeout: PUSH_TIMEOUT_IN_MS }, registry);
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      gateway.push({ jobName: "microshare-pipeline", groupings: { run: pipeline } }),
      new Promise((_, reject) => {
        timer = setTimeout(
          () => reject(new Error(`no answer within ${PUSH_TIMEOUT_IN_MS / 1000} s`)),
          PUSH_TIMEOUT_IN_MS,
        );
      }),
    ]);
    logger.info(`${pipeline}: metrics pushed to the Pushgateway`);
    return true;
  } catch (error) {
    logger.warn(
      `${pipeline}: could not push metrics to PUSHGATEWAY_URL (the run's result stands): ${error instanceof Error ? error.message : String(error)}`,
    );
    return false;
  } finally {
    clearTimeout(timer);
  }
}
