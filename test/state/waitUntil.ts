/** Polls `condition` until it holds (rejects after `timeoutInMs`): waits for an event, not a fixed time. */
export async function waitUntil(
  condition: () => Promise<boolean> | boolean,
  what: string,
  timeoutInMs = 3000,
): Promise<void> {
  const deadline = Date.now() + timeoutInMs;
  for (;;) {
    if (await condition()) return;
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
