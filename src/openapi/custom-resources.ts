// Schemas of resources without a built-in definition (custom resources): upstream names them by
// the reversed group (stable.example.com/v1 CronTab -> com.example.stable.v1.CronTab) and
// publishes a list kind next to each. Until a CRD's own openAPIV3Schema is supplied, the kind is an
// object that keeps unknown fields.
import type { ResourceDefinition } from "../registry/definition.js";
import type { Schema } from "./schema.js";
import { V2_REF_PREFIX } from "./schema.js";

const META = "io.k8s.apimachinery.pkg.apis.meta.v1";
const API_VERSION_DOC =
  "APIVersion defines the versioned schema of this representation of an object. Servers should convert recognized schemas to the latest internal value, and may reject unrecognized values. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#resources";
const KIND_DOC =
  "Kind is a string value representing the REST resource this object represents. Servers may infer this from the endpoint the client submits requests to. Cannot be updated. In CamelCase. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#types-kinds";

export function customResourceDefinitionName(def: Pick<ResourceDefinition, "group" | "version" | "kind">): string {
  return `${def.group.split(".").reverse().join(".")}.${def.version}.${def.kind}`;
}

/** The kind schema (unless given) and the list kind schema of a custom resource, Swagger 2.0 form. */
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
  const list: Schema = {
    description: `${def.kind}List is a list of ${def.kind}`,
    properties: {
      apiVersion: { description: API_VERSION_DOC, type: "string" },
      items: {
        description: `List of ${def.plural}. More info: https://git.k8s.io/community/contributors/devel/api-conventions.md`,
        items: { $ref: V2_REF_PREFIX + name },
        type: "array",
      },
      kind: { description: KIND_DOC, type: "string" },
      metadata: { $ref: `${V2_REF_PREFIX}${META}.ListMeta`, description: "Standard list metadata. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#types-kinds" },
    },
    required: ["items"],
    type: "object",
    "x-kubernetes-group-version-kind": gvk(`${def.kind}List`),
  };
  return {
    [name]: { ...kind, "x-kubernetes-group-version-kind": kind["x-kubernetes-group-version-kind"] ?? gvk(def.kind) },
    [`${name}List`]: list,
  };
}
