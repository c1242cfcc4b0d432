import { createRequire } from "node:module";
import { Socket } from "node:net";
import rhea, { type Connection, type Container, type Message, type Receiver } from "rhea";

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

interface Performative {
  value: unknown[];
  described(): unknown;
}

type PerformativeName =
  "open" | "begin" | "attach" | "flow" | "transfer" | "disposition" | "detach" | "end" | "close";

/** Fields whose AMQP default the Python client needs written out (it compares them with numbers). */
const WRITTEN_DEFAULTS: Partial<Record<PerformativeName, Readonly<Record<string, number>>>> = {
  open: { max_frame_size: 4294967295, channel_max: 65535 },
  begin: { handle_max: 4294967295 },
};

let padded = false;

/**
 * Makes rhea write every performative with all its fields, trailing nulls included, and the
 * numeric defaults above written out, as the Event Hubs service does. AMQP lets a sender omit
 * trailing nulls and defaulted fields (rhea does), but the pure-Python AMQP client of the
 * `azure-eventhub` SDK reads fields by position and compares them with numbers: it fails on a
 * short `open` ("list index out of range" at `frame[4]`) and on a null `max-frame-size` or
 * `handle-max`. Applies to the whole process, once; a peer that follows the spec reads either form.
 */
export function padPerformativeFields(): void {
  if (padded) return;
  padded = true;
  // rhea's frames module has no typings; its performative classes are reached through instances.
  const frames = createRequire(import.meta.url)("rhea/lib/frames.js") as Record<
    PerformativeName,
    (fields: Record<string, unknown>) => Performative
  >;
  const names: PerformativeName[] = [
    "open",
    "begin",
    "attach",
    "flow",
    "transfer",
    "disposition",
    "detach",
    "end",
    "close",
  ];
  for (const name of names) {
    const prototype = Object.getPrototypeOf(frames[name]({})) as Performative;
    const fieldCount = Object.values(Object.getOwnPropertyDescriptors(prototype)).filter(
      (d) => d.get !== undefined,
    ).length;
    const defaults = Object.entries(WRITTEN_DEFAULTS[name] ?? {});
    const described = prototype.described;
    prototype.described = function (this: Performative & Record<string, unknown>) {
      for (const [field, value] of defaults)
        if (this[field] === undefined || this[field] === null) this[field] = value;
      // Holes are written as AMQP null (types.js `write_compound`).
      if (this.value.length < fieldCount) this.value.length = fieldCount;
      return described.call(this);
    };
  }
}

/**
 * Offers SASL `MSSBCBS` next to `ANONYMOUS`, as the service does: the Python SDK's uamqp
 * transport asks for it ("Could not find desired SASL mechanism") and then authorises through
 * `$cbs` put-token like every other client. Like ANONYMOUS here, it accepts whatever it is sent.
 */
export function acceptCbsSasl(container: Container): void {
  const mechanisms = (container as unknown as { sasl_server_mechanisms: Record<string, unknown> })
    .sasl_server_mechanisms;
  (mechanisms as unknown as { enable_anonymous(): void }).enable_anonymous();
  mechanisms.MSSBCBS = () => ({
    outcome: undefined as boolean | undefined,
    username: undefined as string | undefined,
    start(this: { outcome?: boolean; username?: string }) {
      this.outcome = true;
      this.username = "cbs";
    },
  });
}
