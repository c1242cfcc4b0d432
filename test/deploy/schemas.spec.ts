import { expect } from "chai";
import ajvDraft04 from "ajv-draft-04";
import ajvFormats from "ajv-formats";
import { field, readYaml, type Node } from "./manifestFiles.js";
import { copy, describeErrors, draft07, expectValid, readJson, rejectionOf, vendored } from "./schemaKit.js";

// The deploy files checked against their published JSON schemas, vendored in test/deploy/schemas
// (PROVENANCE.md says where each came from) so nothing is fetched at test time. The other deploy
// tests check that the files hang together; these check that the tools that read them would
// accept them: a misspelt key or a value of the wrong type fails here, not at deploy time. The
// Kubernetes manifests are in kubernetesSchemas.spec.ts.

// CommonJS: under NodeNext the default import is `module.exports`, whose `default` is the class
// or plugin itself.
const Ajv04 = ajvDraft04.default;
const addFormats = ajvFormats.default;
const EMULATOR_CONFIG = "deploy/eventhubs-emulator/Config.json";

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
});
