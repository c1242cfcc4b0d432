import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { mkdtemp, rm } from "node:fs/promises";
import { createServer } from "node:net";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { waitFor } from "./childProcess.js";

/** A Redis of the test's own, on a free port, persisting every write so a restart keeps the state. */
export class OwnRedis {
  private server: ChildProcess | undefined;
  private constructor(
    readonly port: number,
    private readonly dir: string,
  ) {}

  static async start(): Promise<OwnRedis> {
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
    const { port } = probe.address() as AddressInfo;
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    const redis = new OwnRedis(port, await mkdtemp(join(tmpdir(), "redis-outage-")));
    await redis.up();
    return redis;
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  async up(): Promise<void> {
    const server = spawn(
      "redis-server",
      [
        ...["--port", String(this.port), "--bind", "127.0.0.1", "--dir", this.dir, "--save", ""],
        ...["--appendonly", "yes", "--appendfsync", "always"],
      ],
      { stdio: ["ignore", "pipe", "ignore"] },
    );
    this.server = server;
    let out = "";
    server.stdout?.setEncoding("utf8").on("data", (c: string) => (out += c));
    await waitFor(() => out.includes("Ready to accept connections"), "the test's Redis to start");
  }

  /** Gone at once, as a crashed or unreachable server is. */
  async down(): Promise<void> {
    const server = this.server;
    // (A killed server has a signalCode and no exitCode: down() twice must not wait for a second exit.)
    if (server === undefined || server.exitCode !== null || server.signalCode !== null) return;
    server.kill("SIGKILL");
    await once(server, "exit");
  }

  async close(): Promise<void> {
    await this.down();
    await rm(this.dir, { recursive: true, force: true });
  }
}
