// Label selectors (upstream k8s.io/apimachinery/pkg/labels): parsing of the string form used in
// ?labelSelector=, matching, and conversion from metav1.LabelSelector.
import { errors } from "./errors.js";

export type LabelOperator = "=" | "==" | "!=" | "in" | "notin" | "exists" | "!" | "gt" | "lt";

export interface Requirement {
  key: string;
  operator: LabelOperator;
  values: string[];
}

export interface LabelSelector {
  readonly requirements: readonly Requirement[];
  /** True when the selector selects everything. */
  readonly empty: boolean;
  matches(labels: Record<string, string> | undefined): boolean;
  toString(): string;
}

export interface MetaLabelSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: { key: string; operator: string; values?: string[] }[];
}

const QUALIFIED_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

/** Problems with a label key (upstream IsQualifiedName), empty when valid. */
export function qualifiedNameErrors(value: string): string[] {
  const errs: string[] = [];
  const parts = value.split("/");
  let name = value;
  if (parts.length === 2) {
    const [prefix, n] = parts as [string, string];
    name = n;
    if (prefix.length === 0) errs.push("prefix part must be non-empty");
    else if (prefix.length > 253) errs.push("prefix part must be no more than 253 characters");
    else if (!DNS1123_SUBDOMAIN.test(prefix))
      errs.push(
        "prefix part a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')",
      );
  } else if (parts.length > 2) {
    return [
      "a qualified name must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]') with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')",
    ];
  }
  if (name.length === 0) errs.push("name part must be non-empty");
  else if (name.length > 63) errs.push("name part must be no more than 63 characters");
  if (!QUALIFIED_NAME.test(name))
    errs.push(
      "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')",
    );
  return errs;
}

/** Problems with a label value (upstream IsValidLabelValue), empty when valid. */
export function labelValueErrors(value: string): string[] {
  const errs: string[] = [];
  if (value.length > 63) errs.push("must be no more than 63 characters");
  if (!LABEL_VALUE.test(value))
    errs.push(
      "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')",
    );
  return errs;
}

function requirementMatches(r: Requirement, labels: Record<string, string> | undefined): boolean {
  const has = labels !== undefined && Object.prototype.hasOwnProperty.call(labels, r.key);
  const value = has ? labels![r.key]! : undefined;
  switch (r.operator) {
    case "=":
    case "==":
    case "in":
      return has && r.values.includes(value!);
    case "!=":
    case "notin":
      return !has || !r.values.includes(value!);
    case "exists":
      return has;
    case "!":
      return !has;
    case "gt":
    case "lt": {
      if (!has) return false;
      const v = Number.parseInt(value!, 10);
      const bound = Number.parseInt(r.values[0]!, 10);
      if (Number.isNaN(v) || Number.isNaN(bound)) return false;
      return r.operator === "gt" ? v > bound : v < bound;
    }
  }
}

function requirementString(r: Requirement): string {
  switch (r.operator) {
    case "exists":
      return r.key;
    case "!":
      return `!${r.key}`;
    case "in":
    case "notin":
      return `${r.key} ${r.operator} (${r.values.join(",")})`;
    case "gt":
      return `${r.key}>${r.values[0]}`;
    case "lt":
      return `${r.key}<${r.values[0]}`;
    default:
      return `${r.key}${r.operator}${r.values[0]}`;
  }
}

class Selector implements LabelSelector {
  readonly empty: boolean;
  constructor(readonly requirements: readonly Requirement[]) {
    this.empty = requirements.length === 0;
  }
  matches(labels: Record<string, string> | undefined): boolean {
    for (const r of this.requirements) if (!requirementMatches(r, labels)) return false;
    return true;
  }
  toString(): string {
    return this.requirements.map(requirementString).join(",");
  }
}

/** Selects everything. */
export const everything: LabelSelector = new Selector([]);
/** Selects nothing (an empty-but-non-nil metav1 selector is everything; a nil one selects nothing). */
export const nothing: LabelSelector = {
  requirements: [],
  empty: false,
  matches: () => false,
  toString: () => "<none>",
};

type Token = "id" | "!" | "=" | "==" | "!=" | "(" | ")" | "," | ">" | "<" | "end";

/** Upstream's label lexer: special symbols, and identifiers running to whitespace or a symbol. */
function lex(input: string): { tok: Token; lit: string }[] {
  const out: { tok: Token; lit: string }[] = [];
  let i = 0;
  while (i < input.length) {
    const c = input[i]!;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    const two = input.slice(i, i + 2);
    if (two === "!=" || two === "==") {
      out.push({ tok: two, lit: two });
      i += 2;
    } else if ("!=(),<>".includes(c)) {
      out.push({ tok: c as Token, lit: c });
      i++;
    } else {
      const start = i;
      while (i < input.length && !/\s/.test(input[i]!) && !"!=(),<>".includes(input[i]!)) i++;
      out.push({ tok: "id", lit: input.slice(start, i) });
    }
  }
  out.push({ tok: "end", lit: "" });
  return out;
}

/** Upstream NewRequirement's checks, as field errors joined the way its aggregate prints them. */
function requirementErrors(r: Requirement): string[] {
  const errs: string[] = [];
  const keyErrs = qualifiedNameErrors(r.key);
  if (keyErrs.length) errs.push(`<nil>: Invalid value: ${JSON.stringify(r.key)}: ${keyErrs.join("; ")}`);
  const vals = r.values;
  switch (r.operator) {
    case "in":
    case "notin":
      if (vals.length === 0) errs.push("values: Invalid value: []string{}: for 'in', 'notin' operators, values set can't be empty");
      break;
    case "=":
    case "==":
    case "!=":
      if (vals.length !== 1) errs.push("values: Invalid value: []string{}: exact-match compatibility requires one single value");
      break;
    case "exists":
    case "!":
      if (vals.length !== 0) errs.push("values: Invalid value: []string{}: values set must be empty for exists and does not exist");
      break;
    case "gt":
    case "lt":
      vals.forEach((v, i) => {
        if (!/^[+-]?\d+$/.test(v)) errs.push(`values[${i}]: Invalid value: ${JSON.stringify(v)}: for 'Gt', 'Lt' operators, the value must be an integer`);
      });
      break;
  }
  vals.forEach((v, i) => {
    const valueErrs = labelValueErrors(v);
    if (valueErrs.length) errs.push(`values[${i}][${r.key}]: Invalid value: ${JSON.stringify(v)}: ${valueErrs.join("; ")}`);
  });
  return errs;
}

function checkRequirement(r: Requirement): Requirement {
  const errs = requirementErrors(r);
  if (errs.length) throw new SelectorSyntaxError(errs.length === 1 ? errs[0]! : `[${errs.join(", ")}]`);
  return r;
}

class SelectorSyntaxError extends Error {}

const BINARY_OPERATORS = "in, notin, =, ==, !=, gt, lt";

/** Parses the string form exactly as upstream's labels.Parse does (errors: 400 BadRequest). */
export function parseLabelSelector(input: string): LabelSelector {
  try {
    return new Selector(parseRequirements(input).sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0)));
  } catch (err) {
    if (err instanceof SelectorSyntaxError) throw errors.badRequest(err.message);
    throw err;
  }
}

function parseRequirements(input: string): Requirement[] {
  const toks = lex(input);
  let pos = 0;
  const peek = () => toks[pos]!;
  const next = () => toks[Math.min(pos++, toks.length - 1)]!;
  const fail = (msg: string): never => {
    throw new SelectorSyntaxError(msg);
  };

  const parseValues = (): string[] => {
    const open = next();
    if (open.tok !== "(") fail(`found '${open.lit}' expected: '('`);
    const first = peek();
    if (first.tok === ")") {
      next();
      return [""];
    }
    if (first.tok !== "id" && first.tok !== ",") fail(`found '${first.lit}', expected: ',', ')' or identifier`);
    const values = new Set<string>();
    for (;;) {
      const t = next();
      if (t.tok === "id") {
        values.add(t.lit);
        const after = peek();
        if (after.tok === ",") continue;
        if (after.tok === ")") break;
        fail(`found '${after.lit}', expected: ',' or ')'`);
      } else if (t.tok === ",") {
        if (values.size === 0) values.add("");
        const after = peek();
        if (after.tok === ")") {
          values.add("");
          break;
        }
        if (after.tok === ",") {
          next();
          values.add("");
        }
      } else {
        fail(`found '${t.lit}', expected: ',', or identifier`);
      }
    }
    const close = next();
    if (close.tok !== ")") fail(`found '${close.lit}', expected: ')'`);
    return [...values].sort();
  };

  const parseRequirement = (): Requirement => {
    let t = next();
    let notExists = false;
    if (t.tok === "!") {
      notExists = true;
      t = next();
    }
    if (t.tok !== "id") fail(`found '${t.lit}', expected: identifier`);
    const key = t.lit;
    const keyErrs = qualifiedNameErrors(key);
    if (keyErrs.length) fail(`<nil>: Invalid value: ${JSON.stringify(key)}: ${keyErrs.join("; ")}`);
    const ahead = peek().tok;
    if (notExists) return checkRequirement({ key, operator: "!", values: [] });
    if (ahead === "end" || ahead === ",") return checkRequirement({ key, operator: "exists", values: [] });
    const op = next();
    let operator: LabelOperator;
    if (op.tok === "id" && op.lit === "in") operator = "in";
    else if (op.tok === "id" && op.lit === "notin") operator = "notin";
    else if (op.tok === "=" || op.tok === "==" || op.tok === "!=") operator = op.tok;
    else if (op.tok === ">") operator = "gt";
    else if (op.tok === "<") operator = "lt";
    else return fail(`found '${op.lit}', expected: ${BINARY_OPERATORS}`);
    let values: string[];
    if (operator === "in" || operator === "notin") values = parseValues();
    else {
      const v = peek();
      if (v.tok === "end" || v.tok === ",") values = [""];
      else {
        next();
        if (v.tok !== "id") fail(`found '${v.lit}', expected: identifier`);
        values = [v.lit];
      }
    }
    return checkRequirement({ key, operator, values });
  };

  const reqs: Requirement[] = [];
  for (;;) {
    const t = peek();
    if (t.tok === "end") return reqs;
    if (t.tok !== "id" && t.tok !== "!") fail(`found '${t.lit}', expected: !, identifier, or 'end of string'`);
    try {
      reqs.push(parseRequirement());
    } catch (err) {
      if (err instanceof SelectorSyntaxError) throw new SelectorSyntaxError(`unable to parse requirement: ${err.message}`);
      throw err;
    }
    const sep = next();
    if (sep.tok === "end") return reqs;
    if (sep.tok !== ",") fail(`found '${sep.lit}', expected: ',' or 'end of string'`);
    const after = peek();
    if (after.tok !== "id" && after.tok !== "!") fail(`found '${after.lit}', expected: identifier after ','`);
  }
}

/**
 * Converts a metav1.LabelSelector (upstream LabelSelectorAsSelector): undefined/null selects
 * nothing, {} selects everything.
 */
export function fromMetaLabelSelector(sel: MetaLabelSelector | null | undefined): LabelSelector {
  if (sel === null || sel === undefined) return nothing;
  const reqs: Requirement[] = [];
  const add = (r: Requirement) => {
    const errs = requirementErrors(r);
    if (errs.length) throw errors.badRequest(errs.length === 1 ? errs[0]! : `[${errs.join(", ")}]`);
    reqs.push(r);
  };
  for (const key of Object.keys(sel.matchLabels ?? {})) add({ key, operator: "=", values: [sel.matchLabels![key]!] });
  for (const expr of sel.matchExpressions ?? []) {
    const values = [...new Set(expr.values ?? [])].sort();
    switch (expr.operator) {
      case "In":
        add({ key: expr.key, operator: "in", values });
        break;
      case "NotIn":
        add({ key: expr.key, operator: "notin", values });
        break;
      case "Exists":
        add({ key: expr.key, operator: "exists", values: [] });
        break;
      case "DoesNotExist":
        add({ key: expr.key, operator: "!", values: [] });
        break;
      default:
        throw errors.badRequest(`${JSON.stringify(expr.operator)} is not a valid label selector operator`);
    }
  }
  return new Selector(reqs.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0)));
}

/** A selector from a plain map (ReplicationController/Service selectors): every pair must match. */
export function fromLabelMap(map: Record<string, string> | undefined | null): LabelSelector {
  return new Selector(
    Object.keys(map ?? {})
      .sort()
      .map((key) => ({ key, operator: "=" as const, values: [map![key]!] })),
  );
}
