// What the protobuf table covers, and the types whose JSON form is not their field-by-field
// encoding (they have their own MarshalJSON upstream and are decoded by hand in src/protobuf).

/** API packages whose kinds the server accepts as protobuf (paths inside the input directory). */
export const PACKAGES = [
  "k8s.io/apimachinery/pkg/apis/meta/v1",
  "k8s.io/api/core/v1",
  "k8s.io/api/apps/v1",
  "k8s.io/api/batch/v1",
  "k8s.io/api/autoscaling/v1",
  "k8s.io/api/autoscaling/v2",
  "k8s.io/api/coordination/v1",
  "k8s.io/api/discovery/v1",
  "k8s.io/api/networking/v1",
  "k8s.io/api/policy/v1",
  "k8s.io/api/rbac/v1",
  "k8s.io/api/storage/v1",
  "k8s.io/api/scheduling/v1",
  "k8s.io/api/events/v1",
  "k8s.io/api/certificates/v1",
  "k8s.io/api/admissionregistration/v1",
  "k8s.io/apiextensions-apiserver/pkg/apis/apiextensions/v1",
  "k8s.io/api/flowcontrol/v1",
  "k8s.io/api/node/v1",
  "k8s.io/api/authentication/v1",
  "k8s.io/api/authentication/v1beta1",
  "k8s.io/api/authorization/v1",
];

/** Proto package prefixes dropped from message names in the table ("k8s.io.api.core.v1.Pod" → "core.v1.Pod"). */
export const NAME_PREFIXES = [
  "k8s.io.api.",
  "k8s.io.apimachinery.pkg.apis.",
  "k8s.io.apimachinery.pkg.api.",
  "k8s.io.apimachinery.pkg.util.",
  "k8s.io.apimachinery.pkg.",
  "k8s.io.apiextensions_apiserver.pkg.apis.",
];

export interface SpecialType {
  codec: string;
  /** The proto fields the hand-written codec relies on: number → "label type name". */
  fields: Record<number, string>;
}

/** Types with a custom JSON form (short names); the generator checks their proto fields. */
export const SPECIAL_TYPES: Record<string, SpecialType> = {
  "meta.v1.Time": { codec: "time", fields: { 1: "optional int64 seconds", 2: "optional int32 nanos" } },
  "meta.v1.MicroTime": { codec: "microtime", fields: { 1: "optional int64 seconds", 2: "optional int32 nanos" } },
  "meta.v1.Duration": { codec: "duration", fields: { 1: "optional int64 duration" } },
  "meta.v1.FieldsV1": { codec: "rawjson", fields: { 1: "optional bytes Raw" } },
  "resource.Quantity": { codec: "quantity", fields: { 1: "optional string string" } },
  "intstr.IntOrString": { codec: "intorstring", fields: { 1: "optional int64 type", 2: "optional int32 intVal", 3: "optional string strVal" } },
  "runtime.RawExtension": { codec: "rawjson", fields: { 1: "optional bytes raw" } },
  "apiextensions.v1.JSON": { codec: "json", fields: { 1: "optional bytes raw" } },
  "apiextensions.v1.JSONSchemaPropsOrArray": {
    codec: "schemaorarray",
    fields: { 1: "optional apiextensions.v1.JSONSchemaProps schema", 2: "repeated apiextensions.v1.JSONSchemaProps jSONSchemas" },
  },
  "apiextensions.v1.JSONSchemaPropsOrBool": {
    codec: "schemaorbool",
    fields: { 1: "optional bool allows", 2: "optional apiextensions.v1.JSONSchemaProps schema" },
  },
  "apiextensions.v1.JSONSchemaPropsOrStringArray": {
    codec: "schemaorstringarray",
    fields: { 1: "optional apiextensions.v1.JSONSchemaProps schema", 2: "repeated string property" },
  },
};
