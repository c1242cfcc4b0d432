import { loadConfig } from "../../src/config/loadConfig.js";
import { replayDeadLetters } from "../../src/dlq/replayDeadLetters.js";
import { FanOutSink } from "../../src/sinks/fanOutSink.js";
import { createStateStore } from "../../src/state/createStateStore.js";

/**
 * Replays one hub's dead letters in its own process, configured from the environment like the
 * CLI (the replay is not a CLI command yet). Prints the replay summary and its own duration
 * (from opening the store to the last ack), so start-up can be told apart from replay work.
 */
const hub = process.argv[2] ?? "hub1";
const config = loadConfig(process.env);
const { store, dlq } = await createStateStore(config.state);
const sink = new FanOutSink({ hubs: config.hubs, delivery: config.delivery, dlq });
try {
  const started = process.hrtime.bigint();
  const summary = await replayDeadLetters(dlq, sink, {
    pipeline: "peoplecounter",
    hub,
    maxAttempts: config.dlq.maxAttempts,
  });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  process.stdout.write(`${JSON.stringify({ ...summary, seconds })}\n`);
} finally {
  await sink.close();
  await store.close();
}
