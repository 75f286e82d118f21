// Query parameters of the verb handlers, parsed and validated as upstream does
// (metainternalversion ListOptions validation, DeleteOptions, dryRun, fieldManager).
import { ApiError, errors } from "../../apimachinery/errors.js";
import { type FieldError, FieldPath, fieldErrors } from "../../apimachinery/field-errors.js";
import { parseFieldSelector } from "../../apimachinery/fields.js";
import { parseLabelSelector } from "../../apimachinery/labels.js";
import { isPlainObject } from "../../apimachinery/types.js";
import type { DeleteOptions, PropagationPolicy, ResourceVersionMatch, WatchOptions } from "../../registry/rest.js";
import { fieldValidationErrors, fieldValidationMode } from "../field-validation/index.js";
import type { PatchOptions, WriteOptions } from "../pipeline/writes.js";

const invalidOptions = (kind: string, errs: FieldError[]): ApiError => errors.invalid({ group: "meta.k8s.io", kind }, "", errs);

function parseBool(v: string | null): boolean | undefined {
  if (v === null) return undefined;
  return v === "true" || v === "1";
}

function parseIntParam(query: URLSearchParams, name: string): number | undefined {
  const v = query.get(name);
  if (v === null || v === "") return undefined;
  if (!/^-?\d+$/.test(v)) throw errors.badRequest(`invalid value for ${name}: ${JSON.stringify(v)}: strconv.ParseInt: parsing ${JSON.stringify(v)}: invalid syntax`);
  return Number(v);
}

/** ListOptions for list and watch requests (watch=true or the legacy /watch/ path). */
export function parseListOptions(query: URLSearchParams, watch: boolean): WatchOptions {
  const opts: WatchOptions = {
    labelSelector: parseLabelSelector(query.get("labelSelector") ?? ""),
    fieldSelector: parseFieldSelector(query.get("fieldSelector") ?? ""),
  };
  const rv = query.get("resourceVersion");
  if (rv !== null) opts.resourceVersion = rv;
  const match = query.get("resourceVersionMatch");
  if (match) opts.resourceVersionMatch = match as ResourceVersionMatch;
  const limit = parseIntParam(query, "limit");
  if (limit !== undefined && limit > 0) opts.limit = limit;
  const cont = query.get("continue");
  if (cont) opts.continue = cont;
  const bookmarks = parseBool(query.get("allowWatchBookmarks"));
  if (bookmarks !== undefined) opts.allowWatchBookmarks = bookmarks;
  const initial = parseBool(query.get("sendInitialEvents"));
  if (initial !== undefined) opts.sendInitialEvents = initial;
  const timeout = parseIntParam(query, "timeoutSeconds");
  if (timeout !== undefined) opts.timeoutSeconds = timeout;

  const errs: FieldError[] = [];
  const matchPath = FieldPath.root("resourceVersionMatch");
  if (watch) {
    if (opts.sendInitialEvents !== undefined && match !== "NotOlderThan")
      errs.push(fieldErrors.forbidden(matchPath, "sendInitialEvents requires setting resourceVersionMatch to NotOlderThan"));
    if (match) {
      if (opts.sendInitialEvents === undefined)
        errs.push(fieldErrors.forbidden(matchPath, "resourceVersionMatch is forbidden for watch unless sendInitialEvents is provided"));
      if (match !== "NotOlderThan") errs.push(fieldErrors.notSupported(matchPath, match, ["NotOlderThan"]));
      if (opts.continue) errs.push(fieldErrors.forbidden(matchPath, "resourceVersionMatch is forbidden when continue is provided"));
    }
  } else {
    if (match) {
      if (!rv) errs.push(fieldErrors.forbidden(matchPath, "resourceVersionMatch is forbidden unless resourceVersion is provided"));
      if (opts.continue) errs.push(fieldErrors.forbidden(matchPath, "resourceVersionMatch is forbidden when continue is provided"));
      if (match === "Exact" && rv === "0") errs.push(fieldErrors.forbidden(matchPath, 'resourceVersionMatch "exact" is forbidden for resourceVersion "0"'));
      if (match !== "NotOlderThan" && match !== "Exact") errs.push(fieldErrors.notSupported(matchPath, match, ["Exact", "NotOlderThan", ""]));
    }
    if (opts.sendInitialEvents !== undefined) errs.push(fieldErrors.forbidden(FieldPath.root("sendInitialEvents"), "sendInitialEvents is forbidden for list"));
  }
  if (errs.length) throw invalidOptions("ListOptions", errs);
  if (!watch && opts.continue && rv && rv !== "0") throw errors.badRequest("specifying resource version is not allowed when using continue");
  return opts;
}

/** Upstream ValidateDryRun: every value must be "All". */
function dryRunErrors(values: unknown): FieldError[] {
  if (values === undefined || values === null) return [];
  const list = Array.isArray(values) ? values : [values];
  if (list.length === 0 || list.every((v) => v === "All")) return [];
  return [fieldErrors.notSupported(FieldPath.root("dryRun"), list, ["All"])];
}

function validateDryRun(values: unknown, kind: string): boolean {
  const errs = dryRunErrors(values);
  if (errs.length) throw invalidOptions(kind, errs);
  return values !== undefined && values !== null && (!Array.isArray(values) || values.length > 0);
}

export function parseDryRun(query: URLSearchParams, kind: "CreateOptions" | "UpdateOptions" | "PatchOptions"): boolean {
  return validateDryRun(query.getAll("dryRun"), kind);
}

/** Go's unicode.IsPrint: letters, marks, numbers, punctuation, symbols and the ASCII space. */
const PRINTABLE = /^[\p{L}\p{M}\p{N}\p{P}\p{S} ]$/u;

/** Upstream ValidateFieldManager: at most 128 bytes, printable characters only. */
function fieldManagerErrors(fm: string | undefined): FieldError[] {
  if (!fm) return [];
  const errs: FieldError[] = [];
  const path = FieldPath.root("fieldManager");
  if (Buffer.byteLength(fm) > 128) errs.push(fieldErrors.tooLong(path, "", 128));
  let offset = 0;
  for (const ch of fm) {
    if (!PRINTABLE.test(ch)) {
      const code = ch.codePointAt(0)!.toString(16).toUpperCase().padStart(4, "0");
      errs.push(fieldErrors.invalid(path, fm, `invalid character U+${code} (at position ${offset})`));
    }
    offset += Buffer.byteLength(ch);
  }
  return errs;
}

export function parseFieldManager(query: URLSearchParams, kind: string): string | undefined {
  const fm = query.get("fieldManager") ?? undefined;
  const errs = fieldManagerErrors(fm);
  if (errs.length) throw invalidOptions(kind, errs);
  return fm;
}

const POLICIES: PropagationPolicy[] = ["Foreground", "Background", "Orphan"];

/** DeleteOptions from the body (kubectl sends them there) merged over query parameters. */
export function parseDeleteOptions(query: URLSearchParams, body: unknown): DeleteOptions {
  const src: Record<string, unknown> = {};
  const grace = parseIntParam(query, "gracePeriodSeconds");
  if (grace !== undefined) src.gracePeriodSeconds = grace;
  if (query.get("propagationPolicy")) src.propagationPolicy = query.get("propagationPolicy");
  const orphan = parseBool(query.get("orphanDependents"));
  if (orphan !== undefined) src.orphanDependents = orphan;
  if (query.getAll("dryRun").length) src.dryRun = query.getAll("dryRun");
  if (body !== undefined) {
    if (!isPlainObject(body)) throw errors.badRequest("the body of the request was not a DeleteOptions object");
    Object.assign(src, body);
  }
  const errs: FieldError[] = [];
  const opts: DeleteOptions = { dryRun: validateDryRun(src.dryRun, "DeleteOptions") };
  if (typeof src.gracePeriodSeconds === "number") opts.gracePeriodSeconds = Math.max(0, src.gracePeriodSeconds);
  if (src.propagationPolicy !== undefined && src.propagationPolicy !== null) {
    if (!POLICIES.includes(src.propagationPolicy as PropagationPolicy))
      errs.push(fieldErrors.notSupported(FieldPath.root("propagationPolicy"), src.propagationPolicy, POLICIES));
    else opts.propagationPolicy = src.propagationPolicy as PropagationPolicy;
  }
  if (typeof src.orphanDependents === "boolean") {
    if (opts.propagationPolicy)
      errs.push(fieldErrors.invalid(FieldPath.root("orphanDependents"), src.orphanDependents, "Cannot both set OrphanDependents and PropagationPolicy"));
    opts.orphanDependents = src.orphanDependents;
  }
  if (isPlainObject(src.preconditions)) {
    const p = src.preconditions as { uid?: unknown; resourceVersion?: unknown };
    opts.preconditions = {};
    if (typeof p.uid === "string") opts.preconditions.uid = p.uid;
    if (typeof p.resourceVersion === "string") opts.preconditions.resourceVersion = p.resourceVersion;
  }
  if (errs.length) throw invalidOptions("DeleteOptions", errs);
  return opts;
}

/**
 * dryRun, fieldManager and fieldValidation of a create or update, validated together as upstream's
 * ValidateCreateOptions / ValidateUpdateOptions do (one 422 listing every problem, in that order).
 */
export function writeOptions(query: URLSearchParams, kind: "CreateOptions" | "UpdateOptions" | "PatchOptions"): WriteOptions {
  return validatedOptions(query, kind, []);
}

function validatedOptions(query: URLSearchParams, kind: "CreateOptions" | "UpdateOptions" | "PatchOptions", first: FieldError[]): WriteOptions {
  const fieldManager = query.get("fieldManager") ?? undefined;
  const dryRun = query.getAll("dryRun");
  const errs = [...first, ...fieldManagerErrors(fieldManager), ...dryRunErrors(dryRun), ...fieldValidationErrors(query)];
  if (errs.length) throw invalidOptions(kind, errs);
  return { dryRun: dryRun.length > 0, fieldManager, fieldValidation: fieldValidationMode(query) };
}

/** Upstream's *bool query parameter: present means true, unless "0" or "false" (any case). */
function queryPointerBool(v: string | null): boolean | undefined {
  if (v === null) return undefined;
  return !(v === "0" || v.toLowerCase() === "false");
}

/**
 * PatchOptions, validated as upstream's ValidatePatchOptions: force is forbidden for a non-apply
 * patch and fieldManager required for apply, then fieldManager, dryRun and fieldValidation; every
 * problem in one 422.
 */
export function patchOptions(query: URLSearchParams, apply: boolean): PatchOptions {
  const force = queryPointerBool(query.get("force"));
  const first: FieldError[] = [];
  if (!apply && force !== undefined) first.push(fieldErrors.forbidden(FieldPath.root("force"), "may not be specified for non-apply patch"));
  if (apply && !query.get("fieldManager")) first.push(fieldErrors.required(FieldPath.root("fieldManager"), "is required for apply patch"));
  const opts: PatchOptions = validatedOptions(query, "PatchOptions", first);
  if (force !== undefined) opts.force = force;
  return opts;
}
