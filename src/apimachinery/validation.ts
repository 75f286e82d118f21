// Generic metadata validation (upstream apimachinery/pkg/api/validation/objectmeta.go and
// util/validation), with upstream's messages: what kubectl prints under "... is invalid:".
import { type FieldError, FieldPath, fieldErrors } from "./field-errors.js";
import { labelValueErrors, qualifiedNameErrors } from "./labels.js";
import type { ObjectMeta } from "./types.js";

export type NameValidation = "DNS1123Subdomain" | "DNS1123Label" | "DNS1035Label" | "PathSegment";

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const DNS1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;

export const DNS1123_LABEL_MSG =
  "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";
export const DNS1123_SUBDOMAIN_MSG =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
export const DNS1035_LABEL_MSG =
  "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')";

export function dns1123LabelErrors(value: string): string[] {
  const errs: string[] = [];
  if (value.length > 63) errs.push("must be no more than 63 characters");
  if (!DNS1123_LABEL.test(value)) {
    // upstream: a valid subdomain that is not a label only lacks the dots
    if (DNS1123_SUBDOMAIN.test(value)) errs.push("must not contain dots");
    else errs.push(DNS1123_LABEL_MSG);
  }
  return errs;
}

export function dns1123SubdomainErrors(value: string): string[] {
  const errs: string[] = [];
  if (value.length > 253) errs.push("must be no more than 253 characters");
  if (!DNS1123_SUBDOMAIN.test(value)) errs.push(DNS1123_SUBDOMAIN_MSG);
  return errs;
}

export function dns1035LabelErrors(value: string): string[] {
  const errs: string[] = [];
  if (value.length > 63) errs.push("must be no more than 63 characters");
  if (!DNS1035_LABEL.test(value)) errs.push(DNS1035_LABEL_MSG);
  return errs;
}

/** Upstream path.IsValidPathSegmentName. */
export function pathSegmentErrors(value: string): string[] {
  if (value === "." || value === "..") return [`may not be '${value}'`];
  const errs: string[] = [];
  if (value.includes("/")) errs.push("may not contain '/'");
  if (value.includes("%")) errs.push("may not contain '%'");
  return errs;
}

/** Problems of a name (or, with prefix, a generateName whose trailing '-' is masked). */
export function nameErrors(rule: NameValidation, value: string, prefix = false): string[] {
  // upstream maskTrailingDash: "abc-" is checked as "aba" ("-" alone stays invalid)
  const v = prefix && value.length > 1 && value.endsWith("-") ? `${value.slice(0, -2)}a` : value;
  switch (rule) {
    case "DNS1123Label":
      return dns1123LabelErrors(v);
    case "DNS1035Label":
      return dns1035LabelErrors(v);
    case "PathSegment":
      return pathSegmentErrors(value);
    default:
      return dns1123SubdomainErrors(v);
  }
}

const TOTAL_ANNOTATION_SIZE_LIMIT = 256 * 1024;

export function validateLabels(labels: Record<string, string> | undefined, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  for (const [k, v] of Object.entries(labels ?? {})) {
    for (const msg of qualifiedNameErrors(k)) errs.push(fieldErrors.invalid(path, k, msg));
    if (typeof v !== "string") errs.push(fieldErrors.invalid(path.key(k), v, "must be a string"));
    else for (const msg of labelValueErrors(v)) errs.push(fieldErrors.invalid(path, v, msg));
  }
  return errs;
}

export function validateAnnotations(annotations: Record<string, string> | undefined, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  let total = 0;
  for (const [k, v] of Object.entries(annotations ?? {})) {
    for (const msg of qualifiedNameErrors(k.toLowerCase())) errs.push(fieldErrors.invalid(path, k, msg));
    total += k.length + (typeof v === "string" ? v.length : 0);
  }
  if (total > TOTAL_ANNOTATION_SIZE_LIMIT) errs.push({ type: "FieldValueTooLong", field: path.toString(), badValue: "", detail: `must have at most ${TOTAL_ANNOTATION_SIZE_LIMIT} bytes` });
  return errs;
}

function validateOwnerReferences(meta: ObjectMeta, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  let controllers = 0;
  (meta.ownerReferences ?? []).forEach((ref, i) => {
    const p = path.index(i);
    if (!ref.apiVersion) errs.push(fieldErrors.invalid(p.child("apiVersion"), ref.apiVersion ?? "", "version must not be empty"));
    if (!ref.kind) errs.push(fieldErrors.invalid(p.child("kind"), ref.kind ?? "", "kind must not be empty"));
    if (!ref.name) errs.push(fieldErrors.invalid(p.child("name"), ref.name ?? "", "name must not be empty"));
    if (!ref.uid) errs.push(fieldErrors.invalid(p.child("uid"), ref.uid ?? "", "uid must not be empty"));
    if (ref.controller) controllers++;
  });
  if (controllers > 1)
    errs.push(fieldErrors.invalid(path, meta.ownerReferences, "Only one reference can have Controller set to true"));
  return errs;
}

function validateFinalizers(finalizers: string[] | undefined, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  const seen = new Set<string>();
  for (const f of finalizers ?? []) {
    for (const msg of qualifiedNameErrors(f)) errs.push(fieldErrors.invalid(path, f, msg));
    if (seen.has(f)) errs.push(fieldErrors.duplicate(path, f));
    seen.add(f);
  }
  return errs;
}

/** Upstream ValidateObjectMeta for a new object. */
export function validateObjectMeta(meta: ObjectMeta, namespaced: boolean, rule: NameValidation): FieldError[] {
  const path = FieldPath.root("metadata");
  const errs: FieldError[] = [];
  if (meta.generateName) {
    for (const msg of nameErrors(rule, meta.generateName, true)) errs.push(fieldErrors.invalid(path.child("generateName"), meta.generateName, msg));
  }
  if (!meta.name) {
    errs.push(fieldErrors.required(path.child("name"), "name or generateName is required"));
  } else {
    for (const msg of nameErrors(rule, meta.name)) errs.push(fieldErrors.invalid(path.child("name"), meta.name, msg));
  }
  if (namespaced) {
    if (!meta.namespace) errs.push(fieldErrors.required(path.child("namespace"), ""));
    else for (const msg of dns1123LabelErrors(meta.namespace)) errs.push(fieldErrors.invalid(path.child("namespace"), meta.namespace, msg));
  } else if (meta.namespace) {
    errs.push(fieldErrors.forbidden(path.child("namespace"), "not allowed on this type"));
  }
  if (meta.generation !== undefined && meta.generation < 0)
    errs.push(fieldErrors.invalid(path.child("generation"), meta.generation, "must be greater than or equal to 0"));
  errs.push(...validateLabels(meta.labels, path.child("labels")));
  errs.push(...validateAnnotations(meta.annotations, path.child("annotations")));
  errs.push(...validateOwnerReferences(meta, path.child("ownerReferences")));
  errs.push(...validateFinalizers(meta.finalizers, path.child("finalizers")));
  return errs;
}

/** Upstream ValidateObjectMetaUpdate: identity fields are immutable, the rest revalidated. */
export function validateObjectMetaUpdate(meta: ObjectMeta, old: ObjectMeta, namespaced: boolean): FieldError[] {
  const path = FieldPath.root("metadata");
  const errs: FieldError[] = [];
  const immutable = (field: keyof ObjectMeta) => {
    if ((meta[field] ?? "") !== (old[field] ?? "")) errs.push(fieldErrors.invalid(path.child(field), meta[field] ?? "", "field is immutable"));
  };
  immutable("name");
  if (namespaced) immutable("namespace");
  immutable("uid");
  immutable("creationTimestamp");
  errs.push(...validateLabels(meta.labels, path.child("labels")));
  errs.push(...validateAnnotations(meta.annotations, path.child("annotations")));
  errs.push(...validateOwnerReferences(meta, path.child("ownerReferences")));
  errs.push(...validateFinalizers(meta.finalizers, path.child("finalizers")));
  return errs;
}
