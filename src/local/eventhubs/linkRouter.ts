import type { Connection, Container, EventContext, Receiver, Sender } from "rhea";
import { parseLinkAddress } from "./addresses.js";
import { echoTermini } from "./attachReply.js";
import { answerCbs, readCbsRequest } from "./cbs.js";
import { enableQuickAck } from "./connectionControl.js";
import type { ConnectionRegistry } from "./connectionState.js";
import { serveConsumerLink } from "./consumerLink.js";
import { downError, downReply } from "./hubFaults.js";
import type { HubStore } from "./hubStore.js";
import { answerManagement } from "./management.js";
import { serveProducerLink } from "./producerLink.js";
import { notFoundDescription, sendReply } from "./requestResponse.js";
import { replenishCredit } from "./rheaInternals.js";

/** Credit kept open on the `$cbs` and `$management` request links. */
const REQUEST_CREDIT = 100;

export interface RouterOptions {
  hubs: ReadonlyMap<string, HubStore>;
  connections: ConnectionRegistry;
  /** `host:port` as it appears in audiences and error texts. */
  authority: string;
  maxMessageSizeInBytes: number;
  /** false: count accepted events only (LocalEventHubsOptions.retainEvents). */
  retainEvents: boolean;
}

/**
 * Wires rhea's container events to the Event Hubs behaviour: every link a client attaches is
 * classified by its address and served, or refused the way the service refuses it.
 */
export class LinkRouter {
  constructor(private readonly options: RouterOptions) {}

  listen(container: Container): void {
    container.on("connection_open", (context: EventContext) => {
      this.options.connections.stateOf(context.connection);
      enableQuickAck(context.connection);
    });
    const forget = (context: EventContext): void => this.options.connections.forget(context.connection);
    container.on("connection_close", forget);
    container.on("disconnected", forget);
    container.on("receiver_open", (context: EventContext) => {
      if (context.receiver) this.onClientSender(context.connection, context.receiver);
    });
    container.on("sender_open", (context: EventContext) => {
      if (context.sender) this.onClientReceiver(context.connection, context.sender);
    });
    container.on("sender_close", (context: EventContext) => {
      if (context.sender)
        this.options.connections.stateOf(context.connection).replyLinks.forget(context.sender);
    });
    // rhea rethrows link, session and socket errors nobody listens to; a peer that vanishes or
    // misbehaves must not take the server down, so they are observed here and dropped.
    container.on("error", () => undefined);
    container.on("protocol_error", () => undefined);
  }

  /**
   * Notes that a connection named a hub (each connection counts once per hub) and tells whether
   * the hub is down. A down hub fails each request with the retryable `amqp:connection:forced`
   * but leaves the connection open: closing it here races the SDK, whose next operation on the
   * half-closed connection fails with a bare, non-retryable "Failed to connect" (measured).
   * Connections open when the fault is set are closed by `LocalEventHubs.setFault`.
   */
  private isDown(connection: Connection, hubName: string): boolean {
    const hub = this.options.hubs.get(hubName);
    if (!hub) return false;
    const state = this.options.connections.stateOf(connection);
    if (!state.hubs.has(hubName)) {
      state.hubs.add(hubName);
      hub.count("connectionsOpened");
    }
    return hub.fault?.kind === "down";
  }

  /** A link on which the client sends: `$cbs`, `$management` requests, or events to a hub. */
  private onClientSender(connection: Connection, receiver: Receiver): void {
    const address = parseLinkAddress(receiver.target?.address);
    switch (address.kind) {
      case "cbs":
      case "management":
        echoTermini(receiver);
        receiver.on("message", (context: EventContext) => {
          replenishCredit(receiver, REQUEST_CREDIT);
          if (context.message === undefined) return;
          if (address.kind === "cbs") this.onCbsRequest(connection, context);
          else this.onManagementRequest(connection, context, String(receiver.target?.address));
        });
        receiver.add_credit(REQUEST_CREDIT);
        return;
      case "hub": {
        const hub = this.options.hubs.get(address.hub);
        if (!hub || (address.partitionId !== undefined && !hub.partition(address.partitionId))) {
          this.refuse(receiver, address.hub, receiver.target?.address);
          return;
        }
        if (this.isDown(connection, address.hub)) return receiver.close(downError(address.hub));
        serveProducerLink(receiver, {
          hub,
          partitionId: address.partitionId,
          maxMessageSizeInBytes: this.options.maxMessageSizeInBytes,
          retainEvents: this.options.retainEvents,
        });
        return;
      }
      default:
        this.refuse(receiver, undefined, receiver.target?.address);
    }
  }

  /** A link on which the client receives: replies to its requests, or events from a partition. */
  private onClientReceiver(connection: Connection, sender: Sender): void {
    const address = parseLinkAddress(sender.source?.address);
    switch (address.kind) {
      case "cbs":
      case "management":
        echoTermini(sender);
        this.options.connections.stateOf(connection).replyLinks.register(sender);
        return;
      case "consumer": {
        const log = this.options.hubs.get(address.hub)?.partition(address.partitionId);
        if (!log) {
          this.refuse(sender, address.hub, sender.source?.address);
          return;
        }
        if (this.isDown(connection, address.hub)) return sender.close(downError(address.hub));
        this.options.hubs.get(address.hub)?.consumerGroups.add(address.consumerGroup);
        try {
          serveConsumerLink(sender, log);
        } catch (error) {
          const description = error instanceof Error ? error.message : String(error);
          sender.close({ condition: "amqp:not-implemented", description });
        }
        return;
      }
      default:
        this.refuse(sender, undefined, sender.source?.address);
    }
  }

  private onCbsRequest(connection: Connection, context: EventContext): void {
    const message = context.message;
    if (message === undefined) return;
    const request = readCbsRequest(message);
    const links = this.options.connections.stateOf(connection).replyLinks;
    if (request?.hub !== undefined && this.isDown(connection, request.hub)) {
      sendReply(links, "$cbs", message, downReply(request.hub));
      return;
    }
    answerCbs(links, message, request);
  }

  private onManagementRequest(connection: Connection, context: EventContext, node: string): void {
    const message = context.message;
    if (message === undefined) return;
    const hubName: unknown = message.application_properties?.["name"];
    const links = this.options.connections.stateOf(connection).replyLinks;
    if (typeof hubName === "string" && this.isDown(connection, hubName)) {
      sendReply(links, node, message, downReply(hubName));
      return;
    }
    sendReply(links, node, message, answerManagement(message, this.options.hubs, this.options.authority));
  }

  /**
   * Refuses an attach as the service does for a missing entity: the attach is answered (with no
   * terminus) and at once detached with `amqp:not-found`, whose description makes core-amqp throw
   * `MessagingEntityNotFoundError`. No credit is ever granted, so the SDK never sees it sendable.
   */
  private refuse(link: Sender | Receiver, hub: string | undefined, address: unknown): void {
    const entity = hub ?? (typeof address === "string" ? address : "");
    link.close({
      condition: "amqp:not-found",
      description: notFoundDescription(this.options.authority, entity),
    });
  }
}
