import { createInterface } from "node:readline";

/**
 * The child side of `Service`: one JSON line per command read on stdin (`name` or `name argument`,
 * the argument being the rest of the line). The parent closing
 * stdin (or dying) ends the loop, and `onClose` lets the child shut down instead of lingering.
 */
export function serveCommands(
  handlers: Readonly<Record<string, (argument: string) => unknown>>,
  onClose: () => Promise<void>,
): void {
  const lines = createInterface({ input: process.stdin });
  lines.on("line", (line) => {
    const trimmed = line.trim();
    const space = trimmed.indexOf(" ");
    const name = space < 0 ? trimmed : trimmed.slice(0, space);
    const handler = handlers[name];
    let answer: unknown;
    try {
      answer =
        handler === undefined
          ? { error: `unknown command "${line}"` }
          : handler(trimmed.slice(name.length + 1));
    } catch (error) {
      answer = { error: error instanceof Error ? error.message : String(error) };
    }
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
