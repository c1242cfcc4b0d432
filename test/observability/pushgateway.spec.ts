import { spawn, type ChildProcess } from "node:child_process";
import { createServer, type Server, type Socket } from "node:net";
import { expect } from "chai";
import { EXIT } from "../../src/model/exitCodes.js";
import { startCli, waitFor } from "../process/childProcess.js";
import { ProcessWorld } from "../process/processWorld.js";
import { freePort, requireBinary } from "./prometheusServer.js";

/** A `--once` run pushes its metrics; CronJobs and timers are gone before any scrape. */
describe("pipeline --once with PUSHGATEWAY_URL (a real Pushgateway)", function () {
  this.timeout(90_000);
  let world: ProcessWorld;
  let gateway: ChildProcess;
  let gatewayUrl: string;

  before(async () => {
    requireBinary("prometheus-pushgateway");
    world = await ProcessWorld.start(["a"]);
    const port = await freePort();
    gateway = spawn(
      "prometheus-pushgateway",
      [`--web.listen-address=127.0.0.1:${port}`, "--persistence.file=", "--log.level=warn"],
      {
        stdio: "ignore",
      },
    );
    gatewayUrl = `http://127.0.0.1:${port}`;
    await waitFor(
      async () => (await fetch(`${gatewayUrl}/-/ready`).catch(() => undefined))?.status === 200,
      "the Pushgateway ready",
      30_000,
    );
  });
  after(async () => {
    const exited = new Promise((resolve) => gateway?.once("exit", resolve));
    gateway?.kill("SIGTERM");
    await exited;
    await world?.close();
  });

  async function once(env: Record<string, string>) {
    const child = startCli(
      ["pipeline", "--name", "peoplecounter", "--once"],
      world.env({ LOG_LEVEL: "info", ...env }),
    );
    return { code: await child.exited, output: child.output() };
  }

  it("pushes the run's metrics, grouped by run=<pipeline>, and the gateway serves them", async () => {
    const run = await once({ PUSHGATEWAY_URL: gatewayUrl });
    expect(run.code, run.output).to.equal(EXIT.ok);
    expect(run.output).to.include("peoplecounter: metrics pushed to the Pushgateway");
    // The tick summary is a JSON log line with its figures as fields (stderr is not a terminal).
    const tick = run.output
      .split("\n")
      .filter((line) => line.startsWith("{"))
      .map((line) => JSON.parse(line) as { tick?: Record<string, unknown> })
      .find((entry) => entry.tick !== undefined)?.tick;
    expect(tick).to.deep.include({
      pipeline: "peoplecounter",
      exitCode: EXIT.ok,
      events: world.hubs.received("a").length,
    });
    expect(tick?.hubs).to.deep.equal({
      a: { acknowledged: world.hubs.received("a").length, deadLettered: 0 },
    });
    const text = await (await fetch(`${gatewayUrl}/metrics`)).text();
    const acknowledged = world.hubs.received("a").length;
    expect(acknowledged).to.be.greaterThan(0);
    expect(text).to.match(
      new RegExp(
        `microshare_pipeline_events_total\\{hub="a",instance="",job="microshare-pipeline",outcome="acknowledged",run="peoplecounter"\\} ${acknowledged}\\b`,
      ),
    );
    expect(text).to.match(
      /microshare_pipeline_ticks_total\{[^}]*pipeline="peoplecounter",result="ok",run="peoplecounter"\} 1\b/,
    );
    expect(text).to.match(
      /microshare_pipeline_last_success_timestamp_seconds\{[^}]*pipeline="peoplecounter",run="peoplecounter"\} \d/,
    );
    // The other pipelines' gauges keep their own label (a `pipeline` grouping key would overwrite it).
    expect(text).to.match(/microshare_pipeline_dlq_depth\{hub="a",[^}]*pipeline="snapshot",[^}]*\} 0/);
  });

  it("a Pushgateway that refuses leaves the run's result as it is, with a warning", async () => {
    const closed = await freePort();
    const run = await once({ PUSHGATEWAY_URL: `http://127.0.0.1:${closed}` });
    expect(run.code, run.output).to.equal(EXIT.ok);
    expect(run.output).to.include("could not push metrics to PUSHGATEWAY_URL (the run's result stands)");
  });

  it("a Pushgateway that accepts and never answers is abandoned after 10 s; the run still ends with its result", async () => {
    const sockets: Socket[] = [];
    const silent: Server = createServer((socket) => void sockets.push(socket));
    await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
    const address = silent.address();
    const port = typeof address === "object" && address !== null ? address.port : 0;
    try {
      const run = await once({ PUSHGATEWAY_URL: `http://127.0.0.1:${port}` });
      expect(run.code, run.output).to.equal(EXIT.ok);
      expect(run.output).to.match(
        /could not push metrics to PUSHGATEWAY_URL .*(timed out|no answer within 10 s)/,
      );
      expect(sockets.length).to.be.greaterThan(0);
    } finally {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => silent.close(resolve));
    }
  });

  it("a second signal stops the run at once, without trying the push", async () => {
    const sockets: Socket[] = [];
    const silent: Server = createServer((socket) => void sockets.push(socket));
    await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
    const address = silent.address();
    const port = typeof address === "object" && address !== null ? address.port : 0;
    world.sim.configure({ latencyMs: 300 });
    const before = world.sim.requestCount("view");
    try {
      const child = startCli(
        [
          "pipeline",
          "--name",
          "peoplecounter",
          "--once",
          "--from",
          new Date(Date.now() - 6 * 3_600_000).toISOString(),
        ],
        world.env({ LOG_LEVEL: "info", PUSHGATEWAY_URL: `http://127.0.0.1:${port}` }),
      );
      await waitFor(() => world.sim.requestCount("view") > before, "view calls in flight");
      child.child.kill("SIGTERM");
      await waitFor(() => child.output().includes("finishing in-flight batches"), "the drain to start");
      child.child.kill("SIGTERM");
      expect(await child.exited).to.equal(EXIT.failure);
      expect(child.output()).to.include("stopping now (second SIGTERM)");
      expect(child.output()).to.not.include("Pushgateway");
      expect(sockets).to.have.length(0);
    } finally {
      world.sim.configure({ latencyMs: 0 });
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => silent.close(resolve));
    }
  });
});
