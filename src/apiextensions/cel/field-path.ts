// A rule's fieldPath resolved against its schema node (upstream apiextensions-apiserver
// pkg/apiserver/schema/cel/validation.go ValidFieldPath): a JSON path of `.field` and `['key']`
// steps into properties or additionalProperties, normalized to a field path string.
import type { JSONSchemaProps } from "../schema/types.js";

export interface ResolvedFieldPath {
  /** field.Path rendering: "spec.name", "labels[key]", "[key]" when the first step is a map key. */
  path: string;
  schema: JSONSchemaProps;
}

/** Splits on '.', '[' and ']' (kept as tokens); a '...' quoted string is one token. */
function tokenize(jsonPath: string): string[] {
  const tokens: string[] = [];
  let i = 0;
  while (i < jsonPath.length) {
    const c = jsonPath[i]!;
    if (c === "'") {
      let j = i + 1;
      while (j < jsonPath.length && !(jsonPath[j] === "'" && jsonPath[j - 1] !== "\\")) j++;
      tokens.push(jsonPath.slice(i, j + 1));
      i = j + 1;
      continue;
    }
    if (c === "." || c === "[" || c === "]") {
      tokens.push(c);
      i++;
      continue;
    }
    let j = i;
    while (j < jsonPath.length && !".[]".includes(jsonPath[j]!)) j++;
    tokens.push(jsonPath.slice(i, j));
    i = j;
  }
  return tokens;
}

const SINGLE_QUOTE_ESCAPES: Record<string, string> = { a: "\x07", b: "\b", f: "\f", n: "\n", r: "\r", t: "\t", v: "\v", "'": "'", "\\": "\\" };

function unescapeSingleQuote(s: string): string | Error {
  let err: Error | undefined;
  const out = s.replace(/\\./g, (m) => {
    const r = SINGLE_QUOTE_ESCAPES[m[1]!];
    if (r === undefined) err = new Error(`invalid escape char ${m}`);
    return r ?? "";
  });
  return err ?? out;
}

/** The normalized path and the schema it reaches, or the reason it is not a valid path. */
export function validFieldPath(jsonPath: string, root: JSONSchemaProps, allowArrayNotation = true): ResolvedFieldPath | string {
  let schema: JSONSchemaProps | undefined = root;
  let path = "";
  const step = (name: string): string | undefined => {
    if (schema?.properties !== undefined) {
      const next: JSONSchemaProps | undefined = Object.hasOwn(schema.properties, name) ? schema.properties[name] : undefined;
      path = path === "" ? name : `${path}.${name}`;
      if (!next) return "does not refer to a valid field";
      schema = next;
    } else if (schema?.additionalProperties !== undefined) {
      path = `${path}[${name}]`;
      schema = typeof schema.additionalProperties === "object" ? schema.additionalProperties : undefined;
    } else {
      return "does not refer to a valid field";
    }
    return undefined;
  };
  const tokens = tokenize(jsonPath);
  for (let i = 0; i < tokens.length; i++) {
    const tok = tokens[i]!;
    if (tok === "[") {
      if (!allowArrayNotation) return "array notation is not allowed";
      const q = tokens[++i];
      if (q === undefined) return "unexpected end of JSON path";
      if (q.length < 2 || !q.startsWith("'") || !q.endsWith("'")) return `expected single quoted string but got ${q}`;
      const unescaped = unescapeSingleQuote(q.slice(1, -1));
      if (unescaped instanceof Error) return `invalid string literal: ${unescaped.message}`;
      const err = step(unescaped);
      if (err) return err;
      const close = tokens[++i];
      if (close === undefined) return "unexpected end of JSON path";
      if (close !== "]") return `expected ] but got ${close}`;
    } else if (tok === ".") {
      const name = tokens[++i];
      if (name === undefined) return "unexpected end of JSON path";
      const err = step(name);
      if (err) return err;
    } else {
      return `expected [ or . but got: ${tok}`;
    }
  }
  return { path, schema: schema ?? {} };
}
