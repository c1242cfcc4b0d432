import rhea, { type Message, type Sender } from "rhea";

/**
 * The reply links of one connection. The SDK's request/response pairs (`$cbs`, `$management`)
 * send `reply_to` = the name of their receiver link (CBS, `cbs.js`) or its target address
 * (`$management`, `managementClient.js` `_init`); both are registered so either finds it. The
 * Python SDK's put-token carries no `reply_to` at all and the service still answers it, on the
 * link that receives from the node: so a link is found by its source address (the node) too.
 */
export class ReplyLinks {
  private readonly links = new Map<string, Sender>();
  private readonly nodes = new Map<string, Sender>();

  register(sender: Sender): void {
    this.links.set(sender.name, sender);
    const target: unknown = sender.target?.address;
    if (typeof target === "string" && target !== "") this.links.set(target, sender);
    const node: unknown = sender.source?.address;
    if (typeof node === "string" && node !== "") this.nodes.set(node, sender);
  }

  forget(sender: Sender): void {
    for (const [key, link] of this.links) if (link === sender) this.links.delete(key);
    for (const [key, link] of this.nodes) if (link === sender) this.nodes.delete(key);
  }

  /** The link named by `replyTo`, or without one, the latest link receiving from `node`. */
  find(replyTo: unknown, node: string): Sender | undefined {
    if (typeof replyTo === "string" && replyTo !== "") return this.links.get(replyTo);
    return this.nodes.get(node);
  }
}

export interface Reply {
  statusCode: number;
  statusDescription: string;
  errorCondition?: string;
  body?: unknown;
}

/**
 * Answers a request, sent to `node` (`$cbs`, `$management`, `<hub>/$management`), on its reply link. Replies are matched by the SDK only through
 * `correlation_id` = the request's `message_id` (`requestResponseLink.js` `onMessageReceived`),
 * and success is any `status-code` 200–299.
 */
export function sendReply(links: ReplyLinks, node: string, request: Message, reply: Reply): boolean {
  const link = links.find(request.reply_to, node);
  if (!link || !link.is_open()) return false;
  const applicationProperties: Record<string, unknown> = {
    // An AMQP int, as the service sends it: rhea would write 202 as a uint, which the Python
    // SDK's uamqp transport cannot read ("Could not retrieve status code value").
    "status-code": rhea.types.wrap_int(reply.statusCode),
    "status-description": reply.statusDescription,
  };
  if (reply.errorCondition !== undefined) applicationProperties["error-condition"] = reply.errorCondition;
  const response: Message = {
    body: reply.body ?? null,
    application_properties: applicationProperties,
  };
  if (request.message_id !== undefined) response.correlation_id = request.message_id;
  link.send(response);
  return true;
}

/** The text that makes core-amqp's `translate` produce `MessagingEntityNotFoundError`. */
export function notFoundDescription(host: string, hub: string): string {
  return `The messaging entity 'sb://${host}/${hub}' could not be found.`;
}

/** A request's application property as a string, if it is one. */
export function stringProperty(message: Message, name: string): string | undefined {
  const value: unknown = message.application_properties?.[name];
  return typeof value === "string" ? value : undefined;
}
