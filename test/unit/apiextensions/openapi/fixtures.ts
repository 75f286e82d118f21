// A representative CRD for the OpenAPI tests: CronTab with int-or-string, nullable, defaulted,
// preserve-unknown, embedded-resource, list-map and oneOf fields, status and scale subresources,
// and selectable fields; plus the ResourceDefinition the integrator builds for it.
import type { KubeObject } from "../../../../src/apimachinery/types.js";
import type { ResourceDefinition } from "../../../../src/registry/definition.js";

export function cronTabCRD(overrides: { schema?: unknown; preserveUnknownFields?: boolean } = {}): KubeObject {
  const schema = "schema" in overrides ? overrides.schema : {
    type: "object",
    description: "CronTab runs a command on a schedule.",
    properties: {
      spec: {
        type: "object",
        required: ["cronSpec", "nullableThing"],
        properties: {
          cronSpec: { type: "string", pattern: "^(\\d+|\\*)(/\\d+)?(\\s+(\\d+|\\*)(/\\d+)?){4}$", description: "The schedule." },
          image: { type: "string", example: "nginx", externalDocs: { url: "https://example.com" } },
          replicas: { type: "integer", minimum: 1, maximum: 10, default: 1, format: "int32" },
          port: { "x-kubernetes-int-or-string": true },
          nullableThing: { type: "object", nullable: true, properties: { a: { type: "string" } } },
          anything: { type: "object", "x-kubernetes-preserve-unknown-fields": true, properties: { kept: { type: "string" } } },
          template: { type: "object", "x-kubernetes-embedded-resource": true, "x-kubernetes-preserve-unknown-fields": true },
          strict: { type: "object", "x-kubernetes-embedded-resource": true, properties: { spec: { type: "object" } } },
          ports: {
            type: "array",
            "x-kubernetes-list-type": "map",
            "x-kubernetes-list-map-keys": ["name"],
            items: { type: "object", required: ["name"], properties: { name: { type: "string" }, port: { type: "integer" } } },
          },
          choice: {
            type: "object",
            properties: { a: { type: "string" }, b: { type: "string" } },
            oneOf: [{ required: ["a"] }, { required: ["b"] }],
          },
          color: { type: "string", enum: ["red", "blue"], "x-kubernetes-validations": [{ rule: "self != 'green'", message: "" }] },
        },
      },
      status: { type: "object", properties: { replicas: { type: "integer" } } },
    },
  };
  return {
    apiVersion: "apiextensions.k8s.io/v1",
    kind: "CustomResourceDefinition",
    metadata: { name: "crontabs.stable.example.com" },
    spec: {
      group: "stable.example.com",
      names: { plural: "crontabs", singular: "crontab", kind: "CronTab", listKind: "CronTabList" },
      scope: "Namespaced",
      ...(overrides.preserveUnknownFields !== undefined ? { preserveUnknownFields: overrides.preserveUnknownFields } : {}),
      versions: [
        {
          name: "v1",
          served: true,
          storage: true,
          ...(schema === null ? {} : { schema: { openAPIV3Schema: schema } }),
          subresources: { status: {}, scale: { specReplicasPath: ".spec.replicas", statusReplicasPath: ".status.replicas" } },
          selectableFields: [{ jsonPath: ".spec.color" }],
        },
      ],
    },
  } as KubeObject;
}

export const CRONTAB_DEF: ResourceDefinition = {
  group: "stable.example.com",
  version: "v1",
  kind: "CronTab",
  plural: "crontabs",
  singular: "crontab",
  namespaced: true,
  schema: "com.example.stable.v1.CronTab",
  customResource: true,
  subresources: { status: true, scale: { specReplicasPath: ".spec.replicas", statusReplicasPath: ".status.replicas" } },
};
