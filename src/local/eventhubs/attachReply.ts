import type { Receiver, Sender } from "rhea";

/**
 * Answers a client's attach with both termini, its source and target addresses echoed back, as
 * the service does. rhea leaves out a terminus it was not given; the Python `azure-eventhub`
 * SDK's AMQP client then detaches ("Cannot get source or target"), so `$cbs` never opens.
 */
export function echoTermini(link: Sender | Receiver): void {
  link.set_source({ address: link.source?.address });
  link.set_target({ address: link.target?.address });
}
