import { createServer, type Socket } from "node:net";
import { expect } from "chai";
import { EXIT } from "../../src/model/exitCodes.js";
import { freePort } from "../observability/prometheusServer.js";
import { startCli, waitFor, type RunningChild } from "./childProcess.js";
import { ProcessWorld } from "./processWorld.js";

/** `status` reads a running daemon's live view from its metrics server, when one answers. */
describe("status with a running daemon's live view", function () {
  this.timeout(90_000);
  let world: ProcessWorld;
  let daemon: RunningChild | undefined;
  before(async () => {
    world = await ProcessWorld.start(["a", "b"]);
  });
  afterEach(async () => {
    daemon?.child.kill("SIGTERM");
    await daemon?.exited;
    daemon = undefined;
  });
  after(async () => {
    await world.close();
  });

  async function status(env: Record<string, string>) {
    const child = startCli(["status", "--name", "peoplecounter"], world.env(env));
    return { code: await child.exited, output: child.output() };
  }

  it("shows leadership and each hub's breaker from the daemon on METRICS_PORT", async () => {
    world.hubs.setFault("b", { kind: "reject", condition: "amqp:unauthorized-access" });
    const port = String(await freePort());
    const env = { METRICS_PORT: port, EVENT_HUB_BREAKER_THRESHOLD: "1", EVENT_HUB_MAX_RETRIES: "0" };
    daemon = startCli(["pipeline", "--name", "peoplecounter"], world.env({ ...env, LOG_LEVEL: "info" }));
    await waitFor(
      () => world.hubs.received("a").length > 0 && daemon!.output().includes("metrics on"),
      "the daemon's first events",
    );
    await waitFor(async () => {
      const body = await fetch(`http://127.0.0.1:${port}/status`).then((r) => r.text());
      return body.includes('"state": "open"');
    }, "hub b's breaker open");
    const run = await status(env);
    expect(run.code, run.output).to.equal(EXIT.ok);
    expect(run.output).to.match(/live \(daemon pid \d+/);
    expect(run.output).to.match(/peoplecounter\s+yes/);
    expect(run.output).to.match(/\bb\s+open until/);
    expect(run.output).to.match(/\ba\s+closed\s+no/);
  });

  it("says so, and still exits 0, when nothing answers on METRICS_PORT", async () => {
    const run = await status({ METRICS_PORT: String(await freePort()) });
    expect(run.code, run.output).to.equal(EXIT.ok);
    expect(run.output).to.match(
      /live view: no running daemon at http:\/\/127\.0\.0\.1:\d+\/status \(nothing answers\)/,
    );
  });

  it("gives up on a daemon port that accepts and never answers after 2 s", async () => {
    const sockets: Socket[] = [];
    const silent = createServer((socket) => void sockets.push(socket));
    await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
    const address = silent.address();
    try {
      const run = await status({
        METRICS_PORT: String(typeof address === "object" && address ? address.port : 0),
      });
      expect(run.code, run.output).to.equal(EXIT.ok);
      expect(run.output).to.include("(no answer within 2 s)");
    } finally {
      sockets.forEach((s) => s.destroy());
      await new Promise((resolve) => silent.close(resolve));
    }
  });
});
