import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { parseFault } from "./faultSpec.js";
import type { LocalEventHubs } from "./localEventHubs.js";

/**
 * A small HTTP control endpoint for the local hubs, so an operator (or a script) can rehearse a
 * failing hub while a pipeline runs against it:
 *   PUT    /hubs/<hub>/fault   body {"kind":"stall"} (or "reject" with "condition", "down", …)
 *   DELETE /hubs/<hub>/fault   back to normal
 *   GET    /hubs               each hub's fault and counters
 * Loopback only by default; answers JSON, errors with 400/404 and a message.
 */
export async function startControlServer(
  hubs: LocalEventHubs,
  options: { port: number; host: string },
): Promise<{ readonly port: number; close(): Promise<void> }> {
  const server: Server = createServer((req, res) => {
    const reply = (status: number, body: unknown): void => {
      res.writeHead(status, { "content-type": "application/json" });
      res.end(`${JSON.stringify(body)}\n`);
    };
    let text = "";
    req.setEncoding("utf8").on("data", (chunk: string) => (text += chunk));
    req.on("end", () => {
      const path = (req.url ?? "/").split("?")[0] ?? "/";
      if (req.method === "GET" && path === "/hubs") {
        reply(
          200,
          // The hub's own fault, however it was set (--fault at start-up, or this endpoint).
          hubs.hubs.map((hub) => ({ hub, fault: hubs.faultOf(hub) ?? null, stats: hubs.stats(hub) })),
        );
        return;
      }
      const match = /^\/hubs\/([^/]+)\/fault$/.exec(path);
      const hub = match === null ? undefined : decodeURIComponent(match[1] ?? "");
      if (hub === undefined || !hubs.hubs.includes(hub)) {
        reply(404, { error: `no such resource; try GET /hubs or PUT /hubs/<${hubs.hubs.join("|")}>/fault` });
        return;
      }
      try {
        if (req.method === "DELETE") {
          hubs.setFault(hub, undefined);
          reply(200, { hub, fault: null });
        } else if (req.method === "PUT" || req.method === "POST") {
          const fault = parseFault(JSON.parse(text === "" ? "{}" : text) as Record<string, unknown>);
          hubs.setFault(hub, fault);
          reply(200, { hub, fault });
        } else reply(400, { error: "use PUT or DELETE on /hubs/<hub>/fault" });
      } catch (error) {
        reply(400, { error: error instanceof Error ? error.message : String(error) });
      }
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, options.host, resolve);
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
