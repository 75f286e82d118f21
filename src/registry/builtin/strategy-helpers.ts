// Small pure helpers shared by the built-in strategies: typed access to parsed JSON, upstream's
// "semantic" equality, field errors whose bad value is a Go struct, and the DNS-label warning text.
import { type FieldError, OMIT_VALUE } from "../../apimachinery/field-errors.js";
import type { KubeObject } from "../../apimachinery/types.js";
import { isPlainObject } from "../../apimachinery/types.js";

export type JsonObject = Record<string, unknown>;

/** The value as a JSON object, or undefined. */
export function asObject(value: unknown): JsonObject | undefined {
  return isPlainObject(value) ? value : undefined;
}

/** The value as an array, or an empty array. */
export function asArray(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

/** The value as a string, or "" (Go's zero value). */
export function asString(value: unknown): string {
  return typeof value === "string" ? value : "";
}

/** A child object of obj, created (and attached) when missing or not an object. */
export function ensureObject(obj: JsonObject, key: string): JsonObject {
  const existing = asObject(obj[key]);
  if (existing) return existing;
  const created: JsonObject = {};
  obj[key] = created;
  return created;
}

export function specOf(obj: KubeObject): JsonObject {
  return asObject(obj.spec) ?? {};
}

export function statusOf(obj: KubeObject): JsonObject {
  return asObject(obj.status) ?? {};
}

/** An object of the entries whose value is not undefined, in order (Go struct field order). */
export function buildObject(entries: [string, unknown][]): JsonObject {
  const out: JsonObject = {};
  for (const [k, v] of entries) if (v !== undefined) out[k] = v;
  return out;
}

/** A deep copy of parsed JSON. */
export function deepCopy<T>(value: T): T {
  return value === undefined ? value : (JSON.parse(JSON.stringify(value)) as T);
}

import { semanticEqual } from "../../util/deep-equal.js";

export { semanticEqual };

/**
 * upstream metav1.ResetObjectMetaForStatus, used by status strategies that let a /status write
 * change nothing in metadata a user owns: labels, annotations, finalizers and owner references (and
 * the system fields) come from the stored object.
 */
export function resetObjectMetaForStatus(obj: KubeObject, old: KubeObject): void {
  const meta = obj.metadata;
  for (const key of ["deletionTimestamp", "generation", "selfLink", "labels", "annotations", "finalizers", "ownerReferences"] as const) {
    if (old.metadata[key] === undefined) delete meta[key];
    else (meta as Record<string, unknown>)[key] = deepCopy(old.metadata[key]);
  }
}

/** Sets metadata.generation to old+1 (upstream strategies bump from the stored object's value). */
export function bumpGeneration(obj: KubeObject, old: KubeObject): void {
  obj.metadata.generation = (old.metadata.generation ?? 0) + 1;
}

/**
 * An "Invalid value" field error whose bad value upstream prints with Go's %#v (a struct such as
 * v1.LabelSelector{...}). The text goes in the detail with the value omitted, so the error body reads
 * exactly `Invalid value: <go value>: <detail>`.
 */
export function invalidGoValue(field: string, goValue: string, detail: string): FieldError {
  return { type: "FieldValueInvalid", field, badValue: OMIT_VALUE, detail: `${goValue}: ${detail}` };
}

/** Go's %q / %#v of a string (label keys and values never need Go-specific escapes). */
export function goQuote(s: string): string {
  return JSON.stringify(s);
}

/** Go's %#v of a []string decoded from JSON (nil when the field is absent). */
function goStringSlice(value: unknown): string {
  if (!Array.isArray(value)) return "[]string(nil)";
  return `[]string{${value.map((v) => goQuote(asString(v))).join(", ")}}`;
}

/** Go's %#v of a map[string]string decoded from JSON; fmt prints map keys sorted. */
function goStringMap(value: unknown): string {
  const m = asObject(value);
  if (!m) return "map[string]string(nil)";
  const keys = Object.keys(m).sort();
  return `map[string]string{${keys.map((k) => `${goQuote(k)}:${goQuote(asString(m[k]))}`).join(", ")}}`;
}

/** Go's %#v of a metav1.LabelSelector value, as ValidateImmutableField prints it. */
export function goLabelSelector(value: unknown): string {
  const sel = asObject(value) ?? {};
  const exprs = sel.matchExpressions;
  const exprText = Array.isArray(exprs)
    ? `[]v1.LabelSelectorRequirement{${exprs
        .map((e) => {
          const r = asObject(e) ?? {};
          return `v1.LabelSelectorRequirement{Key:${goQuote(asString(r.key))}, Operator:${goQuote(asString(r.operator))}, Values:${goStringSlice(r.values)}}`;
        })
        .join(", ")}}`
    : "[]v1.LabelSelectorRequirement(nil)";
  return `v1.LabelSelector{MatchLabels:${goStringMap(sel.matchLabels)}, MatchExpressions:${exprText}}`;
}

/** upstream ValidateImmutableField for a *metav1.LabelSelector: `field is immutable` with the new value. */
export function immutableLabelSelector(field: string, newSelector: unknown, oldSelector: unknown): FieldError[] {
  if (semanticEqual(newSelector, oldSelector)) return [];
  if (newSelector === undefined || newSelector === null) {
    return [{ type: "FieldValueInvalid", field, badValue: "null", detail: "field is immutable" }];
  }
  return [invalidGoValue(field, goLabelSelector(newSelector), "field is immutable")];
}

/** upstream ValidateImmutableField for a string-like value (printed quoted). */
export function immutableString(field: string, newValue: string, oldValue: string): FieldError[] {
  if (newValue === oldValue) return [];
  return [{ type: "FieldValueInvalid", field, badValue: newValue, detail: "field is immutable" }];
}

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** upstream IsDNS1123Label's messages (empty when valid). */
function dns1123LabelErrors(value: string): string[] {
  const errs: string[] = [];
  if (value.length > 63) errs.push("must be no more than 63 characters");
  if (!DNS1123_LABEL.test(value)) {
    if (DNS1123_SUBDOMAIN.test(value)) errs.push("must not contain dots");
    else
      errs.push(
        "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')",
      );
  }
  return errs;
}

/** A warning that the object's name is not a DNS label, in the text the given kind uses upstream. */
export function nameNotDNSLabelWarning(name: string | undefined, usage: string): string[] {
  const errs = dns1123LabelErrors(name ?? "");
  return errs.length ? [`metadata.name: ${usage}, which can result in surprising behavior; a DNS label is recommended: [${errs.join(" ")}]`] : [];
}

/**
 * Keeps a v1 singular field and its plural list consistent the way the v1 <-> internal conversion
 * does (pod podIP/podIPs, node podCIDR/podCIDRs): a differing singular value wins, an empty list is
 * filled from the singular value, and the singular value is the list's first entry.
 */
export function syncSingularWithList<T>(
  holder: JsonObject,
  singularKey: string,
  listKey: string,
  toEntry: (value: string) => T,
  fromEntry: (entry: unknown) => string,
): void {
  const singular = asString(holder[singularKey]);
  const list = asArray(holder[listKey]);
  if (singular && (list.length === 0 || fromEntry(list[0]) !== singular)) {
    holder[listKey] = [toEntry(singular)];
  } else if (!singular && list.length > 0) {
    const first = fromEntry(list[0]);
    if (first) holder[singularKey] = first;
  }
}
