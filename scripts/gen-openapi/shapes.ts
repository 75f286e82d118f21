// Turns a property's type, as each source spells it, into a Swagger 2.0 schema.
//
// client-node is authoritative for 1.33 (which properties exist, which class a property refers to,
// integer formats) but flattens some types (Time to Date, Quantity to string, RawExtension to
// any); kubernetes-models keeps those as references and knows enums.
import type { Schema } from "../../src/openapi/schema.js";
import { V2_REF_PREFIX } from "../../src/openapi/schema.js";
import type { TypeShape } from "./read-models.js";

const META = "io.k8s.apimachinery.pkg.apis.meta.v1";

export interface ShapeContext {
  /** client-node class name -> definition name. */
  classToName: ReadonlyMap<string, string>;
  /** kubernetes-models alias -> definition name. */
  aliasToName: ReadonlyMap<string, string>;
  warn(message: string): void;
}

const ref = (name: string): Schema => ({ $ref: V2_REF_PREFIX + name });

function numberSchema(format: string): Schema {
  if (format === "int32" || format === "int64") return { type: "integer", format };
  if (format === "double" || format === "float") return { type: "number", format };
  return { type: "number" };
}

/** Splits a client-node type: Array<X>, { [key: string]: X; } or a plain name. */
function parseClientType(type: string): { kind: "array" | "map" | "plain"; inner: string } {
  const t = type.trim();
  let m = t.match(/^Array<(.+)>$/);
  if (m) return { kind: "array", inner: m[1]! };
  m = t.match(/^\{ \[key: string\]: (.+); \}$/);
  if (m) return { kind: "map", inner: m[1]! };
  return { kind: "plain", inner: t };
}

/**
 * The schema of a property of client-node type `type`/`format`, refined by the kubernetes-models
 * shape when there is one (references of flattened types, enums).
 */
export function propertySchema(
  where: string,
  type: string,
  format: string,
  model: TypeShape | undefined,
  ctx: ShapeContext,
): Schema {
  const parsed = parseClientType(type);
  if (parsed.kind === "array") {
    const items = propertySchema(where, parsed.inner, format, model?.kind === "array" ? model.items : undefined, ctx);
    return { type: "array", items };
  }
  if (parsed.kind === "map") {
    const values = propertySchema(where, parsed.inner, format, model?.kind === "map" ? model.values : undefined, ctx);
    return { type: "object", additionalProperties: values };
  }
  const t = parsed.inner;
  const modelRef = model?.kind === "ref" ? ctx.aliasToName.get(model.alias) : undefined;
  if (model?.kind === "ref" && !modelRef) ctx.warn(`${where}: unknown kubernetes-models reference ${model.alias}`);
  switch (t) {
    case "string":
      if (modelRef) return ref(modelRef); // Quantity and other string-shaped types
      return {
        type: "string",
        ...(format && format !== "int-or-string" ? { format } : {}),
        ...(model?.kind === "string" && model.enum ? { enum: [...model.enum] } : {}),
      };
    case "number":
      if (modelRef) return ref(modelRef);
      return numberSchema(format);
    case "boolean":
      return { type: "boolean" };
    case "Date":
      return ref(modelRef ?? `${META}.Time`);
    case "V1MicroTime":
      return ref(`${META}.MicroTime`);
    case "IntOrString":
      return ref("io.k8s.apimachinery.pkg.util.intstr.IntOrString");
    case "any":
    case "object":
      if (modelRef) return ref(modelRef);
      ctx.warn(`${where}: untyped property with no reference; published as an object`);
      return { type: "object" };
  }
  const name = ctx.classToName.get(t);
  if (name) return ref(name);
  if (modelRef) return ref(modelRef);
  ctx.warn(`${where}: unknown client-node type ${t}`);
  return { type: "object" };
}
