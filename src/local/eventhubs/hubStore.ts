import type { Message } from "rhea";
import { decodeBody, messageIdToString } from "./batchDecoding.js";
import type { HubFault } from "./hubFaults.js";
import { mapPartitionKeyToIndex } from "./partitionKeyHash.js";

/** One accepted event as a test reads it back. */
export interface ReceivedEvent {
  hub: string;
  partitionId: string;
  sequenceNumber: number;
  offset: string;
  enqueuedTime: Date;
  /** JSON bodies decoded to objects, other `data` bodies as Buffers. */
  body: unknown;
  /** AMQP `properties.message_id` as a string. */
  messageId: string | undefined;
  /** The `x-opt-partition-key` message annotation. */
  partitionKey: string | undefined;
  applicationProperties: Record<string, unknown>;
}

export interface HubStats {
  transfersAccepted: number;
  transfersRejected: number;
  eventsAccepted: number;
  connectionsOpened: number;
  senderLinksAttached: number;
  /** The most transfers a `slow` fault held at once before answering: what a producer had in flight. */
  mostTransfersDelayed: number;
  /** Their bytes (the AMQP transfers' sizes) at the most. */
  mostBytesDelayed: number;
}

/** A stored event with the message it came in, kept to deliver it again to consumers. */
export interface StoredEvent {
  received: ReceivedEvent;
  message: Message;
}

export interface PartitionProperties {
  beginSequenceNumber: number;
  lastEnqueuedSequenceNumber: number;
  lastEnqueuedOffset: string;
  lastEnqueuedTime: Date;
  isEmpty: boolean;
}

type PartitionListener = () => void;

class PartitionLog {
  readonly events: StoredEvent[] = [];
  /** Bumped by `clear()`, so readers positioned in the old log know to start over. */
  epoch = 0;
  private nextOffset = 0;
  private readonly listeners = new Set<PartitionListener>();

  constructor(
    readonly hub: string,
    readonly id: string,
  ) {}

  append(message: Message, sizeInBytes: number, enqueuedTime: Date): StoredEvent {
    const annotations: Record<string, unknown> = message.message_annotations ?? {};
    const partitionKey = annotations["x-opt-partition-key"];
    const received: ReceivedEvent = {
      hub: this.hub,
      partitionId: this.id,
      sequenceNumber: this.events.length,
      // Offsets are byte positions in the partition, as on the service; consumers compare them as numbers.
      offset: String(this.nextOffset),
      enqueuedTime,
      body: decodeBody(message.body),
      messageId: messageIdToString(message.message_id),
      partitionKey: typeof partitionKey === "string" ? partitionKey : undefined,
      applicationProperties: { ...(message.application_properties ?? {}) },
    };
    this.nextOffset += sizeInBytes;
    const stored = { received, message };
    this.events.push(stored);
    return stored;
  }

  notify(): void {
    for (const listener of [...this.listeners]) listener();
  }

  subscribe(listener: PartitionListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  properties(): PartitionProperties {
    const last = this.events.at(-1)?.received;
    return {
      beginSequenceNumber: 0,
      lastEnqueuedSequenceNumber: last?.sequenceNumber ?? -1,
      lastEnqueuedOffset: last?.offset ?? "-1",
      lastEnqueuedTime: last?.enqueuedTime ?? new Date(0),
      isEmpty: last === undefined,
    };
  }

  clear(): void {
    this.events.length = 0;
    this.nextOffset = 0;
    this.epoch++;
  }
}

interface Waiter {
  count: number;
  resolve: (events: readonly ReceivedEvent[]) => void;
}

/** Everything one hub holds: its partitions, arrival order, counters, fault and waiters. */
export class HubStore {
  readonly createdAt = new Date();
  readonly partitionIds: readonly string[];
  fault: HubFault | undefined;
  private readonly partitions = new Map<string, PartitionLog>();
  private readonly arrivals: ReceivedEvent[] = [];
  private readonly waiters = new Set<Waiter>();
  private roundRobin = 0;
  private counters: HubStats = emptyStats();
  private readonly delayed = { transfers: 0, bytes: 0 };
  /** Wall-clock ms of the last accepted transfer since the last `clear()` (benchmarks time a hub's last event). */
  lastAcceptedAt: number | undefined;
  /** Consumer groups a receiver attached with (tests check which group a reader used). */
  readonly consumerGroups = new Set<string>();

  constructor(
    readonly name: string,
    partitionCount: number,
  ) {
    this.partitionIds = Array.from({ length: partitionCount }, (_, i) => String(i));
    for (const id of this.partitionIds) this.partitions.set(id, new PartitionLog(name, id));
  }

  partition(id: string): PartitionLog | undefined {
    return this.partitions.get(id);
  }

  /**
   * Appends one transfer's events to one partition, so a batch stays together and in order:
   * the explicit partition if the link named one, else the key's partition, else round-robin.
   */
  append(events: readonly Message[], sizeInBytes: number, target: PartitionTarget): readonly StoredEvent[] {
    const log = this.choosePartition(target);
    const enqueuedTime = new Date();
    const perEventSize = Math.max(1, Math.floor(sizeInBytes / Math.max(1, events.length)));
    const stored = events.map((message) => log.append(message, perEventSize, enqueuedTime));
    for (const event of stored) this.arrivals.push(event.received);
    this.counters.transfersAccepted++;
    this.counters.eventsAccepted += stored.length;
    this.lastAcceptedAt = enqueuedTime.getTime();
    log.notify();
    this.settleWaiters();
    return stored;
  }

  /** A transfer accepted without keeping its events (retainEvents false): counters only. */
  countAccepted(events: number): void {
    this.counters.transfersAccepted++;
    this.counters.eventsAccepted += events;
    this.lastAcceptedAt = Date.now();
  }

  private choosePartition(target: PartitionTarget): PartitionLog {
    if (target.partitionId !== undefined) {
      const explicit = this.partitions.get(target.partitionId);
      if (explicit) return explicit;
    }
    const count = this.partitionIds.length;
    const index =
      target.partitionKey !== undefined
        ? mapPartitionKeyToIndex(target.partitionKey, count)
        : this.roundRobin++ % count;
    const log = this.partitions.get(this.partitionIds[index] ?? "0");
    if (!log) throw new Error(`hub '${this.name}' has no partition ${index}`);
    return log;
  }

  received(): readonly ReceivedEvent[] {
    return [...this.arrivals];
  }

  /** Resolves once at least `count` events were accepted; the caller owns the timeout. */
  waitFor(count: number): { promise: Promise<readonly ReceivedEvent[]>; cancel: () => void } {
    let waiter: Waiter | undefined;
    const promise = new Promise<readonly ReceivedEvent[]>((resolve) => {
      waiter = { count, resolve };
      this.waiters.add(waiter);
    });
    this.settleWaiters();
    return { promise, cancel: () => waiter && this.waiters.delete(waiter) };
  }

  private settleWaiters(): void {
    for (const waiter of [...this.waiters]) {
      if (this.arrivals.length >= waiter.count) {
        this.waiters.delete(waiter);
        waiter.resolve(this.received());
      }
    }
  }

  count(stat: keyof HubStats): void {
    this.counters[stat]++;
  }

  stats(): HubStats {
    return { ...this.counters };
  }

  /** A transfer held before its answer (a `slow` fault); call the release when it is answered. */
  delayTransfer(sizeInBytes: number): () => void {
    const delayed = this.delayed;
    delayed.transfers++;
    delayed.bytes += sizeInBytes;
    const c = this.counters;
    c.mostTransfersDelayed = Math.max(c.mostTransfersDelayed, delayed.transfers);
    c.mostBytesDelayed = Math.max(c.mostBytesDelayed, delayed.bytes);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      delayed.transfers--;
      delayed.bytes -= sizeInBytes;
    };
  }

  clear(): void {
    this.arrivals.length = 0;
    for (const log of this.partitions.values()) log.clear();
    this.counters = emptyStats();
    this.lastAcceptedAt = undefined;
  }
}

export interface PartitionTarget {
  partitionId: string | undefined;
  partitionKey: string | undefined;
}

function emptyStats(): HubStats {
  return {
    transfersAccepted: 0,
    transfersRejected: 0,
    eventsAccepted: 0,
    connectionsOpened: 0,
    senderLinksAttached: 0,
    mostTransfersDelayed: 0,
    mostBytesDelayed: 0,
  };
}

export type { PartitionLog };
