/**
 * The link addresses and token audiences `@azure/event-hubs` uses, parsed into what they name.
 * Formats from the SDK's `eventhubConnectionConfig.js` (`getSenderAddress`, `getReceiverAddress`,
 * `get*Audience`): `<hub>`, `<hub>/Partitions/<id>`, `<hub>/ConsumerGroups/<group>/Partitions/<id>`,
 * and audiences are `sb://host:port/` followed by one of those (or `<hub>/$management`). The
 * Python SDK writes link addresses as full URLs, `amqps://host:port/<hub>…`, which the service
 * accepts too: the scheme and authority are dropped before classifying.
 */
export type LinkAddress =
  | { kind: "cbs" }
  | { kind: "management" }
  | { kind: "hub"; hub: string; partitionId: string | undefined }
  | { kind: "consumer"; hub: string; consumerGroup: string; partitionId: string }
  | { kind: "unknown"; address: string };

const PARTITION_SENDER = /^([^/]+)\/Partitions\/([^/]+)$/i;
const CONSUMER = /^([^/]+)\/ConsumerGroups\/([^/]+)\/Partitions\/([^/]+)$/i;

/** Classifies a link's source or target address. */
export function parseLinkAddress(fullAddress: string | undefined): LinkAddress {
  const address = fullAddress?.replace(/^(amqps?|sb):\/\/[^/]*\//i, "");
  if (address === undefined || address === "") return { kind: "unknown", address: "" };
  if (address === "$cbs") return { kind: "cbs" };
  if (address === "$management" || address.endsWith("/$management")) return { kind: "management" };
  const consumer = CONSUMER.exec(address);
  if (consumer) {
    const [, hub = "", consumerGroup = "", partitionId = ""] = consumer;
    return { kind: "consumer", hub, consumerGroup, partitionId };
  }
  const partitionSender = PARTITION_SENDER.exec(address);
  if (partitionSender) {
    const [, hub = "", partitionId = ""] = partitionSender;
    return { kind: "hub", hub, partitionId };
  }
  if (!address.includes("/")) return { kind: "hub", hub: address, partitionId: undefined };
  return { kind: "unknown", address };
}

/** The hub a CBS token audience (`sb://host:port/<hub>/...`) grants access to, if any. */
export function hubOfAudience(audience: string): string | undefined {
  const withoutScheme = audience.replace(/^[a-z]+:\/\/[^/]*\/?/i, "");
  const hub = withoutScheme.split("/")[0];
  return hub === undefined || hub === "" ? undefined : hub;
}
