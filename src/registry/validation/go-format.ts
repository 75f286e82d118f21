// Go's %#v of the few structs upstream puts in field errors as the bad value (field.Invalid with
// a struct or pointer to one). Only the structs that user-facing errors commonly carry are
// rendered; each follows the internal (pkg/apis/...) type's field order.
import { isNum, obj, objOr, str } from "./helpers.js";

export const q = (s: string): string => JSON.stringify(s);

export function goStringSlice(v: unknown, type = "[]string"): string {
  if (!Array.isArray(v)) return `${type}(nil)`;
  return `${type}{${v.map((x) => q(str(x))).join(", ")}}`;
}

export function goStringMap(v: unknown): string {
  const m = obj(v);
  if (!m) return "map[string]string(nil)";
  return `map[string]string{${Object.keys(m)
    .sort()
    .map((k) => `${q(k)}:${q(str(m[k]))}`)
    .join(", ")}}`;
}

/** metav1.LabelSelector (as ValidateImmutableField and field.Invalid print it). */
export function goLabelSelector(v: unknown): string {
  const sel = objOr(v);
  const exprs = sel.matchExpressions;
  const e = Array.isArray(exprs)
    ? `[]v1.LabelSelectorRequirement{${exprs
        .map((x) => {
          const r = objOr(x);
          return `v1.LabelSelectorRequirement{Key:${q(str(r.key))}, Operator:${q(str(r.operator))}, Values:${goStringSlice(r.values)}}`;
        })
        .join(", ")}}`
    : "[]v1.LabelSelectorRequirement(nil)";
  return `v1.LabelSelector{MatchLabels:${goStringMap(sel.matchLabels)}, MatchExpressions:${e}}`;
}

/** intstr.IntOrString by value. */
export function goIntOrString(v: unknown): string {
  if (typeof v === "string") return `intstr.IntOrString{Type:1, IntVal:0, StrVal:${q(v)}}`;
  return `intstr.IntOrString{Type:0, IntVal:${isNum(v) ? v : 0}, StrVal:""}`;
}

/** core.ServicePort as the duplicate-port key (only Protocol and Port set). */
export function goServicePortKey(protocol: string, port: number): string {
  return `core.ServicePort{Name:"", Protocol:${q(protocol)}, AppProtocol:(*string)(nil), Port:${port}, TargetPort:intstr.IntOrString{Type:0, IntVal:0, StrVal:""}, NodePort:0}`;
}
