// The CEL type of a structural schema node (upstream k8s.io/apiserver/pkg/cel/common/schemas.go
// SchemaDeclType): integer → int, number → double, boolean → bool, string → string (format byte →
// bytes, duration → duration, date/date-time → timestamp), int-or-string → dyn, arrays → list,
// additionalProperties → map(string, V), other objects → an object type whose fields are the
// (escaped) properties. Nodes without a CEL type (no type, e.g. bare preserve-unknown-fields) are
// left out, as are properties whose names cannot be escaped.
import type { JSONSchemaProps } from "../schema/types.js";
import { escapePropertyName } from "./escaping.js";

export type ScalarKind = "int" | "double" | "string" | "bool" | "bytes" | "duration" | "timestamp" | "dyn";

export interface DeclField {
  /** The property name in JSON. */
  property: string;
  type: DeclType;
}

export type DeclType =
  | { kind: ScalarKind }
  | { kind: "list"; elem: DeclType }
  | { kind: "map"; elem: DeclType }
  | { kind: "object"; fields: Map<string, DeclField> };

export type ObjectDeclType = Extract<DeclType, { kind: "object" }>;

const stringSchema: JSONSchemaProps = { type: "string" };

/**
 * The schema with apiVersion, kind, metadata.name and metadata.generateName always present, as rules
 * at the root of a resource (or of an embedded resource) see it (upstream WithTypeAndObjectMeta).
 */
export function withTypeAndObjectMeta(s: JSONSchemaProps): JSONSchemaProps {
  const props = s.properties;
  const meta = props?.["metadata"];
  if (
    props &&
    props["kind"]?.type === "string" &&
    props["apiVersion"]?.type === "string" &&
    meta?.type === "object" &&
    meta.properties?.["name"]?.type === "string" &&
    meta.properties?.["generateName"]?.type === "string"
  ) {
    return s;
  }
  return {
    ...s,
    properties: {
      ...props,
      kind: stringSchema,
      apiVersion: stringSchema,
      metadata: { type: "object", properties: { name: stringSchema, generateName: stringSchema } },
    },
  };
}

function itemsSchema(s: JSONSchemaProps): JSONSchemaProps | undefined {
  return s.items && !Array.isArray(s.items) ? s.items : undefined;
}

function additionalPropertiesSchema(s: JSONSchemaProps): JSONSchemaProps | undefined {
  return typeof s.additionalProperties === "object" ? s.additionalProperties : undefined;
}

/** The CEL type of a schema node, or undefined when rules cannot see it (upstream SchemaDeclType). */
export function schemaDeclType(schema: JSONSchemaProps | undefined, isResourceRoot: boolean): DeclType | undefined {
  if (!schema) return undefined;
  if (schema["x-kubernetes-int-or-string"]) return { kind: "dyn" };
  const s = isResourceRoot ? withTypeAndObjectMeta(schema) : schema;
  switch (s.type) {
    case "array": {
      const items = itemsSchema(s);
      if (!items) return undefined;
      const elem = schemaDeclType(items, items["x-kubernetes-embedded-resource"] === true);
      return elem ? { kind: "list", elem } : undefined;
    }
    case "object": {
      const ap = additionalPropertiesSchema(s);
      if (ap) {
        const elem = schemaDeclType(ap, ap["x-kubernetes-embedded-resource"] === true);
        return elem ? { kind: "map", elem } : undefined;
      }
      const fields = new Map<string, DeclField>();
      for (const [name, prop] of Object.entries(s.properties ?? {})) {
        const type = schemaDeclType(prop, prop["x-kubernetes-embedded-resource"] === true);
        const escaped = escapePropertyName(name);
        if (type && escaped !== undefined) fields.set(escaped, { property: name, type });
      }
      return { kind: "object", fields };
    }
    case "string":
      switch (s.format) {
        case "byte":
          return { kind: "bytes" };
        case "duration":
          return { kind: "duration" };
        case "date":
        case "date-time":
          return { kind: "timestamp" };
      }
      return { kind: "string" };
    case "boolean":
      return { kind: "bool" };
    case "number":
      return { kind: "double" };
    case "integer":
      return { kind: "int" };
  }
  return undefined;
}

/** Whether a node is the root of a resource for rules (the CR itself or an embedded resource). */
export function isEmbeddedResource(s: JSONSchemaProps | undefined): boolean {
  return s?.["x-kubernetes-embedded-resource"] === true;
}

export { itemsSchema, additionalPropertiesSchema };
