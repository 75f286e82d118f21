// Typed access to parsed JSON and the small error shorthands every validation module uses.
// Objects arrive as parsed JSON (already defaulted upstream-style); these helpers read them the
// way Go reads the decoded struct: a missing string is "", a missing list is empty.
import { type FieldError, FieldPath, GoValue, OMIT_VALUE, fieldErrors } from "../../apimachinery/field-errors.js";
import { isPlainObject } from "../../apimachinery/types.js";

export type Obj = Record<string, unknown>;
export { FieldPath, GoValue, OMIT_VALUE, fieldErrors };
export type { FieldError };

export const obj = (v: unknown): Obj | undefined => (isPlainObject(v) ? v : undefined);
export const objOr = (v: unknown): Obj => (isPlainObject(v) ? v : {});
export const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
export const objs = (v: unknown): Obj[] => arr(v).map(objOr);
export const str = (v: unknown): string => (typeof v === "string" ? v : "");
export const strs = (v: unknown): string[] => arr(v).map(str);
export const isNum = (v: unknown): v is number => typeof v === "number" && Number.isFinite(v);
export const num = (v: unknown, dflt = 0): number => (isNum(v) ? v : dflt);
export const has = (o: Obj, k: string): boolean => o[k] !== undefined && o[k] !== null;
export const strMap = (v: unknown): Record<string, string> => {
  const o = obj(v);
  if (!o) return {};
  const out: Record<string, string> = {};
  for (const [k, val] of Object.entries(o)) out[k] = str(val);
  return out;
};
/** Keys of a JSON map in a deterministic order (Go ranges maps randomly; we sort). */
export const sortedKeys = (v: unknown): string[] => Object.keys(objOr(v)).sort();

export const root = (...names: string[]): FieldPath => FieldPath.root(names[0]!, ...names.slice(1));

/** Upstream field.Invalid with an omitted value rendered by Go's %#v (a struct). */
export function invalidGo(path: FieldPath | string, goText: string, detail: string): FieldError {
  return fieldErrors.invalid(path, new GoValue(goText), detail);
}

/** field.Invalid(path, field.OmitValueType{}, detail). */
export function invalidOmit(path: FieldPath | string, detail: string): FieldError {
  return { type: "FieldValueInvalid", field: path.toString(), badValue: OMIT_VALUE, detail };
}

/** field.NotFound with a detail (upstream sets Detail by hand in a few places). */
export function notFoundDetail(path: FieldPath | string, value: unknown, detail: string): FieldError {
  return { ...fieldErrors.notFound(path, value), detail };
}

/** field.Duplicate with a detail. */
export function duplicateDetail(path: FieldPath | string, value: unknown, detail: string): FieldError {
  return { ...fieldErrors.duplicate(path, value), detail };
}

/** field.TooLong whose detail is upstream's TooLong text (value unused). */
export function tooLong(path: FieldPath | string, max: number): FieldError {
  return fieldErrors.tooLong(path, "", max);
}

/** field.NotSupported with values printed as Go %q of each (strings) or plain (others). */
export function notSupported(path: FieldPath | string, value: unknown, valid: string[]): FieldError {
  return fieldErrors.notSupported(path, value, valid);
}

/** Upstream apiequality.Semantic.DeepEqual over decoded JSON. */
export { semanticEqual } from "../../util/deep-equal.js";

/** The text of a Go *int32/int64 pointer value: the number, or null. */
export const ptrNum = (v: unknown): number | null => (isNum(v) ? v : null);
