// The REST operations of one group-version, as upstream's endpoint installer publishes them: per
// resource the collection, item, watch, all-namespaces and subresource paths with operation ids,
// actions, group-version-kinds, parameters and response types. Format-neutral: the v3 and
// Swagger 2.0 writers render it.
import { ALL_VERBS, type ResourceDefinition, type Verb } from "../registry/definition.js";
import type { GroupVersionKind } from "./schema.js";
import {
  DELETE_COLLECTION_PARAMETERS,
  DELETE_PARAMETERS,
  LIST_PARAMETERS,
  PATCH_PARAMETERS,
  WRITE_PARAMETERS,
  type ParameterName,
} from "./parameters.js";

export type HttpMethod = "get" | "put" | "post" | "delete" | "patch";
export type Action = "get" | "list" | "put" | "patch" | "post" | "delete" | "deletecollection" | "watch" | "watchlist";
export type PatchType = "json" | "merge" | "strategic" | "apply";
/** Which response media types an operation lists: objects, lists and watches (streamable), JSON only. */
export type MediaSet = "object" | "list" | "json";

/** A path-level parameter: a named one, or `name:<Kind>` for the {name} path parameter. */
export type PathParameter = ParameterName | `name:${string}`;

export interface ResponseModel {
  code: "200" | "201" | "202" | "401";
  description: "OK" | "Created" | "Accepted" | "Unauthorized";
  /** Definition name of the response body. */
  schema?: string;
}

export interface OperationModel {
  method: HttpMethod;
  operationId: string;
  description: string;
  tag: string;
  action?: Action;
  gvk?: GroupVersionKind;
  parameters: ParameterName[];
  body?: { schema: string; required: boolean; patchTypes?: PatchType[] };
  responses: ResponseModel[];
  media: MediaSet;
  /** Swagger 2.0 consumes when not the default (any type, or the patch types). */
  consumes?: readonly string[];
}

export interface PathModel {
  path: string;
  parameters: PathParameter[];
  operations: OperationModel[];
}

/** What the operation builder needs to know beyond the resource declarations. */
export interface OperationContext {
  /** Definition name of the resource's kind and of its list kind. */
  schemaOf(def: ResourceDefinition): string;
  listSchemaOf(def: ResourceDefinition): string;
  /** Definition name of a kind, for subresources of another kind (pods/eviction: policy/v1 Eviction). */
  schemaOfKind(gvk: GroupVersionKind): string | undefined;
  /** Kinds whose DELETE answers with the object. */
  deleteReturnsObject(schema: string): boolean;
  /** Custom resources: no strategic merge patch. */
  isCustomResource(def: ResourceDefinition): boolean;
}

const META = "io.k8s.apimachinery.pkg.apis.meta.v1";
export const STATUS = `${META}.Status`;
export const DELETE_OPTIONS = `${META}.DeleteOptions`;
export const WATCH_EVENT = `${META}.WatchEvent`;
export const PATCH = `${META}.Patch`;
export const API_RESOURCE_LIST = `${META}.APIResourceList`;
export const SCALE = "io.k8s.api.autoscaling.v1.Scale";

const capital = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
/** upstream ToValidOperationID: drops '.', '-', '/' and capitalises what follows. */
function operationIdPart(s: string, capitalizeFirst: boolean): string {
  const out = s.replace(/[./-]+(.)?/g, (_m, c: string | undefined) => (c ? c.toUpperCase() : ""));
  return capitalizeFirst ? capital(out) : out;
}

/** "AppsV1", "CoreV1", "RbacAuthorizationV1" and the tag "apps_v1", "rbacAuthorization_v1". */
export function groupVersionNames(group: string, version: string): { prefix: string; tag: string } {
  const g = group === "" ? "core" : group.replace(/\.k8s\.io$/, "");
  return { prefix: operationIdPart(g, true) + capital(version), tag: `${operationIdPart(g, false)}_${version}` };
}

export function groupVersionPath(group: string, version: string): string {
  return group === "" ? `/api/${version}` : `/apis/${group}/${version}`;
}

const ok = (schema: string): ResponseModel => ({ code: "200", description: "OK", schema });
const created = (schema: string): ResponseModel => ({ code: "201", description: "Created", schema });
const accepted = (schema: string): ResponseModel => ({ code: "202", description: "Accepted", schema });
const unauthorized: ResponseModel = { code: "401", description: "Unauthorized" };

function patchTypes(custom: boolean): PatchType[] {
  return custom ? ["json", "merge", "apply"] : ["json", "merge", "strategic", "apply"];
}

/** Every path of one group-version, sorted by path. */
export function groupVersionOperations(group: string, version: string, defs: readonly ResourceDefinition[], ctx: OperationContext): PathModel[] {
  const { prefix: gv, tag } = groupVersionNames(group, version);
  const base = groupVersionPath(group, version);
  const paths = new Map<string, PathModel>();
  const pathItem = (path: string, parameters: PathParameter[]): PathModel => {
    let p = paths.get(path);
    if (!p) paths.set(path, (p = { path, parameters: [...parameters].sort(byParameterName), operations: [] }));
    return p;
  };
  pathItem(`${base}/`, []).operations.push({
    method: "get",
    operationId: `get${gv}APIResources`,
    description: "get available resources",
    tag,
    parameters: [],
    responses: [ok(API_RESOURCE_LIST), unauthorized],
    media: "object",
  });

  for (const def of defs) {
    const verbs = new Set<Verb>(def.verbs ?? ALL_VERBS);
    const kind = def.kind;
    const gvk: GroupVersionKind = { group: def.group, kind, version: def.version };
    const schema = ctx.schemaOf(def);
    const custom = ctx.isCustomResource(def);
    const scope = def.namespaced ? "Namespaced" : "";
    const ns: PathParameter[] = def.namespaced ? ["namespace"] : [];
    const collection = def.namespaced ? `${base}/namespaces/{namespace}/${def.plural}` : `${base}/${def.plural}`;
    const item = `${collection}/{name}`;
    const op = (o: Omit<OperationModel, "tag" | "operationId"> & { id: string }): OperationModel => {
      const { id, ...rest } = o;
      return { ...rest, operationId: id.replace(/^([a-z]+)/, `$1${gv}`), tag };
    };

    if (verbs.has("list") || verbs.has("create") || verbs.has("deletecollection")) {
      const p = pathItem(collection, [...ns, "pretty"]);
      if (verbs.has("list")) {
        p.operations.push(
          op({ method: "get", id: `list${scope}${kind}`, description: `list or watch objects of kind ${kind}`, action: "list", gvk, parameters: [...LIST_PARAMETERS], responses: [ok(ctx.listSchemaOf(def)), unauthorized], media: "list" }),
        );
      }
      if (verbs.has("create")) {
        p.operations.push(
          op({
            method: "post",
            id: `create${scope}${kind}`,
            description: `create ${withArticle(kind)}`,
            action: "post",
            gvk,
            parameters: [...WRITE_PARAMETERS],
            body: { schema, required: true },
            responses: [ok(schema), created(schema), accepted(schema), unauthorized],
            media: "object",
          }),
        );
      }
      if (verbs.has("deletecollection")) {
        p.operations.push(
          op({
            method: "delete",
            id: `deleteCollection${scope}${kind}`,
            description: `delete collection of ${kind}`,
            action: "deletecollection",
            gvk,
            parameters: [...DELETE_COLLECTION_PARAMETERS],
            body: { schema: DELETE_OPTIONS, required: false },
            responses: [ok(STATUS), unauthorized],
            media: "object",
          }),
        );
      }
    }
    if (def.namespaced && verbs.has("list")) {
      pathItem(`${base}/${def.plural}`, [...LIST_PARAMETERS, "pretty"]).operations.push(
        op({ method: "get", id: `list${kind}ForAllNamespaces`, description: `list or watch objects of kind ${kind}`, action: "list", gvk, parameters: [], responses: [ok(ctx.listSchemaOf(def)), unauthorized], media: "list" }),
      );
    }
    if (verbs.has("get") || verbs.has("update") || verbs.has("patch") || verbs.has("delete")) {
      const p = pathItem(item, [`name:${kind}`, ...ns, "pretty"]);
      p.operations.push(...objectOperations(kind, scope, "", gvk, schema, verbs, custom, op));
      if (verbs.has("delete")) {
        const deleted = ctx.deleteReturnsObject(schema) ? schema : STATUS;
        p.operations.push(
          op({
            method: "delete",
            id: `delete${scope}${kind}`,
            description: `delete ${withArticle(kind)}`,
            action: "delete",
            gvk,
            parameters: [...DELETE_PARAMETERS],
            body: { schema: DELETE_OPTIONS, required: false },
            responses: [ok(deleted), accepted(deleted), unauthorized],
            media: "object",
          }),
        );
      }
    }
    if (verbs.has("watch")) {
      const watchBase = def.namespaced ? `${base}/watch/namespaces/{namespace}/${def.plural}` : `${base}/watch/${def.plural}`;
      const watchList = (path: string, id: string, parameters: PathParameter[]) =>
        pathItem(path, [...LIST_PARAMETERS, ...parameters, "pretty"]).operations.push(
          op({ method: "get", id, description: `watch individual changes to a list of ${kind}. deprecated: use the 'watch' parameter with a list operation instead.`, action: "watchlist", gvk, parameters: [], responses: [ok(WATCH_EVENT), unauthorized], media: "list" }),
        );
      watchList(watchBase, `watch${scope}${kind}List`, ns);
      if (def.namespaced) watchList(`${base}/watch/${def.plural}`, `watch${kind}ListForAllNamespaces`, []);
      pathItem(`${watchBase}/{name}`, [...LIST_PARAMETERS, `name:${kind}`, ...ns, "pretty"]).operations.push(
        op({
          method: "get",
          id: `watch${scope}${kind}`,
          description: `watch changes to an object of kind ${kind}. deprecated: use the 'watch' parameter with a list operation instead, filtered to a single item with the 'fieldSelector' parameter.`,
          action: "watch",
          gvk,
          parameters: [],
          responses: [ok(WATCH_EVENT), unauthorized],
          media: "list",
        }),
      );
    }
    const subVerbs = new Set<Verb>(["get", "update", "patch"]);
    if (def.subresources?.status) {
      pathItem(`${item}/status`, [`name:${kind}`, ...ns, "pretty"]).operations.push(...objectOperations(kind, scope, "status", gvk, schema, subVerbs, custom, op));
    }
    if (def.subresources?.scale) {
      const scaleGvk: GroupVersionKind = { group: "autoscaling", kind: "Scale", version: "v1" };
      pathItem(`${item}/scale`, ["name:Scale", ...ns, "pretty"]).operations.push(...objectOperations(kind, scope, "scale", scaleGvk, SCALE, subVerbs, custom, op));
    }
    for (const [sub, spec] of Object.entries(def.subresources?.custom ?? {})) {
      const subGvk: GroupVersionKind = { group: spec.group ?? def.group, kind: spec.kind, version: spec.version ?? def.version };
      const subSchema = ctx.schemaOfKind(subGvk);
      if (!subSchema) continue;
      const rest = spec.rest;
      const v = new Set<Verb>([...(rest.get ? ["get" as const] : []), ...(rest.update ? ["update" as const, "patch" as const] : [])]);
      const p = pathItem(`${item}/${sub}`, [`name:${spec.kind}`, ...ns, "pretty"]);
      p.operations.push(...objectOperations(kind, scope, sub, subGvk, subSchema, v, custom, op));
      if (rest.create) {
        p.operations.push(
          op({
            method: "post",
            id: `create${scope}${kind}${capital(sub)}`,
            description: `create ${sub} of ${withArticle(kind)}`,
            action: "post",
            gvk: subGvk,
            parameters: [...WRITE_PARAMETERS],
            body: { schema: subSchema, required: true },
            responses: [ok(subSchema), created(subSchema), accepted(subSchema), unauthorized],
            media: "object",
          }),
        );
      }
    }
  }
  return [...paths.values()].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

type OpFactory = (o: Omit<OperationModel, "tag" | "operationId"> & { id: string }) => OperationModel;

/** read/replace/patch of an object or of a subresource ("status", "scale", ...). */
function objectOperations(
  kind: string,
  scope: string,
  sub: string,
  gvk: GroupVersionKind,
  schema: string,
  verbs: ReadonlySet<Verb>,
  custom: boolean,
  op: OpFactory,
): OperationModel[] {
  const suffix = sub ? capital(sub) : "";
  const what = sub ? `${sub} of the specified ${kind}` : `the specified ${kind}`;
  const out: OperationModel[] = [];
  if (verbs.has("get")) {
    out.push(op({ method: "get", id: `read${scope}${kind}${suffix}`, description: `read ${what}`, action: "get", gvk, parameters: [], responses: [ok(schema), unauthorized], media: "object" }));
  }
  if (verbs.has("update")) {
    out.push(
      op({
        method: "put",
        id: `replace${scope}${kind}${suffix}`,
        description: `replace ${what}`,
        action: "put",
        gvk,
        parameters: [...WRITE_PARAMETERS],
        body: { schema, required: true },
        responses: [ok(schema), created(schema), unauthorized],
        media: "object",
      }),
    );
  }
  if (verbs.has("patch")) {
    out.push(
      op({
        method: "patch",
        id: `patch${scope}${kind}${suffix}`,
        description: `partially update ${what}`,
        action: "patch",
        gvk,
        parameters: [...PATCH_PARAMETERS],
        body: { schema: PATCH, required: true, patchTypes: patchTypes(custom) },
        responses: [ok(schema), created(schema), unauthorized],
        media: "object",
      }),
    );
  }
  return out;
}

/** upstream getArticleForNoun: "a Deployment", "an Ingress", and no article for plurals ("Endpoints"). */
function withArticle(kind: string): string {
  if (kind.endsWith("s") && !kind.endsWith("ss")) return kind;
  return `${/^[aeiou]/i.test(kind) ? "an" : "a"} ${kind}`;
}

function byParameterName(a: PathParameter, b: PathParameter): number {
  const key = (p: PathParameter) => (p.startsWith("name:") ? "name" : p === "fieldManagerApply" ? "fieldManager" : p);
  const x = key(a);
  const y = key(b);
  return x < y ? -1 : x > y ? 1 : 0;
}
