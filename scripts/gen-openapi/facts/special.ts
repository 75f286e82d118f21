// Types that are not objects on the wire: their schemas as upstream publishes them (Go types with
// custom JSON marshalling declare them by OpenAPISchemaType/OpenAPIV3OneOfTypes), and the
// descriptions the sources lack.
import type { Schema } from "../../../src/openapi/schema.js";

export interface SpecialType {
  /** Swagger 2.0 shape (description is added from the sources unless given here). */
  v2: Schema;
  /** OpenAPI v3 shape where it differs. */
  v3?: Schema;
  description?: string;
}

const QUANTITY_DESCRIPTION =
  "Quantity is a fixed-point representation of a number. It provides convenient marshaling/unmarshaling in JSON and YAML, in addition to String() and AsInt64() accessors.\n\n" +
  "The serialization format is:\n\n" +
  "``` <quantity>        ::= <signedNumber><suffix>\n\n" +
  "\t(Note that <suffix> may be empty, from the \"\" case in <decimalSI>.)\n\n" +
  "<digit>           ::= 0 | 1 | ... | 9 <digits>          ::= <digit> | <digit><digits> <number>          ::= <digits> | <digits>.<digits> | <digits>. | .<digits> <sign>            ::= \"+\" | \"-\" <signedNumber>    ::= <number> | <sign><number> <suffix>          ::= <binarySI> | <decimalExponent> | <decimalSI> <binarySI>        ::= Ki | Mi | Gi | Ti | Pi | Ei\n\n" +
  "\t(International System of units; See: http://physics.nist.gov/cuu/Units/binary.html)\n\n" +
  "<decimalSI>       ::= m | \"\" | k | M | G | T | P | E\n\n" +
  "\t(Note that 1024 = 1Ki but 1000 = 1k; I didn't choose the capitalization.)\n\n" +
  "<decimalExponent> ::= \"e\" <signedNumber> | \"E\" <signedNumber> ```\n\n" +
  "No matter which of the three exponent forms is used, no quantity may represent a number greater than 2^63-1 in magnitude, nor may it have more than 3 decimal places. Numbers larger or more precise will be capped or rounded up. (E.g.: 0.1m will rounded up to 1m.) This may be extended in the future if we require larger or smaller quantities.\n\n" +
  "When a Quantity is parsed from a string, it will remember the type of suffix it had, and will use the same type again when it is serialized.\n\n" +
  "Before serializing, Quantity will be put in \"canonical form\". This means that Exponent/suffix will be adjusted up or down (with a corresponding increase or decrease in Mantissa) such that:\n\n" +
  "- No precision is lost - No fractional digits will be emitted - The exponent (or suffix) is as large as possible.\n\n" +
  "The sign will be omitted unless the number is negative.\n\n" +
  "Examples:\n\n" +
  "- 1.5 will be serialized as \"1500m\" - 1.5Gi will be serialized as \"1536Mi\"\n\n" +
  "Note that the quantity will NEVER be internally represented by a floating point number. That is the whole point of this exercise.\n\n" +
  "Non-canonical values will still parse as long as they are well formed, but will be re-emitted in their canonical form. (So always use canonical form, or don't diff.)\n\n" +
  "This format is intended to make it difficult to use these numbers without writing some sort of special handling code in the hopes that that will cause implementors to also use a fixed point implementation.";

const META = "io.k8s.apimachinery.pkg.apis.meta.v1";
const APIEXTENSIONS = "io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1";

export const SPECIAL_TYPES: Readonly<Record<string, SpecialType>> = {
  "io.k8s.apimachinery.pkg.api.resource.Quantity": {
    v2: { type: "string" },
    v3: { oneOf: [{ type: "string" }, { type: "number" }] },
    description: QUANTITY_DESCRIPTION,
  },
  "io.k8s.apimachinery.pkg.util.intstr.IntOrString": {
    v2: { type: "string", format: "int-or-string" },
    v3: { oneOf: [{ type: "integer" }, { type: "string" }], format: "int-or-string" },
  },
  [`${META}.Time`]: { v2: { type: "string", format: "date-time" } },
  [`${META}.MicroTime`]: { v2: { type: "string", format: "date-time" } },
  [`${META}.FieldsV1`]: { v2: { type: "object" } },
  [`${META}.Patch`]: { v2: { type: "object" } },
  "io.k8s.apimachinery.pkg.runtime.RawExtension": { v2: { type: "object" } },
  [`${APIEXTENSIONS}.JSON`]: { v2: {} },
  [`${APIEXTENSIONS}.JSONSchemaPropsOrArray`]: { v2: {} },
  [`${APIEXTENSIONS}.JSONSchemaPropsOrBool`]: { v2: {} },
  [`${APIEXTENSIONS}.JSONSchemaPropsOrStringArray`]: { v2: {} },
  "io.k8s.api.apiserverinternal.v1alpha1.StorageVersionSpec": { v2: { type: "object" }, description: "StorageVersionSpec is an empty spec." },
};

/**
 * Properties client-node types as `any` whose upstream type the sources do not name otherwise
 * (the type is absent from kubernetes-models in every version).
 */
export const ANY_PROPERTY_REFS: Readonly<Record<string, string>> = {
  "io.k8s.api.apiserverinternal.v1alpha1.StorageVersion.spec": "io.k8s.api.apiserverinternal.v1alpha1.StorageVersionSpec",
};

/** Definitions every document may need although no kind references them. */
export const ALWAYS_INCLUDED: readonly string[] = [`${META}.Patch`, `${META}.Status`, `${META}.DeleteOptions`, `${META}.WatchEvent`];
