import { createInterface } from "node:readline";

/**
 * The child side of `Service`: one JSON line per command read on stdin. The parent closing
 * stdin (or dying) ends the loop, and `onClose` lets the child shut down instead of lingering.
 */
export function serveCommands(
  handlers: Readonly<Record<string, () => unknown>>,
  onClose: () => Promise<void>,
): void {
  const lines = createInterface({ input: process.stdin });
  lines.on("line", (line) => {
    const handler = handlers[line.trim()];
    const answer = handler === undefined ? { error: `unknown command "${line}"` } : handler();
    process.stdout.write(`${JSON.stringify(answer)}\n`);
  });
  let closing = false;
  const close = (): void => {
    if (closing) return;
    closing = true;
    onClose().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  lines.on("close", close);
  process.once("SIGTERM", close);
  process.once("SIGINT", close);
}
