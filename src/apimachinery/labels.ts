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
    else if (prefix.length > 253) errs.push("prefix part must be no more than 253 bytes");
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
  else if (name.length > 63) errs.push("name part must be no more than 63 bytes");
  else if (!QUALIFIED_NAME.test(name))
    errs.push(
      "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')",
    );
  return errs;
}

/** Problems with a label value (upstream IsValidLabelValue), empty when valid. */
export function labelValueErrors(value: string): string[] {
  const errs: string[] = [];
  if (value.length > 63) errs.push("must be no more than 63 bytes");
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

function validateRequirement(r: Requirement): void {
  const keyErrs = qualifiedNameErrors(r.key);
  if (keyErrs.length) throw errors.badRequest(`unable to parse requirement: key: Invalid value: ${JSON.stringify(r.key)}: ${keyErrs.join("; ")}`);
  for (const v of r.values) {
    const valErrs = labelValueErrors(v);
    if (valErrs.length && r.operator !== "gt" && r.operator !== "lt")
      throw errors.badRequest(`unable to parse requirement: values[0][${r.key}]: Invalid value: ${JSON.stringify(v)}: ${valErrs.join("; ")}`);
  }
}

/** Tokenises and parses the string form (upstream labels.Parse). Errors are 400 BadRequest. */
export function parseLabelSelector(input: string): LabelSelector {
  const text = input.trim();
  if (text === "") return everything;
  const reqs: Requirement[] = [];
  let i = 0;
  const n = text.length;
  const skipSpace = () => {
    while (i < n && /\s/.test(text[i]!)) i++;
  };
  const readIdent = (): string => {
    const start = i;
    while (i < n && !/[\s,=!()<>]/.test(text[i]!)) i++;
    return text.slice(start, i);
  };
  const fail = (msg: string): never => {
    throw errors.badRequest(`unable to parse requirement: ${msg}`);
  };
  while (i < n) {
    skipSpace();
    let negate = false;
    if (text[i] === "!") {
      negate = true;
      i++;
      skipSpace();
    }
    const key = readIdent();
    if (!key) fail(`found '${text[i] ?? ""}', expected: identifier`);
    skipSpace();
    let req: Requirement;
    if (negate) {
      req = { key, operator: "!", values: [] };
    } else if (i >= n || text[i] === ",") {
      req = { key, operator: "exists", values: [] };
    } else if (text.startsWith("==", i) || text.startsWith("!=", i) || text[i] === "=" || text[i] === ">" || text[i] === "<") {
      let op: LabelOperator;
      if (text.startsWith("==", i)) (op = "=="), (i += 2);
      else if (text.startsWith("!=", i)) (op = "!="), (i += 2);
      else if (text[i] === "=") (op = "="), (i += 1);
      else if (text[i] === ">") (op = "gt"), (i += 1);
      else (op = "lt"), (i += 1);
      skipSpace();
      const value = readIdent();
      if (op === "gt" || op === "lt") {
        if (!/^-?\d+$/.test(value)) fail(`for 'Gt', 'Lt' operators, the value must be an integer`);
      }
      req = { key, operator: op, values: [value] };
    } else {
      const word = readIdent();
      if (word !== "in" && word !== "notin") return fail(`found '${word}', expected: '=', '!=', '==', 'in', notin'`);
      skipSpace();
      if (text[i] !== "(") fail(`found '${text[i] ?? ""}', expected: '('`);
      i++;
      const values: string[] = [];
      for (;;) {
        skipSpace();
        const v = readIdent();
        values.push(v);
        skipSpace();
        if (text[i] === ",") {
          i++;
          continue;
        }
        if (text[i] === ")") {
          i++;
          break;
        }
        fail(`found '${text[i] ?? ""}', expected: ',', ')' or identifier`);
      }
      req = { key, operator: word as "in" | "notin", values: [...new Set(values)].sort() };
    }
    validateRequirement(req);
    reqs.push(req);
    skipSpace();
    if (i < n) {
      if (text[i] !== ",") fail(`found '${text[i]}', expected: ',' or 'end of string'`);
      i++;
      skipSpace();
      if (i >= n) fail("found 'end of string', expected: identifier");
    }
  }
  return new Selector(reqs);
}

/**
 * Converts a metav1.LabelSelector (upstream LabelSelectorAsSelector): undefined/null selects
 * nothing, {} selects everything.
 */
export function fromMetaLabelSelector(sel: MetaLabelSelector | null | undefined): LabelSelector {
  if (sel === null || sel === undefined) return nothing;
  const reqs: Requirement[] = [];
  for (const key of Object.keys(sel.matchLabels ?? {}).sort()) {
    reqs.push({ key, operator: "=", values: [sel.matchLabels![key]!] });
  }
  for (const expr of sel.matchExpressions ?? []) {
    const values = [...(expr.values ?? [])].sort();
    switch (expr.operator) {
      case "In":
        reqs.push({ key: expr.key, operator: "in", values });
        break;
      case "NotIn":
        reqs.push({ key: expr.key, operator: "notin", values });
        break;
      case "Exists":
        reqs.push({ key: expr.key, operator: "exists", values: [] });
        break;
      case "DoesNotExist":
        reqs.push({ key: expr.key, operator: "!", values: [] });
        break;
      default:
        throw errors.badRequest(`${JSON.stringify(expr.operator)} is not a valid label selector operator`);
    }
  }
  return new Selector(reqs);
}

/** A selector from a plain map (ReplicationController/Service selectors): every pair must match. */
export function fromLabelMap(map: Record<string, string> | undefined | null): LabelSelector {
  return new Selector(
    Object.keys(map ?? {})
      .sort()
      .map((key) => ({ key, operator: "=" as const, values: [map![key]!] })),
  );
}
