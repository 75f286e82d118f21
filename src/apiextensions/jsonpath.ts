// Kubernetes JSONPath templates (upstream k8s.io/client-go/util/jsonpath) as the API server
// evaluates them against custom resources: printer columns (additionalPrinterColumns) and
// selectable fields wrap a CRD's relaxed path (".spec.replicas") in braces and read the first
// result. Parsing follows the upstream grammar (fields, ['key'], [i], [a:b:c], [*], unions,
// .., filters [?(@.x=="y")], quoted text, numbers, booleans); `range`/`end` blocks are not
// evaluated. Values are plain JSON (an unstructured object); a JSON null is a present nil value.

export class JSONPathError extends Error {}

export interface SliceParam {
  value: number;
  known: boolean;
  derived: boolean;
}

export type JSONPathNode =
  | { type: "list"; nodes: JSONPathNode[] }
  | { type: "text"; text: string }
  | { type: "field"; name: string }
  | { type: "array"; params: [SliceParam, SliceParam, SliceParam] }
  | { type: "filter"; left: ListNode; right: ListNode; operator: string }
  | { type: "int"; value: number }
  | { type: "float"; value: number }
  | { type: "bool"; value: boolean }
  | { type: "wildcard" }
  | { type: "recursive" }
  | { type: "union"; nodes: ListNode[] }
  | { type: "identifier"; name: string };

type ListNode = Extract<JSONPathNode, { type: "list" }>;

const EOF = "";
const list = (): ListNode => ({ type: "list", nodes: [] });

const isSpace = (r: string) => r === " " || r === "\t";
const isEndOfLine = (r: string) => r === "\r" || r === "\n";
const isDigit = (r: string) => /^\p{Nd}$/u.test(r);
const isAlphaNumeric = (r: string) => r === "_" || /^[\p{L}\p{Nd}]$/u.test(r);
/** Characters that end a field name or identifier (upstream isTerminator). */
const isTerminator = (r: string) => r === EOF || isSpace(r) || isEndOfLine(r) || ".,[]$@{}".includes(r);

/** Go's %#U of a rune, for "unrecognized character in action" errors. */
function goRuneQuote(r: string): string {
  const cp = r.codePointAt(0)!;
  return `U+${cp.toString(16).toUpperCase().padStart(4, "0")} '${r}'`;
}

/** Go's strconv unquoting, extended to single-quoted strings (upstream UnquoteExtend). */
function unquoteExtend(s: string): string {
  if (s.length < 2) throw new JSONPathError("invalid syntax");
  const quote = s[0]!;
  if (quote !== s[s.length - 1] || (quote !== '"' && quote !== "'")) throw new JSONPathError("invalid syntax");
  const body = s.slice(1, -1);
  let out = "";
  for (let i = 0; i < body.length; i++) {
    const c = body[i]!;
    if (c === quote) throw new JSONPathError("invalid syntax");
    if (c !== "\\") {
      out += c;
      continue;
    }
    const e = body[++i];
    const simple: Record<string, string> = { a: "\x07", b: "\b", f: "\f", n: "\n", r: "\r", t: "\t", v: "\v", "\\": "\\", "'": "'", '"': '"' };
    if (e === undefined) throw new JSONPathError("invalid syntax");
    if (simple[e] !== undefined) {
      if ((e === "'" || e === '"') && e !== quote) throw new JSONPathError("invalid syntax");
      out += simple[e];
      continue;
    }
    const hexLen = e === "x" ? 2 : e === "u" ? 4 : e === "U" ? 8 : 0;
    if (hexLen) {
      const hex = body.slice(i + 1, i + 1 + hexLen);
      if (!new RegExp(`^[0-9a-fA-F]{${hexLen}}$`).test(hex)) throw new JSONPathError("invalid syntax");
      out += e === "x" ? String.fromCharCode(parseInt(hex, 16)) : String.fromCodePoint(parseInt(hex, 16));
      i += hexLen;
      continue;
    }
    if (/[0-7]/.test(e)) {
      const oct = body.slice(i, i + 3);
      if (!/^[0-7]{3}$/.test(oct)) throw new JSONPathError("invalid syntax");
      out += String.fromCharCode(parseInt(oct, 8));
      i += 2;
      continue;
    }
    throw new JSONPathError("invalid syntax");
  }
  return out;
}

/** The template parser (upstream jsonpath.Parser). */
class Parser {
  readonly root: ListNode = list();
  private pos = 0;
  private start = 0;
  private width = 0;

  constructor(private readonly input: string) {}

  parse(): ListNode {
    this.parseText(this.root);
    return this.root;
  }

  private consumeText(): string {
    const value = this.input.slice(this.start, this.pos);
    this.start = this.pos;
    return value;
  }

  private next(): string {
    if (this.pos >= this.input.length) {
      this.width = 0;
      return EOF;
    }
    const r = String.fromCodePoint(this.input.codePointAt(this.pos)!);
    this.width = r.length;
    this.pos += r.length;
    return r;
  }

  private peek(): string {
    const r = this.next();
    this.backup();
    return r;
  }

  private backup(): void {
    this.pos -= this.width;
  }

  private rest(): string {
    return this.input.slice(this.pos);
  }

  private parseText(cur: ListNode): void {
    for (;;) {
      if (this.rest().startsWith("{")) {
        if (this.pos > this.start) cur.nodes.push({ type: "text", text: this.consumeText() });
        this.parseLeftDelim(cur);
        return;
      }
      if (this.next() === EOF) break;
    }
    if (this.pos > this.start) cur.nodes.push({ type: "text", text: this.consumeText() });
  }

  private parseLeftDelim(cur: ListNode): void {
    this.pos += 1;
    this.consumeText();
    const node = list();
    cur.nodes.push(node);
    this.parseInsideAction(node);
  }

  private parseInsideAction(cur: ListNode): void {
    for (;;) {
      const rest = this.rest();
      if (rest.startsWith("}")) {
        this.pos += 1;
        this.consumeText();
        this.parseText(this.root);
        return;
      }
      if (rest.startsWith("[?(")) {
        this.parseFilter(cur);
        continue;
      }
      if (rest.startsWith("..")) {
        this.parseRecursive(cur);
        continue;
      }
      const r = this.next();
      if (r === EOF || isEndOfLine(r)) throw new JSONPathError("unclosed action");
      if (r === " " || r === "@" || r === "$") {
        this.consumeText();
      } else if (r === "[") {
        this.parseArray(cur);
      } else if (r === '"' || r === "'") {
        this.parseQuote(cur, r);
      } else if (r === ".") {
        this.parseField(cur);
      } else if (r === "+" || r === "-" || isDigit(r)) {
        this.backup();
        this.parseNumber(cur);
      } else if (isAlphaNumeric(r)) {
        this.backup();
        this.parseIdentifier(cur);
      } else {
        throw new JSONPathError(`unrecognized character in action: ${goRuneQuote(r)}`);
      }
    }
  }

  private parseIdentifier(cur: ListNode): void {
    for (;;) {
      const r = this.next();
      if (isTerminator(r)) {
        this.backup();
        break;
      }
    }
    const value = this.consumeText();
    if (value === "true" || value === "false") cur.nodes.push({ type: "bool", value: value === "true" });
    else cur.nodes.push({ type: "identifier", name: value });
  }

  private parseRecursive(cur: ListNode): void {
    if (cur.nodes.at(-1)?.type === "recursive") throw new JSONPathError("invalid multiple recursive descent");
    this.pos += 2;
    this.consumeText();
    cur.nodes.push({ type: "recursive" });
    if (isAlphaNumeric(this.peek())) this.parseField(cur);
  }

  private parseNumber(cur: ListNode): void {
    const r = this.peek();
    if (r === "+" || r === "-") this.next();
    for (;;) {
      const c = this.next();
      if (c !== "." && !isDigit(c)) {
        this.backup();
        break;
      }
    }
    const value = this.consumeText();
    if (/^[+-]?\d+$/.test(value) && Number.isSafeInteger(Number(value))) {
      cur.nodes.push({ type: "int", value: Number(value) });
      return;
    }
    if (/^[+-]?(\d+\.?\d*|\.\d+)$/.test(value)) {
      cur.nodes.push({ type: "float", value: Number(value) });
      return;
    }
    throw new JSONPathError(`cannot parse number ${value}`);
  }

  private parseArray(cur: ListNode): void {
    for (;;) {
      const r = this.next();
      if (r === EOF || r === "\n") throw new JSONPathError("unterminated array");
      if (r === "]") break;
    }
    let text = this.consumeText().slice(1, -1);
    if (text === "*") text = ":";

    const parts = text.split(",");
    if (parts.length > 1) {
      cur.nodes.push({ type: "union", nodes: parts.map((s) => parseAction(`[${s.trim()}]`)) });
      return;
    }
    const key = /^'([^']*)'$/.exec(text);
    if (key) {
      cur.nodes.push(...parseAction(`.${key[1]}`).nodes);
      return;
    }
    const m = /^(-?\d*)(:-?\d*)?(:-?\d*)?$/.exec(text);
    if (!m) throw new JSONPathError(`invalid array index ${text}`);
    const params: [SliceParam, SliceParam, SliceParam] = [
      { value: 0, known: false, derived: false },
      { value: 0, known: false, derived: false },
      { value: 0, known: false, derived: false },
    ];
    for (let i = 0; i < 3; i++) {
      let v = m[i + 1] ?? "";
      if (v !== "") {
        if (i > 0) v = v.slice(1);
        if (i > 0 && v === "") {
          params[i]!.known = false;
        } else {
          const n = Number(v);
          if (!/^-?\d+$/.test(v) || !Number.isSafeInteger(n)) throw new JSONPathError(`array index ${v} is not a number`);
          params[i] = { value: n, known: true, derived: false };
        }
      } else if (i === 1) {
        params[1] = { value: params[0].value + 1, known: true, derived: true };
      }
    }
    cur.nodes.push({ type: "array", params });
  }

  private parseFilter(cur: ListNode): void {
    this.pos += 3;
    this.consumeText();
    let begin = false;
    let end = false;
    let pair = "";
    for (;;) {
      const r = this.next();
      if (r === EOF || r === "\n") throw new JSONPathError("unterminated filter");
      if (r === '"' || r === "'") {
        if (!begin) {
          begin = true;
          pair = r;
          continue;
        }
        if (this.input[this.pos - 2] !== "\\" && r === pair) end = true;
      } else if (r === ")" && begin === end) {
        break;
      }
    }
    if (this.next() !== "]") throw new JSONPathError("unclosed array expect ]");
    const text = this.consumeText().slice(0, -2);
    const m = /^([^!<>=]+)([!<>=]+)(.+?)$/s.exec(text);
    if (!m) {
      cur.nodes.push({ type: "filter", left: parseAction(text), right: list(), operator: "exists" });
    } else {
      cur.nodes.push({ type: "filter", left: parseAction(m[1]!), right: parseAction(m[3]!), operator: m[2]! });
    }
  }

  private parseQuote(cur: ListNode, quote: string): void {
    for (;;) {
      const r = this.next();
      if (r === EOF || r === "\n") throw new JSONPathError("unterminated quoted string");
      if (r === quote && this.input[this.pos - 2] !== "\\") break;
    }
    const value = this.consumeText();
    let s: string;
    try {
      s = unquoteExtend(value);
    } catch (e) {
      throw new JSONPathError(`unquote string ${value} error ${(e as Error).message}`);
    }
    cur.nodes.push({ type: "text", text: s });
  }

  private parseField(cur: ListNode): void {
    this.consumeText();
    for (;;) {
      const r = this.next();
      if (r === "\\") {
        this.next();
      } else if (isTerminator(r)) {
        this.backup();
        break;
      }
    }
    const value = this.consumeText();
    if (value === "*") cur.nodes.push({ type: "wildcard" });
    else cur.nodes.push({ type: "field", name: value.replaceAll("\\", "") });
  }
}

/** Parses the expression of one action, without its braces (upstream parseAction). */
function parseAction(text: string): ListNode {
  const root = new Parser(`{${text}}`).parse();
  return root.nodes[0] as ListNode;
}

/** Parses a template such as "{.spec.replicas}"; throws JSONPathError when it is malformed. */
export function parseJSONPath(template: string): ListNode {
  return new Parser(template).parse();
}

/** A float literal of a filter (Go float64), kept apart from integer literals for comparisons. */
class FloatLiteral {
  constructor(readonly value: number) {}
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v) && !(v instanceof FloatLiteral);

/** The elements of a container (maps: values, arrays: items, strings: bytes), as upstream's wildcard. */
function children(v: unknown): unknown[] {
  if (Array.isArray(v)) return [...v];
  if (isObject(v)) return Object.values(v);
  if (typeof v === "string") return [...Buffer.from(v, "utf8")];
  return [];
}

type Kind = "bool" | "int" | "float" | "string";

/** The comparison kind of a value (Go template basicKind); JSON numbers with no fraction are int64. */
function kindOf(v: unknown): Kind {
  if (typeof v === "boolean") return "bool";
  if (typeof v === "string") return "string";
  if (v instanceof FloatLiteral) return "float";
  if (typeof v === "number") return Number.isInteger(v) ? "int" : "float";
  throw new JSONPathError("invalid type for comparison");
}

const numeric = (v: unknown): number => (v instanceof FloatLiteral ? v.value : (v as number));

function less(a: unknown, b: unknown): boolean {
  const ka = kindOf(a);
  const kb = kindOf(b);
  if (ka !== kb) throw new JSONPathError("incompatible types for comparison");
  if (ka === "bool") throw new JSONPathError("invalid type for comparison");
  if (ka === "string") return (a as string) < (b as string);
  return numeric(a) < numeric(b);
}

function equal(a: unknown, b: unknown): boolean {
  const ka = kindOf(a);
  const kb = kindOf(b);
  if (ka !== kb) throw new JSONPathError("incompatible types for comparison");
  if (ka === "int" || ka === "float") return numeric(a) === numeric(b);
  return a === b;
}

function compare(op: string, a: unknown, b: unknown): boolean {
  switch (op) {
    case "<":
      return less(a, b);
    case ">":
      return !(less(a, b) || equal(a, b));
    case "==":
      return equal(a, b);
    case "!=":
      return !equal(a, b);
    case "<=":
      return less(a, b) || equal(a, b);
    case ">=":
      return !less(a, b);
    default:
      throw new JSONPathError(`unrecognized filter operator ${op}`);
  }
}

/** Evaluation of a parsed template (upstream JSONPath.FindResults with AllowMissingKeys). */
class Evaluator {
  constructor(private readonly allowMissingKeys: boolean) {}

  walk(input: unknown[], node: JSONPathNode): unknown[] {
    switch (node.type) {
      case "list": {
        let cur = input;
        for (const n of node.nodes) cur = this.walk(cur, n);
        return cur;
      }
      case "text":
        return [node.text];
      case "field":
        return this.field(input, node.name);
      case "array":
        return this.array(input, node.params);
      case "filter":
        return this.filter(input, node);
      case "int":
      case "bool":
        return input.map(() => node.value);
      case "float":
        return input.map(() => new FloatLiteral(node.value));
      case "wildcard":
        return input.flatMap((v) => (v === null || v === undefined ? [] : children(v)));
      case "recursive":
        return this.recursive(input);
      case "union":
        return node.nodes.flatMap((n) => this.walk(input, n));
      case "identifier":
        if (node.name === "range" || node.name === "end") throw new JSONPathError(`${node.name} blocks are not supported here`);
        throw new JSONPathError(`unrecognized identifier ${node.name}`);
    }
  }

  private field(input: unknown[], name: string): unknown[] {
    const out: unknown[] = [];
    if (input.length === 0) return out;
    for (const v of input) {
      if (isObject(v) && Object.prototype.hasOwnProperty.call(v, name)) out.push(v[name] === undefined ? null : v[name]);
    }
    if (out.length === 0 && !this.allowMissingKeys) throw new JSONPathError(`${name} is not found`);
    return out;
  }

  private array(input: unknown[], node: readonly [SliceParam, SliceParam, SliceParam]): unknown[] {
    const out: unknown[] = [];
    for (const v of input) {
      if (v === null || v === undefined) continue;
      if (!Array.isArray(v)) throw new JSONPathError("value is not array or slice");
      const [p0, p1, p2] = node.map((p) => ({ ...p }));
      const len = v.length;
      if (!p0!.known) p0!.value = 0;
      if (p0!.value < 0) p0!.value += len;
      if (!p1!.known) p1!.value = len;
      if (p1!.value < 0 || (p1!.value === 0 && p1!.derived)) p1!.value += len;
      if (p1!.value === p0!.value) return out;
      if (p0!.value >= len || p0!.value < 0) throw new JSONPathError(`array index out of bounds: index ${p0!.value}, length ${len}`);
      if (p1!.value > len || p1!.value < 0) throw new JSONPathError(`array index out of bounds: index ${p1!.value - 1}, length ${len}`);
      if (p0!.value > p1!.value) throw new JSONPathError(`starting index ${p0!.value} is greater than ending index ${p1!.value}`);
      let step = 1;
      if (p2!.known) {
        if (p2!.value <= 0) throw new JSONPathError("step must be > 0");
        step = p2!.value;
      }
      const slice = v.slice(p0!.value, p1!.value);
      for (let i = 0; i < slice.length; i += step) out.push(slice[i]);
    }
    return out;
  }

  private recursive(input: unknown[]): unknown[] {
    const out: unknown[] = [];
    for (const v of input) {
      if (v === null || v === undefined) continue;
      const c = children(v);
      if (c.length) {
        out.push(v);
        out.push(...this.recursive(c));
      }
    }
    return out;
  }

  private filter(input: unknown[], node: Extract<JSONPathNode, { type: "filter" }>): unknown[] {
    const out: unknown[] = [];
    for (const v of input) {
      if (!Array.isArray(v)) throw new JSONPathError("value is not array or slice and cannot be filtered");
      for (const item of v) {
        if (node.operator === "exists") {
          let lefts: unknown[] = [];
          try {
            lefts = this.walk([item], node.left);
          } catch {
            lefts = [];
          }
          if (lefts.length > 0) out.push(item);
          continue;
        }
        const lefts = this.walk([item], node.left);
        if (lefts.length === 0) continue;
        if (lefts.length > 1) throw new JSONPathError("can only compare one element at a time");
        const rights = this.walk([item], node.right);
        if (rights.length === 0) continue;
        if (rights.length > 1) throw new JSONPathError("can only compare one element at a time");
        if (compare(node.operator, lefts[0], rights[0])) out.push(item);
      }
    }
    return out;
  }
}

/**
 * The results of each top-level node of a template against data (upstream FindResults); throws
 * JSONPathError on an evaluation error (an index out of range, a non-array filtered, ...).
 */
export function findResults(template: ListNode, data: unknown, opts: { allowMissingKeys?: boolean } = {}): unknown[][] {
  const ev = new Evaluator(opts.allowMissingKeys ?? false);
  return template.nodes.map((node) => ev.walk([data], node).map((v) => (v instanceof FloatLiteral ? v.value : v)));
}

/** Go's strconv.FormatFloat(f, 'g', -1, 64), which fmt's %v uses for a float64. */
export function goFormatFloat(f: number): string {
  if (Number.isNaN(f)) return "NaN";
  if (f === Infinity) return "+Inf";
  if (f === -Infinity) return "-Inf";
  if (f === 0) return Object.is(f, -0) ? "-0" : "0";
  const [mantissa, expText] = Math.abs(f).toExponential().split("e") as [string, string];
  const digits = mantissa.replace(".", "");
  const exp = Number(expText);
  const sign = f < 0 ? "-" : "";
  // shortest formatting decides on precision 6: %e below 1e-4 and from 1e6 on
  if (exp < -4 || exp >= 6) {
    // %e: d.ddde±XX with at least two exponent digits
    const e = Math.abs(exp).toString().padStart(2, "0");
    return `${sign}${digits[0]}${digits.length > 1 ? `.${digits.slice(1)}` : ""}e${exp < 0 ? "-" : "+"}${e}`;
  }
  if (exp < 0) return `${sign}0.${"0".repeat(-exp - 1)}${digits}`;
  const int = digits.slice(0, exp + 1).padEnd(exp + 1, "0");
  const frac = digits.slice(exp + 1);
  return `${sign}${int}${frac ? `.${frac}` : ""}`;
}

/** A JSON number as fmt.Sprint prints the unstructured value: int64 in decimal, float64 as %v. */
export function goFormatNumber(n: number): string {
  return Number.isInteger(n) && Math.abs(n) < 2 ** 63 ? BigInt(n).toString() : goFormatFloat(n);
}

/** Go's json.Marshal of an unstructured value: sorted keys, HTML-safe escaping. */
export function goJSONMarshal(value: unknown): string {
  const sort = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(sort);
    if (isObject(v)) return Object.fromEntries(Object.keys(v).sort().map((k) => [k, sort(v[k])]));
    return v;
  };
  return JSON.stringify(sort(value))
    .replaceAll("<", "\\u003c")
    .replaceAll(">", "\\u003e")
    .replaceAll("&", "\\u0026")
    .replaceAll("\u2028", "\\u2028")
    .replaceAll("\u2029", "\\u2029");
}

/**
 * How upstream's PrintResults renders one result value: maps and lists as JSON, everything else
 * with fmt.Print; a nil value (JSON null handed over as an interface) is "<no value>".
 */
export function printResult(value: unknown): string {
  if (value === null || value === undefined) return "<no value>";
  if (typeof value === "object") return goJSONMarshal(value);
  if (typeof value === "number") return goFormatNumber(value);
  return String(value);
}
