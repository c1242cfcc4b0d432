import { EventHubProducerClient } from "@azure/event-hubs";
import type { OutboundEvent } from "../src/model/outboundEvent.js";
import { toEventData } from "../src/sinks/batchPacker.js";
import { type LayoutArgs, prebuiltEvents, trimTo } from "./prebuiltEvents.js";

/** Arguments (JSON in argv[2]). */
export interface FloorArgs extends LayoutArgs {
  /** name → connection string; every hub gets every event. */
  readonly hubs: Readonly<Record<string, string>>;
  /** Exactly this many events per hub (the pipeline's count); all generated when absent. */
  readonly events?: number;
}

export interface FloorResult {
  readonly events: number;
  readonly batches: number;
  /** From the first producer's creation to the last producer's close: sending only. */
  readonly sendSeconds: number;
}

/**
 * The floor: what the Event Hubs SDK alone costs for the same events. Events are built before
 * the clock starts; then, per hub in parallel, one producer sends full batches (createBatch/
 * tryAdd until the byte limit), one partition key per batch as the pipeline must, one batch
 * after the other.
 */
async function sendAll(connectionString: string, byBuilding: Map<string, OutboundEvent[]>): Promise<number> {
  const producer = new EventHubProducerClient(connectionString);
  let batches = 0;
  try {
    for (const [building, events] of byBuilding) {
      let batch = await producer.createBatch({ partitionKey: building });
      for (const event of events) {
        const data = toEventData(event);
        if (batch.tryAdd(data)) continue;
        await producer.sendBatch(batch);
        batches++;
        batch = await producer.createBatch({ partitionKey: building });
        if (!batch.tryAdd(data)) throw new Error(`event ${event.id} does not fit an empty batch`);
      }
      if (batch.count > 0) {
        await producer.sendBatch(batch);
        batches++;
      }
    }
  } finally {
    await producer.close();
  }
  return batches;
}

const args = JSON.parse(process.argv[2] ?? "{}") as FloorArgs;
const byBuilding = await prebuiltEvents(args);
const events =
  args.events === undefined
    ? [...byBuilding.values()].reduce((n, l) => n + l.length, 0)
    : trimTo(byBuilding, args.events);
const started = process.hrtime.bigint();
const batches = await Promise.all(Object.values(args.hubs).map((cs) => sendAll(cs, byBuilding)));
const sendSeconds = Number(process.hrtime.bigint() - started) / 1e9;
const result: FloorResult = { events, batches: batches.reduce((a, b) => a + b, 0), sendSeconds };
process.stdout.write(`${JSON.stringify(result)}\n`);
