// The CEL environment CRD rules compile in (upstream k8s.io/apiserver/pkg/cel/environment/base.go
// at 1.33): the standard library with optional types, plus the Kubernetes libraries (lists, regex,
// urls, quantity, format) and cel-go's strings (v2) and sets extensions. Not provided: ip/cidr,
// semver, two-variable comprehensions, strings.format.
import { Environment, Optional } from "@marcbachmann/cel-js";
import { labelValueErrors, qualifiedNameErrors } from "../../apimachinery/labels.js";
import { nameErrors } from "../../apimachinery/validation.js";
import { Quantity } from "./quantity.js";
import { CelURL, parseRequestURI } from "./url.js";
import { celDuration, celEqual, durationNanos, isCelDuration } from "./values.js";

export const QUANTITY_TYPE = "kubernetes.Quantity";
export const URL_TYPE = "kubernetes.URL";
export const FORMAT_TYPE = "kubernetes.NamedFormat";
export const TIMESTAMP = "google.protobuf.Timestamp";
export const DURATION = "google.protobuf.Duration";

/** An error a library function reports at evaluation (its message is the CEL error text). */
export class CelRuntimeError extends Error {}

const MAX_INT64 = 9223372036854775807n;
const MIN_INT64 = -9223372036854775808n;

type UintCtor = new (v: bigint) => { valueOf(): bigint };
const UintClass = (new Environment().evaluate("1u") as object).constructor as UintCtor;

/** Ordering of comparable CEL values (int, uint, double, bool, duration, timestamp, string, bytes). */
function compare(a: unknown, b: unknown): number {
  if (a instanceof Date && b instanceof Date) return Math.sign(a.getTime() - b.getTime());
  if (isCelDuration(a) && isCelDuration(b)) {
    const d = durationNanos(a) - durationNanos(b);
    return d < 0n ? -1 : d > 0n ? 1 : 0;
  }
  if (a instanceof Uint8Array && b instanceof Uint8Array) {
    for (let i = 0; i < Math.min(a.length, b.length); i++) if (a[i] !== b[i]) return a[i]! < b[i]! ? -1 : 1;
    return Math.sign(a.length - b.length);
  }
  const av = a instanceof UintClass ? a.valueOf() : a;
  const bv = b instanceof UintClass ? b.valueOf() : b;
  return (av as number) < (bv as number) ? -1 : (av as number) > (bv as number) ? 1 : 0;
}

const COMPARABLE = ["int", "uint", "double", "bool", DURATION, TIMESTAMP, "string", "bytes"];

function extreme(op: "min" | "max") {
  return (list: unknown[]) => {
    if (list.length === 0) throw new CelRuntimeError(`${op} called on empty list`);
    let result = list[0];
    for (const v of list.slice(1)) if (op === "min" ? compare(v, result) < 0 : compare(v, result) > 0) result = v;
    return result;
  };
}

/** Go regexp syntax in a JS RegExp: leading (?flags) become RegExp flags. */
function goRegExp(pattern: string, global = false): RegExp {
  let flags = global ? "gu" : "u";
  const m = /^\(\?([imsU]+)\)/.exec(pattern);
  if (m) {
    for (const f of m[1]!) if ("ims".includes(f) && !flags.includes(f)) flags += f;
    pattern = pattern.slice(m[0].length);
  }
  try {
    return new RegExp(pattern, flags);
  } catch (e) {
    throw new CelRuntimeError(`Illegal regex: error parsing regexp: ${(e as Error).message}`);
  }
}

function codePoints(s: string): string[] {
  return [...s];
}

/** cel-go's strings.quote: a double-quoted string with CEL escapes. */
function quote(s: string): string {
  const escapes: Record<string, string> = {
    "\x07": "\\a",
    "\b": "\\b",
    "\f": "\\f",
    "\n": "\\n",
    "\r": "\\r",
    "\t": "\\t",
    "\v": "\\v",
    "\\": "\\\\",
    '"': '\\"',
  };
  return `"${s.replace(/[\x07\b\f\n\r\t\v\\"]/g, (c) => escapes[c]!)}"`;
}

function toURL(s: string): CelURL {
  const u = parseRequestURI(s);
  if (typeof u === "string") throw new CelRuntimeError(`URL parse error during conversion from string: ${u}`);
  return u;
}

function toQuantity(s: string): Quantity {
  try {
    return Quantity.parse(s);
  } catch (e) {
    throw new CelRuntimeError((e as Error).message);
  }
}

class NamedFormat {
  constructor(
    readonly name: string,
    readonly validate: (s: string) => string[],
  ) {}
  celEquals(o: unknown): boolean {
    return o instanceof NamedFormat && o.name === this.name;
  }
}

const UUID = /^(?:urn:uuid:)?[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const DATE_TIME = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;

/** The named formats of the format library (upstream library/format.go ConstantFormats). */
const FORMATS: Record<string, NamedFormat> = {
  dns1123Label: new NamedFormat("DNS1123Label", (s) => nameErrors("DNS1123Label", s)),
  dns1123Subdomain: new NamedFormat("DNS1123Subdomain", (s) => nameErrors("DNS1123Subdomain", s)),
  dns1035Label: new NamedFormat("DNS1035Label", (s) => nameErrors("DNS1035Label", s)),
  qualifiedName: new NamedFormat("QualifiedName", qualifiedNameErrors),
  dns1123LabelPrefix: new NamedFormat("DNS1123LabelPrefix", (s) => nameErrors("DNS1123Label", s, true)),
  dns1123SubdomainPrefix: new NamedFormat("DNS1123SubdomainPrefix", (s) => nameErrors("DNS1123Subdomain", s, true)),
  dns1035LabelPrefix: new NamedFormat("DNS1035LabelPrefix", (s) => nameErrors("DNS1035Label", s, true)),
  labelValue: new NamedFormat("LabelValue", labelValueErrors),
  uri: new NamedFormat("URI", (s) => {
    const u = parseRequestURI(s);
    return typeof u === "string" ? [u] : [];
  }),
  uuid: new NamedFormat("uuid", (s) => (UUID.test(s) ? [] : ["does not match the UUID format"])),
  byte: new NamedFormat("byte", (s) => (/^[A-Za-z0-9+/]*={0,2}$/.test(s) && s.length % 4 === 0 ? [] : ["invalid base64"])),
  date: new NamedFormat("date", (s) => (DATE.test(s) && !Number.isNaN(Date.parse(s)) ? [] : ["invalid date"])),
  datetime: new NamedFormat("datetime", (s) => (DATE_TIME.test(s) && !Number.isNaN(Date.parse(s)) ? [] : ["invalid datetime"])),
};

function registerLists(env: Environment): void {
  for (const t of COMPARABLE) {
    env.registerFunction(`list<${t}>.isSorted(): bool`, (l: unknown[]) => l.every((v, i) => i === 0 || compare(l[i - 1], v) <= 0));
    env.registerFunction(`list<${t}>.min(): ${t}`, extreme("min"));
    env.registerFunction(`list<${t}>.max(): ${t}`, extreme("max"));
  }
  env.registerFunction("list<int>.sum(): int", (l: bigint[]) => {
    const s = l.reduce((a, b) => a + b, 0n);
    if (s > MAX_INT64 || s < MIN_INT64) throw new CelRuntimeError("integer overflow");
    return s;
  });
  env.registerFunction("list<uint>.sum(): uint", (l: { valueOf(): bigint }[]) => new UintClass(l.reduce<bigint>((a, b) => a + b.valueOf(), 0n)));
  env.registerFunction("list<double>.sum(): double", (l: number[]) => l.reduce((a, b) => a + b, 0));
  env.registerFunction(`list<${DURATION}>.sum(): ${DURATION}`, (l: unknown[]) =>
    celDuration(l.reduce<bigint>((a, b) => a + (isCelDuration(b) ? durationNanos(b) : 0n), 0n)),
  );
  env.registerFunction("list<A>.indexOf(A): int", (l: unknown[], x: unknown) => BigInt(l.findIndex((v) => celEqual(v, x))));
  env.registerFunction("list<A>.lastIndexOf(A): int", (l: unknown[], x: unknown) => {
    for (let i = l.length - 1; i >= 0; i--) if (celEqual(l[i], x)) return BigInt(i);
    return -1n;
  });
}

function registerRegex(env: Environment): void {
  env.registerFunction("string.find(string): string", (s: string, re: string) => goRegExp(re).exec(s)?.[0] ?? "");
  const findAll = (s: string, re: string, n = -1n) => {
    const all = [...s.matchAll(goRegExp(re, true))].map((m) => m[0]);
    return n < 0n ? all : all.slice(0, Number(n));
  };
  env.registerFunction("string.findAll(string): list<string>", (s: string, re: string) => findAll(s, re));
  env.registerFunction("string.findAll(string, int): list<string>", findAll);
}

function registerURLs(env: Environment): void {
  env.registerType(URL_TYPE, CelURL);
  env.registerFunction(`url(string): ${URL_TYPE}`, toURL);
  env.registerFunction("isURL(string): bool", (s: string) => typeof parseRequestURI(s) !== "string");
  env.registerFunction(`${URL_TYPE}.getScheme(): string`, (u: CelURL) => u.scheme);
  env.registerFunction(`${URL_TYPE}.getHost(): string`, (u: CelURL) => u.host);
  env.registerFunction(`${URL_TYPE}.getHostname(): string`, (u: CelURL) => u.hostname());
  env.registerFunction(`${URL_TYPE}.getPort(): string`, (u: CelURL) => u.port());
  env.registerFunction(`${URL_TYPE}.getEscapedPath(): string`, (u: CelURL) => u.path);
  env.registerFunction(`${URL_TYPE}.getQuery(): map<string, list<string>>`, (u: CelURL) => u.query());
  env.registerOperator(`${URL_TYPE} == ${URL_TYPE}`, (a: CelURL, b: CelURL) => a.celEquals(b));
}

function registerQuantity(env: Environment): void {
  const Q = QUANTITY_TYPE;
  env.registerType(Q, Quantity);
  env.registerFunction(`quantity(string): ${Q}`, toQuantity);
  env.registerFunction("isQuantity(string): bool", (s: string) => Quantity.isQuantity(s));
  env.registerFunction(`sign(${Q}): int`, (q: Quantity) => q.sign());
  env.registerFunction(`${Q}.sign(): int`, (q: Quantity) => q.sign());
  env.registerFunction(`${Q}.isGreaterThan(${Q}): bool`, (a: Quantity, b: Quantity) => a.cmp(b) === 1);
  env.registerFunction(`${Q}.isLessThan(${Q}): bool`, (a: Quantity, b: Quantity) => a.cmp(b) === -1);
  env.registerFunction(`${Q}.compareTo(${Q}): int`, (a: Quantity, b: Quantity) => BigInt(a.cmp(b)));
  env.registerFunction(`${Q}.asApproximateFloat(): double`, (q: Quantity) => q.asApproximateFloat());
  env.registerFunction(`${Q}.isInteger(): bool`, (q: Quantity) => q.asInt64() !== undefined);
  env.registerFunction(`${Q}.asInteger(): int`, (q: Quantity) => {
    const v = q.asInt64();
    if (v === undefined) throw new CelRuntimeError("cannot convert value to integer");
    return v;
  });
  env.registerFunction(`${Q}.add(${Q}): ${Q}`, (a: Quantity, b: Quantity) => a.add(b));
  env.registerFunction(`${Q}.add(int): ${Q}`, (a: Quantity, b: bigint) => a.add(Quantity.fromInt(b)));
  env.registerFunction(`${Q}.sub(${Q}): ${Q}`, (a: Quantity, b: Quantity) => a.sub(b));
  env.registerFunction(`${Q}.sub(int): ${Q}`, (a: Quantity, b: bigint) => a.sub(Quantity.fromInt(b)));
  env.registerOperator(`${Q} == ${Q}`, (a: Quantity, b: Quantity) => a.celEquals(b));
}

/** A namespace object so that `ns.fn(...)` resolves as a call on a constant (sets, strings, format). */
function namespace(env: Environment, name: string): string {
  const type = `kubernetes.namespace.${name}`;
  const ns = { [name]: class {} }[name]!;
  env.registerType(type, ns);
  env.registerConstant(name, type, new ns());
  return type;
}

function registerStrings(env: Environment): void {
  env.registerFunction("string.charAt(int): string", (s: string, i: bigint) => {
    const cps = codePoints(s);
    if (i < 0n || i > BigInt(cps.length)) throw new CelRuntimeError(`index out of range: ${i}`);
    return cps[Number(i)] ?? "";
  });
  const replace = (s: string, from: string, to: string, n = -1n) => {
    if (n < 0n) return s.split(from).join(to);
    let out = s;
    let idx = 0;
    for (let k = 0n; k < n; k++) {
      const at = out.indexOf(from, idx);
      if (at < 0) break;
      out = out.slice(0, at) + to + out.slice(at + from.length);
      idx = at + to.length + (from === "" ? 1 : 0);
    }
    return out;
  };
  env.registerFunction("string.replace(string, string): string", (s: string, a: string, b: string) => replace(s, a, b));
  env.registerFunction("string.replace(string, string, int): string", replace);
  env.registerFunction("string.reverse(): string", (s: string) => codePoints(s).reverse().join(""));
  const strings = namespace(env, "strings");
  env.registerFunction(`${strings}.quote(string): string`, (_ns: unknown, s: string) => quote(s));
}

function registerSets(env: Environment): void {
  const sets = namespace(env, "sets");
  const contains = (a: unknown[], b: unknown[]) => b.every((x) => a.some((y) => celEqual(x, y)));
  env.registerFunction(`${sets}.contains(list<A>, list<A>): bool`, (_ns: unknown, a: unknown[], b: unknown[]) => contains(a, b));
  env.registerFunction(`${sets}.equivalent(list<A>, list<A>): bool`, (_ns: unknown, a: unknown[], b: unknown[]) => contains(a, b) && contains(b, a));
  env.registerFunction(`${sets}.intersects(list<A>, list<A>): bool`, (_ns: unknown, a: unknown[], b: unknown[]) =>
    a.some((x) => b.some((y) => celEqual(x, y))),
  );
}

function registerFormat(env: Environment): void {
  env.registerType(FORMAT_TYPE, NamedFormat);
  const format = namespace(env, "format");
  env.registerFunction(`${format}.named(string): optional<${FORMAT_TYPE}>`, (_ns: unknown, name: string) =>
    Object.hasOwn(FORMATS, name) ? Optional.of(FORMATS[name]) : Optional.none(),
  );
  for (const [name, f] of Object.entries(FORMATS)) env.registerFunction(`${format}.${name}(): ${FORMAT_TYPE}`, () => f);
  env.registerFunction(`${FORMAT_TYPE}.validate(string): optional<list<string>>`, (f: NamedFormat, s: string) => {
    const errs = f.validate(s);
    return errs.length ? Optional.of(errs) : Optional.none();
  });
}

let base: Environment | undefined;

/** The shared environment with every library; clone it to declare a rule's variables and types. */
export function baseEnvironment(): Environment {
  if (!base) {
    const env = new Environment({ enableOptionalTypes: true, homogeneousAggregateLiterals: true });
    registerLists(env);
    registerRegex(env);
    registerURLs(env);
    registerQuantity(env);
    registerStrings(env);
    registerSets(env);
    registerFormat(env);
    base = env;
  }
  return base;
}
