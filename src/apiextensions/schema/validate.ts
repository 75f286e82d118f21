// Schema validation of a custom resource (upstream apiextensions' schema validator over kube-openapi
// validate, with kubeOpenAPIResultToFieldErrors turning its results into field errors, followed by
// validateListSetsAndMaps). Messages are kube-openapi's: "<path> in body must be of type integer:
// \"string\"", "<path> in body should be less than or equal to 10", ... CEL rules are checked
// elsewhere (src/apiextensions/cel). The root's apiVersion, kind and metadata are validated as
// ObjectMeta generically, not by the schema.
import { type FieldError, fieldErrors, GoValue } from "../../apimachinery/field-errors.js";
import { semanticEqual } from "../../util/deep-equal.js";
import { matchesFormat } from "./formats.js";
import { isJSONObject, RESOURCE_FIELDS } from "./object-meta.js";
import type { JSONSchemaProps } from "./types.js";

const join = (path: string, key: string) => (path ? `${path}.${key}` : key);

/** The JSON type name kube-openapi reports for a value. */
function typeName(v: unknown): string {
  if (v === null || v === undefined) return "null";
  if (Array.isArray(v)) return "array";
  if (typeof v === "number") return Number.isInteger(v) ? "integer" : "number";
  return typeof v === "object" ? "object" : typeof v;
}

function matchesType(type: string, v: unknown): boolean {
  switch (type) {
    case "integer":
      return typeof v === "number" && Number.isInteger(v);
    case "number":
      return typeof v === "number";
    case "string":
      return typeof v === "string";
    case "boolean":
      return typeof v === "boolean";
    case "array":
      return Array.isArray(v);
    case "object":
      return isJSONObject(v);
    default:
      return true;
  }
}

/** Go's %v of a limit (integers plain, floats shortest). */
const limit = (n: number) => String(n);

const invalid = (path: string, value: unknown, message: string): FieldError => fieldErrors.invalid(path, value, message);
const typeInvalid = (path: string, value: unknown, message: string): FieldError => ({ type: "FieldValueTypeInvalid", field: path, badValue: value, detail: message });

function runeLength(s: string): number {
  let n = 0;
  for (const _ of s) n++;
  return n;
}

function compilePattern(pattern: string): RegExp | undefined {
  try {
    return new RegExp(pattern, "u");
  } catch {
    try {
      return new RegExp(pattern);
    } catch {
      return undefined;
    }
  }
}

function validateNode(schema: JSONSchemaProps, value: unknown, path: string, errs: FieldError[], isResource: boolean): void {
  const name = path || ".";
  if (value === null) {
    if (schema.nullable === true || !schema.type) return;
    errs.push(typeInvalid(path, "null", `${name} in body must be of type ${schema.type}: "null"`));
    return;
  }
  if (schema["x-kubernetes-int-or-string"] === true) {
    if (!(typeof value === "string" || (typeof value === "number" && Number.isInteger(value))))
      errs.push(typeInvalid(path, typeName(value), `${name} in body must be of type integer,string: "${typeName(value)}"`));
  } else if (schema.type && !matchesType(schema.type, value)) {
    errs.push(typeInvalid(path, typeName(value), `${name} in body must be of type ${schema.type}: "${typeName(value)}"`));
    return;
  }
  if (schema.enum && !schema.enum.some((e) => semanticEqual(e, value) && typeName(e) === typeName(value))) {
    errs.push(fieldErrors.notSupported(path, value, schema.enum.map((e) => (typeof e === "string" ? e : JSON.stringify(e)))));
  }
  if (typeof value === "string") {
    if (schema.format && !matchesFormat(schema.format, value)) errs.push(typeInvalid(path, value, `${name} in body must be of type ${schema.format}: ${JSON.stringify(value)}`));
    const len = runeLength(value);
    if (schema.maxLength !== undefined && len > schema.maxLength) errs.push(fieldErrors.tooLong(path, value, schema.maxLength));
    if (schema.minLength !== undefined && len < schema.minLength) errs.push(invalid(path, value, `${name} in body should be at least ${schema.minLength} chars long`));
    if (schema.pattern !== undefined && !compilePattern(schema.pattern)?.test(value)) errs.push(invalid(path, value, `${name} in body should match '${schema.pattern}'`));
  }
  if (typeof value === "number") {
    if (schema.maximum !== undefined) {
      if (schema.exclusiveMaximum ? value >= schema.maximum : value > schema.maximum)
        errs.push(invalid(path, value, `${name} in body should be less than ${schema.exclusiveMaximum ? "" : "or equal to "}${limit(schema.maximum)}`));
    }
    if (schema.minimum !== undefined) {
      if (schema.exclusiveMinimum ? value <= schema.minimum : value < schema.minimum)
        errs.push(invalid(path, value, `${name} in body should be greater than ${schema.exclusiveMinimum ? "" : "or equal to "}${limit(schema.minimum)}`));
    }
    if (schema.multipleOf !== undefined && schema.multipleOf > 0) {
      const q = value / schema.multipleOf;
      if (Math.abs(q - Math.round(q)) > 1e-9) errs.push(invalid(path, value, `${name} in body should be a multiple of ${limit(schema.multipleOf)}`));
    }
  }
  if (Array.isArray(value)) {
    if (schema.maxItems !== undefined && value.length > schema.maxItems) errs.push(fieldErrors.tooMany(path, value.length, schema.maxItems));
    if (schema.minItems !== undefined && value.length < schema.minItems) errs.push(invalid(path, value, `${name} in body should have at least ${schema.minItems} items`));
    if (schema.uniqueItems === true && value.some((v, i) => value.findIndex((w) => semanticEqual(v, w)) !== i))
      errs.push(invalid(path, value, `${name} in body shouldn't contain duplicates`));
    const items = Array.isArray(schema.items) ? undefined : schema.items;
    if (items) value.forEach((v, i) => validateNode(items, v, `${path}[${i}]`, errs, items["x-kubernetes-embedded-resource"] === true));
  }
  if (isJSONObject(value)) {
    const n = Object.keys(value).length;
    if (schema.maxProperties !== undefined && n > schema.maxProperties) errs.push({ ...fieldErrors.tooMany(path, n, schema.maxProperties) });
    if (schema.minProperties !== undefined && n < schema.minProperties) errs.push(invalid(path, value, `${name} in body should have at least ${schema.minProperties} properties`));
    for (const req of schema.required ?? []) if (!(req in value)) errs.push(fieldErrors.required(join(path, req)));
    const additional = isJSONObject(schema.additionalProperties) ? (schema.additionalProperties as JSONSchemaProps) : undefined;
    for (const [k, v] of Object.entries(value)) {
      if (isResource && RESOURCE_FIELDS.has(k)) continue;
      const prop = schema.properties?.[k] ?? additional;
      if (prop) validateNode(prop, v, join(path, k), errs, prop["x-kubernetes-embedded-resource"] === true);
    }
  }
  for (const sub of schema.allOf ?? []) validateNode(sub, value, path, errs, false);
  if (schema.anyOf?.length && !schema.anyOf.some((sub) => probe(sub, value, path)))
    errs.push(invalid(path, value, `${name} in body must be of type ${schema.anyOf.map((s) => s.type ?? "").filter(Boolean).join(",") || "any of the given schemas"}`));
  if (schema.oneOf?.length) {
    const matching = schema.oneOf.filter((sub) => probe(sub, value, path)).length;
    if (matching !== 1) errs.push(invalid(path, value, `${name} in body must validate one and only one schema (oneOf)`));
  }
  if (schema.not && probe(schema.not, value, path)) errs.push(invalid(path, value, `${name} in body must not validate the schema (not)`));
}

/** Whether a value satisfies a sub-schema (anyOf/oneOf/not). */
function probe(schema: JSONSchemaProps, value: unknown, path: string): boolean {
  const errs: FieldError[] = [];
  validateNode(schema, value, path, errs, false);
  return errs.length === 0;
}

/** Duplicates in list-type set and map lists (upstream validateListSetsAndMaps). */
function validateListSetsAndMaps(schema: JSONSchemaProps, value: unknown, path: string, errs: FieldError[], isResource: boolean): void {
  if (Array.isArray(value)) {
    const items = Array.isArray(schema.items) ? undefined : schema.items;
    const listType = schema["x-kubernetes-list-type"];
    if (listType === "set") {
      value.forEach((v, i) => {
        if (value.findIndex((w) => semanticEqual(v, w)) !== i) errs.push(fieldErrors.duplicate(`${path}[${i}]`, v));
      });
    } else if (listType === "map") {
      const keys = schema["x-kubernetes-list-map-keys"] ?? [];
      const seen = new Set<string>();
      value.forEach((v, i) => {
        if (!isJSONObject(v)) return;
        const keyValues: Record<string, unknown> = {};
        for (const k of keys) {
          let kv = v[k];
          if (kv === undefined && items?.properties?.[k]?.default !== undefined) kv = items.properties[k]!.default;
          if (kv !== undefined) keyValues[k] = kv;
        }
        const id = JSON.stringify(keys.map((k) => keyValues[k] ?? null));
        // Go's %#v of the map[string]interface{} of key values
        const rendered = `map[string]interface {}{${Object.entries(keyValues)
          .map(([k, kv]) => `${JSON.stringify(k)}:${typeof kv === "string" ? JSON.stringify(kv) : String(kv)}`)
          .join(", ")}}`;
        if (seen.has(id)) errs.push(fieldErrors.duplicate(`${path}[${i}]`, new GoValue(rendered)));
        seen.add(id);
      });
    }
    if (items) value.forEach((v, i) => validateListSetsAndMaps(items, v, `${path}[${i}]`, errs, items["x-kubernetes-embedded-resource"] === true));
    return;
  }
  if (!isJSONObject(value)) return;
  const additional = isJSONObject(schema.additionalProperties) ? (schema.additionalProperties as JSONSchemaProps) : undefined;
  for (const [k, v] of Object.entries(value)) {
    if (isResource && RESOURCE_FIELDS.has(k)) continue;
    const prop = schema.properties?.[k] ?? additional;
    if (prop) validateListSetsAndMaps(prop, v, join(path, k), errs, prop["x-kubernetes-embedded-resource"] === true);
  }
}

/** Every schema problem of a custom resource, in upstream's order (schema validation, then list sets and maps). */
export function validateCustomResource(schema: JSONSchemaProps, obj: Record<string, unknown>): FieldError[] {
  const errs: FieldError[] = [];
  validateNode(schema, obj, "", errs, true);
  validateListSetsAndMaps(schema, obj, "", errs, true);
  return errs;
}
