// Server-side field validation (upstream fieldValidation=Strict|Warn|Ignore, default Warn):
// unknown and duplicate fields are errors (Strict, 400), warnings (Warn) or silent (Ignore).
// Unknown fields of built-in kinds are always dropped, as decoding into upstream's typed structs
// drops them. The order and wording of the problems follow upstream exactly:
//  - a JSON create/update reports unknown and duplicate fields together in document order (a field
//    both unknown and duplicated is reported once, as unknown);
//  - YAML reports the decoder's `line N: key "x" already set in map` lines, then unknown fields;
//  - a patch reports the patch's own duplicate fields, then the unknown fields of the patched
//    object (in the order the decoder meets them in the re-encoded, key-sorted object); JSON patch
//    operations are checked for unknown/duplicate op fields first.
import { errors } from "../../apimachinery/errors.js";
import { type FieldError, FieldPath, fieldErrors } from "../../apimachinery/field-errors.js";
import type { KubeObject } from "../../apimachinery/types.js";
import type { SchemaIndex } from "../../openapi/schema-index.js";
import { addWarning, type RequestContext } from "../../registry/context.js";
import { scanJsonKeys } from "./json-keys.js";
import { yamlDuplicateKeys } from "./yaml-keys.js";

export type FieldValidationMode = "Strict" | "Warn" | "Ignore";

/** Upstream's allowed values, as sets.NewString("", Ignore, Warn, Strict).List() lists them (sorted). */
const FIELD_VALIDATION_VALUES = ["", "Ignore", "Strict", "Warn"];

/** Upstream ValidateFieldValidation: the errors of a fieldValidation query value (none when valid or absent). */
export function fieldValidationErrors(query: URLSearchParams): FieldError[] {
  const v = query.get("fieldValidation") ?? "";
  return FIELD_VALIDATION_VALUES.includes(v) ? [] : [fieldErrors.notSupported(FieldPath.root("fieldValidation"), v, FIELD_VALIDATION_VALUES)];
}

/** The directive of a valid fieldValidation value: absent or empty is Warn. */
export function fieldValidationMode(query: URLSearchParams): FieldValidationMode {
  const v = query.get("fieldValidation");
  return v === "Ignore" || v === "Strict" ? v : "Warn";
}

export function parseFieldValidation(query: URLSearchParams, optionsKind: "CreateOptions" | "UpdateOptions" | "PatchOptions"): FieldValidationMode {
  const errs = fieldValidationErrors(query);
  if (errs.length) throw errors.invalid({ group: "meta.k8s.io", kind: optionsKind }, "", errs);
  return fieldValidationMode(query);
}

const unknown = (path: string) => `unknown field "${path}"`;

/** A field path's steps: names, and list indexes as numbers ("a.b[10].c" → a, b, 10, c). */
function pathSteps(path: string): (string | number)[] {
  const steps: (string | number)[] = [];
  for (const m of path.matchAll(/\[(\d+)\]|[^.[\]]+/g)) steps.push(m[1] !== undefined ? Number(m[1]) : m[0]);
  return steps;
}

function compareSteps(a: string | number, b: string | number): number {
  if (typeof a === "number" && typeof b === "number") return a - b;
  const x = String(a);
  const y = String(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

/**
 * Unknown fields in the order upstream's strict decoder meets them: it decodes JSON whose keys are
 * sorted at every level (YAML converted to JSON, a patched object re-encoded from a map), so a
 * level's keys come bytewise and list items in index order (containers[2] before containers[10]).
 */
function decoderOrder(paths: string[]): string[] {
  const keyed = paths.map((p) => ({ p, steps: pathSteps(p) }));
  keyed.sort((a, b) => {
    for (let i = 0; i < Math.min(a.steps.length, b.steps.length); i++) {
      const c = compareSteps(a.steps[i]!, b.steps[i]!);
      if (c) return c;
    }
    return a.steps.length - b.steps.length;
  });
  return keyed.map((k) => k.p);
}

function report(ctx: RequestContext, mode: FieldValidationMode, problems: string[], strictMessage: () => string): void {
  if (problems.length === 0) return;
  if (mode === "Strict") throw errors.badRequest(strictMessage());
  for (const p of problems) addWarning(ctx, p);
}

/**
 * Drops what decoding into the kind drops (fields it does not declare) and returns their paths
 * when asked to (`report`), in no particular order.
 */
export type FieldDecoder = (obj: KubeObject, report: boolean) => string[];

/** The decoder of a published (built-in) schema: typed decoding of upstream's Go structs. */
export function schemaFieldDecoder(schemas: SchemaIndex, schemaName: string | undefined): FieldDecoder | undefined {
  if (!schemaName || !schemas.has(schemaName)) return undefined;
  return (obj, report) => {
    const unknownPaths = report ? schemas.unknownFields(schemaName, obj) : [];
    schemas.prune(schemaName, obj);
    return unknownPaths;
  };
}

export interface DecodedBody {
  /** The request body as text (JSON or YAML); absent for protobuf bodies. */
  text?: string | undefined;
  yaml: boolean;
}

/** Checks (and prunes) the object of a create or update against its kind's schema. */
export function validateBodyFields(
  ctx: RequestContext,
  mode: FieldValidationMode,
  decoder: FieldDecoder | undefined,
  obj: KubeObject,
  body: DecodedBody,
  type: { kind: string; version: string },
): void {
  if (!decoder) return;
  const unknownPaths = decoder(obj, mode !== "Ignore");
  if (mode === "Ignore") return;
  let problems: string[];
  let strictText: string[];
  if (body.yaml && body.text !== undefined) {
    const dups = yamlDuplicateKeys(body.text);
    const unknowns = decoderOrder(unknownPaths).map(unknown);
    problems = [...dups, ...unknowns];
    strictText = dups.length ? [`yaml: unmarshal errors:\n  ${dups.join("\n  ")}`, ...unknowns] : unknowns;
  } else if (body.text !== undefined) {
    const unknownSet = new Set(unknownPaths);
    const reported = new Set<string>();
    problems = [];
    for (const ev of scanJsonKeys(body.text)) {
      if (unknownSet.has(ev.path)) {
        if (!reported.has(ev.path)) problems.push(unknown(ev.path));
        reported.add(ev.path);
      } else if (ev.duplicate) problems.push(`duplicate field "${ev.path}"`);
    }
    strictText = problems;
  } else {
    problems = decoderOrder(unknownPaths).map(unknown);
    strictText = problems;
  }
  report(ctx, mode, problems, () => `${type.kind} in version "${type.version}" cannot be handled as a ${type.kind}: strict decoding error: ${strictText.join(", ")}`);
}

const JSON_PATCH_OP_FIELDS = new Set(["op", "path", "value", "from"]);

/** Problems of the patch document itself (duplicate fields; for JSON patch, op fields). */
export function patchDocumentProblems(text: string, jsonPatch: boolean): string[] {
  const out: string[] = [];
  for (const ev of scanJsonKeys(text)) {
    if (jsonPatch) {
      const m = ev.path.match(/^(\[\d+\])\.([^.[]+)$/);
      if (!m) continue;
      if (!JSON_PATCH_OP_FIELDS.has(m[2]!)) out.push(`json patch unknown field "${ev.path}"`);
      else if (ev.duplicate) out.push(`json patch duplicate field "${ev.path}"`);
    } else if (ev.duplicate) out.push(`duplicate field "${ev.path}"`);
  }
  return out;
}

/** Checks (and prunes) the result of a patch; patchProblems come from patchDocumentProblems(). */
export function validatePatchedFields(
  ctx: RequestContext,
  mode: FieldValidationMode,
  decoder: FieldDecoder | undefined,
  patched: KubeObject,
  patchProblems: string[],
): void {
  if (!decoder) return;
  const unknownPaths = decoder(patched, mode !== "Ignore");
  if (mode === "Ignore") return;
  const problems = [...patchProblems, ...decoderOrder(unknownPaths).map(unknown)];
  report(ctx, mode, problems, () => `strict decoding error: ${problems.join(", ")}`);
}
