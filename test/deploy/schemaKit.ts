import { readFileSync } from "node:fs";
import { join } from "node:path";
import { expect } from "chai";
import { Ajv, type AnySchemaObject, type ErrorObject, type ValidateFunction } from "ajv";
import ajvFormats from "ajv-formats";
import { ROOT, type Node } from "./manifestFiles.js";

// What the schema tests share: reading the vendored schemas (test/deploy/schemas), a draft-07
// validator, and assertions that show ajv's errors.

// The ajv packages are CommonJS: under NodeNext their default import is `module.exports`, whose
// `default` is the class or plugin itself.
const addFormats = ajvFormats.default;

const SCHEMAS = join(ROOT, "test/deploy/schemas");

export function readJson(path: string): Node {
  return JSON.parse(readFileSync(join(ROOT, path), "utf8")) as Node;
}

export function vendored(name: string): AnySchemaObject {
  return JSON.parse(readFileSync(join(SCHEMAS, name), "utf8")) as AnySchemaObject;
}

/** A deep copy to break on purpose, so a negative case never touches the parsed original. */
export function copy<T>(value: T): T {
  return structuredClone(value);
}

/** ajv's errors, one a line, with the parameter that names the culprit (the extra key, the allowed values). */
export function describeErrors(errors: readonly ErrorObject[] | null | undefined): string {
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

export function expectValid(validate: ValidateFunction, data: Node, where: string): void {
  const valid = validate(data);
  expect(valid, `${where} does not match its schema:\n${describeErrors(validate.errors)}`).to.equal(true);
}

/** Validates data that must be rejected, and returns ajv's errors to assert on. */
export function rejectionOf(validate: ValidateFunction, data: Node, where: string): ErrorObject[] {
  expect(validate(data), `${where} was accepted, but the schema should reject it`).to.equal(false);
  return validate.errors ?? [];
}

/** Draft-07 validator for the compose, emulator and Kubernetes schemas. */
export function draft07(): Ajv {
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
