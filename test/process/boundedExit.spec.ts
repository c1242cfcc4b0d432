import { createServer, type Server, type Socket } from "node:net";
import type { AddressInfo } from "node:net";
import { expect } from "chai";
import { startCli, waitFor, type RunningChild } from "./childProcess.js";
import { ProcessWorld } from "./processWorld.js";

const ONCE = ["pipeline", "--name", "peoplecounter", "--once"];

/** A "hub" that accepts TCP connections and then never answers a byte. */
class SilentHub {
  private readonly sockets = new Set<Socket>();
  private constructor(private readonly server: Server) {
    server.on("connection", (socket) => {
      this.sockets.add(socket);
      socket.on("error", () => undefined);
      socket.on("close", () => this.sockets.delete(socket));
    });
  }

  static async start(): Promise<SilentHub> {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    return new SilentHub(server);
  }

  connectionString(): string {
    const { port } = this.server.address() as AddressInfo;
    return `Endpoint=sb://127.0.0.1:${port};SharedAccessKeyName=send;SharedAccessKey=k;UseDevelopmentEmulator=true;EntityPath=silent`;
  }

  close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

/**
 * Every command ends after its work, whatever a hub does: here one accepts the connection and
 * never answers, or resets the connection while the producer closes. Each test's own timeout is
 * the bound (no timing assertion); what is asserted is the exit code and that nothing was lost.
 */
describe("commands end within their bound whatever the hubs do", function () {
  this.timeout(90_000);
  let world: ProcessWorld;
  let silent: SilentHub;
  const children: RunningChild[] = [];
  before(async () => {
    world = await ProcessWorld.start(["a"]);
    silent = await SilentHub.start();
  });
  after(async () => {
    for (const c of children.splice(0))
      if (c.child.exitCode === null && c.child.signalCode === null) c.child.kill("SIGKILL");
    await world.close();
    await silent.close();
  });

  function withSilentHub(prefix: string): Record<string, string> {
    return world.env({
      REDIS_KEY_PREFIX: `${world.keyPrefix}${prefix}:`,
      // Room for the healthy hub on a busy machine: a try of hub a that timed out would put its
      // batch in the DLQ too. The silent hub pays it twice per batch (two tries), still bounded.
      EVENT_HUB_TIMEOUT: "4s",
      EVENT_HUB_CONNECTION_STRINGS: JSON.stringify([
        { name: "a", connectionString: world.hubs.connectionString("a") },
        { name: "silent", connectionString: silent.connectionString() },
      ]),
    });
  }

  async function run(args: readonly string[], env: Record<string, string>) {
    const child = startCli(args, env);
    children.push(child);
    const code = await child.exited;
    return { code, output: child.output() };
  }

  it("pipeline --once exits 3 with a silent hub: the healthy hub has everything, the silent one's batches are in its DLQ", async () => {
    world.hubs.clear();
    const env = withSilentHub("once");
    const startedAt = Date.now();
    const { code, output } = await run(ONCE, env);
    expect(code, output).to.equal(3);
    // A set: a try that timed out on a busy machine may be sent again (at-least-once).
    expect(world.runMismatch(world.delivered("a"), startedAt)).to.deep.equal([]);
    expect(output).to.match(/silent: 0 acked, \d+ dead-lettered/);
  });

  it("check exits 1 naming the silent hub", async () => {
    const { code, output } = await run(["check"], withSilentHub("check"));
    expect(code, output).to.equal(1);
    expect(output).to.match(/FAIL hub silent/);
    expect(output).to.match(/PASS hub a/);
  });

  it("dlq replay to the silent hub exits 3 and keeps every entry", async () => {
    const env = withSilentHub("replay");
    const once = await run(ONCE, env);
    expect(once.code, once.output).to.equal(3);
    const { code, output } = await run(["dlq", "replay", "--name", "peoplecounter", "--hub", "silent"], env);
    expect(code, output).to.equal(3);
    expect(output).to.match(/entries remain/);
  });

  it("tail on the silent hub ends after its idle timeout, exit 1: it never reached the hub", async () => {
    const { code, output } = await run(
      ["tail", "--hub", "silent", "--timeout-seconds", "2"],
      withSilentHub("tail"),
    );
    expect(code, output).to.equal(1);
    expect(output).to.match(/tail silent: .*the hub never answered: no partition could be opened within 2 s/);
  });

  it("a daemon with a silent hub stops on SIGTERM after its tick", async () => {
    world.hubs.clear();
    const daemon = startCli(["pipeline", "--name", "peoplecounter"], {
      ...withSilentHub("daemon"),
      LOG_LEVEL: "info",
    });
    children.push(daemon);
    await waitFor(
      () => daemon.output().includes("windows over 3 locations"),
      "the daemon's first tick",
      60_000,
    );
    daemon.child.kill("SIGTERM");
    // The last tick's code: its batches for the silent hub went to the DLQ.
    expect(await daemon.exited, daemon.output()).to.equal(3);
  });

  it("pipeline --once exits 0 when a hub resets the connection as the producer closes", async () => {
    world.hubs.clear();
    world.hubs.setFault("a", { kind: "reset-on-close" });
    try {
      const startedAt = Date.now();
      const { code, output } = await run(ONCE, world.env({ REDIS_KEY_PREFIX: `${world.keyPrefix}reset:` }));
      expect(code, output).to.equal(0);
      expect(world.runMismatch(world.delivered("a"), startedAt)).to.deep.equal([]);
    } finally {
      world.hubs.setFault("a", undefined);
    }
  });
});
