// Compiling the x-kubernetes-validations of one schema node (upstream apiextensions-apiserver
// pkg/apiserver/schema/cel/compilation.go Compile/compileRule): `self` (and `oldSelf`, optional
// when optionalOldSelf is set) are declared with the node's CEL type, each rule must type-check to
// bool and each messageExpression to string. Results are cached per schema node, so validating
// many objects of a CRD compiles its rules once.
import { type Environment, Optional } from "@marcbachmann/cel-js";
import type { JSONSchemaProps, ValidationRule } from "../schema/types.js";
import { baseEnvironment, DURATION, TIMESTAMP } from "./library.js";
import { celEqual, objectClassOf } from "./values.js";
import { type DeclType, schemaDeclType } from "./types.js";
import { validFieldPath } from "./field-path.js";

export const SCOPED_VAR_NAME = "self";
export const OLD_SCOPED_VAR_NAME = "oldSelf";

/** Upstream apiservercel.Error: Invalid, Required or Internal with its detail. */
export interface CelError {
  type: "Invalid" | "Required" | "Internal";
  detail: string;
}

export type Program = (vars: Record<string, unknown>) => unknown;

/** One rule's compilation (upstream CompilationResult). */
export interface CompiledRule {
  rule: ValidationRule;
  /** Absent for an empty rule and on error. */
  program?: Program;
  error?: CelError;
  usesOldSelf: boolean;
  messageExpression?: Program;
  messageExpressionError?: CelError;
  /** The rule's fieldPath as a field path relative to the node ("spec.x[key]"), when valid. */
  normalizedRuleFieldPath?: string;
}

export interface CompiledNode {
  declType: DeclType;
  rules: CompiledRule[];
}

let typeCounter = 0;

/** The fields of the object types declared in an environment, by type name. */
const declaredFields = new WeakMap<Environment, Map<string, Set<string>>>();

/** Declares the node type's object types in env; returns the CEL type name of t. */
function declareTypes(env: Environment, t: DeclType, name: string): string {
  switch (t.kind) {
    case "duration":
      return DURATION;
    case "timestamp":
      return TIMESTAMP;
    case "list":
      return `list<${declareTypes(env, t.elem, `${name}.__items__`)}>`;
    case "map":
      return `map<string, ${declareTypes(env, t.elem, `${name}.__values__`)}>`;
    case "object": {
      const fields: Record<string, string> = {};
      for (const [field, f] of t.fields) fields[field] = declareTypes(env, f.type, `${name}.${field}`);
      env.registerType(name, { ctor: objectClassOf(t), fields });
      let byName = declaredFields.get(env);
      if (!byName) declaredFields.set(env, (byName = new Map()));
      byName.set(name, new Set(t.fields.keys()));
      env.registerOperator(`${name} == ${name}`, (a: unknown, b: unknown) => celEqual(a, b));
      return name;
    }
    default:
      return t.kind;
  }
}

function ruleEnvironment(declType: DeclType, optionalOldSelf: boolean): Environment {
  const env = baseEnvironment().clone();
  const selfType = declareTypes(env, declType, `selfType${++typeCounter}`);
  env.registerVariable(SCOPED_VAR_NAME, selfType);
  env.registerVariable(OLD_SCOPED_VAR_NAME, optionalOldSelf ? `optional<${selfType}>` : selfType);
  return env;
}

interface SourceNode {
  op?: string;
  args?: unknown;
  range?: { start: number; end: number };
}

interface SourceError {
  message: string;
  summary?: string;
  code?: string;
  range?: { start: number };
  name?: string;
  node?: SourceNode;
}

const BINARY_OPERATORS = new Set(["==", "!=", "<", "<=", ">", ">=", "+", "-", "*", "/", "%", "in", "&&", "||"]);

/** Where cel-go places an issue: at the operator, the call's "(", the selection's "."; else the node's start. */
function issueOffset(source: string, e: SourceError): number {
  const start = e.range?.start ?? 0;
  const node = e.node;
  const args = Array.isArray(node?.args) ? (node.args as SourceNode[]) : [];
  if (node?.op && BINARY_OPERATORS.has(node.op) && args[0]?.range) {
    let i = args[0].range.end;
    while (i < source.length && /\s/.test(source[i]!)) i++;
    return i;
  }
  if (node?.op === "rcall" && args[1]?.range) {
    const i = source.indexOf("(", args[1].range.end);
    if (i >= 0) return i;
  }
  if (node?.op === "call") {
    const i = source.indexOf("(", node.range?.start ?? start);
    if (i >= 0) return i;
  }
  if ((node?.op === "." || node?.op === ".?" || e.code === "no_such_key") && e.name !== "ParseError") {
    const i = source.lastIndexOf(".", start);
    if (i >= 0 && source.slice(i + 1, start).replace("?", "").trim() === "") return i;
  }
  return start;
}

const OPERATOR_NAMES: Record<string, string> = {
  "==": "_==_",
  "!=": "_!=_",
  "<": "_<_",
  "<=": "_<=_",
  ">": "_>_",
  ">=": "_>=_",
  "+": "_+_",
  "-": "_-_",
  "*": "_*_",
  "/": "_/_",
  "%": "_%_",
  in: "@in",
};

/** CEL type names as cel-go prints them: list(int), map(string, int). */
function goTypeName(t: string): string {
  return t.replace(/</g, "(").replace(/>/g, ")").replace(/google\.protobuf\.Timestamp/g, "google.protobuf.Timestamp");
}

/** The checker's/parser's message in cel-go's words where they are known. */
function celGoMessage(e: SourceError): string {
  const summary = e.summary ?? e.message.split("\n")[0] ?? "";
  let m: RegExpExecArray | null;
  if (e.name === "ParseError") return `Syntax error: ${summary}`;
  if ((m = /^No such key: (.*)$/.exec(summary))) return `undefined field '${m[1]}'`;
  if ((m = /^Unknown variable: (.*)$/.exec(summary))) return `undeclared reference to '${m[1]}' (in container '')`;
  if ((m = /^List elements must have the same type, (expected type .*)$/.exec(summary))) return m[1]!;
  if ((m = /^no such overload: (.+?) (==|!=|<=|>=|<|>|\+|-|\*|\/|%|in) (.+)$/.exec(summary))) {
    return `found no matching overload for '${OPERATOR_NAMES[m[2]!]}' applied to '(${goTypeName(m[1]!)}, ${goTypeName(m[3]!)})'`;
  }
  if ((m = /^found no matching overload for '(?:(.+)\.)?(\w+)\((.*)\)'$/.exec(summary))) {
    const receiver = m[1] ? `${goTypeName(m[1])}.` : "";
    return `found no matching overload for '${m[2]}' applied to '${receiver}(${goTypeName(m[3]!)})'`;
  }
  return summary;
}

/** An issue rendered like cel-go's Issues.String(): "ERROR: <input>:1:6: msg\n | src\n | .....^". */
export function formatIssue(source: string, e: SourceError): string {
  const offset = Math.min(issueOffset(source, e), source.length);
  const before = source.slice(0, offset);
  const line = before.split("\n").length;
  const lineStart = before.lastIndexOf("\n") + 1;
  const column = [...source.slice(lineStart, offset)].length;
  const snippet = (source.split("\n")[line - 1] ?? "").replace(/\t/g, " ");
  return `ERROR: <input>:${line}:${column + 1}: ${celGoMessage(e)}\n | ${snippet}\n | ${".".repeat(column)}^`;
}

interface Checked {
  program?: Program;
  type?: string;
  error?: string;
  ast?: unknown;
}

interface AstNode {
  op: string;
  args: unknown;
  range?: { start: number; end: number };
  checkedType?: { name?: string };
}

const isAstNode = (v: unknown): v is AstNode => typeof v === "object" && v !== null && typeof (v as AstNode).op === "string";

function literalString(n: unknown): string | undefined {
  return isAstNode(n) && n.op === "value" && typeof n.args === "string" ? n.args : undefined;
}

/**
 * Checks cel-go makes that the library's checker does not: presence tests and optional selections
 * of undeclared fields, and (the 1.29+ AST validators) literal regexes, durations and timestamps.
 */
function extraIssue(env: Environment, source: string, node: unknown): SourceError | undefined {
  if (Array.isArray(node)) {
    for (const n of node) {
      const issue = extraIssue(env, source, n);
      if (issue) return issue;
    }
    return undefined;
  }
  if (!isAstNode(node)) return undefined;
  const args = Array.isArray(node.args) ? node.args : [];
  const undefinedField = (operand: unknown, field: unknown, at: { start: number } | undefined): SourceError | undefined => {
    const typeName = isAstNode(operand) ? operand.checkedType?.name : undefined;
    const fields = typeName ? declaredFields.get(env)?.get(typeName) : undefined;
    if (fields && typeof field === "string" && !fields.has(field)) {
      return { message: `No such key: ${field}`, summary: `No such key: ${field}`, code: "no_such_key", range: at };
    }
    return undefined;
  };
  if (node.op === ".?") {
    const issue = undefinedField(args[0], args[1], { start: source.indexOf(String(args[1]), (args[0] as AstNode).range?.end ?? 0) });
    if (issue) return issue;
  }
  if (node.op === "call" && args[0] === "has" && Array.isArray(args[1])) {
    const sel = args[1][0];
    if (isAstNode(sel) && sel.op === ".") {
      const selArgs = sel.args as unknown[];
      const issue = undefinedField(selArgs[0], selArgs[1], { start: source.indexOf(String(selArgs[1]), (selArgs[0] as AstNode).range?.end ?? 0) });
      if (issue) return issue;
    }
  }
  const invalidLiteral = (argNode: unknown, summary: string): SourceError => ({ message: summary, summary, code: "invalid_argument", range: isAstNode(argNode) ? argNode.range : undefined });
  if (node.op === "rcall" && ["matches", "find", "findAll"].includes(String(args[0])) && Array.isArray(args[2])) {
    const re = literalString(args[2][0]);
    if (re !== undefined) {
      try {
        new RegExp(re.replace(/^\(\?[imsU]+\)/, ""), "u");
      } catch {
        return invalidLiteral(args[2][0], `invalid ${String(args[0])} argument`);
      }
    }
  }
  if (node.op === "call" && (args[0] === "duration" || args[0] === "timestamp") && Array.isArray(args[1])) {
    const text = literalString(args[1][0]);
    if (text !== undefined) {
      try {
        env.evaluate(`${String(args[0])}(${JSON.stringify(text)})`);
      } catch {
        return invalidLiteral(args[1][0], args[0] === "duration" ? "invalid duration argument" : "invalid timestamp");
      }
    }
  }
  return extraIssue(env, source, node.args);
}

function compileExpression(env: Environment, source: string): Checked {
  try {
    const parsed = env.parse(source);
    const result = parsed.check();
    if (!result.valid) return { error: formatIssue(source, result.error as unknown as SourceError) };
    const extra = extraIssue(env, source, parsed.ast);
    if (extra) return { error: formatIssue(source, extra) };
    return { program: (vars) => parsed(vars), type: result.type, ast: parsed.ast };
  } catch (e) {
    return { error: formatIssue(source, e as SourceError) };
  }
}

/** Whether the expression refers to oldSelf (upstream: a reference in the checked expression). */
function referencesOldSelf(node: unknown): boolean {
  if (Array.isArray(node)) return node.some(referencesOldSelf);
  if (node === null || typeof node !== "object") return false;
  const n = node as { op?: unknown; args?: unknown };
  if (n.op === "id") return n.args === OLD_SCOPED_VAR_NAME;
  return referencesOldSelf(n.args);
}

function compileRule(schema: JSONSchemaProps, rule: ValidationRule, env: Environment): CompiledRule {
  const result: CompiledRule = { rule, usesOldSelf: false };
  if ((rule.rule ?? "").trim().length === 0) return result;
  const compiled = compileExpression(env, rule.rule);
  if (compiled.error !== undefined) {
    result.error = { type: "Invalid", detail: `compilation failed: ${compiled.error}` };
    return result;
  }
  if (compiled.type !== "bool") {
    result.error = { type: "Invalid", detail: "cel expression must evaluate to a bool" };
    return result;
  }
  result.usesOldSelf = referencesOldSelf(compiled.ast);
  result.program = compiled.program;
  if (rule.messageExpression) {
    const msg = compileExpression(env, rule.messageExpression);
    if (msg.error !== undefined) {
      result.messageExpressionError = { type: "Invalid", detail: `messageExpression compilation failed: ${msg.error}` };
      return result;
    }
    if (msg.type !== "string") {
      result.messageExpressionError = { type: "Invalid", detail: "messageExpression must evaluate to a string" };
      return result;
    }
    result.messageExpression = msg.program;
  }
  if (rule.fieldPath) {
    const p = validFieldPath(rule.fieldPath, schema);
    if (typeof p !== "string") result.normalizedRuleFieldPath = p.path;
  }
  return result;
}

const cache = [new WeakMap<JSONSchemaProps, CompiledNode | string>(), new WeakMap<JSONSchemaProps, CompiledNode | string>()];

/**
 * The compiled rules of one schema node (a resource root or embedded resource when isResourceRoot),
 * or the reason its type cannot be declared. Cached per node.
 */
export function compileNodeRules(schema: JSONSchemaProps, isResourceRoot: boolean): CompiledNode | string {
  const byRoot = cache[isResourceRoot ? 1 : 0]!;
  const hit = byRoot.get(schema);
  if (hit !== undefined) return hit;
  const result = compileUncached(schema, isResourceRoot);
  byRoot.set(schema, result);
  return result;
}

function compileUncached(schema: JSONSchemaProps, isResourceRoot: boolean): CompiledNode | string {
  const declType = schemaDeclType(schema, isResourceRoot);
  if (!declType) return "unable to convert structural schema to CEL declarations";
  const rules = schema["x-kubernetes-validations"] ?? [];
  let env: Environment | undefined;
  let optionalEnv: Environment | undefined;
  const compiled = rules.map((rule) => {
    const e = rule.optionalOldSelf ? (optionalEnv ??= ruleEnvironment(declType, true)) : (env ??= ruleEnvironment(declType, false));
    try {
      return compileRule(schema, rule, e);
    } catch (err) {
      return { rule, usesOldSelf: false, error: { type: "Internal", detail: `unexpected compilation error: ${(err as Error).message}` } } as CompiledRule;
    }
  });
  return { declType, rules: compiled };
}

export { Optional };
