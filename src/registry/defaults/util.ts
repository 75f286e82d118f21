// Small helpers for defaulting parsed JSON the way upstream's Go defaulters see it: an absent or
// null field is Go's nil/zero value, and a defaulter only fills what is unset. Defaulters walk only
// into objects that exist (a wrong type is left for validation to report).
import { isPlainObject } from "../../apimachinery/types.js";

export type Json = Record<string, unknown>;

/** The value as a JSON object, or undefined. */
export function obj(value: unknown): Json | undefined {
  return isPlainObject(value) ? value : undefined;
}

/** The object at o[key], if that is an object. */
export function child(o: Json | undefined, key: string): Json | undefined {
  return o ? obj(o[key]) : undefined;
}

/** The object elements of the array at o[key] (other elements are skipped). */
export function items(o: Json | undefined, key: string): Json[] {
  const list = o?.[key];
  return Array.isArray(list) ? list.filter(isPlainObject) : [];
}

/** A Go pointer, map or slice that is nil: absent or null. */
export function isNil(value: unknown): boolean {
  return value === undefined || value === null;
}

/** A Go string field at its zero value. */
export function isEmptyString(value: unknown): boolean {
  return isNil(value) || value === "";
}

/** A Go number field at its zero value. */
export function isZero(value: unknown): boolean {
  return isNil(value) || value === 0;
}

/** A Go slice or map with no entries (len(x) == 0). */
export function isEmptyCollection(value: unknown): boolean {
  if (isNil(value)) return true;
  if (Array.isArray(value)) return value.length === 0;
  return isPlainObject(value) && Object.keys(value).length === 0;
}

/** Sets o[key] when it is nil (a Go pointer/slice/map default). */
export function defaultNil(o: Json, key: string, value: unknown): void {
  if (isNil(o[key])) o[key] = value;
}

/** Sets o[key] when it is "" or unset (a Go string default). */
export function defaultString(o: Json, key: string, value: string): void {
  if (isEmptyString(o[key])) o[key] = value;
}

/** Sets o[key] when it is 0 or unset (a Go non-pointer integer default). */
export function defaultNumber(o: Json, key: string, value: number): void {
  if (isZero(o[key])) o[key] = value;
}

/** o[key] as an object, set to {} first when nil (a Go struct the encoder always writes). */
export function ensureChild(o: Json, key: string): Json | undefined {
  if (isNil(o[key])) o[key] = {};
  return obj(o[key]);
}

/**
 * An embedded metav1.ObjectMeta (pod templates, claim templates, job templates): Go's encoder always
 * writes it, and in 1.33 its zero creationTimestamp as null (omitzero arrived in 1.34).
 */
export function defaultEmbeddedMeta(template: Json): void {
  const meta = ensureChild(template, "metadata");
  if (meta && meta.creationTimestamp === undefined) meta.creationTimestamp = null;
}
