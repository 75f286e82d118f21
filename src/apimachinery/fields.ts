// Field selectors (upstream k8s.io/apimachinery/pkg/fields): `a=b,c!=d` over a flat set of
// selectable field values that each resource declares.
import { errors } from "./errors.js";

export interface FieldRequirement {
  field: string;
  operator: "=" | "!=";
  value: string;
}

export interface FieldSelector {
  readonly requirements: readonly FieldRequirement[];
  readonly empty: boolean;
  matches(fields: (field: string) => string | undefined): boolean;
  /** The value a requirement pins the field to (`metadata.name=x` → "x"), if any. */
  requiresExactMatch(field: string): string | undefined;
  toString(): string;
}

function escape(s: string): string {
  return s.replace(/[\\,=]/g, (c) => `\\${c}`);
}

/** Splits on unescaped commas. */
function splitTerms(s: string): string[] {
  const out: string[] = [];
  let cur = "";
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (c === "\\" && i + 1 < s.length) {
      cur += c + s[i + 1];
      i++;
    } else if (c === ",") {
      out.push(cur);
      cur = "";
    } else cur += c;
  }
  out.push(cur);
  return out;
}

class Selector implements FieldSelector {
  readonly empty: boolean;
  constructor(readonly requirements: readonly FieldRequirement[]) {
    this.empty = requirements.length === 0;
  }
  matches(fields: (field: string) => string | undefined): boolean {
    for (const r of this.requirements) {
      const v = fields(r.field) ?? "";
      if (r.operator === "=" ? v !== r.value : v === r.value) return false;
    }
    return true;
  }
  requiresExactMatch(field: string): string | undefined {
    return this.requirements.find((r) => r.field === field && r.operator === "=")?.value;
  }
  toString(): string {
    return this.requirements.map((r) => `${r.field}${r.operator}${escape(r.value)}`).join(",");
  }
}

export const everythingFields: FieldSelector = new Selector([]);

/** Upstream fields.UnescapeValue: `\\`, `\,` and `\=` are the only escapes; bare `,` and `=` are errors. */
function unescapeValue(v: string): string {
  if (!/[\\,=]/.test(v)) return v;
  let out = "";
  let inSlash = false;
  for (const c of v) {
    if (inSlash) {
      if (c !== "\\" && c !== "," && c !== "=") throw errors.badRequest(`invalid field selector: invalid escape sequence: \\${c}`);
      out += c;
      inSlash = false;
    } else if (c === "\\") inSlash = true;
    else if (c === "," || c === "=") throw errors.badRequest(`invalid field selector: unescaped character in value: ${c.codePointAt(0)}`);
    else out += c;
  }
  if (inSlash) throw errors.badRequest("invalid field selector: invalid escape sequence: \\");
  return out;
}

/** Upstream splitTerm: the first `!=`, `==` or `=` splits a term (no escaping on the left). */
function splitTerm(term: string): [string, "=" | "!=", string] | undefined {
  for (let i = 0; i < term.length; i++) {
    const rest = term.slice(i);
    if (rest.startsWith("!=")) return [term.slice(0, i), "!=", term.slice(i + 2)];
    if (rest.startsWith("==")) return [term.slice(0, i), "=", term.slice(i + 2)];
    if (rest.startsWith("=")) return [term.slice(0, i), "=", term.slice(i + 1)];
  }
  return undefined;
}

/** Parses `?fieldSelector=` (upstream fields.ParseSelector). Errors are 400 BadRequest. */
export function parseFieldSelector(input: string): FieldSelector {
  if (input.trim() === "") return everythingFields;
  const reqs: FieldRequirement[] = [];
  for (const term of splitTerms(input)) {
    if (term === "") continue;
    const parts = splitTerm(term);
    if (!parts) throw errors.badRequest(`invalid selector: '${input}'; can't understand '${term}'`);
    reqs.push({ field: parts[0], operator: parts[1], value: unescapeValue(parts[2]) });
  }
  return new Selector(reqs.sort((a, b) => (a.field < b.field ? -1 : a.field > b.field ? 1 : 0)));
}
