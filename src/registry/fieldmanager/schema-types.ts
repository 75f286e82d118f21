// How structured-merge-diff sees a schema node (its schemaconv of the OpenAPI the server
// publishes): scalars, structs, maps (granular or atomic), and lists that are atomic, sets, or
// associative ("map" lists keyed by fields). List kinds come from x-kubernetes-list-type, else
// from the strategic-merge-patch facts: merge + merge key → associative, merge alone → set.
import type { SchemaIndex } from "../../openapi/schema-index.js";
import type { Schema } from "../../openapi/schema.js";

export type NodeType =
  | { kind: "scalar" }
  | { kind: "atomic" }
  | { kind: "struct"; field(name: string): Schema | undefined }
  | { kind: "map"; elem: Schema | undefined }
  | { kind: "list"; listType: "set" | "map"; elem: Schema | undefined; keys: string[]; keyDefaults?: Record<string, unknown> }
  | { kind: "deduced" };

/**
 * Defaults of associative-list key fields (upstream's +default markers, which the published v2
 * schemas omit): a port applied without protocol is the live TCP port.
 */
const KEY_DEFAULTS: Record<string, Record<string, unknown>> = {
  "io.k8s.api.core.v1.ContainerPort": { protocol: "TCP" },
  "io.k8s.api.core.v1.ServicePort": { protocol: "TCP" },
  "io.k8s.api.core.v1.EndpointPort": { protocol: "TCP" },
};

const RAW_EXTENSION = "io.k8s.apimachinery.pkg.runtime.RawExtension";

export class SchemaTypes {
  constructor(private readonly index: SchemaIndex | undefined) {}

  /** Type of a node described by `schema` (a property schema carrying list/patch extensions). */
  typeOf(schema: Schema | undefined): NodeType {
    if (!schema || !this.index) return { kind: "deduced" };
    // embedded raw objects (ControllerRevision.data) are owned as one value, as real managedFields show
    if (this.index.refName(schema) === RAW_EXTENSION) return { kind: "atomic" };
    const s = this.index.resolve(schema);
    const mapType = schema["x-kubernetes-map-type"] ?? s["x-kubernetes-map-type"];
    if (s["x-kubernetes-preserve-unknown-fields"] === true && !s.properties) return { kind: "deduced" };
    if (s.type === "array" || s.items) {
      const listType = schema["x-kubernetes-list-type"] ?? s["x-kubernetes-list-type"];
      const strategy = schema["x-kubernetes-patch-strategy"] ?? "";
      const mergeKey = schema["x-kubernetes-patch-merge-key"];
      const elem = s.items;
      const keyDefaults = elem && this.index.refName(elem) ? KEY_DEFAULTS[this.index.refName(elem)!] : undefined;
      const withDefaults = keyDefaults ? { keyDefaults } : {};
      if (listType === "map") return { kind: "list", listType: "map", elem, keys: schema["x-kubernetes-list-map-keys"] ?? s["x-kubernetes-list-map-keys"] ?? [], ...withDefaults };
      if (listType === "set") return { kind: "list", listType: "set", elem, keys: [] };
      if (listType === "atomic") return { kind: "atomic" };
      if (strategy.split(",").includes("merge")) {
        return mergeKey ? { kind: "list", listType: "map", elem, keys: [mergeKey], ...withDefaults } : { kind: "list", listType: "set", elem, keys: [] };
      }
      return { kind: "atomic" };
    }
    if (s.properties) {
      if (mapType === "atomic") return { kind: "atomic" };
      const props = s.properties;
      return { kind: "struct", field: (name) => props[name] };
    }
    if (typeof s.additionalProperties === "object") {
      if (mapType === "atomic") return { kind: "atomic" };
      return { kind: "map", elem: s.additionalProperties };
    }
    if (s.type === "object" || s.type === undefined) return { kind: "deduced" };
    return { kind: "scalar" };
  }

  /** Schema of a child of a struct or map node. */
  child(type: NodeType, name: string): Schema | undefined {
    if (type.kind === "struct") return type.field(name);
    if (type.kind === "map") return type.elem;
    return undefined;
  }
}
