/* global module */
// A stand-in for `@azure/functions-core`, the module the Azure Functions Node.js worker provides
// at run time (it is not on npm). The real `@azure/functions` library, bundled, registers the
// app through it; this one records what it was given so the test can read the registrations
// and invoke a handler as the worker would.
const worker = { programmingModel: undefined, functions: [], hooks: {} };
globalThis.__functionsWorker = worker;

module.exports = {
  version: "3.10.1",
  setProgrammingModel(model) {
    worker.programmingModel = model;
  },
  getProgrammingModel() {
    return worker.programmingModel;
  },
  registerFunction(metadata, handler) {
    worker.functions.push({ metadata, handler });
    return { dispose() {} };
  },
  registerHook(name, callback) {
    (worker.hooks[name] ??= []).push(callback);
    return { dispose() {} };
  },
  log() {},
};
