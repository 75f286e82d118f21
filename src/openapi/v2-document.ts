// Renders the single Swagger 2.0 document of all served group-versions (/openapi/v2): paths with
// consumes/produces, inline parameters (fieldValidation on every PATCH, as kubectl checks) and
// the definitions the operations reach, with x-kubernetes-group-version-kind on operations.
import type { Schema } from "./schema.js";
import { V2_REF_PREFIX } from "./schema.js";
import type { SchemaIndex } from "./schema-index.js";
import type { OperationModel, PathModel, PatchType } from "./operations.js";
import type { ParameterSpec } from "./parameters.js";
import { parameterSpec, schemasOf } from "./render-common.js";

type Json = Record<string, unknown>;

const PATCH_CONSUMES: Readonly<Record<PatchType, string>> = {
  json: "application/json-patch+json",
  merge: "application/merge-patch+json",
  strategic: "application/strategic-merge-patch+json",
  apply: "application/apply-patch+yaml",
};
const OBJECT_PRODUCES = ["application/json", "application/yaml", "application/vnd.kubernetes.protobuf"];
const LIST_PRODUCES = [...OBJECT_PRODUCES, "application/json;stream=watch", "application/vnd.kubernetes.protobuf;stream=watch"];

const ref2 = (name: string) => ({ $ref: V2_REF_PREFIX + name });

function parameter2(p: ParameterSpec): Json {
  return { description: p.description, in: p.in, name: p.name, ...(p.required ? { required: true } : {}), type: p.type, uniqueItems: true };
}

function operation2(op: OperationModel): Json {
  const out: Json = {
    consumes: op.consumes ? [...op.consumes] : op.body?.patchTypes ? op.body.patchTypes.map((t) => PATCH_CONSUMES[t]) : ["*/*"],
    description: op.description,
    operationId: op.operationId,
  };
  const params: Json[] = [];
  if (op.body) params.push({ in: "body", name: "body", ...(op.body.required ? { required: true } : {}), schema: ref2(op.body.schema) });
  for (const p of op.parameters) params.push(parameter2(parameterSpec(p)));
  if (params.length) out.parameters = params;
  out.produces = op.media === "list" ? LIST_PRODUCES : op.media === "json" ? ["application/json"] : op.consumes ? [...op.consumes] : OBJECT_PRODUCES;
  out.responses = Object.fromEntries(op.responses.map((r) => [r.code, { description: r.description, ...(r.schema ? { schema: ref2(r.schema) } : {}) }]));
  out.schemes = ["https"];
  out.tags = [op.tag];
  if (op.action) out["x-kubernetes-action"] = op.action;
  if (op.gvk) out["x-kubernetes-group-version-kind"] = { group: op.gvk.group, kind: op.gvk.kind, version: op.gvk.version };
  return out;
}

export interface V2DocumentInput {
  paths: readonly PathModel[];
  index: SchemaIndex;
  serverVersion: string;
}

export function buildV2Document({ paths, index, serverVersion }: V2DocumentInput): Json {
  const definitions: Record<string, Schema> = {};
  for (const name of [...index.closure(schemasOf(paths))].sort()) definitions[name] = index.get(name)!;
  const outPaths: Record<string, Json> = {};
  for (const p of [...paths].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))) {
    const item: Json = {};
    for (const op of p.operations) item[op.method] = operation2(op);
    if (p.parameters.length) item.parameters = p.parameters.map((x) => parameter2(parameterSpec(x)));
    outPaths[p.path] = Object.fromEntries(Object.entries(item).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  }
  return {
    definitions,
    info: { title: "Kubernetes", version: serverVersion },
    paths: outPaths,
    security: [{ BearerToken: [] }],
    securityDefinitions: { BearerToken: { description: "Bearer Token authentication", in: "header", name: "authorization", type: "apiKey" } },
    swagger: "2.0",
  };
}
