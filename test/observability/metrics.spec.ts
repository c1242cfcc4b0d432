import { expect } from "chai";
import { ConfigError } from "../../src/config/configError.js";
import type { LiveStatus } from "../../src/runtime/liveStatus.js";
import { serveMetrics } from "../../src/runtime/serveMetrics.js";
import { peopleCounter } from "../../src/pipelines/peopleCounter.js";
import { PipelineHarness } from "../e2e/pipelineHarness.js";

describe("metrics server", () => {
  let h: PipelineHarness;
  let server: { url: string; close(): Promise<void> } | undefined;
  afterEach(async () => {
    await server?.close();
    await h.close();
  });

  it("serves settled events per hub, request latency, watermark lag and DLQ depth on 127.0.0.1", async () => {
    h = await PipelineHarness.start({ hubs: ["a", "b"], env: { INITIAL_LOOKBACK: "2h" } });
    h.hubs.setFault("b", { kind: "reject", condition: "amqp:unauthorized-access" });
    const summary = await h.tick(peopleCounter);
    server = await serveMetrics(h.runtime, 0);
    expect(server.url).to.match(/^http:\/\/127\.0\.0\.1:\d+$/);
    const text = await (await fetch(`${server.url}/metrics`)).text();
    expect(text).to.include(
      `microshare_pipeline_events_total{hub="a",outcome="acknowledged"} ${summary.events}`,
    );
    expect(text).to.include(
      `microshare_pipeline_events_total{hub="b",outcome="dead-lettered"} ${summary.events}`,
    );
    expect(text).to.match(
      /microshare_pipeline_microshare_request_duration_seconds_count\{endpoint="GET \/share \(view\)",outcome="ok"\} [1-9]/,
    );
    expect(text).to.match(
      /microshare_pipeline_watermark_lag_seconds\{pipeline="peoplecounter",location="Building A"\} \d+/,
    );
    expect(text).to.match(
      /microshare_pipeline_dlq_depth\{pipeline="peoplecounter",hub="b",state="queued"\} [1-9]/,
    );
    expect(text).to.match(
      /microshare_pipeline_dlq_depth\{pipeline="peoplecounter",hub="a",state="queued"\} 0/,
    );
    expect(text).to.match(/microshare_pipeline_batch_duration_seconds_count\{hub="a"\} [1-9]/);
    expect(text).to.match(
      /^microshare_pipeline_build_info\{version="\d+\.\d+\.\d+",node_version="v\d+[^"]*"\} 1$/m,
    );
    expect(text).to.include('microshare_pipeline_hub_breaker_state{hub="a",state="closed"} 1');
    expect(text).to.include('microshare_pipeline_hub_breaker_state{hub="a",state="open"} 0');
    // Node's and the process's own metrics keep their standard names, once prefixed by nobody.
    expect(text).to.match(/^process_cpu_seconds_total \d/m);
    expect(text).to.match(/^nodejs_heap_size_used_bytes \d/m);
    expect(text).to.not.include("process_process_");
  });

  it("shows a hub whose circuit opened as open, the others closed", async () => {
    h = await PipelineHarness.start({
      hubs: ["a", "b"],
      env: { INITIAL_LOOKBACK: "2h", EVENT_HUB_BREAKER_THRESHOLD: "1", EVENT_HUB_MAX_RETRIES: "0" },
    });
    h.hubs.setFault("b", { kind: "reject", condition: "amqp:unauthorized-access" });
    await h.tick(peopleCounter);
    server = await serveMetrics(h.runtime, 0);
    const text = await (await fetch(`${server.url}/metrics`)).text();
    expect(text).to.include('microshare_pipeline_hub_breaker_state{hub="b",state="open"} 1');
    expect(text).to.include('microshare_pipeline_hub_breaker_state{hub="b",state="closed"} 0');
    expect(text).to.include('microshare_pipeline_hub_breaker_state{hub="a",state="closed"} 1');
  });

  it("serves the live view on /status: watermarks and lag, each hub's breaker and DLQ depth (secrets redacted)", async () => {
    h = await PipelineHarness.start({
      hubs: ["a", "b"],
      env: { INITIAL_LOOKBACK: "2h", EVENT_HUB_BREAKER_THRESHOLD: "1", EVENT_HUB_MAX_RETRIES: "0" },
    });
    h.hubs.setFault("b", { kind: "reject", condition: "amqp:unauthorized-access" });
    await h.tick(peopleCounter);
    // What runPipeline records when it leads (h.tick runs the tick alone).
    h.runtime.live.leading("peoplecounter", true);
    server = await serveMetrics(h.runtime, 0);
    const response = await fetch(`${server.url}/status`);
    expect(response.headers.get("content-type")).to.equal("application/json");
    const text = await response.text();
    const status = JSON.parse(text) as LiveStatus;
    expect(status.pid).to.equal(process.pid);
    // Only the pipelines this process runs: the others would read as led elsewhere.
    expect(status.pipelines.map((p) => p.pipeline)).to.deep.equal(["peoplecounter"]);
    const pc = status.pipelines.find((p) => p.pipeline === "peoplecounter");
    expect(pc?.leader).to.equal(true);
    expect(pc?.locations.map((l) => l.location)).to.include("Building A");
    expect(pc?.locations.every((l) => l.lagSeconds >= 0)).to.equal(true);
    const b = status.hubs.find((x) => x.hub === "b");
    expect(b?.breaker.state).to.equal("open");
    expect(b?.deadLetters.find((d) => d.pipeline === "peoplecounter")?.queued).to.be.greaterThan(0);
    expect(status.hubs.find((x) => x.hub === "a")?.breaker.state).to.equal("closed");
    expect(text).to.not.match(/SharedAccessKey=(?!\[REDACTED\])/);
  });

  it("a metrics port already in use fails as a configuration problem naming METRICS_PORT", async () => {
    h = await PipelineHarness.start({ hubs: ["a"] });
    server = await serveMetrics(h.runtime, 0);
    const taken = Number(new URL(server.url).port);
    let error: unknown;
    await serveMetrics(h.runtime, taken).catch((e: unknown) => (error = e));
    expect(error).to.be.instanceOf(ConfigError);
    expect((error as ConfigError).problems[0]).to.deep.include({ variable: "METRICS_PORT" });
    expect((error as Error).message).to.include(`port ${taken} is already in use`);
  });

  it("is live always, ready while one hub answers, and not ready with every hub down, saying why", async () => {
    h = await PipelineHarness.start({ hubs: ["a", "b"] });
    server = await serveMetrics(h.runtime, 0);
    expect((await fetch(`${server.url}/live`)).status).to.equal(200);
    h.hubs.setFault("b", { kind: "down" });
    expect((await fetch(`${server.url}/ready`)).status).to.equal(200);
    await server.close();
    server = await serveMetrics(h.runtime, 0); // a fresh server: readiness is cached for 5 s
    h.hubs.setFault("a", { kind: "down" });
    const response = await fetch(`${server.url}/ready`);
    expect(response.status).to.equal(503);
    expect(await response.text()).to.match(/no hub answers: a: .*; b: /);
    expect((await fetch(`${server.url}/nope`)).status).to.equal(404);
  });
});
