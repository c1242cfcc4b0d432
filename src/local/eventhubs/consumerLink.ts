import rhea, { type Message, type Sender } from "rhea";
import { echoTermini } from "./attachReply.js";
import { isAtOrAfter, parseStartPosition } from "./consumerFilter.js";
import type { PartitionLog, StoredEvent } from "./hubStore.js";

/** `Constants.enableReceiverRuntimeMetricName` in core-amqp: asks for last-enqueued info per delivery. */
const RUNTIME_METRIC_CAPABILITY = "com.microsoft:enable-receiver-runtime-metric";

/**
 * Serves a consumer's receiver link (`<hub>/ConsumerGroups/<group>/Partitions/<id>`): delivers the
 * stored events from the filter's start position, then new ones as they arrive, never more than
 * the link credit the SDK grants (it sends `credit_window: 0` and adds credit per batch).
 * Throws for a filter it cannot honour; the caller refuses the attach.
 */
export function serveConsumerLink(sender: Sender, log: PartitionLog): void {
  const position = parseStartPosition(sender.source?.filter);
  let next = log.events.findIndex((event) => isAtOrAfter(event.received, position));
  if (next === -1) next = log.events.length;
  let epoch = log.epoch;
  const withRuntimeInfo = capabilities(sender.desired_capabilities).includes(RUNTIME_METRIC_CAPABILITY);
  echoTermini(sender);

  const pump = (): void => {
    if (sender.is_closed()) {
      unsubscribe();
      return;
    }
    if (epoch !== log.epoch) {
      // The store was cleared under this link: start again from its new beginning.
      epoch = log.epoch;
      next = 0;
    }
    while (next < log.events.length && sender.sendable()) {
      const stored = log.events[next];
      if (!stored) break;
      sender.send(toDeliveredMessage(stored, withRuntimeInfo ? log : undefined));
      next++;
    }
  };
  const unsubscribe = log.subscribe(pump);
  sender.on("sendable", pump);
  sender.on("sender_close", unsubscribe);
  pump();
}

/**
 * The stored message with the service's system annotations added, as `eventData.js`
 * `fromRheaMessage` reads them: sequence number (long), offset (string), enqueued time (timestamp).
 */
function toDeliveredMessage(stored: StoredEvent, runtimeInfoFrom: PartitionLog | undefined): Message {
  const { received, message } = stored;
  const delivered: Message = {
    ...message,
    message_annotations: {
      ...(message.message_annotations ?? {}),
      "x-opt-sequence-number": rhea.types.wrap_long(received.sequenceNumber),
      "x-opt-offset": received.offset,
      "x-opt-enqueued-time": rhea.types.wrap_timestamp(received.enqueuedTime.getTime()),
    },
  };
  if (runtimeInfoFrom) {
    const last = runtimeInfoFrom.properties();
    delivered.delivery_annotations = {
      last_enqueued_sequence_number: rhea.types.wrap_long(last.lastEnqueuedSequenceNumber),
      last_enqueued_offset: last.lastEnqueuedOffset,
      last_enqueued_time_utc: last.lastEnqueuedTime,
      runtime_info_retrieval_time_utc: new Date(),
    };
  }
  return delivered;
}

function capabilities(value: unknown): string[] {
  if (typeof value === "string") return [value];
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === "string") : [];
}
