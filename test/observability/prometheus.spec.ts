import { readFileSync } from "node:fs";
import { expect } from "chai";
import { parse } from "yaml";
import { startCli, waitFor, type RunningChild } from "../process/childProcess.js";
import { ProcessWorld } from "../process/processWorld.js";
import { ALERTS, grafanaToPromQL, PrometheusServer } from "./prometheusServer.js";

const DASHBOARD = new URL("../../deploy/grafana/dashboard.json", import.meta.url);

/** Every PromQL expression the shipped alerts and dashboard hold. */
function shippedExpressions(): { where: string; expr: string }[] {
  const alerts = parse(readFileSync(ALERTS, "utf8")) as {
    groups: { rules: { alert: string; expr: string }[] }[];
  };
  const dashboard = JSON.parse(readFileSync(DASHBOARD, "utf8")) as {
    panels: { title: string; targets: { expr: string }[] }[];
  };
  return [
    ...alerts.groups.flatMap((g) => g.rules.map((r) => ({ where: `alert ${r.alert}`, expr: r.expr }))),
    ...dashboard.panels.flatMap((p) =>
      p.targets.map((t) => ({ where: `panel "${p.title}"`, expr: grafanaToPromQL(t.expr) })),
    ),
  ];
}

describe("a real Prometheus scraping a running daemon", function () {
  this.timeout(120_000);
  let world: ProcessWorld;
  let daemon: RunningChild;
  let prometheus: PrometheusServer;

  before(async () => {
    world = await ProcessWorld.start(["a", "b"]);
    // Hub b refuses every batch: its breaker opens and its dead-letter queue fills.
    world.hubs.setFault("b", { kind: "reject", condition: "amqp:unauthorized-access" });
    daemon = startCli(
      ["pipeline", "--name", "peoplecounter"],
      world.env({
        METRICS_PORT: "0",
        LOG_LEVEL: "info",
        EVENT_HUB_BREAKER_THRESHOLD: "1",
        EVENT_HUB_MAX_RETRIES: "0",
      }),
    );
    let port = "";
    await waitFor(() => {
      port = /metrics on http:\/\/127\.0\.0\.1:(\d+)\/metrics/.exec(daemon.output())?.[1] ?? "";
      return port !== "";
    }, "the daemon's metrics address");
    prometheus = await PrometheusServer.start([`127.0.0.1:${port}`]);
  });
  after(async () => {
    daemon?.child.kill("SIGTERM");
    await daemon?.exited;
    await prometheus?.close();
    await world?.close();
  });

  it("reads back the events each hub settled, as the hubs counted them", async () => {
    await waitFor(() => world.hubs.received("a").length > 0, "the first events at hub a");
    const delivered = () => world.hubs.received("a").length;
    const [acked] = await prometheus.until(
      'microshare_pipeline_events_total{hub="a",outcome="acknowledged"}',
      (s) => s.length === 1 && Number(s[0]?.value[1]) === delivered(),
    );
    expect(Number(acked?.value[1])).to.be.greaterThan(0);
    const [dead] = await prometheus.until(
      'microshare_pipeline_events_total{hub="b",outcome="dead-lettered"}',
      (s) => Number(s[0]?.value[1]) === delivered(),
    );
    expect(dead?.metric.job).to.equal("microshare-pipeline");
  });

  it("reads back breaker state, lease leader, DLQ depth, build info and the standard process metrics", async () => {
    await prometheus.until(
      'microshare_pipeline_hub_breaker_state{hub="b",state="open"} == 1',
      (s) => s.length === 1,
    );
    await prometheus.until(
      'microshare_pipeline_hub_breaker_state{hub="a",state="closed"} == 1',
      (s) => s.length === 1,
    );
    await prometheus.until(
      'microshare_pipeline_lease_leader{pipeline="peoplecounter"} == 1',
      (s) => s.length === 1,
    );
    await prometheus.until(
      'microshare_pipeline_dlq_depth{hub="b",state="queued"} > 0',
      (s) => s.length === 1,
    );
    await prometheus.until(
      'microshare_pipeline_schedule_seconds{pipeline="peoplecounter"} == 900',
      (s) => s.length === 1,
    );
    const [build] = await prometheus.until("microshare_pipeline_build_info", (s) => s.length === 1);
    expect(build?.metric.version).to.match(/^\d+\.\d+\.\d+/);
    await prometheus.until("process_cpu_seconds_total", (s) => s.length === 1);
  });

  it("evaluates every expression of the shipped alerts and dashboard without error, each with data", async () => {
    await prometheus.until(
      'microshare_pipeline_last_success_timestamp_seconds{pipeline="peoplecounter"}',
      (s) => s.length === 1,
    );
    const expressions = shippedExpressions();
    expect(expressions.length).to.be.at.least(12);
    for (const { where, expr } of expressions) {
      // `query` throws with Prometheus's parse or evaluation error.
      await prometheus.query(expr).catch((error: unknown) => {
        throw new Error(`${where}: ${String(error)}`);
      });
    }
    // Each dashboard panel has something to draw from this daemon (an alert may rightly be empty).
    for (const { where, expr } of expressions.filter((e) => e.where.startsWith("panel"))) {
      const sparse = expr.includes("rate(") || expr.includes("increase(");
      await prometheus
        .until(expr, (s) => s.length > 0 || sparse, 30_000)
        .catch((error: unknown) => {
          throw new Error(`${where}: no data: ${String(error)}`);
        });
    }
    const rules = await prometheus.until("ALERTS", () => true).then(() => prometheus.rules());
    const shipped = parse(readFileSync(ALERTS, "utf8")) as { groups: { rules: { alert: string }[] }[] };
    expect(rules.map((r) => r.name).sort()).to.deep.equal(
      shipped.groups.flatMap((g) => g.rules.map((r) => r.alert)).sort(),
    );
    await waitFor(
      async () => (await prometheus.rules()).every((r) => r.health === "ok"),
      "every rule evaluated ok",
    );
  });

  it("fires the breaker alert's condition for hub b and not for a healthy hub", async () => {
    const alerts = parse(readFileSync(ALERTS, "utf8")) as {
      groups: { rules: { alert: string; expr: string }[] }[];
    };
    const breaker = alerts.groups[0]?.rules.find((r) => r.alert === "MicrosharePipelineBreakerOpen");
    const firing = await prometheus.until(breaker?.expr ?? "", (s) => s.length > 0);
    expect(firing.map((s) => s.metric.hub)).to.deep.equal(["b"]);
  });
});
