import { Socket } from "node:net";
import rhea, { type Connection, type Message, type Receiver } from "rhea";

/*
 * The few rhea v3 facts its typings leave out, read in one place so the casts stay here.
 */

/** The socket rhea keeps on a server connection (`connection.js` `init`). */
export function socketOf(connection: Connection): Socket | undefined {
  const socket: unknown = (connection as unknown as { socket?: unknown }).socket;
  return socket instanceof Socket ? socket : undefined;
}

/** The credit a receiver has granted and not yet seen used (`link.js` `Receiver.flow`). */
export function creditOf(receiver: Receiver): number {
  const credit: unknown = (receiver as unknown as { credit?: unknown }).credit;
  return typeof credit === "number" ? credit : 0;
}

/** Tops a receiver's credit back up to `window` once half of it is used. */
export function replenishCredit(receiver: Receiver, window: number): void {
  const credit = creditOf(receiver);
  if (credit < window / 2) receiver.add_credit(window - credit);
}

/** `rhea.message.decode`, typed as the message the rest of rhea's typings use. */
export function decodeMessage(buffer: Buffer): Message {
  return rhea.message.decode(buffer) as unknown as Message;
}

/** The format of a transfer rhea handed over undecoded (`session.js`: `{message, delivery, format}`). */
export function formatOf(context: object): number | undefined {
  const format: unknown = (context as { format?: unknown }).format;
  return typeof format === "number" ? format : undefined;
}
