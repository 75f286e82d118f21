// Custom resources in the OpenAPI documents, as upstream's apiextensions-apiserver publishes them
// (controller/openapi/builder): the kind and list kind definitions, named by the reversed group
// (stable.example.com/v1 CronTab -> com.example.stable.v1.CronTab), and the REST paths of each
// served version — which differ from a built-in resource's: no watch paths, reads take
// resourceVersion, deletecollection takes only the list options and no body, PATCH answers 200
// only and offers no strategic merge, the scale subresource is labelled with the custom kind, and
// every operation consumes and produces JSON and YAML only. A group served only by CRDs has no
// discovery paths (/apis/<group>/, /apis/<group>/<version>/) and its v3 document is the CRD
// builder's ("Kubernetes CRD Swagger" v0.1.0, no security schemes).
import { listKindOf, type ResourceDefinition } from "../registry/definition.js";
import type { Schema } from "./schema.js";
import { V2_REF_PREFIX } from "./schema.js";
import {
  DELETE_OPTIONS,
  PATCH,
  SCALE,
  STATUS,
  groupVersionNames,
  groupVersionPath,
  type OperationContext,
  type OperationModel,
  type PathModel,
  type PathParameter,
  type ResponseModel,
} from "./operations.js";
import { DELETE_PARAMETERS, LIST_PARAMETERS, PATCH_PARAMETERS, WRITE_PARAMETERS, type ParameterName } from "./parameters.js";
import type { GroupVersionKind } from "./schema.js";

const META = "io.k8s.apimachinery.pkg.apis.meta.v1";
const API_VERSION_DOC =
  "APIVersion defines the versioned schema of this representation of an object. Servers should convert recognized schemas to the latest internal value, and may reject unrecognized values. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#resources";
const KIND_DOC =
  "Kind is a string value representing the REST resource this object represents. Servers may infer this from the endpoint the client submits requests to. Cannot be updated. In CamelCase. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#types-kinds";
const SELECTABLE_FIELDS = "x-kubernetes-selectable-fields";

/** The media types of every custom resource operation (the CRD builder's Consumes/Produces). */
export const CUSTOM_RESOURCE_MEDIA: readonly string[] = ["application/json", "application/yaml"];
/** What a custom resource's PATCH consumes, in upstream's order. */
export const CUSTOM_RESOURCE_PATCH_MEDIA: readonly string[] = ["application/json-patch+json", "application/merge-patch+json", "application/apply-patch+yaml"];
/** info of a v3 document built by the CRD builder. */
export const CUSTOM_RESOURCE_V3_INFO = { title: "Kubernetes CRD Swagger", version: "v0.1.0" };

/** The v2 and v3 forms of a custom resource kind's schema (from its CRD). */
export interface CustomResourceKindSchemas {
  v2: Schema;
  v3: Schema;
}

/** The definition name of a custom resource's list kind (spec.names.listKind). */
export function customResourceListName(def: Pick<ResourceDefinition, "group" | "version" | "kind" | "listKind" | "schema">): string {
  if (!def.listKind) return `${def.schema ?? customResourceDefinitionName(def)}List`;
  return customResourceDefinitionName({ ...def, kind: def.listKind });
}

export function customResourceDefinitionName(def: Pick<ResourceDefinition, "group" | "version" | "kind">): string {
  return `${def.group.split(".").reverse().join(".")}.${def.version}.${def.kind}`;
}

/**
 * The kind schema (unless given) and the list kind schema of a custom resource. Without a kind
 * schema (no CRD known) the kind is an object that keeps unknown fields. The list carries the
 * kind's x-kubernetes-selectable-fields, as upstream's buildListSchema does.
 */
export function customResourceSchemas(def: ResourceDefinition, kindSchema?: Schema): Record<string, Schema> {
  const name = def.schema ?? customResourceDefinitionName(def);
  const gvk = (kind: string) => [{ group: def.group, kind, version: def.version }];
  const kind: Schema = kindSchema ?? {
    type: "object",
    properties: {
      apiVersion: { description: API_VERSION_DOC, type: "string" },
      kind: { description: KIND_DOC, type: "string" },
      metadata: { $ref: `${V2_REF_PREFIX}${META}.ObjectMeta`, description: "Standard object's metadata. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata" },
    },
    "x-kubernetes-preserve-unknown-fields": true,
  };
  const selectable = kind[SELECTABLE_FIELDS];
  const list: Schema = {
    description: `${listKindOf(def)} is a list of ${def.kind}`,
    properties: {
      apiVersion: { description: API_VERSION_DOC, type: "string" },
      items: {
        description: `List of ${def.plural}. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md`,
        items: { $ref: V2_REF_PREFIX + name },
        type: "array",
      },
      kind: { description: KIND_DOC, type: "string" },
      metadata: { $ref: `${V2_REF_PREFIX}${META}.ListMeta`, description: "Standard list metadata. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#types-kinds" },
    },
    required: ["items"],
    type: "object",
    "x-kubernetes-group-version-kind": gvk(listKindOf(def)),
    ...(selectable !== undefined ? { [SELECTABLE_FIELDS]: selectable } : {}),
  };
  return {
    [name]: { ...kind, "x-kubernetes-group-version-kind": kind["x-kubernetes-group-version-kind"] ?? gvk(def.kind) },
    [customResourceListName(def)]: list,
  };
}

const ok = (schema: string): ResponseModel => ({ code: "200", description: "OK", schema });
const created = (schema: string): ResponseModel => ({ code: "201", description: "Created", schema });
const accepted = (schema: string): ResponseModel => ({ code: "202", description: "Accepted", schema });
const unauthorized: ResponseModel = { code: "401", description: "Unauthorized" };

/** upstream GetArticleForNoun with " " padding: " a ", " an ", or " " for plural-looking kinds. */
function article(kind: string): string {
  if (kind.endsWith("s") && !kind.endsWith("ss")) return " ";
  return /^[aeiou]/i.test(kind) ? " an " : " a ";
}

const byParameterName = (a: PathParameter, b: PathParameter): number => {
  const key = (p: PathParameter) => (p.startsWith("name:") ? "name" : p);
  const x = key(a);
  const y = key(b);
  return x < y ? -1 : x > y ? 1 : 0;
};

/**
 * The paths of the custom resources of one group-version, as upstream's CRD builder registers its
 * routes (parameters shared by all operations of a path are path-level, as kube-openapi hoists them).
 */
export function customResourceOperations(
  group: string,
  version: string,
  defs: readonly ResourceDefinition[],
  ctx: Pick<OperationContext, "schemaOf" | "listSchemaOf">,
): PathModel[] {
  const { prefix: gv, tag } = groupVersionNames(group, version);
  const base = groupVersionPath(group, version);
  const paths = new Map<string, PathModel>();
  const pathItem = (path: string, parameters: PathParameter[]): PathModel => {
    let p = paths.get(path);
    if (!p) paths.set(path, (p = { path, parameters: [...parameters].sort(byParameterName), operations: [] }));
    return p;
  };

  for (const def of defs) {
    const kind = def.kind;
    const gvk: GroupVersionKind = { group: def.group, kind, version: def.version };
    const schema = ctx.schemaOf(def);
    const list = ctx.listSchemaOf(def);
    const scope = def.namespaced ? "Namespaced" : "";
    const ns: PathParameter[] = def.namespaced ? ["namespace"] : [];
    const op = (
      method: OperationModel["method"],
      id: string,
      description: string,
      action: NonNullable<OperationModel["action"]>,
      parameters: readonly ParameterName[],
      responses: ResponseModel[],
      body?: OperationModel["body"],
    ): OperationModel => ({
      method,
      // upstream GetOperationIDAndTags puts the group-version after the leading verb
      operationId: id.replace(/^([a-z]+)/, `$1${gv}`),
      description,
      tag,
      action,
      gvk,
      parameters: [...parameters],
      ...(body ? { body } : {}),
      responses,
      media: "object",
      ...(method === "patch" ? {} : { consumes: CUSTOM_RESOURCE_MEDIA }),
    });
    const patchBody = { schema: PATCH, required: true, patchTypes: ["json" as const, "merge" as const, "apply" as const] };

    const collection = def.namespaced ? `${base}/namespaces/{namespace}/${def.plural}` : `${base}/${def.plural}`;
    if (def.namespaced) {
      pathItem(`${base}/${def.plural}`, [...LIST_PARAMETERS, "pretty"]).operations.push(
        op("get", `list${kind}ForAllNamespaces`, `list objects of kind ${kind}`, "list", [], [ok(list), unauthorized]),
      );
    }
    pathItem(collection, [...ns, "pretty"]).operations.push(
      op("get", `list${scope}${kind}`, `list objects of kind ${kind}`, "list", LIST_PARAMETERS, [ok(list), unauthorized]),
      op("post", `create${scope}${kind}`, `create${article(kind)}${kind}`, "post", WRITE_PARAMETERS, [ok(schema), created(schema), accepted(schema), unauthorized], {
        schema,
        required: true,
      }),
      op("delete", `deleteCollection${scope}${kind}`, `delete collection of ${kind}`, "deletecollection", LIST_PARAMETERS, [ok(STATUS), unauthorized]),
    );

    const item = `${collection}/{name}`;
    const itemParameters: PathParameter[] = [`name:${kind}`, ...ns, "pretty"];
    pathItem(item, itemParameters).operations.push(
      op("get", `read${scope}${kind}`, `read the specified ${kind}`, "get", ["resourceVersion"], [ok(schema), unauthorized]),
      op("put", `replace${scope}${kind}`, `replace the specified ${kind}`, "put", WRITE_PARAMETERS, [ok(schema), created(schema), unauthorized], { schema, required: true }),
      op("delete", `delete${scope}${kind}`, `delete${article(kind)}${kind}`, "delete", DELETE_PARAMETERS, [ok(STATUS), accepted(STATUS), unauthorized], {
        schema: DELETE_OPTIONS,
        required: false,
      }),
      op("patch", `patch${scope}${kind}`, `partially update the specified ${kind}`, "patch", PATCH_PARAMETERS, [ok(schema), unauthorized], patchBody),
    );

    const subresource = (sub: "status" | "scale", subSchema: string) => {
      const suffix = sub === "status" ? "Status" : "Scale";
      pathItem(`${item}/${sub}`, itemParameters).operations.push(
        op("get", `read${scope}${kind}${suffix}`, `read ${sub} of the specified ${kind}`, "get", ["resourceVersion"], [ok(subSchema), unauthorized]),
        op("put", `replace${scope}${kind}${suffix}`, `replace ${sub} of the specified ${kind}`, "put", WRITE_PARAMETERS, [ok(subSchema), created(subSchema), unauthorized], {
          schema: subSchema,
          required: true,
        }),
        op("patch", `patch${scope}${kind}${suffix}`, `partially update ${sub} of the specified ${kind}`, "patch", PATCH_PARAMETERS, [ok(subSchema), unauthorized], patchBody),
      );
    };
    if (def.subresources?.status) subresource("status", schema);
    if (def.subresources?.scale) subresource("scale", SCALE);
  }
  return [...paths.values()].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

type Json = Record<string, unknown>;
const HTTP_METHODS = ["get", "put", "post", "delete", "patch"] as const;
const isObject = (v: unknown): v is Json => typeof v === "object" && v !== null && !Array.isArray(v);

/** Sets the Swagger 2.0 consumes/produces of custom resource operations to upstream's. */
export function applyCustomResourceMediaV2(doc: Json, customPaths: ReadonlySet<string>): void {
  const paths = isObject(doc.paths) ? doc.paths : {};
  for (const p of customPaths) {
    const item = paths[p];
    if (!isObject(item)) continue;
    for (const method of HTTP_METHODS) {
      const op = item[method];
      if (!isObject(op)) continue;
      op.consumes = [...(method === "patch" ? CUSTOM_RESOURCE_PATCH_MEDIA : CUSTOM_RESOURCE_MEDIA)];
      op.produces = [...CUSTOM_RESOURCE_MEDIA];
    }
  }
}

/** Sets the request and response media types of custom resource operations in a v3 document. */
export function applyCustomResourceMediaV3(doc: Json, customPaths: ReadonlySet<string>): void {
  const paths = isObject(doc.paths) ? doc.paths : {};
  const retarget = (content: unknown, media: readonly string[]): Json | undefined => {
    if (!isObject(content)) return undefined;
    const first = Object.values(content)[0];
    return Object.fromEntries([...media].sort().map((m) => [m, first]));
  };
  for (const p of customPaths) {
    const item = paths[p];
    if (!isObject(item)) continue;
    for (const method of HTTP_METHODS) {
      const op = item[method];
      if (!isObject(op)) continue;
      if (isObject(op.requestBody) && method !== "patch") {
        const content = retarget(op.requestBody.content, CUSTOM_RESOURCE_MEDIA);
        if (content) op.requestBody.content = content;
      }
      if (isObject(op.responses)) {
        for (const r of Object.values(op.responses)) {
          if (!isObject(r)) continue;
          const content = retarget(r.content, CUSTOM_RESOURCE_MEDIA);
          if (content) r.content = content;
        }
      }
    }
  }
}
