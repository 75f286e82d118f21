// The JSON Schema subset Kubernetes publishes (Swagger 2.0 / OpenAPI 3.0 schema objects with the
// x-kubernetes-* extensions), and the shape of the generated openapi/definitions.json.

export interface GroupVersionKind {
  group: string;
  kind: string;
  version: string;
}

export interface Schema {
  $ref?: string;
  description?: string;
  type?: string;
  format?: string;
  default?: unknown;
  enum?: unknown[];
  items?: Schema;
  properties?: Record<string, Schema>;
  additionalProperties?: Schema | boolean;
  required?: string[];
  allOf?: Schema[];
  oneOf?: Schema[];
  uniqueItems?: boolean;
  "x-kubernetes-group-version-kind"?: GroupVersionKind[];
  "x-kubernetes-patch-strategy"?: string;
  "x-kubernetes-patch-merge-key"?: string;
  "x-kubernetes-list-type"?: "atomic" | "set" | "map";
  "x-kubernetes-list-map-keys"?: string[];
  "x-kubernetes-map-type"?: "atomic" | "granular";
  "x-kubernetes-unions"?: unknown[];
  [extension: `x-${string}`]: unknown;
}

/** openapi/definitions.json, written by scripts/gen-openapi. */
export interface DefinitionsFile {
  /** The Kubernetes release the schemas describe, e.g. "v1.33.0". */
  kubernetesVersion: string;
  /** Every definition in Swagger 2.0 form; references are "#/definitions/<name>". */
  definitions: Record<string, Schema>;
  /** Definitions whose OpenAPI v3 form differs (Quantity, IntOrString), description excluded. */
  v3: Record<string, Schema>;
  /** Kinds whose single-object DELETE answers with the object rather than a Status (Pod, Service, ...). */
  deleteReturnsObject: string[];
}

export const V2_REF_PREFIX = "#/definitions/";
export const V3_REF_PREFIX = "#/components/schemas/";
