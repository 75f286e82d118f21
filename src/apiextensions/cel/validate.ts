// The runtime x-kubernetes-validations validator (upstream apiextensions-apiserver
// pkg/apiserver/schema/cel/validation.go): walks schema and object together, evaluates each node's
// rules with `self` (and `oldSelf` for transition rules when an old value correlates: same property
// path, list-type=map items by their keys, never items of atomic/set lists), then descends into
// items, additionalProperties and properties. Errors are upstream's field errors. The runtime cost
// budget (and its "running out of cost budget" errors) is not implemented.
import { type FieldError, FieldPath, fieldErrors } from "../../apimachinery/field-errors.js";
import type { JSONSchemaProps, ValidationRule } from "../schema/types.js";
import { type CompiledRule, compileNodeRules, OLD_SCOPED_VAR_NAME, Optional, SCOPED_VAR_NAME } from "./environment.js";
import { CelRuntimeError } from "./library.js";
import { additionalPropertiesSchema, itemsSchema } from "./types.js";
import { type ConversionCache, newConversionCache, toCelValue } from "./values.js";

export interface RuleValidationOptions {
  /** The clock (no function of the CRD CEL environment reads it today; accepted for callers). */
  now?: () => Date;
}

/** Upstream celconfig.MaxEvaluatedMessageExpressionSizeBytes. */
const MAX_EVALUATED_MESSAGE_EXPRESSION_SIZE_BYTES = 5 * 1024;

/** A field path that may be nil, as upstream starts the custom resource walk (root errors print "<nil>"). */
type Path = FieldPath | undefined;
const childOf = (p: Path, name: string): FieldPath => (p ? p.child(name) : FieldPath.root(name));
const keyOf = (p: Path, k: string): FieldPath => (p ? p.key(k) : FieldPath.root(`[${k}]`));
const indexOf = (p: Path, i: number): FieldPath => (p ? p.index(i) : FieldPath.root(`[${i}]`));
const render = (p: Path): string => (p ? p.toString() : "<nil>");

const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

const hasRulesCache = new WeakMap<JSONSchemaProps, boolean>();

/** Whether the node or anything below it has rules (upstream hasXValidations). */
function hasRules(s: JSONSchemaProps | undefined): boolean {
  if (!s) return false;
  const hit = hasRulesCache.get(s);
  if (hit !== undefined) return hit;
  const result =
    (s["x-kubernetes-validations"]?.length ?? 0) > 0 ||
    hasRules(itemsSchema(s)) ||
    hasRules(additionalPropertiesSchema(s)) ||
    Object.values(s.properties ?? {}).some(hasRules);
  hasRulesCache.set(s, result);
  return result;
}

/** ruleErrorString: the trimmed message, or else the trimmed rule. */
function ruleErrorString(rule: ValidationRule): string {
  const m = (rule.message ?? "").trim();
  return m.length > 0 ? m : (rule.rule ?? "").trim();
}

function ruleMessageOrDefault(rule: ValidationRule): string {
  return (rule.message ?? "").length === 0 ? `failed rule: ${ruleErrorString(rule)}` : (rule.message ?? "").trim();
}

/** The error a failed rule reports, by its reason (upstream fieldErrorForReason). */
function fieldErrorForReason(path: Path, value: string, detail: string, reason: ValidationRule["reason"]): FieldError {
  const field = render(path);
  switch (reason) {
    case "FieldValueForbidden":
      return fieldErrors.forbidden(field, detail);
    case "FieldValueRequired":
      return fieldErrors.required(field, detail);
    case "FieldValueDuplicate":
      return fieldErrors.duplicate(field, value);
    default:
      return fieldErrors.invalid(field, value, detail);
  }
}

interface LibraryError {
  code?: string;
  summary?: string;
  message?: string;
}

/** A CEL evaluation error in cel-go's words ("no such key: x", "index out of bounds: 3", ...). */
export function evaluationErrorText(e: unknown): string {
  if (e instanceof CelRuntimeError) return e.message;
  const err = (e ?? {}) as LibraryError;
  const summary = err.summary ?? err.message?.split("\n")[0] ?? String(e);
  let m: RegExpExecArray | null;
  switch (err.code) {
    case "no_such_key":
      if ((m = /index out of bounds, index (-?\d+)/.exec(summary))) return `index out of bounds: ${m[1]}`;
      return summary.replace(/^No such key/, "no such key");
    case "index_out_of_bounds":
      if ((m = /index (-?\d+)/.exec(summary))) return `index out of bounds: ${m[1]}`;
      return summary;
    case "division_by_zero":
      return "division by zero";
    case "modulo_by_zero":
      return "modulus by zero";
    case "numeric_overflow":
      return "integer overflow";
    case "no_such_overload":
    case "no_matching_overload":
      return "no such overload";
  }
  return summary;
}

/** messageExpression's message, or undefined when the rule's message (or the default) applies. */
function evalMessageExpression(cr: CompiledRule, vars: Record<string, unknown>): string | undefined {
  if (!cr.messageExpression) return undefined;
  let result: unknown;
  try {
    result = cr.messageExpression(vars);
  } catch {
    return undefined; // upstream logs "messageExpression evaluation failed" and falls back
  }
  if (typeof result !== "string") return undefined;
  const trimmed = result.trim();
  if (Buffer.byteLength(trimmed) > MAX_EVALUATED_MESSAGE_EXPRESSION_SIZE_BYTES || /\n/.test(trimmed) || trimmed.length === 0) return undefined;
  return trimmed;
}

interface Walk {
  cache: ConversionCache;
}

/** Evaluates the rules of one node (upstream validateExpressions). */
function validateExpressions(schema: JSONSchemaProps, isResourceRoot: boolean, path: Path, obj: unknown, old: unknown, w: Walk): FieldError[] {
  const rules = schema["x-kubernetes-validations"] ?? [];
  if (rules.length === 0) return [];
  const type = schema.type ?? "";
  const compiled = compileNodeRules(schema, isResourceRoot);
  if (typeof compiled === "string") {
    return [fieldErrors.invalid(render(path), type, "rule compiler initialization error: failed to convert to declType for CEL validation rules")];
  }
  const errs: FieldError[] = [];
  let self: unknown;
  let oldSelf: unknown;
  let conversionError: string | undefined;
  try {
    self = toCelValue(compiled.declType, obj, w.cache);
    if (old !== undefined && old !== null) oldSelf = toCelValue(compiled.declType, old, w.cache);
  } catch (e) {
    conversionError = (e as Error).message;
  }
  const hasOld = old !== undefined && old !== null;
  for (const cr of compiled.rules) {
    const rule = cr.rule;
    if (cr.error) {
      errs.push(fieldErrors.invalid(render(path), type, `rule compile error: ${cr.error.detail}`));
      continue;
    }
    if (!cr.program) continue; // empty rule
    const optionalOldSelf = rule.optionalOldSelf === true;
    // transition rules run only against a correlated old value, unless oldSelf is optional
    if (cr.usesOldSelf && !hasOld && !optionalOldSelf) continue;
    if (conversionError !== undefined) {
      errs.push(fieldErrors.invalid(render(path), type, `${conversionError} evaluating rule: ${ruleErrorString(rule)}`));
      continue;
    }
    const vars: Record<string, unknown> = { [SCOPED_VAR_NAME]: self };
    if (optionalOldSelf) vars[OLD_SCOPED_VAR_NAME] = hasOld ? Optional.of(oldSelf) : Optional.none();
    else if (hasOld) vars[OLD_SCOPED_VAR_NAME] = oldSelf;
    let result: unknown;
    try {
      result = cr.program(vars);
    } catch (e) {
      const text = evaluationErrorText(e);
      if (text.startsWith("no such overload")) {
        errs.push(
          fieldErrors.invalid(
            render(path),
            type,
            `'${text}': call arguments did not match a supported operator, function or macro signature for rule: ${ruleErrorString(rule)}`,
          ),
        );
      } else {
        errs.push(fieldErrors.invalid(render(path), type, `${text} evaluating rule: ${ruleErrorString(rule)}`));
      }
      continue;
    }
    if (result === true) continue;
    const errPath = cr.normalizedRuleFieldPath ? childOf(path, cr.normalizedRuleFieldPath) : path;
    const message = evalMessageExpression(cr, vars) ?? ruleMessageOrDefault(rule);
    errs.push(fieldErrorForReason(errPath, type, message, rule.reason));
  }
  return errs;
}

/** Scalar key of a list-type=map item (upstream singleKeyStrategy / multiKeyStrategy). */
function compositeKey(item: unknown, keys: string[]): string | undefined {
  if (!isPlainObject(item)) return undefined;
  const parts: string[] = [];
  for (const k of keys) {
    const v = item[k];
    if (typeof v !== "string" && typeof v !== "number" && typeof v !== "boolean") return undefined;
    parts.push(`${typeof v}:${JSON.stringify(v)}`);
  }
  return parts.join("\x00");
}

/** Old items by key for list-type=map lists; nothing correlates in other lists (upstream MakeMapList). */
function correlatableOldItems(schema: JSONSchemaProps, old: unknown): (item: unknown) => unknown {
  const keys = schema["x-kubernetes-list-map-keys"] ?? [];
  if (schema["x-kubernetes-list-type"] !== "map" || keys.length === 0 || !Array.isArray(old) || old.length === 0) return () => undefined;
  const byKey = new Map<string, unknown>();
  for (const item of old) {
    const k = compositeKey(item, keys);
    if (k !== undefined && !byKey.has(k)) byKey.set(k, item);
  }
  return (item) => {
    const k = compositeKey(item, keys);
    return k === undefined ? undefined : byKey.get(k);
  };
}

function mapIsCorrelatable(mapType: string | undefined): boolean {
  return mapType === undefined || mapType === "granular" || mapType === "atomic";
}

/** Validates one node and everything below it (upstream Validator.validate). */
function validateNode(schema: JSONSchemaProps, isResourceRoot: boolean, path: Path, obj: unknown, old: unknown, w: Walk): FieldError[] {
  if (obj === null || obj === undefined || !hasRules(schema)) return [];
  // rules only see non-null values; nullable values are checked from the enclosing schema
  const errs = validateExpressions(schema, isResourceRoot, path, obj, old, w);
  if (Array.isArray(obj)) {
    const items = itemsSchema(schema);
    if (items && hasRules(items)) {
      const oldItem = correlatableOldItems(schema, old);
      obj.forEach((item, i) => errs.push(...validateNode(items, items["x-kubernetes-embedded-resource"] === true, indexOf(path, i), item, oldItem(item), w)));
    }
  } else if (isPlainObject(obj)) {
    const oldMap = mapIsCorrelatable(schema["x-kubernetes-map-type"]) && isPlainObject(old) ? old : undefined;
    const ap = additionalPropertiesSchema(schema);
    if (ap && hasRules(ap)) {
      for (const [k, v] of Object.entries(obj)) {
        errs.push(...validateNode(ap, ap["x-kubernetes-embedded-resource"] === true, keyOf(path, k), v, oldMap?.[k], w));
      }
    }
    const props = schema.properties;
    if (props) {
      for (const [k, v] of Object.entries(obj)) {
        const prop = Object.hasOwn(props, k) ? props[k] : undefined;
        if (prop && hasRules(prop)) errs.push(...validateNode(prop, prop["x-kubernetes-embedded-resource"] === true, childOf(path, k), v, oldMap?.[k], w));
      }
    }
  }
  return errs;
}

/**
 * The x-kubernetes-validations errors of a custom resource (old: the stored object on update).
 * Root-level errors have the field "<nil>", as upstream's validator starts from a nil path.
 */
export function validateCustomResourceRules(schema: JSONSchemaProps, obj: unknown, old: unknown | undefined, _opts: RuleValidationOptions = {}): FieldError[] {
  return validateNode(schema, true, undefined, obj, old, { cache: newConversionCache() });
}
