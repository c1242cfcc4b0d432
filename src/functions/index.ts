import { app } from "@azure/functions";
import { registerPipelineTimers } from "./registerPipelineTimers.js";
import { closeSharedRuntime } from "./sharedRuntime.js";

/**
 * The Azure Functions entry point (v4 programming model): the host loads this module once per
 * worker, which registers one timer function per pipeline. The runtime they share is closed
 * when the host shuts the app down, so producers detach cleanly instead of timing out.
 */
registerPipelineTimers(app.timer);
app.hook.appTerminate(() => closeSharedRuntime());
