// Validators shared across groups (upstream k8s.io/apimachinery/pkg/util/validation,
// apis/meta/v1/validation and the helpers at the top of pkg/apis/core/validation), with upstream's
// messages. Each returns field errors in upstream's order.
import { labelValueErrors, qualifiedNameErrors } from "../../apimachinery/labels.js";
import { dns1035LabelErrors, dns1123LabelErrors, dns1123SubdomainErrors } from "../../apimachinery/validation.js";
import { type FieldError, FieldPath, type Obj, arr, fieldErrors, isNum, obj, objs, semanticEqual, str, strs } from "./helpers.js";
import { goLabelSelector } from "./go-format.js";

export const IS_NEGATIVE = "must be greater than or equal to 0";
export const NOT_POSITIVE = "must be greater than zero";
export const FIELD_IMMUTABLE = "field is immutable";

export const inclusiveRange = (lo: number, hi: number): string => `must be between ${lo} and ${hi}, inclusive`;
export const maxLenError = (n: number): string => `must be no more than ${n} characters`;
export function regexError(msg: string, fmt: string, ...examples: string[]): string {
  if (examples.length === 0) return `${msg} (regex used for validation is '${fmt}')`;
  return `${msg} (e.g. ${examples.map((e) => `'${e}', `).join(" or ")}regex used for validation is '${fmt}')`;
}

type P = FieldPath | string;

export function nonNegative(value: number, path: P): FieldError[] {
  return value < 0 ? [fieldErrors.invalid(path, value, IS_NEGATIVE)] : [];
}

/** Checks an optional number: absent is fine. */
export function nonNegativeOpt(value: unknown, path: P): FieldError[] {
  return isNum(value) ? nonNegative(value, path) : [];
}

export function dnsLabel(value: string, path: P): FieldError[] {
  return dns1123LabelErrors(value).map((m) => fieldErrors.invalid(path, value, m));
}
export function dnsSubdomain(value: string, path: P): FieldError[] {
  return dns1123SubdomainErrors(value).map((m) => fieldErrors.invalid(path, value, m));
}
export function dns1035(value: string, path: P): FieldError[] {
  return dns1035LabelErrors(value).map((m) => fieldErrors.invalid(path, value, m));
}
export function qualifiedName(value: string, path: P): FieldError[] {
  return qualifiedNameErrors(value).map((m) => fieldErrors.invalid(path, value, m));
}
/** metav1 ValidateLabelName. */
export const labelName = qualifiedName;

/** metav1 ValidateLabels (map keys in sorted order). */
export function validateLabelMap(labels: unknown, path: P): FieldError[] {
  const o = obj(labels);
  if (!o) return [];
  const errs: FieldError[] = [];
  for (const k of Object.keys(o).sort()) {
    errs.push(...qualifiedName(k, path));
    const v = str(o[k]);
    for (const m of labelValueErrors(v)) errs.push(fieldErrors.invalid(path, v, m));
  }
  return errs;
}

/** metav1 ValidateLabelSelector (with label values checked, as for AllowInvalidLabelValueInSelector=false). */
export function validateLabelSelector(sel: unknown, path: FieldPath, checkValues = true): FieldError[] {
  const s = obj(sel);
  if (!s) return [];
  const errs = validateLabelMap(s.matchLabels, path.child("matchLabels"));
  objs(s.matchExpressions).forEach((expr, i) => {
    const p = path.child("matchExpressions").index(i);
    const op = str(expr.operator);
    const values = strs(expr.values);
    switch (op) {
      case "In":
      case "NotIn":
        if (values.length === 0) errs.push(fieldErrors.required(p.child("values"), "must be specified when `operator` is 'In' or 'NotIn'"));
        break;
      case "Exists":
      case "DoesNotExist":
        if (values.length > 0) errs.push(fieldErrors.forbidden(p.child("values"), "may not be specified when `operator` is 'Exists' or 'DoesNotExist'"));
        break;
      default:
        errs.push(fieldErrors.invalid(p.child("operator"), op, "not a valid selector operator"));
    }
    errs.push(...labelName(str(expr.key), p.child("key")));
    if (checkValues)
      values.forEach((v, j) => {
        for (const m of labelValueErrors(v)) errs.push(fieldErrors.invalid(p.child("values").index(j), v, m));
      });
  });
  return errs;
}

/** Whether metav1.LabelSelectorAsSelector succeeds (operators and values well formed). */
export function selectorConvertible(sel: unknown): boolean {
  const s = obj(sel);
  if (!s) return true;
  for (const k of Object.keys(obj(s.matchLabels) ?? {})) {
    if (qualifiedNameErrors(k).length || labelValueErrors(str((s.matchLabels as Obj)[k])).length) return false;
  }
  for (const e of objs(s.matchExpressions)) {
    const op = str(e.operator);
    const values = strs(e.values);
    if (qualifiedNameErrors(str(e.key)).length) return false;
    if ((op === "In" || op === "NotIn") && values.length === 0) return false;
    if ((op === "Exists" || op === "DoesNotExist") && values.length > 0) return false;
    if (!["In", "NotIn", "Exists", "DoesNotExist"].includes(op)) return false;
    if (values.some((v) => labelValueErrors(v).length)) return false;
  }
  return true;
}

/**
 * LabelSelectorAsSelector(sel).Matches(labels): nil selects nothing, {} selects everything.
 * Only call when selectorConvertible(sel).
 */
export function selectorMatches(sel: unknown, labels: Record<string, string>): boolean {
  const s = obj(sel);
  if (!s) return false;
  for (const [k, v] of Object.entries(obj(s.matchLabels) ?? {})) if (labels[k] !== str(v)) return false;
  for (const e of objs(s.matchExpressions)) {
    const key = str(e.key);
    const has = Object.prototype.hasOwnProperty.call(labels, key);
    const values = strs(e.values);
    switch (str(e.operator)) {
      case "In":
        if (!has || !values.includes(labels[key]!)) return false;
        break;
      case "NotIn":
        if (has && values.includes(labels[key]!)) return false;
        break;
      case "Exists":
        if (!has) return false;
        break;
      case "DoesNotExist":
        if (has) return false;
        break;
    }
  }
  return true;
}

/** A selector with neither matchLabels nor matchExpressions. */
export function selectorEmpty(sel: unknown): boolean {
  const s = obj(sel);
  return !!s && Object.keys(obj(s.matchLabels) ?? {}).length + arr(s.matchExpressions).length === 0;
}

export const goSelector = goLabelSelector;

export function validPortNum(port: number, path: P): FieldError[] {
  return port >= 1 && port <= 65535 ? [] : [fieldErrors.invalid(path, port, inclusiveRange(1, 65535))];
}

export function portNameErrors(port: string): string[] {
  const errs: string[] = [];
  if (port.length > 15) errs.push(maxLenError(15));
  if (!/^[-a-z0-9]+$/.test(port)) errs.push("must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)");
  if (!/[a-z]/.test(port)) errs.push("must contain at least one letter (a-z)");
  if (port.includes("--")) errs.push("must not contain consecutive hyphens");
  if (port.length > 0 && (port.startsWith("-") || port.endsWith("-"))) errs.push("must not begin or end with a hyphen");
  return errs;
}

/** ValidatePortNumOrName of an IntOrString. */
export function portNumOrName(port: unknown, path: P): FieldError[] {
  if (typeof port === "string") return portNameErrors(port).map((m) => fieldErrors.invalid(path, port, m));
  return validPortNum(isNum(port) ? port : 0, path);
}

const CONFIG_KEY = /^[-._a-zA-Z0-9]+$/;
export function configMapKeyErrors(value: string): string[] {
  const errs: string[] = [];
  if (value.length > 253) errs.push(maxLenError(253));
  if (!CONFIG_KEY.test(value))
    errs.push(regexError("a valid config key must consist of alphanumeric characters, '-', '_' or '.'", "[-._a-zA-Z0-9]+", "key.name", "KEY_NAME", "key-name"));
  errs.push(...chDirPrefix(value));
  return errs;
}

function chDirPrefix(value: string): string[] {
  if (value === ".") return ["must not be '.'"];
  if (value === "..") return ["must not be '..'"];
  if (value.startsWith("..")) return ["must not start with '..'"];
  return [];
}

/** IsRelaxedEnvVarName (RelaxedEnvironmentVariableValidation is on by default in 1.33). */
export function envVarNameErrors(value: string): string[] {
  const errs: string[] = [];
  if (value.length === 0) errs.push("environment variable name must be non-empty");
  for (const ch of value) {
    const c = ch.codePointAt(0)!;
    if (c > 127 || c < 32 || c === 127 || ch === "=") {
      errs.push("a valid environment variable name must consist only of printable ASCII characters other than '='");
      break;
    }
  }
  return errs;
}

export function percentErrors(value: string): string[] {
  return /^[0-9]+%$/.test(value) ? [] : [regexError("a valid percent string must be a numeric string followed by an ending '%'", "[0-9]+%", "1%", "93%")];
}

export function httpHeaderNameErrors(value: string): string[] {
  return /^[-A-Za-z0-9]+$/.test(value) ? [] : [regexError("a valid HTTP header must consist of alphanumeric characters or '-'", "[-A-Za-z0-9]+", "X-Header-Name")];
}

const IPV4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

/** netutils.ParseIPSloppy: IPv4 (leading zeros allowed) or IPv6 text, else undefined. Returns the family. */
export function parseIP(value: string): 4 | 6 | undefined {
  const m = IPV4.exec(value);
  if (m) return m.slice(1).every((o) => Number(o) <= 255) ? 4 : undefined;
  if (!value.includes(":") || value.includes("%")) return undefined;
  // Go accepts an embedded IPv4 tail (::ffff:1.2.3.4)
  let text = value;
  const last = text.lastIndexOf(":");
  const tail = text.slice(last + 1);
  let extra = 0;
  if (tail.includes(".")) {
    if (parseIP(tail) !== 4) return undefined;
    text = `${text.slice(0, last + 1)}0:0`;
    extra = 0;
  }
  const parts = text.split("::");
  if (parts.length > 2) return undefined;
  const groups = (s: string) => (s === "" ? [] : s.split(":"));
  const head = groups(parts[0]!);
  const rest = parts.length === 2 ? groups(parts[1]!) : [];
  const all = [...head, ...rest];
  if (!all.every((g) => /^[0-9a-fA-F]{1,4}$/.test(g))) return undefined;
  const count = all.length + extra;
  if (parts.length === 2 ? count > 7 : count !== 8) return undefined;
  return 6;
}

/** The IP as 16 bytes (IPv4 mapped), for special-range checks. */
function ipBytes(value: string): number[] | undefined {
  const fam = parseIP(value);
  if (!fam) return undefined;
  if (fam === 4) return [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, ...value.split(".").map(Number)];
  let text = value;
  let v4: number[] = [];
  const last = text.lastIndexOf(":");
  if (text.slice(last + 1).includes(".")) {
    v4 = text.slice(last + 1).split(".").map(Number);
    text = text.slice(0, last + 1) + "0:0";
  }
  const [h, t = undefined] = text.split("::");
  const head = h ? h.split(":") : [];
  const tail = t === undefined ? [] : t ? t.split(":") : [];
  const zeros = t === undefined ? [] : Array(8 - head.length - tail.length).fill("0");
  const groups = [...head, ...zeros, ...tail].map((g) => parseInt(g, 16));
  const bytes = groups.flatMap((g) => [g >> 8, g & 0xff]);
  if (v4.length) bytes.splice(12, 4, ...v4);
  return bytes;
}

export function validIP(value: string, path: P): FieldError[] {
  return parseIP(value) ? [] : [fieldErrors.invalid(path, value, "must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)")];
}

export function isIPv6(value: string): boolean {
  return parseIP(value) === 6 && !isV4Mapped(value);
}

function isV4Mapped(value: string): boolean {
  const b = ipBytes(value);
  return !!b && b.slice(0, 10).every((x) => x === 0) && b[10] === 0xff && b[11] === 0xff;
}

/** ValidateNonSpecialIP (endpoints, endpoint slices, external IPs). */
export function nonSpecialIP(value: string, path: P): FieldError[] {
  const b = ipBytes(value);
  if (!b) return [fieldErrors.invalid(path, value, "must be a valid IP address")];
  const errs: FieldError[] = [];
  const v4 = b.slice(0, 10).every((x) => x === 0) && b[10] === 0xff && b[11] === 0xff;
  const unspecified = v4 ? b.slice(12).every((x) => x === 0) : b.every((x) => x === 0);
  const loopback = v4 ? b[12] === 127 : b.slice(0, 15).every((x) => x === 0) && b[15] === 1;
  const linkLocalUnicast = v4 ? b[12] === 169 && b[13] === 254 : b[0] === 0xfe && (b[1]! & 0xc0) === 0x80;
  const linkLocalMulticast = v4 ? b[12] === 224 && b[13] === 0 && b[14] === 0 : b[0] === 0xff && (b[1]! & 0x0f) === 0x02;
  if (unspecified) errs.push(fieldErrors.invalid(path, value, `may not be unspecified (${value})`));
  if (loopback) errs.push(fieldErrors.invalid(path, value, "may not be in the loopback range (127.0.0.0/8, ::1/128)"));
  if (linkLocalUnicast) errs.push(fieldErrors.invalid(path, value, "may not be in the link-local range (169.254.0.0/16, fe80::/10)"));
  if (linkLocalMulticast) errs.push(fieldErrors.invalid(path, value, "may not be in the link-local multicast range (224.0.0.0/24, ff02::/10)"));
  return errs;
}

export function parseCIDR(value: string): 4 | 6 | undefined {
  const slash = value.indexOf("/");
  if (slash < 0) return undefined;
  const fam = parseIP(value.slice(0, slash));
  const bits = value.slice(slash + 1);
  if (!fam || !/^\d+$/.test(bits)) return undefined;
  return Number(bits) <= (fam === 4 ? 32 : 128) ? fam : undefined;
}

export function validCIDR(value: string, path: P): FieldError[] {
  return parseCIDR(value) ? [] : [fieldErrors.invalid(path, value, "must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)")];
}

/** ValidateImmutableField for values printed plainly (strings, numbers, string lists). */
export function immutable(newValue: unknown, oldValue: unknown, path: P, render?: unknown): FieldError[] {
  return semanticEqual(newValue, oldValue) ? [] : [fieldErrors.invalid(path, render ?? newValue ?? null, FIELD_IMMUTABLE)];
}

/** IsDomainPrefixedPath. */
export function domainPrefixedPath(value: string, path: P): FieldError[] {
  if (value.length === 0) return [fieldErrors.required(path)];
  const idx = value.indexOf("/");
  const host = idx < 0 ? value : value.slice(0, idx);
  const rest = idx < 0 ? "" : value.slice(idx + 1);
  if (idx < 0 || host.length === 0 || rest.length === 0)
    return [fieldErrors.invalid(path, value, 'must be a domain-prefixed path (such as "acme.io/foo")')];
  const errs = dns1123SubdomainErrors(host).map((m) => fieldErrors.invalid(path, host, m));
  if (!/^[A-Za-z0-9/\-._~%!$&'()*+,;=:]+$/.test(rest))
    errs.push(fieldErrors.invalid(path, rest, regexError("Invalid path", "[A-Za-z0-9/\\-._~%!$&'()*+,;=:]+")));
  return errs;
}

export { FieldPath };
