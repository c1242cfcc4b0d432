/**
 * An event ready for Event Hubs: the unit every sink, DLQ entry and dedupe check speaks.
 * `id` is deterministic (same record → same id on every re-read), so it serves as the dedupe
 * key and as the AMQP messageId consumers can dedupe on too.
 */
export interface OutboundEvent {
  readonly id: string;
  /** The location (building): keeps one location's events in order within a partition. */
  readonly partitionKey: string;
  /** When the record happened (for dedupe-set expiry and ordering). */
  readonly time: Date;
  readonly body: Readonly<Record<string, unknown>>;
  readonly properties: EventProperties;
}

export interface EventProperties {
  readonly recType: string;
  readonly pipeline: string;
  readonly location: string;
  readonly [key: string]: string | number | boolean;
}
