// Compilation checks of x-kubernetes-validations rules at CRD create/update (the CEL part of
// upstream apiextensions validation.go ValidateCustomResourceDefinitionOpenAPISchema): each rule's
// fields are checked (rule, message, messageExpression, reason, fieldPath), then, when nothing is
// wrong at the node or below, rules and messageExpressions are compiled against the node's CEL type,
// and oldSelf use is checked against correlatability. Rule cost estimation and the cost limits are
// not implemented.
import { type FieldError, type FieldPath, fieldErrors, GoValue } from "../../apimachinery/field-errors.js";
import type { JSONSchemaProps, ValidationRule } from "../schema/types.js";
import { compileNodeRules } from "./environment.js";
import { validFieldPath } from "./field-path.js";

const SUPPORTED_REASONS = ["FieldValueDuplicate", "FieldValueForbidden", "FieldValueInvalid", "FieldValueRequired"];

/** Upstream's schema errors (rule fields) and CEL errors (compilation) of the schema's rules. */
export interface SchemaRuleErrors {
  schemaErrors: FieldError[];
  celErrors: FieldError[];
}

export interface SchemaRuleOptions {
  /**
   * Whether the schema is structural and its defaults valid. Upstream compiles rules only then
   * (RootCELContext is created only for a valid structural schema); default true.
   */
  structural?: boolean;
}

/** Go's strconv.Quote for the common cases (what %#v prints for strings). */
function goQuote(s: string): string {
  return JSON.stringify(s).replace(/\\u00([0-9a-f]{2})/g, (_, h: string) => `\\x${h}`);
}

// Go prints pointers as addresses; any stable stand-in will do
const POINTER = "0xc000a1b2c0";

/** %#v of the internal apiextensions.ValidationRule, the bad value of rule/messageExpression errors. */
export function goValidationRule(rule: ValidationRule): GoValue {
  const reason = rule.reason === undefined ? "(*apiextensions.FieldValueErrorReason)(nil)" : `(*apiextensions.FieldValueErrorReason)(${POINTER})`;
  const optional = rule.optionalOldSelf === undefined ? "(*bool)(nil)" : `(*bool)(${POINTER})`;
  return new GoValue(
    `apiextensions.ValidationRule{Rule:${goQuote(rule.rule ?? "")}, Message:${goQuote(rule.message ?? "")}, ` +
      `MessageExpression:${goQuote(rule.messageExpression ?? "")}, Reason:${reason}, FieldPath:${goQuote(rule.fieldPath ?? "")}, ` +
      `OptionalOldSelf:${optional}}`,
  );
}

const hasNewlines = (s: string) => /\n/.test(s);

/** The checks of one rule's fields (upstream: SchemaErrors of the x-kubernetes-validations loop). */
function ruleFieldErrors(schema: JSONSchemaProps, rule: ValidationRule, p: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  const text = rule.rule ?? "";
  const message = rule.message ?? "";
  const trimmedRule = text.trim();
  const trimmedMsg = message.trim();
  if (trimmedRule.length === 0) errs.push(fieldErrors.required(p.child("rule"), "rule is not specified"));
  else if (message.length > 0 && trimmedMsg.length === 0) errs.push(fieldErrors.invalid(p.child("message"), message, "message must be non-empty if specified"));
  else if (hasNewlines(trimmedMsg)) errs.push(fieldErrors.invalid(p.child("message"), message, "message must not contain line breaks"));
  else if (hasNewlines(trimmedRule) && trimmedMsg.length === 0) errs.push(fieldErrors.required(p.child("message"), "message must be specified if rule contains line breaks"));
  const msgExpr = rule.messageExpression ?? "";
  if (msgExpr.length > 0 && msgExpr.trim().length === 0) {
    errs.push(fieldErrors.required(p.child("messageExpression"), "messageExpression must be non-empty if specified"));
  }
  if (rule.reason !== undefined && rule.reason !== null && !SUPPORTED_REASONS.includes(rule.reason)) {
    errs.push(fieldErrors.notSupported(p.child("reason"), rule.reason, SUPPORTED_REASONS));
  }
  const fieldPath = rule.fieldPath ?? "";
  if (fieldPath.length > 0 && fieldPath.trim().length === 0) errs.push(fieldErrors.invalid(p.child("fieldPath"), fieldPath, "fieldPath must be non-empty if specified"));
  if (hasNewlines(fieldPath)) errs.push(fieldErrors.invalid(p.child("fieldPath"), fieldPath, "fieldPath must not contain line breaks"));
  if (fieldPath.length > 0 && typeof validFieldPath(fieldPath, schema) === "string") {
    errs.push(fieldErrors.invalid(p.child("fieldPath"), fieldPath, "fieldPath must be a valid path"));
  }
  return errs;
}

interface Context {
  /** The first ancestor whose items/properties cannot be correlated with their old values. */
  uncorrelatablePath?: FieldPath;
  /** Whether CEL compilation applies (false under not/allOf/anyOf/oneOf/definitions/dependencies). */
  cel: boolean;
  isRoot: boolean;
}

function mapIsCorrelatable(mapType: string | undefined): boolean {
  return mapType === undefined || mapType === "granular" || mapType === "atomic";
}

function walk(schema: JSONSchemaProps | undefined, path: FieldPath, ctx: Context): SchemaRuleErrors {
  const out: SchemaRuleErrors = { schemaErrors: [], celErrors: [] };
  if (!schema) return out;
  const append = (e: SchemaRuleErrors) => {
    out.schemaErrors.push(...e.schemaErrors);
    out.celErrors.push(...e.celErrors);
  };
  const child = (s: JSONSchemaProps | undefined, p: FieldPath, c: Partial<Context>) => append(walk(s, p, { ...ctx, isRoot: false, ...c }));

  if (typeof schema.additionalProperties === "object") child(schema.additionalProperties, path.child("additionalProperties"), {});
  for (const [name, prop] of Object.entries(schema.properties ?? {})) {
    const uncorrelatable = !mapIsCorrelatable(schema["x-kubernetes-map-type"]) && !ctx.uncorrelatablePath ? path : ctx.uncorrelatablePath;
    child(prop, path.child("properties").key(name), { uncorrelatablePath: uncorrelatable });
  }
  child(schema.not, path.child("not"), { cel: false });
  (schema.allOf ?? []).forEach((s, i) => child(s, path.child("allOf").index(i), { cel: false }));
  (schema.oneOf ?? []).forEach((s, i) => child(s, path.child("oneOf").index(i), { cel: false }));
  (schema.anyOf ?? []).forEach((s, i) => child(s, path.child("anyOf").index(i), { cel: false }));
  for (const [name, s] of Object.entries(schema.definitions ?? {})) child(s, path.child("definitions").key(name), { cel: false });
  if (schema.items !== undefined) {
    const uncorrelatable = schema["x-kubernetes-list-type"] !== "map" && !ctx.uncorrelatablePath ? path : ctx.uncorrelatablePath;
    if (Array.isArray(schema.items)) schema.items.forEach((s, i) => child(s, path.child("items").index(i), { uncorrelatablePath: uncorrelatable }));
    else child(schema.items, path.child("items"), { uncorrelatablePath: uncorrelatable });
  }
  for (const [name, d] of Object.entries(schema.dependencies ?? {})) {
    if (!Array.isArray(d)) child(d, path.child("dependencies").key(name), { cel: false });
  }

  const rules = schema["x-kubernetes-validations"] ?? [];
  if (rules.length === 0) return out;
  const rulesPath = path.child("x-kubernetes-validations");
  rules.forEach((rule, i) => out.schemaErrors.push(...ruleFieldErrors(schema, rule, rulesPath.index(i))));
  if (out.schemaErrors.length > 0 || !ctx.cel) return out;

  const isResourceRoot = ctx.isRoot || schema["x-kubernetes-embedded-resource"] === true;
  const compiled = compileNodeRules(schema, isResourceRoot);
  if (typeof compiled === "string") {
    out.celErrors.push(
      fieldErrors.internal(rulesPath, new Error(`internal error: failed to construct type information for x-kubernetes-validations rules: ${compiled}`)),
    );
    return out;
  }
  compiled.rules.forEach((cr, i) => {
    const p = rulesPath.index(i);
    if (cr.error) {
      if (cr.error.type === "Required") out.celErrors.push(fieldErrors.required(p.child("rule"), cr.error.detail));
      else out.celErrors.push(fieldErrors.invalid(p.child("rule"), goValidationRule(cr.rule), cr.error.detail));
    }
    if (cr.messageExpressionError) {
      out.celErrors.push(fieldErrors.invalid(p.child("messageExpression"), goValidationRule(cr.rule), cr.messageExpressionError.detail));
    }
    if (cr.usesOldSelf) {
      if (ctx.uncorrelatablePath) {
        out.celErrors.push(
          fieldErrors.invalid(p.child("rule"), cr.rule.rule, `oldSelf cannot be used on the uncorrelatable portion of the schema within ${ctx.uncorrelatablePath}`),
        );
      }
    } else if (cr.rule.optionalOldSelf !== undefined && cr.rule.optionalOldSelf !== null) {
      out.celErrors.push(fieldErrors.invalid(p.child("optionalOldSelf"), cr.rule.optionalOldSelf, "may not be set if oldSelf is not used in rule"));
    }
  });
  return out;
}

/** Rule errors split as upstream keeps them: all schema errors first, then all CEL errors. */
export function validateSchemaRulesDetailed(schema: JSONSchemaProps, path: FieldPath, opts: SchemaRuleOptions = {}): SchemaRuleErrors {
  return walk(schema, path, { cel: opts.structural !== false, isRoot: true });
}

/** Errors of every rule in the schema (compile errors, bad fieldPath, bad messageExpression, ...). */
export function validateSchemaRules(schema: JSONSchemaProps, path: FieldPath): FieldError[] {
  const { schemaErrors, celErrors } = validateSchemaRulesDetailed(schema, path);
  return [...schemaErrors, ...celErrors];
}
