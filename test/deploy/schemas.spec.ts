import { readFileSync } from "node:fs";
import { join } from "node:path";
import { expect } from "chai";
import { Ajv, type AnySchemaObject, type ErrorObject, type ValidateFunction } from "ajv";
import ajvDraft04 from "ajv-draft-04";
import ajvFormats from "ajv-formats";
import { field, kubernetesManifests, readYaml, ROOT, type Node } from "./manifestFiles.js";

// The deploy files checked against their published JSON schemas, vendored in test/deploy/schemas
// (PROVENANCE.md says where each came from) so nothing is fetched at test time. The other deploy
// tests check that the files hang together; these check that the tools that read them would
// accept them: a misspelt key or a value of the wrong type fails here, not at deploy time.

// The ajv packages are CommonJS: under NodeNext their default import is `module.exports`, whose
// `default` is the class or plugin itself.
const Ajv04 = ajvDraft04.default;
const addFormats = ajvFormats.default;

const SCHEMAS = join(ROOT, "test/deploy/schemas");
const EMULATOR_CONFIG = "deploy/eventhubs-emulator/Config.json";

function readJson(path: string): Node {
  return JSON.parse(readFileSync(join(ROOT, path), "utf8")) as Node;
}

function vendored(name: string): AnySchemaObject {
  return JSON.parse(readFileSync(join(SCHEMAS, name), "utf8")) as AnySchemaObject;
}

/** A deep copy to break on purpose, so a negative case never touches the parsed original. */
function copy<T>(value: T): T {
  return structuredClone(value);
}

/** ajv's errors, one a line, with the parameter that names the culprit (the extra key, the allowed values). */
function describeErrors(errors: readonly ErrorObject[] | null | undefined): string {
  return (errors ?? [])
    .map((e) => {
      const detail = Object.entries(e.params)
        .filter(([key]) => ["additionalProperty", "allowedValues", "passingSchemas", "type"].includes(key))
        .map(([key, value]) => `${key}: ${JSON.stringify(value)}`)
        .join(", ");
      return `  ${e.instancePath || "/"} ${e.message ?? e.keyword}${detail ? ` (${detail})` : ""}`;
    })
    .join("\n");
}

function expectValid(validate: ValidateFunction, data: Node, where: string): void {
  const valid = validate(data);
  expect(valid, `${where} does not match its schema:\n${describeErrors(validate.errors)}`).to.equal(true);
}

/** Validates data that must be rejected, and returns ajv's errors to assert on. */
function rejectionOf(validate: ValidateFunction, data: Node, where: string): ErrorObject[] {
  expect(validate(data), `${where} was accepted, but the schema should reject it`).to.equal(false);
  return validate.errors ?? [];
}

/** Draft-07 validator for the compose, emulator and Kubernetes schemas. */
function draft07(): Ajv {
  // strict: false because upstream schemas carry keywords ajv does not know (x-kubernetes-*,
  // compose's `deprecated`); they are annotations, not constraints. unicodeRegExp: false because the
  // emulator's name pattern `[\w-\.\/]` is a valid ECMA-262 regex only without the u flag.
  const ajv = new Ajv({ strict: false, allErrors: true, unicodeRegExp: false });
  addFormats(ajv);
  // compose-spec names draft-07 https://json-schema.org/draft-07/schema, a name ajv does not know
  // (it knows the http one, and http://json-schema.org/schema# that the Kubernetes schemas use).
  const draft7 = ajv.getSchema("http://json-schema.org/draft-07/schema")?.schema as AnySchemaObject;
  ajv.addMetaSchema({ ...draft7, $id: "https://json-schema.org/draft-07/schema" });
  return ajv;
}

describe("deploy files against their published schemas", () => {
  describe("docker-compose.yml (compose-spec schema)", () => {
    const validate = draft07().compile(vendored("compose-spec.json"));
    // readYaml resolves `<<:` merge keys, as docker compose does before it validates.
    const compose = readYaml("docker-compose.yml");

    it("matches the compose specification", () => {
      expectValid(validate, compose, "docker-compose.yml");
    });

    it("rejects a service with a misspelt key (depends_onn)", () => {
      const broken = copy(compose) as { services: Record<string, Record<string, unknown>> };
      const snapshot = broken.services.snapshot;
      if (snapshot === undefined) throw new Error("docker-compose.yml has no snapshot service");
      snapshot.depends_onn = snapshot.depends_on;
      delete snapshot.depends_on;
      const errors = rejectionOf(validate, broken, "docker-compose.yml with depends_onn");
      expect(
        errors.map((e) => [e.instancePath, e.params.additionalProperty]),
        describeErrors(errors),
      ).to.deep.include(["/services/snapshot", "depends_onn"]);
    });
  });

  describe(`${EMULATOR_CONFIG} (Event Hubs emulator Config-schema.json)`, () => {
    const validate = draft07().compile(vendored("eventhubs-emulator-config.schema.json"));
    const config = readJson(EMULATOR_CONFIG);

    it("matches the emulator's configuration schema", () => {
      expectValid(validate, config, EMULATOR_CONFIG);
    });

    it("rejects a PartitionCount written as a string, or above the emulator's 32", () => {
      const entity = (c: Node): Record<string, unknown> =>
        (field(c, "UserConfig", "NamespaceConfig") as Array<{ Entities: Record<string, unknown>[] }>)[0]
          ?.Entities[0] ?? {};
      const asString = copy(config);
      entity(asString).PartitionCount = "2";
      const tooMany = copy(config);
      entity(tooMany).PartitionCount = 33;
      const path = "/UserConfig/NamespaceConfig/0/Entities/0/PartitionCount";
      const stringErrors = rejectionOf(validate, asString, `${EMULATOR_CONFIG} with PartitionCount "2"`);
      expect(stringErrors.map((e) => [e.instancePath, e.keyword])).to.deep.include([path, "type"]);
      const rangeErrors = rejectionOf(validate, tooMany, `${EMULATOR_CONFIG} with PartitionCount 33`);
      expect(rangeErrors.map((e) => [e.instancePath, e.keyword])).to.deep.include([path, "maximum"]);
    });
  });

  describe("host.json (SchemaStore host.json schema)", () => {
    // A draft-04 schema (`id`, not `$id`), which ajv 8 reads only through ajv-draft-04.
    const ajv = new Ajv04({ strict: false, allErrors: true });
    addFormats(ajv);
    const schema = vendored("host.json.schema.json");
    const whole = ajv.compile(schema);
    // The schema's top level is a oneOf of version-1, version-2 and version-2-ext-5, but the last
    // two differ only in extensions.serviceBus: any host.json without it matches both, and oneOf
    // then fails ("must match exactly one schema"), for the Functions templates' own host.json too
    // (reported on SchemaStore/schemastore#3604, which added version-2-ext-5). So host.json is
    // checked against the schema's own alternatives read as anyOf; the last test pins the overlap.
    const alternatives = (schema.oneOf as { $ref: string }[]).map((r) => ({
      $ref: `${String(schema.id)}${r.$ref}`,
    }));
    const validate = ajv.compile({ anyOf: alternatives });
    const host = readJson("host.json");

    it("matches one of the schema's host.json versions", () => {
      expectValid(validate, host, "host.json");
    });

    it('rejects "version": 2 as a number and a misspelt functionTimeout', () => {
      const numericVersion = { ...(host as object), version: 2 };
      const versionErrors = rejectionOf(validate, numericVersion, "host.json with version 2");
      expect(
        versionErrors.map((e) => [e.instancePath, e.keyword]),
        describeErrors(versionErrors),
      ).to.deep.include(["/version", "enum"]);
      const { functionTimeout, ...rest } = host as Record<string, unknown>;
      const misspelt = { ...rest, functionTimout: functionTimeout };
      const keyErrors = rejectionOf(validate, misspelt, "host.json with functionTimout");
      expect(keyErrors.map((e) => e.params.additionalProperty)).to.include("functionTimout");
    });

    it("is rejected by the whole schema only because version-2 and version-2-ext-5 both match", () => {
      // If this fails, SchemaStore has made its alternatives exclusive: validate against `whole`
      // above and drop the anyOf reading.
      const errors = rejectionOf(whole, host, "host.json against the whole schema");
      const oneOf = errors.filter((e) => e.keyword === "oneOf");
      expect(
        oneOf.map((e) => e.params.passingSchemas),
        describeErrors(errors),
      ).to.deep.equal([[1, 2]]);
    });
  });

  describe("deploy/kubernetes (Kubernetes standalone-strict schemas)", () => {
    const ajv = draft07();
    // Keys under a reserved, never-resolving host, so `$ref`s between schemas are absolute URIs.
    const ID = "https://schemas.invalid/";
    const K8S = "kubernetes/";
    for (const name of [
      "configmap-v1.json",
      "secret-v1.json",
      "poddisruptionbudget-policy-v1.json",
      "container-v1.json",
      "podsecuritycontext-v1.json",
      "deploymentstrategy.json",
    ])
      ajv.addSchema(vendored(K8S + name), ID + K8S + name);
    const ref = (name: string, pointer = ""): AnySchemaObject => ({
      $ref: `${ID}${K8S}${name}${pointer ? `#${pointer}` : ""}`,
    });

    // The whole-kind Deployment and CronJob schemas inline the entire PodSpec (665,142 and
    // 760,605 characters upstream): too big to vendor. Instead their shell is written here, strict
    // like the upstream ones, with every part that has a published standalone-strict schema taken
    // from it: ObjectMeta and LabelSelector (inline in the ConfigMap and PodDisruptionBudget
    // schemas), Container, PodSecurityContext and DeploymentStrategy. The shell lists the spec
    // fields of the Kubernetes API reference that these manifests use or may soon use; any other
    // field fails, so adding one means adding it here, checked against the reference.
    const strict = (
      properties: Record<string, AnySchemaObject>,
      required: string[] = [],
    ): AnySchemaObject => ({
      type: "object",
      properties,
      required,
      additionalProperties: false,
    });
    const integer = { type: "integer" };
    const objectMeta = ref("configmap-v1.json", "/properties/metadata");
    const labelSelector = ref("poddisruptionbudget-policy-v1.json", "/properties/spec/properties/selector");
    const containers = { type: "array", minItems: 1, items: ref("container-v1.json") };
    const podTemplate = strict({
      metadata: objectMeta,
      spec: strict(
        {
          containers,
          initContainers: { type: "array", items: ref("container-v1.json") },
          securityContext: ref("podsecuritycontext-v1.json"),
          restartPolicy: { enum: ["Always", "OnFailure", "Never"] },
          terminationGracePeriodSeconds: integer,
          serviceAccountName: { type: "string" },
        },
        ["containers"],
      ),
    });
    const kind = (apiVersion: string, name: string, spec: AnySchemaObject): AnySchemaObject =>
      strict({ apiVersion: { const: apiVersion }, kind: { const: name }, metadata: objectMeta, spec }, [
        "apiVersion",
        "kind",
        "metadata",
        "spec",
      ]);
    ajv.addSchema(
      kind(
        "apps/v1",
        "Deployment",
        strict(
          {
            replicas: integer,
            selector: labelSelector,
            strategy: ref("deploymentstrategy.json"),
            template: podTemplate,
            minReadySeconds: integer,
            revisionHistoryLimit: integer,
            progressDeadlineSeconds: integer,
            paused: { type: "boolean" },
          },
          ["selector", "template"],
        ),
      ),
      ID + "shell/deployment-apps-v1",
    );
    ajv.addSchema(
      kind(
        "batch/v1",
        "CronJob",
        strict(
          {
            schedule: { type: "string" },
            timeZone: { type: "string" },
            concurrencyPolicy: { enum: ["Allow", "Forbid", "Replace"] },
            startingDeadlineSeconds: integer,
            successfulJobsHistoryLimit: integer,
            failedJobsHistoryLimit: integer,
            suspend: { type: "boolean" },
            jobTemplate: strict(
              {
                metadata: objectMeta,
                spec: strict(
                  {
                    template: podTemplate,
                    backoffLimit: integer,
                    activeDeadlineSeconds: integer,
                    ttlSecondsAfterFinished: integer,
                    completions: integer,
                    parallelism: integer,
                  },
                  ["template"],
                ),
              },
              ["spec"],
            ),
          },
          ["schedule", "jobTemplate"],
        ),
      ),
      ID + "shell/cronjob-batch-v1",
    );

    /** The schema for each `apiVersion kind` the manifests may hold. */
    const SCHEMA_OF_KIND: Record<string, string> = {
      "v1 ConfigMap": K8S + "configmap-v1.json",
      "v1 Secret": K8S + "secret-v1.json",
      "policy/v1 PodDisruptionBudget": K8S + "poddisruptionbudget-policy-v1.json",
      "apps/v1 Deployment": "shell/deployment-apps-v1",
      "batch/v1 CronJob": "shell/cronjob-batch-v1",
    };

    /** The validator for a document, failing on a kind with no vendored schema so none slips through. */
    function validatorFor(doc: Node, where: string): ValidateFunction {
      const key = `${String(field(doc, "apiVersion"))} ${String(field(doc, "kind"))}`;
      const schemaKey = SCHEMA_OF_KIND[key];
      const validate = schemaKey === undefined ? undefined : ajv.getSchema(ID + schemaKey);
      if (validate === undefined)
        throw new Error(
          `${where}: no vendored schema for ${key} (known: ${Object.keys(SCHEMA_OF_KIND).join(", ")}); ` +
            "vendor its standalone-strict schema in test/deploy/schemas/kubernetes",
        );
      return validate;
    }

    /** Every manifest with "file, document n, kind name" to say which one failed. */
    const documents = (() => {
      const seen = new Map<string, number>();
      return kubernetesManifests().map(({ file, doc }) => {
        const index = (seen.get(file) ?? 0) + 1;
        seen.set(file, index);
        const what = `${String(field(doc, "kind"))} ${String(field(doc, "metadata", "name"))}`;
        return { doc, where: `deploy/kubernetes/${file}, document ${index} (${what})` };
      });
    })();
    const firstOf = (wanted: string): Node => {
      const found = documents.find((d) => field(d.doc, "kind") === wanted);
      if (found === undefined) throw new Error(`deploy/kubernetes has no ${wanted}`);
      return copy(found.doc);
    };

    it("matches the schema of its kind, for every document of every manifest", () => {
      expect(documents.length).to.be.greaterThan(0);
      for (const { doc, where } of documents) expectValid(validatorFor(doc, where), doc, where);
    });

    it("fails a document whose kind has no vendored schema", () => {
      const service = { apiVersion: "v1", kind: "Service", metadata: { name: "metrics" }, spec: {} };
      expect(() => validatorFor(service, "service.yaml, document 1")).to.throw(
        /service\.yaml, document 1: no vendored schema for v1 Service/,
      );
    });

    it("rejects a misspelt container field and a misspelt Deployment spec field", () => {
      const deployment = firstOf("Deployment") as {
        spec: { replicas?: unknown; template: { spec: { containers: Record<string, unknown>[] } } };
      };
      const container = deployment.spec.template.spec.containers[0] ?? {};
      container.imagePullPolice = "Always";
      const errors = rejectionOf(validatorFor(deployment, "Deployment"), deployment, "imagePullPolice");
      expect(
        errors.map((e) => [e.instancePath, e.params.additionalProperty]),
        describeErrors(errors),
      ).to.deep.include(["/spec/template/spec/containers/0", "imagePullPolice"]);

      const misspeltSpec = firstOf("Deployment") as { spec: Record<string, unknown> };
      misspeltSpec.spec.replica = misspeltSpec.spec.replicas;
      delete misspeltSpec.spec.replicas;
      const specErrors = rejectionOf(validatorFor(misspeltSpec, "Deployment"), misspeltSpec, "replica");
      expect(specErrors.map((e) => [e.instancePath, e.params.additionalProperty])).to.deep.include([
        "/spec",
        "replica",
      ]);
    });

    it("rejects a CronJob pod security context with a miscased field", () => {
      const cronJob = firstOf("CronJob") as {
        spec: { jobTemplate: { spec: { template: { spec: { securityContext: Record<string, unknown> } } } } };
      };
      const securityContext = cronJob.spec.jobTemplate.spec.template.spec.securityContext;
      securityContext.runAsNonroot = securityContext.runAsNonRoot;
      delete securityContext.runAsNonRoot;
      const errors = rejectionOf(validatorFor(cronJob, "CronJob"), cronJob, "runAsNonroot");
      expect(errors.map((e) => [e.instancePath, e.params.additionalProperty])).to.deep.include([
        "/spec/jobTemplate/spec/template/spec/securityContext",
        "runAsNonroot",
      ]);
    });

    it("rejects an unquoted number in the ConfigMap, a misspelt Secret key and a PDB selector typo", () => {
      // YAML reads `METRICS_PORT: 9464` as a number; ConfigMap data must be strings.
      const configMap = firstOf("ConfigMap") as { data: Record<string, unknown> };
      configMap.data.METRICS_PORT = 9464;
      const configErrors = rejectionOf(validatorFor(configMap, "ConfigMap"), configMap, "METRICS_PORT: 9464");
      expect(configErrors.map((e) => [e.instancePath, e.keyword])).to.deep.include([
        "/data/METRICS_PORT",
        "type",
      ]);

      const secret = firstOf("Secret") as Record<string, unknown>;
      secret.stringdata = secret.stringData;
      delete secret.stringData;
      const secretErrors = rejectionOf(validatorFor(secret, "Secret"), secret, "stringdata");
      expect(secretErrors.map((e) => e.params.additionalProperty)).to.include("stringdata");

      const budget = firstOf("PodDisruptionBudget") as { spec: { selector: Record<string, unknown> } };
      budget.spec.selector.matchLabel = budget.spec.selector.matchLabels;
      delete budget.spec.selector.matchLabels;
      const budgetErrors = rejectionOf(validatorFor(budget, "PodDisruptionBudget"), budget, "matchLabel");
      expect(budgetErrors.map((e) => [e.instancePath, e.params.additionalProperty])).to.deep.include([
        "/spec/selector",
        "matchLabel",
      ]);
    });
  });
});
