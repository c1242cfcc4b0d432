/**
 * A fresh world for each test, closed after it: the `let world; beforeEach(make);
 * afterEach(close)` that every spec against real things (Redis, the local hubs, a CLI child)
 * would otherwise repeat. Call it in a `describe` and read the current world as `world()`.
 */
export function eachTest<T>(make: () => T | Promise<T>, close: (world: T) => unknown): () => T {
  let current: T | undefined;
  beforeEach(async () => {
    current = await make();
  });
  afterEach(async () => {
    const world = current;
    current = undefined;
    if (world !== undefined) await close(world);
  });
  return () => {
    if (current === undefined) throw new Error("eachTest: the world is read outside a test");
    return current;
  };
}
