// scheduling.k8s.io/v1 PriorityClasses (upstream pkg/apis/scheduling/validation). The value and
// preemptionPolicy immutability is the built-in strategy's check.
import type { KubeObject } from "../../apimachinery/types.js";
import { type FieldError, fieldErrors, isNum, root, str } from "./helpers.js";

const SYSTEM: Record<string, number> = { "system-node-critical": 2000001000, "system-cluster-critical": 2000000000 };
const HIGHEST_USER = 1000000000;

export function validatePriorityClass(pc: KubeObject): FieldError[] {
  const errs: FieldError[] = [];
  const name = pc.metadata.name ?? "";
  const value = isNum(pc.value) ? pc.value : 0;
  const globalDefault = pc.globalDefault === true;
  if (name.startsWith("system-")) {
    let err: string | undefined;
    if (!(name in SYSTEM)) err = `${name} is not a known system priority class`;
    else if (SYSTEM[name] !== value) err = `value of ${name} PriorityClass must be ${SYSTEM[name]}`;
    else if (globalDefault) err = `globalDefault of ${name} PriorityClass must be false`;
    if (err) errs.push(fieldErrors.forbidden(root("metadata", "name"), `priority class names with 'system-' prefix are reserved for system use only. error: ${err}`));
  } else if (value > HIGHEST_USER) {
    errs.push(fieldErrors.forbidden("value", `maximum allowed value of a user defined priority is ${HIGHEST_USER}`));
  }
  const pp = str(pc.preemptionPolicy);
  if (pp && pp !== "PreemptLowerPriority" && pp !== "Never") errs.push(fieldErrors.notSupported("preemptionPolicy", pp, ["PreemptLowerPriority", "Never"]));
  return errs;
}
