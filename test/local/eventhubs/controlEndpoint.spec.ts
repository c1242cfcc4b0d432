import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { fileURLToPath } from "node:url";
import { EventHubProducerClient } from "@azure/event-hubs";
import { expect } from "chai";

const ROOT = fileURLToPath(new URL("../../..", import.meta.url));

interface RunningHubs {
  readonly child: ChildProcess;
  readonly connectionStrings: Map<string, string>;
  readonly controlUrl: string;
}

/** `npm run hubs` as an operator starts it, read back from what it prints (one connection string per hub). */
async function startHubs(args: readonly string[], hubCount: number): Promise<RunningHubs> {
  const child = spawn(process.execPath, ["--import", "tsx", "src/local/eventhubs/main.ts", ...args], {
    cwd: ROOT,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout?.setEncoding("utf8").on("data", (c: string) => (stdout += c));
  child.stderr?.setEncoding("utf8").on("data", (c: string) => (stderr += c));
  // stdout and stderr are separate pipes: either may be read first, so wait for both.
  const ready = () =>
    /listening on/.test(stderr) &&
    stdout
      .trim()
      .split("\n")
      .filter((l) => l !== "").length >= hubCount;
  while (!ready()) {
    if (child.exitCode !== null) throw new Error(`hubs exited ${child.exitCode}: ${stderr}`);
    await Promise.race([once(child.stderr!, "data"), once(child.stdout!, "data")]);
  }
  const connectionStrings = new Map(
    stdout
      .trim()
      .split("\n")
      .map((cs) => [/EntityPath=([^;]+)/.exec(cs)?.[1] ?? "", cs] as const),
  );
  const controlUrl = /control endpoint on (http:\/\/[^:]+:\d+)/.exec(stderr)?.[1] ?? "";
  return { child, connectionStrings, controlUrl };
}

async function sendOne(connectionString: string): Promise<string> {
  const producer = new EventHubProducerClient(connectionString, {
    retryOptions: { maxRetries: 0, timeoutInMs: 1500 },
  });
  try {
    await producer.sendBatch([{ body: { n: 1 } }]);
    return "ok";
  } catch (error) {
    const e = error as { code?: string; name?: string; errors?: { code?: string }[] };
    return e.errors?.[0]?.code ?? e.code ?? e.name ?? "error";
  } finally {
    await producer.close();
  }
}

describe("npm run hubs: faults from the command line and the control endpoint", function () {
  this.timeout(60_000);
  let hubs: RunningHubs;
  before(async () => {
    hubs = await startHubs(["--port", "0", "--hubs", "a,b", "--fault", "b=stall", "--control-port", "0"], 2);
  });
  after(() => {
    hubs.child.kill("SIGTERM");
  });

  it("starts a hub in the fault given with --fault, the others healthy, and the endpoint says so", async () => {
    const listed = (await (await fetch(`${hubs.controlUrl}/hubs`)).json()) as {
      hub: string;
      fault: unknown;
    }[];
    expect(listed.map((h) => [h.hub, h.fault])).to.deep.equal([
      ["a", null],
      ["b", { kind: "stall" }],
    ]);
    expect(await sendOne(hubs.connectionStrings.get("a")!)).to.equal("ok");
    expect(await sendOne(hubs.connectionStrings.get("b")!)).to.equal("OperationTimeoutError");
  });

  it("switches and clears a fault through the control endpoint while running", async () => {
    const put = await fetch(`${hubs.controlUrl}/hubs/b/fault`, {
      method: "PUT",
      body: JSON.stringify({ kind: "reject", condition: "com.microsoft:server-busy" }),
    });
    expect(put.status).to.equal(200);
    expect(await sendOne(hubs.connectionStrings.get("b")!)).to.equal("ServerBusyError");
    expect((await fetch(`${hubs.controlUrl}/hubs/b/fault`, { method: "DELETE" })).status).to.equal(200);
    expect(await sendOne(hubs.connectionStrings.get("b")!)).to.equal("ok");
    const listed = (await (await fetch(`${hubs.controlUrl}/hubs`)).json()) as {
      hub: string;
      fault: unknown;
      stats: { eventsAccepted: number };
    }[];
    expect(listed.map((h) => [h.hub, h.fault, h.stats.eventsAccepted])).to.deep.equal([
      ["a", null, 1],
      ["b", null, 1],
    ]);
  });

  it("refuses an unknown fault or hub with 400/404 and a message", async () => {
    const bad = await fetch(`${hubs.controlUrl}/hubs/b/fault`, { method: "PUT", body: '{"kind":"explode"}' });
    expect(bad.status).to.equal(400);
    expect(((await bad.json()) as { error: string }).error).to.match(/unknown fault "explode"; use one of/);
    expect((await fetch(`${hubs.controlUrl}/hubs/zz/fault`, { method: "PUT", body: "{}" })).status).to.equal(
      404,
    );
  });

  it("exits 2 naming the problem for a --fault it cannot read", async () => {
    const child = spawn(
      process.execPath,
      ["--import", "tsx", "src/local/eventhubs/main.ts", "--port", "0", "--hubs", "a", "--fault", "c=stall"],
      { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] },
    );
    let stderr = "";
    child.stderr.setEncoding("utf8").on("data", (c: string) => (stderr += c));
    const [code] = (await once(child, "close")) as [number];
    expect(code).to.equal(2);
    expect(stderr).to.match(/--fault "c=stall" names hub "c"; the hubs are a/);
  });
});
