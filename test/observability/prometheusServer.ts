import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { waitFor } from "../process/childProcess.js";

export const ALERTS = fileURLToPath(new URL("../../deploy/prometheus/alerts.yml", import.meta.url));

/** Fails with how to get it, instead of skipping: CI installs Debian's prometheus (.ci/run). */
export function requireBinary(name: string): void {
  if (spawnSync("sh", ["-c", `command -v ${name}`]).status !== 0)
    throw new Error(`${name} is not installed: apt-get install prometheus prometheus-pushgateway`);
}

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  if (address === null || typeof address === "string") throw new Error("no port");
  return address.port;
}

export interface Sample {
  readonly metric: Readonly<Record<string, string>>;
  readonly value: readonly [number, string];
}

/** A real Prometheus (Debian's package) scraping `targets` every second, with the shipped alert rules. */
export class PrometheusServer {
  private constructor(
    readonly url: string,
    private readonly child: ChildProcess,
    private readonly dir: string,
    private readonly log: () => string,
  ) {}

  static async start(targets: readonly string[]): Promise<PrometheusServer> {
    requireBinary("prometheus");
    const dir = mkdtempSync(join(tmpdir(), "prometheus-"));
    copyFileSync(ALERTS, join(dir, "alerts.yml"));
    writeFileSync(
      join(dir, "prometheus.yml"),
      [
        "global: { scrape_interval: 1s, evaluation_interval: 1s }",
        "rule_files: [alerts.yml]",
        "scrape_configs:",
        "  - job_name: microshare-pipeline",
        `    static_configs: [{ targets: [${targets.map((t) => `"${t}"`).join(", ")}] }]`,
        "",
      ].join("\n"),
    );
    const port = await freePort();
    const child = spawn(
      "prometheus",
      [
        `--config.file=${join(dir, "prometheus.yml")}`,
        `--storage.tsdb.path=${join(dir, "data")}`,
        `--web.listen-address=127.0.0.1:${port}`,
        "--log.level=warn",
      ],
      { stdio: ["ignore", "pipe", "pipe"] },
    );
    let log = "";
    child.stdout?.on("data", (c: Buffer) => (log += c.toString()));
    child.stderr?.on("data", (c: Buffer) => (log += c.toString()));
    const server = new PrometheusServer(`http://127.0.0.1:${port}`, child, dir, () => log);
    await waitFor(
      async () => (await fetch(`${server.url}/-/ready`).catch(() => undefined))?.status === 200,
      `Prometheus ready (${log})`,
      30_000,
    );
    return server;
  }

  /** An instant query through the HTTP API; throws with Prometheus's own error when it is not valid. */
  async query(expr: string): Promise<Sample[]> {
    const response = await fetch(`${this.url}/api/v1/query?query=${encodeURIComponent(expr)}`);
    const body = (await response.json()) as {
      status: string;
      error?: string;
      data?: { resultType: string; result: Sample[] };
    };
    if (body.status !== "success") throw new Error(`${expr}: ${body.error ?? response.status}`);
    return body.data?.result ?? [];
  }

  /** Polls `expr` until `accept` takes its samples (scrapes come every second). */
  async until(expr: string, accept: (samples: Sample[]) => boolean, timeoutInMs = 30_000): Promise<Sample[]> {
    let last: Sample[] = [];
    await waitFor(
      async () => accept((last = await this.query(expr))),
      `${expr} (last: ${JSON.stringify(last)}; prometheus: ${this.log().slice(-500)})`,
      timeoutInMs,
    );
    return last;
  }

  async rules(): Promise<{ name: string; health: string; lastError?: string }[]> {
    const body = (await (await fetch(`${this.url}/api/v1/rules`)).json()) as {
      data: { groups: { rules: { name: string; health: string; lastError?: string }[] }[] };
    };
    return body.data.groups.flatMap((g) => g.rules);
  }

  async close(): Promise<void> {
    const exited = new Promise((resolve) => this.child.once("exit", resolve));
    this.child.kill("SIGTERM");
    await exited;
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** `{{…}}`-free PromQL of a Grafana target: its template variables replaced as Grafana would. */
export function grafanaToPromQL(expr: string): string {
  return expr.replace(/\$__rate_interval/g, "1m").replace(/\$pipeline/g, ".*");
}
