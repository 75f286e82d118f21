// Validation of a CRD's openAPIV3Schema (upstream apiextensions validation.go
// ValidateCustomResourceDefinitionOpenAPISchema and the structural-schema checks). STUB: filled in.
import type { FieldError, FieldPath } from "../../apimachinery/field-errors.js";
import type { JSONSchemaProps } from "./types.js";

export interface SchemaValidationOptions {
  /** Whether the status/scale subresources are enabled (metadata rules differ). */
  statusEnabled?: boolean;
}

export function validateOpenAPIV3Schema(_schema: JSONSchemaProps, _path: FieldPath, _opts: SchemaValidationOptions = {}): FieldError[] {
  return [];
}
