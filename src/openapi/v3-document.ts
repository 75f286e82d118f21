// Renders the OpenAPI 3.0 document of one group-version (what /openapi/v3/apis/<group>/<version>
// serves): paths from the operation model, components.schemas with every schema they reach, in
// the v3 form upstream publishes (property references as allOf with sibling description).
import type { Schema } from "./schema.js";
import { V2_REF_PREFIX, V3_REF_PREFIX } from "./schema.js";
import type { SchemaIndex } from "./schema-index.js";
import type { OperationModel, PathModel, PatchType } from "./operations.js";
import type { ParameterSpec } from "./parameters.js";
import { parameterSpec, schemasOf } from "./render-common.js";

type Json = Record<string, unknown>;

export const PATCH_MEDIA_TYPES: Readonly<Record<PatchType, string>> = {
  apply: "application/apply-patch+yaml",
  json: "application/json-patch+json",
  merge: "application/merge-patch+json",
  strategic: "application/strategic-merge-patch+json",
};
const OBJECT_MEDIA = ["application/json", "application/vnd.kubernetes.protobuf", "application/yaml"];
const JSON_MEDIA = ["application/json"];
const LIST_MEDIA = ["application/json", "application/json;stream=watch", "application/vnd.kubernetes.protobuf", "application/vnd.kubernetes.protobuf;stream=watch", "application/yaml"];

const ref3 = (name: string) => ({ $ref: V3_REF_PREFIX + name });

function parameter3(p: ParameterSpec): Json {
  return {
    description: p.description,
    in: p.in,
    name: p.name,
    ...(p.required ? { required: true } : {}),
    schema: { type: p.type, uniqueItems: true },
  };
}

function operation3(op: OperationModel): Json {
  const content = (schema: string, media: readonly string[]) => Object.fromEntries(media.map((m) => [m, { schema: ref3(schema) }]));
  const out: Json = { description: op.description, operationId: op.operationId };
  if (op.parameters.length) out.parameters = op.parameters.map((p) => parameter3(parameterSpec(p)));
  if (op.body) {
    const media = op.body.patchTypes ? op.body.patchTypes.map((t) => PATCH_MEDIA_TYPES[t]).sort() : ["*/*"];
    out.requestBody = { content: content(op.body.schema, media), ...(op.body.required ? { required: true } : {}) };
  }
  out.responses = Object.fromEntries(
    op.responses.map((r) => [r.code, r.schema ? { content: content(r.schema, op.media === "list" ? LIST_MEDIA : op.media === "json" ? JSON_MEDIA : OBJECT_MEDIA), description: r.description } : { description: r.description }]),
  );
  out.tags = [op.tag];
  if (op.action) out["x-kubernetes-action"] = op.action;
  if (op.gvk) out["x-kubernetes-group-version-kind"] = { group: op.gvk.group, kind: op.gvk.kind, version: op.gvk.version };
  return out;
}

/** A definition in v3 form: references retargeted, property references wrapped in allOf. */
export function toV3Schema(s: Schema, wrap = false): Schema {
  const out: Record<string, unknown> = {};
  const ref = s.$ref?.startsWith(V2_REF_PREFIX) ? V3_REF_PREFIX + s.$ref.slice(V2_REF_PREFIX.length) : s.$ref;
  const siblings = Object.keys(s).some((k) => k !== "$ref");
  if (ref && wrap && siblings) out.allOf = [{ $ref: ref }];
  else if (ref) out.$ref = ref;
  for (const [k, v] of Object.entries(s)) {
    if (k === "$ref") continue;
    if (k === "properties") out[k] = Object.fromEntries(Object.entries(v as Record<string, Schema>).map(([n, p]) => [n, toV3Schema(p, true)]));
    else if (k === "items") out[k] = toV3Schema(v as Schema, true);
    else if (k === "additionalProperties" && typeof v === "object") out[k] = toV3Schema(v as Schema, true);
    else if (k === "allOf" || k === "oneOf") out[k] = (v as Schema[]).map((x) => toV3Schema(x));
    else out[k] = v;
  }
  return out as Schema;
}

export interface V3DocumentInput {
  paths: readonly PathModel[];
  index: SchemaIndex;
  /** Definitions whose v3 shape differs (Quantity, IntOrString), description excluded. */
  overrides: Readonly<Record<string, Schema>>;
  serverVersion: string;
}

export function buildV3Document({ paths, index, overrides, serverVersion }: V3DocumentInput): Json {
  const schemas: Record<string, Schema> = {};
  for (const name of [...index.closure(schemasOf(paths))].sort()) {
    const def = index.get(name)!;
    const override = overrides[name];
    schemas[name] = override ? sortKeys({ ...(def.description ? { description: def.description } : {}), ...override }) : toV3Schema(def);
  }
  const outPaths: Record<string, Json> = {};
  for (const p of paths) {
    const item: Json = {};
    for (const op of p.operations) item[op.method] = operation3(op);
    if (p.parameters.length) item.parameters = p.parameters.map((x) => parameter3(parameterSpec(x)));
    outPaths[p.path] = sortKeys(item);
  }
  return {
    components: {
      schemas,
      securitySchemes: { BearerToken: { description: "Bearer Token authentication", in: "header", name: "authorization", type: "apiKey" } },
    },
    info: { title: "Kubernetes", version: serverVersion },
    openapi: "3.0.0",
    paths: outPaths,
  };
}

function sortKeys<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) as T;
}
