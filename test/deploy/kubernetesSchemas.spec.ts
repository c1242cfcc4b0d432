import { expect } from "chai";
import type { AnySchemaObject, ValidateFunction } from "ajv";
import { field, kubernetesManifests, type Node } from "./manifestFiles.js";
import { copy, describeErrors, draft07, expectValid, rejectionOf, vendored } from "./schemaKit.js";

// The Kubernetes manifests against the Kubernetes OpenAPI models (vendored standalone-strict
// schemas, test/deploy/schemas/PROVENANCE.md), offline.
describe("deploy files against their published schemas", () => {
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
