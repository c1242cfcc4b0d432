import type { Message } from "rhea";
import { hubOfAudience } from "./addresses.js";
import { sendReply, stringProperty, type ReplyLinks } from "./requestResponse.js";

/** What a put-token request asks for: the audience names the hub the next link is for. */
export interface PutTokenRequest {
  audience: string;
  hub: string | undefined;
}

/** Reads a CBS request; anything other than `put-token` is answered 400 by `answerCbs`. */
export function readCbsRequest(message: Message): PutTokenRequest | undefined {
  if (stringProperty(message, "operation") !== "put-token") return undefined;
  const audience = stringProperty(message, "name") ?? "";
  return { audience, hub: hubOfAudience(audience) };
}

/**
 * Accepts every token with 202, as the service does for a valid one: the SDK signs tokens with
 * the key client-side (`docs/eventhubs-local.md`, "Connecting"), so a local server need not check.
 */
export function answerCbs(links: ReplyLinks, message: Message, request: PutTokenRequest | undefined): void {
  const node = "$cbs";
  if (request === undefined) {
    sendReply(links, node, message, {
      statusCode: 400,
      statusDescription: "Only the put-token operation is supported.",
      errorCondition: "amqp:not-implemented",
    });
    return;
  }
  sendReply(links, node, message, { statusCode: 202, statusDescription: "Accepted" });
}
