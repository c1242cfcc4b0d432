import type { EventContext, Receiver } from "rhea";
import { echoTermini } from "./attachReply.js";
import { countTransfer, decodeTransfer } from "./batchDecoding.js";
import { judgeTransfer, type TransferVerdict } from "./hubFaults.js";
import type { HubStore } from "./hubStore.js";
import { formatOf, replenishCredit, socketOf } from "./rheaInternals.js";

/** Credit kept open on a producer link; topped up as transfers arrive. */
const PRODUCER_CREDIT = 1000;

export interface ProducerLinkContext {
  hub: HubStore;
  partitionId: string | undefined;
  maxMessageSizeInBytes: number;
  /** false: accepted events are counted, not decoded or kept. */
  retainEvents: boolean;
}

/** Opens a link the SDK sends events on (`<hub>` or `<hub>/Partitions/<id>`) and serves it. */
export function serveProducerLink(receiver: Receiver, context: ProducerLinkContext): void {
  echoTermini(receiver);
  context.hub.count("senderLinksAttached");
  receiver.on("message", (event: EventContext) => onTransfer(receiver, event, context));
  receiver.on("receiver_close", () => {
    if (context.hub.fault?.kind === "reset-on-close") socketOf(receiver.connection)?.resetAndDestroy();
  });
  receiver.add_credit(PRODUCER_CREDIT);
}

function onTransfer(receiver: Receiver, event: EventContext, context: ProducerLinkContext): void {
  const { delivery, message } = event;
  if (!delivery || message === undefined) return;
  // For a non-zero message format rhea passes the raw transfer Buffer where its typings say Message.
  const payload: unknown = message;
  const transfer = (context.retainEvents ? decodeTransfer : countTransfer)(
    Buffer.isBuffer(payload) ? payload : message,
    formatOf(event),
  );
  const verdict: TransferVerdict = judgeTransfer(
    context.hub.name,
    context.hub.fault,
    transfer.sizeInBytes,
    context.maxMessageSizeInBytes,
  );
  replenishCredit(receiver, PRODUCER_CREDIT);
  switch (verdict.action) {
    case "accept": {
      const accept = (): void => {
        const annotations: Record<string, unknown> = transfer.envelope.message_annotations ?? {};
        const key = annotations["x-opt-partition-key"];
        if (transfer.events === undefined) {
          context.hub.countAccepted(transfer.eventCount);
        } else {
          context.hub.append(transfer.events, transfer.sizeInBytes, {
            partitionId: context.partitionId,
            partitionKey: typeof key === "string" ? key : undefined,
          });
        }
        delivery.accept();
      };
      // Same delay for every transfer of the link: they are still settled in arrival order.
      if (verdict.delayInMs === undefined) accept();
      else {
        const answered = context.hub.delayTransfer(transfer.sizeInBytes);
        setTimeout(() => {
          answered();
          accept();
        }, verdict.delayInMs).unref();
      }
      return;
    }
    case "reject":
      context.hub.count("transfersRejected");
      delivery.reject({ condition: verdict.condition, description: verdict.description });
      return;
    case "release":
      context.hub.count("transfersRejected");
      delivery.release();
      return;
    case "ignore":
      return;
    case "drop-link":
      context.hub.count("transfersRejected");
      receiver.close({ condition: verdict.condition, description: verdict.description });
      return;
    case "unreachable":
      // A hub gone down under an open link: the transfer fails with the connection-level
      // condition at once rather than hanging until the SDK's per-try timeout.
      context.hub.count("transfersRejected");
      delivery.reject({ condition: verdict.condition, description: verdict.description });
      return;
  }
}
