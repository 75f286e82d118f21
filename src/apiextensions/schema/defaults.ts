// Structural defaulting (upstream pkg/apiserver/schema/defaulting/algorithm.go): a property that
// is missing — or null where the schema does not allow null — gets a copy of its default, top down,
// so defaults inside defaulted objects apply too. Runs on every write and on every read.
import { isJSONObject } from "./object-meta.js";
import type { JSONSchemaProps } from "./types.js";

const isNonNullableNull = (v: unknown, s: JSONSchemaProps) => v === null && s.nullable !== true;

export function applyDefaults(schema: JSONSchemaProps, value: unknown): void {
  if (Array.isArray(value)) {
    const items = Array.isArray(schema.items) ? undefined : schema.items;
    if (items) for (const v of value) applyDefaults(items, v);
    return;
  }
  if (!isJSONObject(value)) return;
  for (const [k, prop] of Object.entries(schema.properties ?? {})) {
    if (prop.default !== undefined && (!(k in value) || isNonNullableNull(value[k], prop))) value[k] = structuredClone(prop.default);
    if (k in value) applyDefaults(prop, value[k]);
  }
  if (isJSONObject(schema.additionalProperties)) {
    const ap = schema.additionalProperties as JSONSchemaProps;
    for (const k of Object.keys(value)) {
      if (schema.properties?.[k]) continue;
      if (ap.default !== undefined && isNonNullableNull(value[k], ap)) value[k] = structuredClone(ap.default);
      applyDefaults(ap, value[k]);
    }
  }
}

/** Whether applying the schema's defaults can change anything (any default anywhere). */
export function hasDefaults(schema: JSONSchemaProps | undefined): boolean {
  if (!schema) return false;
  if (schema.default !== undefined) return true;
  const children = [
    ...Object.values(schema.properties ?? {}),
    ...(isJSONObject(schema.additionalProperties) ? [schema.additionalProperties as JSONSchemaProps] : []),
    ...(schema.items && !Array.isArray(schema.items) ? [schema.items] : []),
  ];
  return children.some(hasDefaults);
}
