// Upstream's API validation of the built-in kinds (pkg/apis/<group>/validation), per kind.
import type { FieldError } from "../../apimachinery/field-errors.js";
import type { KubeObject } from "../../apimachinery/types.js";

export interface KindValidation {
  create?(obj: KubeObject): FieldError[];
  update?(obj: KubeObject, old: KubeObject): FieldError[];
}

const validations = new Map<string, KindValidation>();

/** The validation of a built-in kind, if any. */
export function validationFor(group: string, kind: string): KindValidation | undefined {
  return validations.get(`${group}/${kind}`);
}
