// Server-side field validation (upstream fieldValidation=Strict|Warn|Ignore, default Warn):
// unknown and duplicate fields are errors (Strict, 400), warnings (Warn) or silent (Ignore).
// Unknown fields of built-in kinds are always dropped, as decoding into upstream's typed structs
// drops them. The order and wording of the problems follow upstream exactly:
//  - a JSON create/update reports unknown and duplicate fields together in document order (a field
//    both unknown and duplicated is reported once, as unknown);
//  - YAML reports the decoder's `line N: key "x" already set in map` lines, then unknown fields;
//  - a patch reports the patch's own duplicate fields, then the unknown fields of the patched
//    object (sorted); JSON patch operations are checked for unknown/duplicate op fields first.
import { errors } from "../../apimachinery/errors.js";
import { FieldPath, fieldErrors } from "../../apimachinery/field-errors.js";
import type { KubeObject } from "../../apimachinery/types.js";
import type { SchemaIndex } from "../../openapi/schema-index.js";
import { addWarning, type RequestContext } from "../../registry/context.js";
import { scanJsonKeys } from "./json-keys.js";
import { yamlDuplicateKeys } from "./yaml-keys.js";

export type FieldValidationMode = "Strict" | "Warn" | "Ignore";

const MODES: FieldValidationMode[] = ["Ignore", "Warn", "Strict"];

export function parseFieldValidation(query: URLSearchParams, optionsKind: "CreateOptions" | "UpdateOptions" | "PatchOptions"): FieldValidationMode {
  const v = query.get("fieldValidation");
  if (!v) return "Warn";
  if ((MODES as string[]).includes(v)) return v as FieldValidationMode;
  throw errors.invalid({ group: "meta.k8s.io", kind: optionsKind }, "", [fieldErrors.notSupported(FieldPath.root("fieldValidation"), v, MODES)]);
}

const unknown = (path: string) => `unknown field "${path}"`;

function report(ctx: RequestContext, mode: FieldValidationMode, problems: string[], strictMessage: () => string): void {
  if (problems.length === 0) return;
  if (mode === "Strict") throw errors.badRequest(strictMessage());
  for (const p of problems) addWarning(ctx, p);
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
  schemas: SchemaIndex,
  schemaName: string | undefined,
  obj: KubeObject,
  body: DecodedBody,
  type: { kind: string; version: string },
): void {
  if (!schemaName || !schemas.has(schemaName)) return;
  const unknownPaths = mode === "Ignore" ? [] : schemas.unknownFields(schemaName, obj);
  schemas.prune(schemaName, obj);
  if (mode === "Ignore") return;
  let problems: string[];
  let strictText: string[];
  if (body.yaml && body.text !== undefined) {
    const dups = yamlDuplicateKeys(body.text);
    const unknowns = [...unknownPaths].sort().map(unknown);
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
    problems = [...unknownPaths].sort().map(unknown);
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
  schemas: SchemaIndex,
  schemaName: string | undefined,
  patched: KubeObject,
  patchProblems: string[],
): void {
  if (!schemaName || !schemas.has(schemaName)) return;
  const unknownPaths = mode === "Ignore" ? [] : schemas.unknownFields(schemaName, patched);
  schemas.prune(schemaName, patched);
  if (mode === "Ignore") return;
  const problems = [...patchProblems, ...[...unknownPaths].sort().map(unknown)];
  report(ctx, mode, problems, () => `strict decoding error: ${problems.join(", ")}`);
}
