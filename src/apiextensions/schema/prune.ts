// Structural pruning of a custom resource (upstream pkg/apiserver/schema/pruning): fields the
// structural schema does not declare are dropped unless x-kubernetes-preserve-unknown-fields keeps
// them; a resource (the root, an embedded resource) keeps apiVersion, kind and metadata, whose
// unknown fields go as decoding into ObjectMeta drops them. Returns the dropped paths, which
// fieldValidation reports as unknown fields ("spec.foo", "spec.items[0].bar", "metadata.foo").
import { isJSONObject, OBJECT_META_FIELDS, RESOURCE_FIELDS } from "./object-meta.js";
import type { JSONSchemaProps } from "./types.js";

const join = (path: string, key: string) => (path ? `${path}.${key}` : key);

function pruneObjectMeta(meta: unknown, path: string, pruned: string[]): void {
  if (!isJSONObject(meta)) return;
  for (const k of Object.keys(meta)) {
    if (OBJECT_META_FIELDS.has(k)) continue;
    delete meta[k];
    pruned.push(join(path, k));
  }
}

function walk(schema: JSONSchemaProps, value: unknown, path: string, isResource: boolean, pruned: string[]): void {
  if (Array.isArray(value)) {
    const items = Array.isArray(schema.items) ? undefined : schema.items;
    if (items) value.forEach((v, i) => walk(items, v, `${path}[${i}]`, items["x-kubernetes-embedded-resource"] === true, pruned));
    return;
  }
  if (!isJSONObject(value)) return;
  const preserve = schema["x-kubernetes-preserve-unknown-fields"] === true;
  const additional = isJSONObject(schema.additionalProperties) ? (schema.additionalProperties as JSONSchemaProps) : undefined;
  for (const k of Object.keys(value)) {
    const child = join(path, k);
    if (isResource && RESOURCE_FIELDS.has(k)) {
      if (k === "metadata") pruneObjectMeta(value[k], child, pruned);
      continue;
    }
    const prop = schema.properties?.[k] ?? additional;
    if (prop) walk(prop, value[k], child, prop["x-kubernetes-embedded-resource"] === true, pruned);
    else if (!preserve && schema.additionalProperties !== true) {
      delete value[k];
      pruned.push(child);
    }
  }
}

/** Prunes a whole custom resource in place; returns the paths of the dropped fields. */
export function pruneCustomResource(schema: JSONSchemaProps | undefined, obj: Record<string, unknown>): string[] {
  const pruned: string[] = [];
  if (!schema) {
    pruneObjectMeta(obj.metadata, "metadata", pruned);
    return pruned;
  }
  walk(schema, obj, "", true, pruned);
  return pruned;
}
