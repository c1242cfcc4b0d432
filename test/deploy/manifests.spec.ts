import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { expect } from "chai";
import { PRODUCTION_ENV, PRODUCTION_NODE_FLAGS } from "../../src/cli/productionRuntime.js";
import { loadConfig } from "../../src/config/loadConfig.js";
import { toNcrontab } from "../../src/functions/ncrontab.js";
import { DEFAULT_CREDENTIALS } from "../../src/local/microshare/simulatorOptions.js";
import { simulatorIds } from "../../src/local/microshare/topology.js";
import { findPipeline, PIPELINES } from "../../src/pipelines/registry.js";
import {
  field,
  knownVariables,
  kubernetesManifests,
  list,
  readYaml,
  ROOT,
  stringRecord,
  type Node,
} from "./manifestFiles.js";

// No Docker engine or cluster runs here: these tests parse the files and check that they hang
// together and that the settings they carry load with the real loadConfig.

const EMULATOR_CONFIG = "deploy/eventhubs-emulator/Config.json";
const PIPELINE_SERVICES = ["peoplecounter", "snapshot"];

/** `dist/src/x/y.js` (what deploy/tsconfig.build.json emits) back to its `src/x/y.ts`. */
function sourceOf(compiled: string): string {
  return compiled.replace(/^dist\//, "").replace(/\.js$/, ".ts");
}

function emulatorHubs(): Map<string, { partitions: number; consumerGroups: string[] }> {
  const config: Node = JSON.parse(readFileSync(join(ROOT, EMULATOR_CONFIG), "utf8"));
  const namespaces = list(field(config, "UserConfig", "NamespaceConfig"));
  expect(namespaces).to.have.length(1);
  const ns = namespaces[0];
  expect(field(ns, "Type")).to.equal("EventHub");
  expect(field(ns, "Name")).to.equal("emulatorNs1");
  return new Map(
    list(field(ns, "Entities")).map((e) => [
      String(field(e, "Name")),
      {
        partitions: Number(field(e, "PartitionCount")),
        consumerGroups: list(field(e, "ConsumerGroups")).map((g) => String(field(g, "Name"))),
      },
    ]),
  );
}

function pipelineArgs(args: Node): { name: string | undefined; once: boolean } {
  const words = list(args).map(String);
  expect(words[0]).to.equal("pipeline");
  const at = words.indexOf("--name");
  return { name: at < 0 ? undefined : words[at + 1], once: words.includes("--once") };
}

function expectKnownVariables(names: readonly string[], where: string): void {
  const known = knownVariables();
  expect(known.size).to.be.greaterThan(40);
  const unknown = names.filter((n) => !known.has(n));
  expect(unknown, `${where} sets variables loadConfig does not read`).to.deep.equal([]);
}

describe("deployment manifests", () => {
  describe("deploy/eventhubs-emulator/Config.json", () => {
    it("declares hubs the emulator accepts, each with a consumer group besides $default", () => {
      const hubs = emulatorHubs();
      expect([...hubs.keys()].sort()).to.deep.equal(["client", "internal"]);
      expect(hubs.size).to.be.at.most(10);
      for (const [name, hub] of hubs) {
        expect(hub.partitions, name).to.be.within(1, 32);
        const ownGroups = hub.consumerGroups.filter((g) => g !== "$default");
        expect(ownGroups.length, name).to.be.greaterThan(0);
      }
    });
  });

  describe("docker-compose.yml", () => {
    const compose = readYaml("docker-compose.yml");
    const services = field(compose, "services");
    const service = (name: string): Node => field(services, name);

    it("has Redis, the emulator with Azurite, the simulator and both pipeline daemons", () => {
      expect(Object.keys(stringRecord(services)).sort()).to.include.members([
        "redis",
        "azurite",
        "eventhubs-emulator",
        "microshare-sim",
        ...PIPELINE_SERVICES,
      ]);
      expect(field(service("redis"), "image")).to.match(/^redis:/);
      expect(field(service("azurite"), "image")).to.match(/^mcr\.microsoft\.com\/azure-storage\/azurite/);
      for (const name of Object.keys(stringRecord(services))) {
        const dependsOn = field(service(name), "depends_on");
        const needed = Array.isArray(dependsOn)
          ? dependsOn.map(String)
          : Object.keys(stringRecord(dependsOn));
        for (const dependency of needed)
          expect(service(dependency), `${name} → ${dependency}`).to.not.equal(undefined);
      }
    });

    it("runs the official emulator with its settings, ports and the mounted Config.json", () => {
      const emulator = service("eventhubs-emulator");
      expect(field(emulator, "image")).to.equal(
        "mcr.microsoft.com/azure-messaging/eventhubs-emulator:latest",
      );
      expect(stringRecord(field(emulator, "environment"))).to.deep.include({
        BLOB_SERVER: "azurite",
        METADATA_SERVER: "azurite",
        ACCEPT_EULA: "Y",
      });
      const ports = list(field(emulator, "ports")).map(String);
      expect(ports).to.include.members(["5672:5672", "5300:5300"]);
      const mount = list(field(emulator, "volumes"))
        .map(String)
        .find((v) => v.split(":")[1] === "/Eventhubs_Emulator/ConfigFiles/Config.json");
      expect(mount?.split(":")[0]).to.equal(`./${EMULATOR_CONFIG}`);
      expect(existsSync(join(ROOT, EMULATOR_CONFIG))).to.equal(true);
      // The daemons wait on the emulator's documented health endpoint, not a TCP accept.
      expect(JSON.stringify(field(service("eventhubs-ready"), "command"))).to.include(
        "eventhubs-emulator:5300/health",
      );
    });

    it("writes the emulator's PartitionCount as an integer (its Config-schema.json requires one)", () => {
      const config: Node = JSON.parse(readFileSync(join(ROOT, EMULATOR_CONFIG), "utf8"));
      const entities = list(field(list(field(config, "UserConfig", "NamespaceConfig"))[0], "Entities"));
      expect(entities.length).to.be.greaterThan(0);
      for (const entity of entities) expect(Number.isInteger(field(entity, "PartitionCount"))).to.equal(true);
    });

    it("runs the simulator from the image, with the ids and account the pipelines are given", () => {
      const sim = service("microshare-sim");
      const entrypoint = list(field(sim, "entrypoint")).map(String);
      expect(entrypoint[0]).to.equal("node");
      expect(existsSync(join(ROOT, sourceOf(entrypoint[1] ?? "")))).to.equal(true);
      const command = list(field(sim, "command")).map(String);
      const seed = Number(command[command.indexOf("--seed") + 1]);
      const port = command[command.indexOf("--port") + 1];
      expect(command[command.indexOf("--host") + 1]).to.equal("0.0.0.0");
      const ids = simulatorIds(seed);

      for (const name of PIPELINE_SERVICES) {
        const env = stringRecord(field(service(name), "environment"));
        for (const url of ["MICROSHARE_AUTH_URL", "MICROSHARE_API_URL", "MICROSHARE_APP_URL"]) {
          expect(env[url], `${name} ${url}`).to.equal(`http://microshare-sim:${port}`);
        }
        expect(env).to.deep.include({
          MICROSHARE_USERNAME: DEFAULT_CREDENTIALS.username,
          MICROSHARE_PASSWORD: DEFAULT_CREDENTIALS.password,
          MICROSHARE_API_KEY: DEFAULT_CREDENTIALS.apiKey,
          MICROSHARE_PC_DEVICE_CLUSTER_ID: ids.peopleCounterClusterId,
          MICROSHARE_PC_DASHBOARD_VIEW_ID: ids.peopleCounterViewId,
          MICROSHARE_SNAPSHOT_DEVICE_CLUSTER_ID: ids.snapshotClusterId,
          MICROSHARE_SNAPSHOT_DASHBOARD_VIEW_ID: ids.snapshotViewId,
        });
      }
    });

    it("configures each daemon with settings loadConfig accepts, sending to the emulator's hubs", () => {
      const hubs = emulatorHubs();
      for (const name of PIPELINE_SERVICES) {
        const daemon = service(name);
        const args = pipelineArgs(field(daemon, "command"));
        expect(args).to.deep.equal({ name, once: false });
        expect(findPipeline(name)).to.not.equal(undefined);
        const env = stringRecord(field(daemon, "environment"));
        expectKnownVariables(Object.keys(env), `docker-compose ${name}`);

        const config = loadConfig(env);
        expect(config.state).to.deep.include({ kind: "redis", url: "redis://redis:6379/0" });
        expect(config.hubs.map((h) => h.name)).to.deep.equal(["internal", "client"]);
        for (const hub of config.hubs) {
          expect(hub.auth).to.equal("sas");
          if (hub.auth !== "sas") continue;
          expect(hub.endpoint).to.equal("sb://eventhubs-emulator");
          expect(hub.connectionString).to.include("UseDevelopmentEmulator=true");
          expect(hubs.has(hub.eventHubName), hub.eventHubName).to.equal(true);
        }
      }
    });
  });

  describe("deploy/kubernetes", () => {
    const manifests = kubernetesManifests();
    const ofKind = (kind: string): Node[] =>
      manifests.filter((m) => field(m.doc, "kind") === kind).map((m) => m.doc);
    const configMap = stringRecord(field(ofKind("ConfigMap")[0], "data"));
    const secret = stringRecord(field(ofKind("Secret")[0], "stringData"));

    it("parses: every document has an apiVersion, a kind and a name", () => {
      expect(manifests.map((m) => `${String(field(m.doc, "kind"))} ${m.file}`).sort()).to.deep.equal([
        "ConfigMap configmap.yaml",
        "CronJob cronjob.yaml",
        "CronJob cronjob.yaml",
        "Deployment deployment.yaml",
        "Deployment deployment.yaml",
        "PodDisruptionBudget pdb.yaml",
        "PodDisruptionBudget pdb.yaml",
        "Secret secret.example.yaml",
      ]);
      for (const { doc } of manifests) {
        expect(field(doc, "apiVersion")).to.be.a("string");
        expect(field(doc, "metadata", "name")).to.be.a("string");
      }
    });

    it("probes every daemon on the metrics port the ConfigMap sets, bound where the kubelet reaches it", () => {
      expect(configMap).to.deep.include({ METRICS_PORT: "9464", METRICS_HOST: "0.0.0.0" });
      const deployments = ofKind("Deployment");
      expect(deployments).to.have.length(2);
      for (const d of deployments) {
        const container = list(field(d, "spec", "template", "spec", "containers"))[0];
        const ports = list(field(container, "ports"));
        expect(ports.map((p) => [field(p, "name"), field(p, "containerPort")])).to.deep.equal([
          ["metrics", 9464],
        ]);
        expect(field(container, "readinessProbe", "httpGet", "path")).to.equal("/ready");
        expect(field(container, "livenessProbe", "httpGet", "path")).to.equal("/live");
        expect(field(container, "readinessProbe", "httpGet", "port")).to.equal("metrics");
      }
    });

    it("gives every Deployment a PodDisruptionBudget selecting exactly its pods, keeping one up", () => {
      const budgets = ofKind("PodDisruptionBudget");
      for (const d of ofKind("Deployment")) {
        const podLabels = stringRecord(field(d, "spec", "template", "metadata", "labels"));
        const matching = budgets.filter((b) => {
          const selector = stringRecord(field(b, "spec", "selector", "matchLabels"));
          return Object.entries(selector).every(([k, v]) => podLabels[k] === v);
        });
        expect(matching, String(field(d, "metadata", "name"))).to.have.length(1);
        expect(field(matching[0], "spec", "minAvailable")).to.equal(1);
      }
    });

    it("keeps placeholders only in the Secret, with variables loadConfig reads and accepts", () => {
      expect(Object.keys(secret)).to.include.members([
        "MICROSHARE_PASSWORD",
        "EVENT_HUB_CONNECTION_STRINGS",
        "REDIS_URL",
      ]);
      for (const [name, value] of Object.entries(secret)) expect(value, name).to.match(/<[A-Za-z _-]+>/);
      expectKnownVariables([...Object.keys(configMap), ...Object.keys(secret)], "the ConfigMap and Secret");
      const config = loadConfig({ ...configMap, ...secret });
      expect(config.state.kind).to.equal("redis");
      expect(config.hubs).to.have.length(1);
    });

    /** The pod spec of a Deployment or a CronJob, with what every pipeline pod must have. */
    function checkPod(pod: Node, where: string): Node {
      expect(field(pod, "securityContext", "runAsNonRoot"), where).to.equal(true);
      const containers = list(field(pod, "containers"));
      expect(containers, where).to.have.length(1);
      const container = containers[0];
      const refs = list(field(container, "envFrom"));
      expect(refs.map((r) => field(r, "configMapRef", "name")).filter(Boolean)).to.deep.equal([
        field(ofKind("ConfigMap")[0], "metadata", "name"),
      ]);
      expect(refs.map((r) => field(r, "secretRef", "name")).filter(Boolean)).to.deep.equal([
        field(ofKind("Secret")[0], "metadata", "name"),
      ]);
      expectKnownVariables(
        list(field(container, "env")).map((e) => String(field(e, "name"))),
        where,
      );
      for (const kind of ["requests", "limits"]) {
        expect(field(container, "resources", kind, "memory"), `${where} ${kind}`).to.match(/^\d+Mi$/);
      }
      const requested = Number.parseInt(String(field(container, "resources", "requests", "memory")), 10);
      expect(requested, where).to.be.within(250, 512);
      return container;
    }

    it("runs each daemon as a Deployment of 2 replicas that drain before they are killed", () => {
      const deployments = ofKind("Deployment");
      expect(deployments).to.have.length(2);
      for (const deployment of deployments) {
        const where = String(field(deployment, "metadata", "name"));
        expect(field(deployment, "spec", "replicas"), where).to.equal(2);
        expect(field(deployment, "spec", "selector", "matchLabels")).to.deep.equal(
          field(deployment, "spec", "template", "metadata", "labels"),
        );
        const pod = field(deployment, "spec", "template", "spec");
        const args = list(field(checkPod(pod, where), "args")).map(String);
        const { name, once } = pipelineArgs(args);
        expect(findPipeline(name ?? ""), where).to.not.equal(undefined);
        expect(once, where).to.equal(false);
        const grace = Number(args[args.indexOf("--grace-seconds") + 1] ?? 30);
        expect(Number(field(pod, "terminationGracePeriodSeconds")), where).to.be.greaterThan(grace);
      }
    });

    it("runs each pipeline --once as a CronJob on its own schedule, never overlapping", () => {
      const cronJobs = ofKind("CronJob");
      expect(cronJobs).to.have.length(2);
      const covered: string[] = [];
      for (const cronJob of cronJobs) {
        const where = String(field(cronJob, "metadata", "name"));
        expect(field(cronJob, "spec", "concurrencyPolicy"), where).to.equal("Forbid");
        const pod = field(cronJob, "spec", "jobTemplate", "spec", "template", "spec");
        expect(["Never", "OnFailure"]).to.include(field(pod, "restartPolicy"));
        const { name, once } = pipelineArgs(field(checkPod(pod, where), "args"));
        expect(once, where).to.equal(true);
        const pipeline = findPipeline(name ?? "");
        if (pipeline === undefined) throw new Error(`${where} runs an unknown pipeline ${String(name)}`);
        // Kubernetes cron has no seconds field: the NCRONTAB form without its leading "0 ".
        expect(field(cronJob, "spec", "schedule"), where).to.equal(
          toNcrontab(pipeline.schedule).replace(/^0 /, ""),
        );
        covered.push(pipeline.name);
      }
      expect(covered.sort()).to.deep.equal(PIPELINE_SERVICES);
      expect(PIPELINES.map((p) => p.name)).to.include.members(covered);
    });
  });

  describe("Dockerfile", () => {
    const dockerfile = readFileSync(join(ROOT, "Dockerfile"), "utf8");
    const instructions = dockerfile.split("\n").filter((l) => /^[A-Z]+\s/.test(l));

    it("builds in stages with npm ci and runs the compiled CLI on node:22-slim (Node 22 LTS; Node 20 reached end of life on 2026-04-30) as a non-root user", () => {
      const stages = instructions.filter((l) => l.startsWith("FROM "));
      expect(stages.length).to.be.at.least(2);
      for (const stage of stages) expect(stage).to.match(/^FROM node:22-slim AS /);
      expect(instructions.filter((l) => l.startsWith("RUN npm ci")).length).to.be.greaterThan(0);
      expect(instructions.filter((l) => l.startsWith("USER ")).at(-1)).to.equal("USER node");
      const entrypoint = /^ENTRYPOINT (\[.*\])$/m.exec(dockerfile)?.[1];
      const command = JSON.parse(entrypoint ?? "[]") as string[];
      // The bundle deploy/bundleCli.ts writes (test/deploy/cliBundle.spec.ts runs it).
      expect(command).to.deep.equal(["node", ...PRODUCTION_NODE_FLAGS, "dist/cli.mjs"]);
      // The environment node must start with (malloc reads it before anything runs), set in
      // the runtime stage (after the last FROM): an ENV of a build stage never reaches it.
      const runtimeStage = dockerfile.slice(dockerfile.lastIndexOf("\nFROM "));
      const env = new Map<string, string>();
      for (const block of runtimeStage.matchAll(/^ENV ((?:.*\\\n)*.*)$/gm)) {
        for (const pair of block[1]!.replaceAll("\\\n", " ").trim().split(/\s+/)) {
          const [name, value] = pair.split("=");
          env.set(name!, value!);
        }
      }
      for (const [name, value] of Object.entries(PRODUCTION_ENV)) expect(env.get(name), name).to.equal(value);
      // glibc's own spelling, trailing underscore included: a misspelt name is silently ignored.
      expect(Object.keys(PRODUCTION_ENV).sort()).to.deep.equal([
        "MALLOC_MMAP_THRESHOLD_",
        "MALLOC_TRIM_THRESHOLD_",
      ]);
      // The build is `npm run build`, which compiles with the tsconfig and bundles with the
      // script the image copies in.
      expect(instructions).to.include("RUN npm run build");
      const scripts = (
        JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as {
          scripts: Record<string, string>;
        }
      ).scripts;
      expect(scripts.build).to.equal("tsc -p deploy/tsconfig.build.json && tsx deploy/bundleCli.ts");
      // The bundling script and every deploy/ module it imports are copied in.
      const copied = instructions.find((l) => l.startsWith("COPY deploy/"))?.split(/\s+/) ?? [];
      const bundleScript = readFileSync(join(ROOT, "deploy", "bundleCli.ts"), "utf8");
      const imported = [...bundleScript.matchAll(/from "\.\/(\w+)\.js"/g)].map((m) => `deploy/${m[1]}.ts`);
      expect(imported).to.deep.equal(["deploy/bundleEntry.ts"]);
      for (const file of ["deploy/tsconfig.build.json", "deploy/bundleCli.ts", ...imported]) {
        expect(copied, file).to.include(file);
      }
    });

    it("keeps secrets, dependencies and build output out of the build context", () => {
      const ignored = readFileSync(join(ROOT, ".dockerignore"), "utf8").split("\n");
      expect(ignored).to.include.members([".env", "node_modules", "dist", ".git"]);
    });
  });
});
