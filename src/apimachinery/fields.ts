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

function unescape(s: string): string {
  return s.replace(/\\(.)/g, "$1");
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

/** Parses `?fieldSelector=` (upstream fields.ParseSelector). Errors are 400 BadRequest. */
export function parseFieldSelector(input: string): FieldSelector {
  if (input.trim() === "") return everythingFields;
  const reqs: FieldRequirement[] = [];
  for (const term of splitTerms(input)) {
    if (term === "") continue;
    let m: RegExpMatchArray | null;
    if ((m = term.match(/^((?:[^\\!=]|\\.)*)!=(.*)$/s))) reqs.push({ field: unescape(m[1]!), operator: "!=", value: unescape(m[2]!) });
    else if ((m = term.match(/^((?:[^\\=]|\\.)*)==(.*)$/s))) reqs.push({ field: unescape(m[1]!), operator: "=", value: unescape(m[2]!) });
    else if ((m = term.match(/^((?:[^\\=]|\\.)*)=(.*)$/s))) reqs.push({ field: unescape(m[1]!), operator: "=", value: unescape(m[2]!) });
    else throw errors.badRequest(`invalid selector: '${input}'; can't understand '${term}'`);
  }
  return new Selector(reqs);
}
