// The Swagger 2.0 document and its gnostic protobuf encoding, decoded back with a tiny decoder
// driven by the same field-number table.
import { test } from "node:test";
import assert from "node:assert/strict";
import { parse as parseYaml } from "yaml";
import { createOpenApiService } from "../../../src/openapi/index.js";
import { F } from "../../../src/openapi/gnostic-fields.js";
import { ProtoWriter } from "../../../src/openapi/proto-writer.js";
import { yamlText } from "../../../src/openapi/yaml-text.js";
import type { Schema } from "../../../src/openapi/schema.js";
import { DEFINITIONS_FILE, smallRegistry } from "./fixtures.js";

type Json = Record<string, any>;
type Fields = Map<number, (Buffer | number)[]>;

/** Splits a message into its fields (varint values as numbers, length-delimited as bytes). */
function fields(buf: Buffer): Fields {
  const out: Fields = new Map();
  let pos = 0;
  const varint = () => {
    let result = 0;
    let mul = 1;
    for (;;) {
      const b = buf[pos++]!;
      result += (b & 0x7f) * mul;
      if (b < 0x80) return result;
      mul *= 128;
    }
  };
  while (pos < buf.length) {
    const key = varint();
    const field = Math.floor(key / 8);
    const wire = key & 7;
    let value: Buffer | number;
    if (wire === 0) value = varint();
    else if (wire === 2) {
      const len = varint();
      value = buf.subarray(pos, pos + len);
      pos += len;
    } else if (wire === 1) {
      value = buf.readDoubleLE(pos);
      pos += 8;
    } else throw new Error(`wire type ${wire}`);
    if (!out.has(field)) out.set(field, []);
    out.get(field)!.push(value);
  }
  return out;
}
const str = (f: Fields, n: number) => (f.get(n)?.[0] as Buffer | undefined)?.toString("utf8");
const strs = (f: Fields, n: number) => (f.get(n) ?? []).map((b) => (b as Buffer).toString("utf8"));
const msg = (f: Fields, n: number) => (f.has(n) ? fields(f.get(n)![0] as Buffer) : undefined);
const msgs = (f: Fields, n: number) => (f.get(n) ?? []).map((b) => fields(b as Buffer));
const bool = (f: Fields, n: number) => f.get(n)?.[0] === 1;

function extensions(list: Fields[]): Json {
  const out: Json = {};
  for (const na of list) out[str(na, F.NamedAny.name)!] = parseYaml(str(msg(na, F.NamedAny.value)!, F.Any.yaml)!);
  return out;
}

function decodeSchema(f: Fields): Schema {
  const S = F.Schema;
  const s: Json = {};
  if (str(f, S.ref)) s.$ref = str(f, S.ref);
  if (str(f, S.description)) s.description = str(f, S.description);
  if (str(f, S.format)) s.format = str(f, S.format);
  if (f.has(S.enum)) s.enum = msgs(f, S.enum).map((a) => parseYaml(str(a, F.Any.yaml)!));
  if (f.has(S.required)) s.required = strs(f, S.required);
  const ap = msg(f, S.additionalProperties);
  if (ap) s.additionalProperties = ap.has(F.AdditionalPropertiesItem.schema) ? decodeSchema(msg(ap, F.AdditionalPropertiesItem.schema)!) : bool(ap, F.AdditionalPropertiesItem.boolean);
  if (f.has(S.type)) s.type = strs(msg(f, S.type)!, F.TypeItem.value)[0];
  if (f.has(S.items)) s.items = decodeSchema(msgs(msg(f, S.items)!, F.ItemsItem.schema)[0]!);
  if (f.has(S.properties)) {
    s.properties = Object.fromEntries(msgs(msg(f, S.properties)!, F.Properties.additionalProperties).map((n) => [str(n, F.NamedSchema.name), decodeSchema(msg(n, F.NamedSchema.value)!)]));
  }
  Object.assign(s, extensions(msgs(f, S.vendorExtension)));
  return s as Schema;
}

/** Sorted-key comparison form of a schema. */
function canonical(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(canonical);
  if (v && typeof v === "object") return Object.fromEntries(Object.keys(v).sort().map((k) => [k, canonical((v as Json)[k])]));
  return v;
}

const svc = createOpenApiService(smallRegistry(), { serverVersion: "v1.33.4", definitionsFile: DEFINITIONS_FILE });

test("the Swagger 2.0 JSON document", () => {
  const doc = JSON.parse(svc.v2Json().body.toString()) as Json;
  assert.equal(doc.swagger, "2.0");
  const patch = doc.paths["/apis/apps/v1/namespaces/{namespace}/deployments/{name}"].patch;
  assert.deepEqual(patch.consumes, ["application/json-patch+json", "application/merge-patch+json", "application/strategic-merge-patch+json", "application/apply-patch+yaml"]);
  assert.deepEqual(patch.parameters[0], { in: "body", name: "body", required: true, schema: { $ref: "#/definitions/io.k8s.apimachinery.pkg.apis.meta.v1.Patch" } });
  assert.ok(patch.parameters.some((p: Json) => p.name === "fieldValidation" && p.in === "query" && p.type === "string"));
  assert.deepEqual(patch["x-kubernetes-group-version-kind"], { group: "apps", kind: "Deployment", version: "v1" });
  assert.equal(doc.paths["/apis/stable.example.com/v1/namespaces/{namespace}/crontabs/{name}"].patch.consumes.includes("application/strategic-merge-patch+json"), false);
  assert.ok(doc.paths["/version/"]);
  assert.equal(svc.v2().etag, svc.v2Json().etag);
});

test("protobuf round trip: paths, operations, parameters, extensions and every definition", () => {
  const json = JSON.parse(svc.v2Json().body.toString()) as Json;
  const d = fields(svc.v2().body);
  assert.equal(str(d, F.Document.swagger), "2.0");
  const info = msg(d, F.Document.info)!;
  assert.equal(str(info, F.Info.title), "Kubernetes");
  assert.equal(str(info, F.Info.version), "v1.33.4");

  const paths = msgs(msg(d, F.Document.paths)!, F.Paths.path);
  assert.deepEqual(paths.map((p) => str(p, F.NamedPathItem.name)), Object.keys(json.paths));
  const item = msg(paths.find((p) => str(p, F.NamedPathItem.name) === "/apis/apps/v1/namespaces/{namespace}/deployments/{name}")!, F.NamedPathItem.value)!;
  const patch = msg(item, F.PathItem.patch)!;
  assert.equal(str(patch, F.Operation.operationId), "patchAppsV1NamespacedDeployment");
  assert.ok(strs(patch, F.Operation.consumes).includes("application/strategic-merge-patch+json"));
  const queryNames = msgs(patch, F.Operation.parameters)
    .map((pi) => msg(msg(msg(pi, F.ParametersItem.parameter)!, F.Parameter.nonBodyParameter) ?? new Map(), F.NonBodyParameter.queryParameterSubSchema))
    .filter((q): q is Fields => !!q)
    .map((q) => str(q, F.QueryParameterSubSchema.name));
  assert.deepEqual(queryNames, ["dryRun", "fieldManager", "fieldValidation", "force"]);
  const body = msg(msg(msgs(patch, F.Operation.parameters)[0]!, F.ParametersItem.parameter)!, F.Parameter.bodyParameter)!;
  assert.equal(str(body, F.BodyParameter.name), "body");
  assert.equal(bool(body, F.BodyParameter.required), true);
  assert.deepEqual(extensions(msgs(patch, F.Operation.vendorExtension)), {
    "x-kubernetes-action": "patch",
    "x-kubernetes-group-version-kind": { group: "apps", kind: "Deployment", version: "v1" },
  });
  const pathParams = msgs(item, F.PathItem.parameters).map((pi) => msg(msg(msg(pi, F.ParametersItem.parameter)!, F.Parameter.nonBodyParameter)!, F.NonBodyParameter.pathParameterSubSchema));
  assert.equal(str(pathParams[0]!, F.PathParameterSubSchema.name), "name");
  assert.equal(bool(pathParams[0]!, F.PathParameterSubSchema.required), true);
  const responses = msgs(msg(patch, F.Operation.responses)!, F.Responses.responseCode).map((r) => str(r, F.NamedResponseValue.name));
  assert.deepEqual(responses, ["200", "201", "401"]);

  const defs = msgs(msg(d, F.Document.definitions)!, F.Definitions.additionalProperties);
  assert.equal(defs.length, Object.keys(json.definitions).length);
  for (const n of defs) {
    const name = str(n, F.NamedSchema.name)!;
    assert.deepEqual(canonical(decodeSchema(msg(n, F.NamedSchema.value)!)), canonical(json.definitions[name]), name);
  }
  const security = msgs(d, F.Document.security);
  assert.equal(str(msgs(security[0]!, F.SecurityRequirement.additionalProperties)[0]!, F.NamedStringArray.name), "BearerToken");
});

test("proto writer: varints, nesting across length-byte boundaries", () => {
  const w = new ProtoWriter();
  w.uint(1, 300).string(2, "x".repeat(200)).message(3, (m) => m.string(1, "y".repeat(20000)).message(2, () => {}));
  const f = fields(w.finish());
  assert.equal(f.get(1)![0], 300);
  assert.equal(str(f, 2)!.length, 200);
  const inner = msg(f, 3)!;
  assert.equal(str(inner, 1)!.length, 20000);
  assert.equal((inner.get(2)![0] as Buffer).length, 0);
});

test("YAML text of extension values parses back to the same value", () => {
  for (const v of [
    "merge",
    "merge,retainKeys",
    "",
    "true",
    "1.5",
    ["name"],
    ["containerPort", "protocol"],
    { group: "", kind: "Status", version: "v1" },
    [{ group: "apps", kind: "DeleteOptions", version: "v1" }],
    [{ discriminator: "type", "fields-to-discriminateBy": { localhostProfile: "LocalhostProfile" } }],
    true,
    'quote " and: colon',
  ]) {
    assert.deepEqual(parseYaml(yamlText(v)), v, JSON.stringify(v));
  }
  assert.equal(yamlText({ group: "apps", kind: "Deployment", version: "v1" }), "group: apps\nkind: Deployment\nversion: v1\n");
});
