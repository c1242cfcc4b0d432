import type { Connection } from "rhea";
import { ReplyLinks } from "./requestResponse.js";

/** What the server remembers about one client connection. */
export interface ConnectionState {
  readonly connection: Connection;
  /** Hubs this connection has named (token audience, link address or management request). */
  readonly hubs: Set<string>;
  readonly replyLinks: ReplyLinks;
}

/** The state of every open connection, looked up by rhea's connection object. */
export class ConnectionRegistry {
  private readonly states = new Map<Connection, ConnectionState>();

  stateOf(connection: Connection): ConnectionState {
    let state = this.states.get(connection);
    if (!state) {
      state = { connection, hubs: new Set(), replyLinks: new ReplyLinks() };
      this.states.set(connection, state);
    }
    return state;
  }

  forget(connection: Connection): void {
    this.states.delete(connection);
  }

  /** Connections that have named this hub. */
  using(hub: string): ConnectionState[] {
    return [...this.states.values()].filter((state) => state.hubs.has(hub));
  }

  all(): ConnectionState[] {
    return [...this.states.values()];
  }
}
