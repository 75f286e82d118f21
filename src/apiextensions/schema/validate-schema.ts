// Validation of one version's openAPIV3Schema when a CRD is written (upstream apiextensions
// validation.go ValidateCustomResourceDefinitionOpenAPISchema's forbidden constructs, then — when
// those pass — the structural-schema rules of pkg/apiserver/schema/validation.go:
// validateStructuralInvariants/Completeness). Messages and paths are upstream's, e.g.
// "spec.versions[0].schema.openAPIV3Schema.properties[spec].type: Required value: must not be empty
// for specified object fields".
import { type FieldError, type FieldPath, fieldErrors } from "../../apimachinery/field-errors.js";
import { isJSONObject } from "./object-meta.js";
import type { JSONSchemaProps } from "./types.js";

export interface SchemaValidationOptions {
  /** Whether the status/scale subresources are enabled (kept for callers; no rule depends on it yet). */
  statusEnabled?: boolean;
}

type Level = "root" | "item" | "field";

const children = (s: JSONSchemaProps, path: FieldPath): [JSONSchemaProps, FieldPath, Level][] => {
  const out: [JSONSchemaProps, FieldPath, Level][] = [];
  for (const [k, p] of Object.entries(s.properties ?? {})) if (isJSONObject(p)) out.push([p, path.child("properties").key(k), "field"]);
  if (isJSONObject(s.additionalProperties)) out.push([s.additionalProperties as JSONSchemaProps, path.child("additionalProperties"), "field"]);
  if (isJSONObject(s.items)) out.push([s.items as JSONSchemaProps, path.child("items"), "item"]);
  return out;
};

/** Constructs a CRD schema may not use at all (upstream's OpenAPI schema validation). */
function forbiddenConstructs(s: JSONSchemaProps, path: FieldPath, errs: FieldError[]): void {
  if (s.$ref !== undefined) errs.push(fieldErrors.forbidden(path.child("$ref"), "$ref is not supported"));
  if (s.uniqueItems === true) errs.push(fieldErrors.forbidden(path.child("uniqueItems"), "uniqueItems cannot be set to true since the runtime complexity becomes quadratic"));
  if (s.additionalProperties !== undefined && s.properties !== undefined && Object.keys(s.properties).length > 0)
    errs.push(fieldErrors.forbidden(path.child("additionalProperties"), "additionalProperties and properties are mutual exclusive"));
  if (s["x-kubernetes-preserve-unknown-fields"] === false) errs.push(fieldErrors.invalid(path.child("x-kubernetes-preserve-unknown-fields"), false, "must be true or undefined"));
  if (s.type === "array" && s.items === undefined) errs.push(fieldErrors.required(path.child("items"), "must be specified"));
  for (const k of ["patternProperties", "dependencies", "additionalItems", "definitions"] as const)
    if (s[k] !== undefined) errs.push(fieldErrors.forbidden(path.child(k), `${k} is not supported`));
  const listType = s["x-kubernetes-list-type"];
  if (listType === "map") {
    const keys = s["x-kubernetes-list-map-keys"] ?? [];
    if (keys.length === 0) errs.push(fieldErrors.required(path.child("x-kubernetes-list-map-keys"), "must not be empty if x-kubernetes-list-type is map"));
    const items = isJSONObject(s.items) ? (s.items as JSONSchemaProps) : undefined;
    if (items && items.type !== "object") errs.push(fieldErrors.invalid(path.child("items").child("type"), items.type ?? "", "must be object if parent array's x-kubernetes-list-type is map"));
    for (const k of keys)
      if (items && items.type === "object" && !items.properties?.[k])
        errs.push(fieldErrors.required(path.child("items").child("properties").key(k), "entries with x-kubernetes-list-map-keys must exist"));
  } else if (s["x-kubernetes-list-map-keys"] !== undefined) {
    errs.push(fieldErrors.forbidden(path.child("x-kubernetes-list-map-keys"), "must be empty if x-kubernetes-list-type is not map"));
  }
  for (const [c, p] of children(s, path)) forbiddenConstructs(c, p, errs);
}

const isEmptyMetadataSchema = (m: JSONSchemaProps): boolean => {
  const names = Object.keys(m.properties ?? {});
  const rest = Object.keys(m).filter((k) => !["type", "properties", "default"].includes(k));
  return rest.length === 0 && names.every((n) => n === "name" || n === "generateName");
};

/** The structural-schema rules (upstream validateStructuralInvariants and completeness). */
function structural(s: JSONSchemaProps, path: FieldPath, level: Level, errs: FieldError[]): void {
  const embedded = s["x-kubernetes-embedded-resource"] === true;
  const checkMetadata = level === "root" || embedded;
  const type = s.type ?? "";
  if (embedded && type !== "object") {
    if (!type) errs.push(fieldErrors.required(path.child("type"), "must be object if x-kubernetes-embedded-resource is true"));
    else errs.push(fieldErrors.invalid(path.child("type"), type, "must be object if x-kubernetes-embedded-resource is true"));
  } else if (!type && s["x-kubernetes-int-or-string"] !== true && s["x-kubernetes-preserve-unknown-fields"] !== true) {
    const detail = { root: "must not be empty at the root", item: "must not be empty for specified array items", field: "must not be empty for specified object fields" }[level];
    errs.push(fieldErrors.required(path.child("type"), detail));
  }
  if (embedded && s.additionalProperties !== undefined) errs.push(fieldErrors.forbidden(path.child("additionalProperties"), "must not be used if x-kubernetes-embedded-resource is set"));
  if (level === "root" && type && type !== "object") errs.push(fieldErrors.invalid(path.child("type"), type, "must be object at the root"));
  const props = s.properties ?? {};
  if (checkMetadata) {
    for (const k of ["kind", "apiVersion"] as const) {
      const p = props[k];
      if (p && p.type !== "string") errs.push(fieldErrors.invalid(path.child("properties").key(k).child("type"), p.type ?? "", "must be string"));
    }
    const m = props.metadata;
    if (m && m.type !== "object") errs.push(fieldErrors.invalid(path.child("properties").key("metadata").child("type"), m.type ?? "", "must be object"));
  }
  if (level === "root" && props.metadata && !isEmptyMetadataSchema(props.metadata))
    errs.push(fieldErrors.forbidden(path.child("properties").key("metadata"), "must not specify anything other than name and generateName, but metadata is implicitly specified"));
  if (s["x-kubernetes-int-or-string"] === true && type) errs.push(fieldErrors.invalid(path.child("type"), type, "must be empty if x-kubernetes-int-or-string is true"));
  for (const [c, p, l] of children(s, path)) structural(c, p, l, errs);
}

export function validateOpenAPIV3Schema(schema: JSONSchemaProps, path: FieldPath, _opts: SchemaValidationOptions = {}): FieldError[] {
  const errs: FieldError[] = [];
  forbiddenConstructs(schema, path, errs);
  // a schema that uses forbidden constructs is not checked for structure (upstream's staging)
  if (errs.length === 0) structural(schema, path, "root", errs);
  return errs;
}
