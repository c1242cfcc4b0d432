/* global process, URL, console */
// Run as a child process beside a staged bundle (dist/functions.mjs): loads it the way the
// Functions worker does, prints what it registered, invokes one timer function with a real
// InvocationContext, then runs the app's terminate hooks, as the host does at shutdown.
const [functionName, librarySpecifier] = process.argv.slice(2);

await import(new URL("./dist/functions.mjs", import.meta.url).href);
const worker = globalThis.__functionsWorker;
const registered = worker.functions.map(({ metadata }) => ({
  name: metadata.name,
  triggers: Object.values(metadata.bindings).map((b) => ({ type: b.type, schedule: b.schedule })),
}));
console.log(`registered ${JSON.stringify(registered)}`);

// The library is CommonJS: its exports arrive as the default export.
const { InvocationContext } = (await import(librarySpecifier)).default;
const target = worker.functions.find(({ metadata }) => metadata.name === functionName);
await target.handler(
  { isPastDue: false },
  new InvocationContext({ functionName, invocationId: "bundle-test" }),
);
console.log(`invoked ${functionName}`);

for (const hook of worker.hooks.appTerminate ?? []) await hook({});
console.log("terminated");
