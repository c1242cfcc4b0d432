import type { Failure } from "../model/failure.js";
import {
  decodeDeadLetter,
  encodeDeadLetter,
  failedAgain,
  newDeadLetterEntry,
  toRecord,
  unparked,
} from "./deadLetterCodec.js";
import type {
  ClaimedDeadLetter,
  DeadLetterDepth,
  DeadLetterEntry,
  DeadLetterQueue,
  DeadLetterRecord,
  ListDeadLettersOptions,
  NewDeadLetter,
  UnparkResult,
} from "./deadLetterQueue.js";
import type { RedisConnection } from "../state/redisConnection.js";
import type { DeadLetterList, RedisKeys } from "../state/redisKeys.js";
import { throwFirstError } from "../state/redisReplies.js";
import {
  ACK_DEAD_LETTER,
  NACK_DEAD_LETTER,
  PARK_CORRUPT,
  RECOVER_IN_FLIGHT,
  UNPARK_DEAD_LETTER,
} from "../state/redisScripts.js";

const LIST_OF: Readonly<Record<NonNullable<ListDeadLettersOptions["which"]>, DeadLetterList>> = {
  queued: "queue",
  "in-flight": "inflight",
  parked: "parked",
};

/**
 * Three Redis lists per (pipeline, hub): queue (RPUSH at the tail, claimed from the head, so
 * oldest first), in-flight and parked. Every move is one atomic command or script, so an entry
 * is always in exactly one list. Shares the store's connection (closed by the store).
 */
export class RedisDeadLetterQueue implements DeadLetterQueue {
  constructor(
    private readonly connection: RedisConnection,
    private readonly keys: RedisKeys,
  ) {}

  push(entry: NewDeadLetter): Promise<DeadLetterEntry> {
    const stored = newDeadLetterEntry(entry, new Date());
    return this.connection.run("push dead letter", async (redis) => {
      const transaction = redis
        .multi()
        .rpush(this.key(entry.pipeline, entry.hub, "queue"), encodeDeadLetter(stored))
        .sadd(this.keys.deadLetterHubs(entry.pipeline), entry.hub);
      throwFirstError(await transaction.exec());
      return stored;
    });
  }

  claim(pipeline: string, hub: string): Promise<ClaimedDeadLetter | undefined> {
    const queue = this.key(pipeline, hub, "queue");
    const inflight = this.key(pipeline, hub, "inflight");
    const parked = this.key(pipeline, hub, "parked");
    return this.connection.run("claim dead letter", async (redis) => {
      for (;;) {
        const raw = await redis.lmove(queue, inflight, "LEFT", "RIGHT");
        if (raw === null) return undefined;
        const decoded = decodeDeadLetter(raw, { pipeline, hub });
        if (decoded.state === "ok") return { entry: decoded.entry, raw };
        // Unreadable: parked with its reason, then on to the next. A crash between the two steps
        // leaves it in-flight, from where recovery returns it and the next claim parks it.
        await PARK_CORRUPT.run(redis, [inflight, parked], [raw, decoded.parked]);
      }
    });
  }

  ack(claimed: ClaimedDeadLetter): Promise<void> {
    const { pipeline, hub } = claimed.entry;
    const keys = [this.key(pipeline, hub, "inflight"), this.key(pipeline, hub, "queue")];
    return this.connection.run("ack dead letter", async (redis) => {
      await ACK_DEAD_LETTER.run(redis, keys, [claimed.raw]);
    });
  }

  nack(claimed: ClaimedDeadLetter, error: Failure, maxAttempts: number): Promise<"queued" | "parked"> {
    const { pipeline, hub } = claimed.entry;
    const next = failedAgain(claimed.entry, error, new Date());
    const destination = next.replayAttempts >= maxAttempts ? "parked" : "queued";
    const keys = [
      this.key(pipeline, hub, "inflight"),
      this.key(pipeline, hub, "queue"),
      this.key(pipeline, hub, destination === "parked" ? "parked" : "queue"),
      this.keys.deadLetterHubs(pipeline),
    ];
    return this.connection.run("nack dead letter", async (redis) => {
      await NACK_DEAD_LETTER.run(redis, keys, [claimed.raw, encodeDeadLetter(next), hub]);
      return destination;
    });
  }

  recoverInFlight(pipeline: string, hub: string): Promise<number> {
    const keys = [this.key(pipeline, hub, "inflight"), this.key(pipeline, hub, "queue")];
    return this.connection.run("recover in-flight dead letters", async (redis) =>
      Number(await RECOVER_IN_FLIGHT.run(redis, keys, [])),
    );
  }

  list(
    pipeline: string,
    hub: string,
    options: ListDeadLettersOptions = {},
  ): Promise<readonly DeadLetterRecord[]> {
    const offset = options.offset ?? 0;
    if (options.limit === 0) return Promise.resolve([]);
    const stop = options.limit === undefined ? -1 : offset + options.limit - 1;
    const key = this.key(pipeline, hub, LIST_OF[options.which ?? "queued"]);
    return this.connection.run("list dead letters", async (redis) => {
      const raws = await redis.lrange(key, offset, stop);
      return raws.map((raw) => toRecord(decodeDeadLetter(raw, { pipeline, hub })));
    });
  }

  depth(pipeline: string, hub: string): Promise<DeadLetterDepth> {
    return this.connection.run("read dead-letter depth", async (redis) => {
      const [queued, inFlight, parked] = throwFirstError(
        await redis
          .multi()
          .llen(this.key(pipeline, hub, "queue"))
          .llen(this.key(pipeline, hub, "inflight"))
          .llen(this.key(pipeline, hub, "parked"))
          .exec(),
      ).map(Number);
      return { queued: queued ?? 0, inFlight: inFlight ?? 0, parked: parked ?? 0 };
    });
  }

  async hubs(pipeline: string): Promise<readonly string[]> {
    const known = await this.connection.run("read dead-letter hubs", (redis) =>
      redis.smembers(this.keys.deadLetterHubs(pipeline)),
    );
    const withEntries: string[] = [];
    for (const hub of known) {
      const d = await this.depth(pipeline, hub);
      if (d.queued + d.inFlight + d.parked > 0) withEntries.push(hub);
    }
    return withEntries.sort();
  }

  unpark(pipeline: string, hub: string): Promise<UnparkResult> {
    const keys = [this.key(pipeline, hub, "parked"), this.key(pipeline, hub, "queue")];
    return this.connection.run("unpark dead letters", async (redis) => {
      let requeued = 0;
      let unreadable = 0;
      // Each text moves on its own, atomically (a concurrent purge or replay stays consistent).
      for (const raw of await redis.lrange(keys[0]!, 0, -1)) {
        const decoded = decodeDeadLetter(raw, { pipeline, hub });
        if (decoded.state !== "ok") {
          unreadable += 1;
          continue;
        }
        requeued += Number(
          await UNPARK_DEAD_LETTER.run(redis, keys, [raw, encodeDeadLetter(unparked(decoded.entry))]),
        );
      }
      return { requeued, unreadable };
    });
  }

  purge(pipeline: string, hub: string, which: "queued" | "parked" | "all"): Promise<number> {
    const lists: DeadLetterList[] =
      which === "queued" ? ["queue"] : which === "parked" ? ["parked"] : ["queue", "inflight", "parked"];
    const keys = lists.map((list) => this.key(pipeline, hub, list));
    return this.connection.run("purge dead letters", async (redis) => {
      const transaction = redis.multi();
      for (const key of keys) transaction.llen(key);
      transaction.del(...keys);
      const replies = throwFirstError(await transaction.exec());
      return replies.slice(0, keys.length).reduce<number>((sum, n) => sum + Number(n), 0);
    });
  }

  private key(pipeline: string, hub: string, list: DeadLetterList): string {
    return this.keys.deadLetters(pipeline, hub, list);
  }
}
