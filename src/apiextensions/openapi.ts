// The kind schema a CRD publishes for one served version (upstream apiextensions-apiserver
// controller/openapi/builder: buildKubeNative over the structural schema's ToKubeOpenAPI), in
// both forms upstream serves:
// - v3 (/openapi/v3/apis/<group>/<version>, and the typing of server-side apply): the schema as
//   written, with x-kubernetes-int-or-string unfolded to anyOf [integer, string] (Unfold);
// - v2 (/openapi/v2): what kubectl's Swagger 2.0 reader copes with (ToStructuralOpenAPIV2): no
//   allOf/anyOf/oneOf/not, nullable fields untyped and without items/properties (and no longer
//   required), preserve-unknown-fields nodes without items/properties/object type, array types
//   without items dropped, defaults pruned (PruneDefaults) — and a root that preserves unknown
//   fields is published as a bare object.
// Both get apiVersion, kind and metadata (a $ref to ObjectMeta; the v3 document writer retargets
// and wraps it) at the root and in every x-kubernetes-embedded-resource object (not in v2 when it
// also preserves unknown fields), x-kubernetes-group-version-kind, and x-kubernetes-selectable-fields
// when the version declares selectable fields. A version without a (structural) schema publishes
// {type: object}.
import type { KubeObject } from "../apimachinery/types.js";
import type { CustomResourceKindSchemas } from "../openapi/custom-resources.js";
import type { Schema } from "../openapi/schema.js";
import { V2_REF_PREFIX } from "../openapi/schema.js";
import type { CRD } from "./crd.js";
import { versionSchema } from "./schema/types.js";

type Json = Record<string, unknown>;

export type { CustomResourceKindSchemas };

const OBJECT_META_REF = `${V2_REF_PREFIX}io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta`;
/** metav1.TypeMeta's field descriptions, as the root of every kind has them. */
const API_VERSION_DOC =
  "APIVersion defines the versioned schema of this representation of an object. Servers should convert recognized schemas to the latest internal value, and may reject unrecognized values. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#resources";
const KIND_DOC =
  "Kind is a string value representing the REST resource this object represents. Servers may infer this from the endpoint the client submits requests to. Cannot be updated. In CamelCase. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#types-kinds";
/** PartialObjectMetadata's metadata description. */
const METADATA_DOC = "Standard object's metadata. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata";
/** The descriptions upstream gives apiVersion and kind of embedded resources. */
const EMBEDDED_API_VERSION_DOC =
  "apiVersion defines the versioned schema of this representation of an object. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#resources";
const EMBEDDED_KIND_DOC =
  "kind is a string value representing the type of this object. In CamelCase. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#types-kinds";

const PRESERVE = "x-kubernetes-preserve-unknown-fields";
const EMBEDDED = "x-kubernetes-embedded-resource";
const INT_OR_STRING = "x-kubernetes-int-or-string";
const VALIDATIONS = "x-kubernetes-validations";

/** Fields a structural schema cannot have (upstream NewStructural's validateUnsupportedFields). */
const UNSUPPORTED = ["id", "$schema", "$ref", "patternProperties", "dependencies", "additionalItems", "definitions"] as const;
const TYPES = new Set(["", "array", "boolean", "integer", "number", "object", "string"]);

class NotStructural extends Error {}

const isObject = (v: unknown): v is Json => typeof v === "object" && v !== null && !Array.isArray(v);
const nonEmptyString = (v: unknown): v is string => typeof v === "string" && v !== "";
const clone = <T>(v: T): T => (v === undefined ? v : (JSON.parse(JSON.stringify(v)) as T));

function present(v: unknown): boolean {
  if (v === undefined || v === null) return false;
  if (typeof v === "string") return v !== "";
  if (Array.isArray(v)) return v.length > 0;
  if (isObject(v)) return Object.keys(v).length > 0;
  return true;
}

/** x-kubernetes-validations as ValidationRule marshals them (empty optional fields omitted). */
function validationRules(v: unknown): Json[] {
  if (!Array.isArray(v)) return [];
  return v.filter(isObject).map((r) => {
    const out: Json = { rule: typeof r.rule === "string" ? r.rule : "" };
    for (const k of ["message", "messageExpression", "reason", "fieldPath"]) if (nonEmptyString(r[k])) out[k] = r[k];
    if (typeof r.optionalOldSelf === "boolean") out.optionalOldSelf = r.optionalOldSelf;
    return out;
  });
}

/**
 * A JSONSchemaProps as upstream's structural schema renders it (NewStructural + ToKubeOpenAPI):
 * only the fields a structural schema keeps (externalDocs and example are dropped), empty ones
 * omitted. Nested value validations (allOf/anyOf/oneOf/not) render without additionalProperties.
 * Throws NotStructural for what NewStructural rejects.
 */
function toKubeOpenAPI(raw: unknown, nested: boolean): Json {
  if (!isObject(raw)) throw new NotStructural();
  for (const k of UNSUPPORTED) if (present(raw[k])) throw new NotStructural();
  if (Array.isArray(raw.items)) throw new NotStructural();
  if (raw[PRESERVE] === false) throw new NotStructural();
  if (raw.type !== undefined && (typeof raw.type !== "string" || !TYPES.has(raw.type))) throw new NotStructural();

  const out: Json = {};
  if (nonEmptyString(raw.type)) out.type = raw.type;
  if (raw.nullable === true) out.nullable = true;
  if (nonEmptyString(raw.description)) out.description = raw.description;
  if (nonEmptyString(raw.title)) out.title = raw.title;
  if (raw.default !== undefined && raw.default !== null) out.default = clone(raw.default);

  if (nonEmptyString(raw.format)) out.format = raw.format;
  for (const k of ["maximum", "minimum", "multipleOf", "maxLength", "minLength", "maxItems", "minItems", "maxProperties", "minProperties"]) {
    if (typeof raw[k] === "number") out[k] = raw[k];
  }
  for (const k of ["exclusiveMaximum", "exclusiveMinimum", "uniqueItems"]) if (raw[k] === true) out[k] = true;
  if (nonEmptyString(raw.pattern)) out.pattern = raw.pattern;
  if (Array.isArray(raw.enum) && raw.enum.length) out.enum = clone(raw.enum);
  if (Array.isArray(raw.required) && raw.required.length) out.required = [...(raw.required as unknown[])];
  for (const k of ["allOf", "anyOf", "oneOf"]) {
    const list = raw[k];
    if (Array.isArray(list) && list.length) out[k] = list.map((x) => toKubeOpenAPI(x, true));
  }
  if (raw.not !== undefined && raw.not !== null) out.not = toKubeOpenAPI(raw.not, true);

  if (raw.items !== undefined && raw.items !== null) out.items = toKubeOpenAPI(raw.items, nested);
  if (isObject(raw.properties) && Object.keys(raw.properties).length) {
    out.properties = Object.fromEntries(Object.entries(raw.properties).map(([k, v]) => [k, toKubeOpenAPI(v, nested)]));
  }
  if (!nested && raw.additionalProperties !== undefined && raw.additionalProperties !== null) {
    out.additionalProperties = typeof raw.additionalProperties === "boolean" ? raw.additionalProperties : toKubeOpenAPI(raw.additionalProperties, false);
  }

  if (raw[PRESERVE] === true) out[PRESERVE] = true;
  if (raw[EMBEDDED] === true) out[EMBEDDED] = true;
  if (raw[INT_OR_STRING] === true) out[INT_OR_STRING] = true;
  const mapKeys = raw["x-kubernetes-list-map-keys"];
  if (Array.isArray(mapKeys) && mapKeys.length) out["x-kubernetes-list-map-keys"] = [...mapKeys];
  if (typeof raw["x-kubernetes-list-type"] === "string") out["x-kubernetes-list-type"] = raw["x-kubernetes-list-type"];
  if (typeof raw["x-kubernetes-map-type"] === "string") out["x-kubernetes-map-type"] = raw["x-kubernetes-map-type"];
  const rules = validationRules(raw[VALIDATIONS]);
  if (rules.length) out[VALIDATIONS] = rules;
  return out;
}

/** Calls fn on every node of the structural tree (items, properties, additionalProperties), parents first. */
function visitStructural(s: Json, fn: (s: Json) => void): void {
  fn(s);
  if (isObject(s.items)) visitStructural(s.items, fn);
  if (isObject(s.properties)) for (const p of Object.values(s.properties)) if (isObject(p)) visitStructural(p, fn);
  if (isObject(s.additionalProperties)) visitStructural(s.additionalProperties, fn);
}

const INT_OR_STRING_ANY_OF = (): Json[] => [{ type: "integer" }, { type: "string" }];
const isIntOrStringAnyOf = (v: unknown) => JSON.stringify(v) === JSON.stringify(INT_OR_STRING_ANY_OF());

/** Upstream Unfold: x-kubernetes-int-or-string gains anyOf [integer, string] unless already spelled out. */
function unfold(root: Json): void {
  visitStructural(root, (s) => {
    if (s[INT_OR_STRING] !== true) return;
    const allOf = Array.isArray(s.allOf) ? (s.allOf as Json[]) : undefined;
    if (isIntOrStringAnyOf(s.anyOf) || (allOf?.length && isIntOrStringAnyOf(allOf[0]!.anyOf))) return;
    if (!s.anyOf) s.anyOf = INT_OR_STRING_ANY_OF();
    else s.allOf = [{ anyOf: INT_OR_STRING_ANY_OF() }, ...(allOf ?? [])];
  });
}

/** Upstream ToStructuralOpenAPIV2: what kubectl's Swagger 2.0 models cannot express is removed. */
function toOpenAPIV2(root: Json): void {
  visitStructural(root, (s) => {
    delete s.allOf;
    delete s.oneOf;
    delete s.anyOf;
    delete s.not;
    if (s.nullable === true) {
      // untyped values break kubectl if items or properties are set
      delete s.type;
      delete s.nullable;
      delete s.items;
      delete s.properties;
    }
    if (s[PRESERVE] === true) {
      delete s.items;
      delete s.properties;
    }
    if (s.items === undefined && s.type === "array") delete s.type;
    if (s[PRESERVE] === true && s.type === "object") delete s.type;
    // a nullable field is not required in v2 (its null value would fail kubectl's check)
    if (Array.isArray(s.required) && isObject(s.properties)) {
      const props = s.properties;
      const required = (s.required as string[]).filter((f) => !(isObject(props[f]) && props[f].nullable === true));
      if (required.length) s.required = required;
      else delete s.required;
    }
    if (isObject(s.additionalProperties) && s.additionalProperties.nullable === true) delete s.required;
  });
}

/** apiVersion, kind and metadata of every embedded resource (upstream addEmbeddedProperties). */
function addEmbeddedProperties(s: Json, v2: boolean): void {
  if (isObject(s.properties)) for (const p of Object.values(s.properties)) if (isObject(p)) addEmbeddedProperties(p, v2);
  if (isObject(s.items)) addEmbeddedProperties(s.items, v2);
  if (isObject(s.additionalProperties)) addEmbeddedProperties(s.additionalProperties, v2);
  // in v2, such properties would make kubectl reject the unknown fields the object keeps
  if (s[PRESERVE] === true && v2) return;
  if (s[EMBEDDED] !== true) return;
  const props = isObject(s.properties) ? s.properties : (s.properties = {});
  props.apiVersion = { description: EMBEDDED_API_VERSION_DOC, type: "string" };
  props.kind = { description: EMBEDDED_KIND_DOC, type: "string" };
  props.metadata = { $ref: OBJECT_META_REF, description: METADATA_DOC };
  const required = Array.isArray(s.required) ? (s.required as string[]) : [];
  const had = new Set(required);
  if (!had.has("kind")) required.push("kind");
  if (!had.has("apiVersion")) required.push("apiVersion");
  s.required = required;
}

/** Removes every default (upstream handler.PruneDefaults, applied to the v2 definitions). */
function pruneDefaults(s: Json): void {
  delete s.default;
  if (isObject(s.properties)) for (const p of Object.values(s.properties)) if (isObject(p)) pruneDefaults(p);
  if (isObject(s.items)) pruneDefaults(s.items);
  if (isObject(s.additionalProperties)) pruneDefaults(s.additionalProperties);
  if (isObject(s.not)) pruneDefaults(s.not);
  for (const k of ["allOf", "anyOf", "oneOf"]) if (Array.isArray(s[k])) for (const x of s[k] as unknown[]) if (isObject(x)) pruneDefaults(x);
}

/** Object keys sorted, as the documents are written; validation rules keep their field order. */
function sorted(v: unknown, key = ""): unknown {
  if (Array.isArray(v)) return v.map((x) => (key === VALIDATIONS ? x : sorted(x)));
  if (!isObject(v)) return v;
  return Object.fromEntries(
    Object.keys(v)
      .sort()
      .map((k) => [k, sorted(v[k], k)]),
  );
}

/** The version's selectable fields as x-kubernetes-selectable-fields (upstream buildSelectableFields). */
export function selectableFieldsExtension(crd: KubeObject, version: string): { fieldPath: string }[] | undefined {
  const v = ((crd as CRD).spec?.versions ?? []).find((x) => x.name === version);
  const fields = Array.isArray(v?.selectableFields) ? v.selectableFields : [];
  if (!fields.length) return undefined;
  return fields.map((f) => ({ fieldPath: (typeof f?.jsonPath === "string" ? f.jsonPath : "").replace(/^\./, "") }));
}

/** The structural form of a version's schema, or undefined when it has none or is not structural. */
function structuralSchema(crd: KubeObject, version: string): Json | undefined {
  const raw = versionSchema(crd as CRD, version);
  if (raw === undefined || raw === null) return undefined;
  try {
    return toKubeOpenAPI(raw, false);
  } catch (e) {
    if (e instanceof NotStructural) return undefined;
    throw e;
  }
}

function kindSchema(crd: KubeObject, version: string, v2: boolean): Schema {
  const spec = (crd as CRD).spec;
  const schema = structuralSchema(crd, version);
  if (schema) unfold(schema);
  let ret: Json;
  if (!schema) {
    ret = { type: "object" };
  } else if (v2 && (schema[PRESERVE] === true || (spec as { preserveUnknownFields?: boolean }).preserveUnknownFields === true)) {
    // no properties at all: kubectl would otherwise reject every field but apiVersion, kind, metadata
    ret = { type: "object" };
  } else {
    if (v2) toOpenAPIV2(schema);
    ret = schema;
    const props = isObject(ret.properties) ? ret.properties : (ret.properties = {});
    props.metadata = { $ref: OBJECT_META_REF, description: METADATA_DOC };
    props.apiVersion = { description: API_VERSION_DOC, type: "string" };
    props.kind = { description: KIND_DOC, type: "string" };
    addEmbeddedProperties(ret, v2);
  }
  ret["x-kubernetes-group-version-kind"] = [{ group: spec?.group ?? "", kind: spec?.names?.kind ?? "", version }];
  const selectable = selectableFieldsExtension(crd, version);
  if (selectable) ret["x-kubernetes-selectable-fields"] = selectable;
  if (v2) pruneDefaults(ret);
  return sorted(ret) as Schema;
}

/**
 * The kind schema upstream publishes for one version of a CRD: `v2` for /openapi/v2, `v3` for the
 * /openapi/v3 group-version document (and server-side apply). References use "#/definitions/".
 */
export function crdKindSchemas(crd: KubeObject, version: string): CustomResourceKindSchemas {
  return { v2: kindSchema(crd, version, true), v3: kindSchema(crd, version, false) };
}
