import { execFile, spawn } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { EventHubProducerClient } from "@azure/event-hubs";
import { expect } from "chai";
import { LocalEventHubs } from "../../src/local/eventhubs/localEventHubs.js";

/** Debian's Python, where `apt-get install python3-azure` puts the SDK (`.ci/run` installs it). */
const PYTHON = "/usr/bin/python3";
const SCRIPT = fileURLToPath(new URL("./python/old_consumer_scripts.py", import.meta.url));
/** That SDK version dials amqps on 5671 whatever the connection string says. */
const AMQPS_PORT = 5671;

interface PythonRun {
  readonly code: number | null;
  readonly lines: Record<string, unknown>[];
  readonly stderr: string;
}

function python(args: readonly string[]): Promise<PythonRun> {
  const child = spawn(PYTHON, [SCRIPT, ...args], { stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
  return new Promise((resolve, reject) => {
    child.once("error", reject);
    child.once("close", (code) =>
      resolve({
        code,
        stderr,
        lines: stdout
          .split("\n")
          .filter((l) => l.startsWith("{"))
          .map((l) => JSON.parse(l) as Record<string, unknown>),
      }),
    );
  });
}

describe("the old forwarder's Python azure-eventhub SDK against the local endpoint (amqps, real SDK)", function () {
  this.timeout(90_000);
  let hubs: LocalEventHubs;
  let directory: string;
  let caFile: string;

  before(async () => {
    const sdk = await promisify(execFile)(PYTHON, [
      "-c",
      "import azure.eventhub; print(azure.eventhub.__version__)",
    ]).catch((error: unknown) => {
      throw new Error(
        `Debian's Python azure-eventhub SDK is missing: apt-get install python3-azure (${String(error)})`,
      );
    });
    expect(sdk.stdout.trim()).to.match(/^5\./);
    directory = await mkdtemp(join(tmpdir(), "amqps-"));
    caFile = join(directory, "cert.pem");
    // A certificate for the address the SDK dials; the client trusts it as its CA file.
    await promisify(execFile)("openssl", [
      "req",
      "-x509",
      "-newkey",
      "rsa:2048",
      "-nodes",
      "-days",
      "1",
      "-subj",
      "/CN=127.0.0.1",
      "-addext",
      "subjectAltName=IP:127.0.0.1,DNS:localhost",
      "-keyout",
      join(directory, "key.pem"),
      "-out",
      caFile,
    ]);
    hubs = await LocalEventHubs.start({
      hubs: ["hubA"],
      tls: {
        port: AMQPS_PORT,
        key: await readFile(join(directory, "key.pem")),
        cert: await readFile(caFile),
      },
    });
  });
  after(async () => {
    await hubs?.close();
    await rm(directory, { recursive: true, force: true });
  });

  it("accepts a batch the Python producer sends with the hub's plain connection string", async () => {
    const run = await python(["send", hubs.tlsConnectionString("hubA"), caFile, "5"]);
    expect(run.code, run.stderr.slice(-2000)).to.equal(0);
    expect(run.lines).to.deep.equal([{ sent: 5 }]);
    const received = hubs.received("hubA");
    expect(received.map((e) => e.body)).to.deep.equal([0, 1, 2, 3, 4].map((n) => ({ n, from: "python" })));
    for (const event of received)
      expect(event.applicationProperties).to.deep.equal({ source: "microshare-forwarder", device_id: "" });
  });

  it("serves every stored event to the Python consumer, from the start, with its properties", async () => {
    const producer = new EventHubProducerClient(hubs.connectionString("hubA"));
    try {
      await producer.sendBatch(
        [1, 2, 3].map((n) => ({
          body: { time: `2026-11-30T12:${String(n * 15).padStart(2, "0")}:00.000Z`, recType: "rt" },
          properties: { source: "microshare-forwarder", device_id: "", pipeline: "peoplecounter" },
        })),
        { partitionKey: "Building A" },
      );
    } finally {
      await producer.close();
    }
    const run = await python(["receive", hubs.tlsConnectionString("hubA"), caFile, "8"]);
    expect(run.code, run.stderr.slice(-2000)).to.equal(0);
    expect(run.lines, JSON.stringify(run.lines)).to.have.length(8);
    const fromProduct = run.lines.filter((l) => (l.body as { recType?: string }).recType === "rt");
    expect(fromProduct.map((l) => (l.body as { time: string }).time)).to.deep.equal([
      "2026-11-30T12:15:00.000Z",
      "2026-11-30T12:30:00.000Z",
      "2026-11-30T12:45:00.000Z",
    ]);
    for (const line of fromProduct)
      expect(line.properties).to.deep.equal({
        source: "microshare-forwarder",
        device_id: "",
        pipeline: "peoplecounter",
      });
  });
});
