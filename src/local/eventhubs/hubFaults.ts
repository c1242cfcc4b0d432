/**
 * A failure a hub can be switched into. Each imitates what the real service does and what the
 * SDK then throws (measured in `docs/eventhubs-local.md`, "What failures look like").
 */
export type HubFault =
  /** Reject every transfer with this AMQP condition, e.g. `amqp:internal-error`, `com.microsoft:server-busy`. */
  | { kind: "reject"; condition: string; description?: string }
  /** Settle every transfer as released (the SDK throws `SendOperationFailedError`, not retried). */
  | { kind: "release" }
  /** Take transfers in but never settle them (the SDK times out per try). */
  | { kind: "stall" }
  /** Accept every transfer, each after `delayInMs` (a hub far away, or throttled): slow, never failing. */
  | { kind: "slow"; delayInMs: number }
  /** Close the sender link with an error on each transfer. */
  | { kind: "drop-link" }
  /**
   * The hub is unreachable: its open connections are closed, and until cleared every token,
   * management request, attach and transfer for it fails with the retryable `amqp:connection:forced`.
   */
  | { kind: "down" }
  /**
   * Serve normally, but reset the TCP connection (RST) when the client detaches a link of this
   * hub, as a load balancer that drops idle flows does while a producer closes: the client's
   * close then never gets its answer.
   */
  | { kind: "reset-on-close" };

/** Which of the AMQP conditions a "down" hub closes its connections with: retryable in the SDK. */
export const DOWN_CONDITION = "amqp:connection:forced";

/** What the producer link does with one incoming transfer. */
export type TransferVerdict =
  | { action: "accept"; delayInMs?: number }
  | { action: "reject"; condition: string; description: string }
  | { action: "release" }
  | { action: "ignore" }
  | { action: "drop-link"; condition: string; description: string }
  | { action: "unreachable"; condition: string; description: string };

/** Decides a transfer's fate: the hub's fault first, then the service's size limit. */
export function judgeTransfer(
  hub: string,
  fault: HubFault | undefined,
  sizeInBytes: number,
  maxMessageSizeInBytes: number,
): TransferVerdict {
  switch (fault?.kind) {
    case "down":
      return { action: "unreachable", ...downError(hub) };
    case "drop-link":
      return {
        action: "drop-link",
        condition: "amqp:link:detach-forced",
        description: `The link to '${hub}' was dropped (local fault injection).`,
      };
    case "stall":
      return { action: "ignore" };
    case "release":
      return { action: "release" };
    case "slow":
      if (sizeInBytes > maxMessageSizeInBytes) break;
      return { action: "accept", delayInMs: fault.delayInMs };
    case "reset-on-close":
      break;
    case "reject":
      return {
        action: "reject",
        condition: fault.condition,
        description: fault.description ?? `Rejected by the local hub '${hub}' (fault injection).`,
      };
    case undefined:
      break;
  }
  if (sizeInBytes > maxMessageSizeInBytes) {
    return {
      action: "reject",
      condition: "amqp:link:message-size-exceeded",
      description:
        `The received message (${sizeInBytes} bytes) exceeds the limit ` +
        `(${maxMessageSizeInBytes} bytes) currently allowed on the link.`,
    };
  }
  return { action: "accept" };
}

export function downDescription(hub: string): string {
  return `The hub '${hub}' is down (local fault injection).`;
}

/** The error a "down" hub's connections are closed with. */
export function downError(hub: string): { condition: string; description: string } {
  return { condition: DOWN_CONDITION, description: downDescription(hub) };
}

/**
 * The reply to a `$cbs` or `$management` request for a "down" hub: core-amqp reads
 * `error-condition` before the status code (`requestResponseLink.js` `getCodeDescriptionAndError`),
 * so the SDK throws a retryable `ConnectionForcedError` at once.
 */
export function downReply(hub: string): {
  statusCode: number;
  statusDescription: string;
  errorCondition: string;
} {
  return { statusCode: 503, statusDescription: downDescription(hub), errorCondition: DOWN_CONDITION };
}
