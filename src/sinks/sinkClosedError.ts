/** Thrown by `FanOutSink` calls made after `close()`: the producers are gone, nothing can be sent. */
export class SinkClosedError extends Error {
  override readonly name = "SinkClosedError";

  constructor(operation: string) {
    super(
      `${operation}: the fan-out sink is closed (close() was called); create a new FanOutSink to send again.`,
    );
  }
}
