// policy/v1 PodDisruptionBudgets (upstream pkg/apis/policy/validation).
import type { KubeObject } from "../../apimachinery/types.js";
import { nonNegative, percentErrors, validateLabelSelector } from "./common.js";
import { goIntOrString } from "./go-format.js";
import { type FieldError, FieldPath, fieldErrors, invalidGo, isNum, objOr, root, str } from "./helpers.js";

function intOrPercent(v: unknown, p: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  if (typeof v === "string") {
    for (const m of percentErrors(v)) errs.push(invalidGo(p, goIntOrString(v), m));
    if (!percentErrors(v).length && Number(v.slice(0, -1)) > 100) errs.push(invalidGo(p, goIntOrString(v), "must not be greater than 100%"));
  } else errs.push(...nonNegative(isNum(v) ? v : 0, p));
  return errs;
}

const ptr = (v: unknown): string => (v === undefined || v === null ? "(*intstr.IntOrString)(nil)" : "(*intstr.IntOrString)(0xc000000000)");

export function validatePodDisruptionBudget(pdb: KubeObject): FieldError[] {
  const spec = objOr(pdb.spec);
  const sp = root("spec");
  const errs: FieldError[] = [];
  const min = spec.minAvailable;
  const max = spec.maxUnavailable;
  const set = (v: unknown) => v !== undefined && v !== null;
  if (set(min) && set(max))
    errs.push(
      invalidGo(
        sp,
        `policy.PodDisruptionBudgetSpec{MinAvailable:${ptr(min)}, Selector:${spec.selector ? "(*v1.LabelSelector)(0xc000000000)" : "(*v1.LabelSelector)(nil)"}, MaxUnavailable:${ptr(max)}, UnhealthyPodEvictionPolicy:${spec.unhealthyPodEvictionPolicy ? "(*policy.UnhealthyPodEvictionPolicyType)(0xc000000000)" : "(*policy.UnhealthyPodEvictionPolicyType)(nil)"}}`,
        "minAvailable and maxUnavailable cannot be both set",
      ),
    );
  if (set(min)) errs.push(...intOrPercent(min, sp.child("minAvailable")));
  if (set(max)) errs.push(...intOrPercent(max, sp.child("maxUnavailable")));
  errs.push(...validateLabelSelector(spec.selector, sp.child("selector")));
  if (set(spec.unhealthyPodEvictionPolicy) && !["AlwaysAllow", "IfHealthyBudget"].includes(str(spec.unhealthyPodEvictionPolicy)))
    errs.push(fieldErrors.notSupported(sp.child("unhealthyPodEvictionPolicy"), str(spec.unhealthyPodEvictionPolicy), ["AlwaysAllow", "IfHealthyBudget"]));
  return errs;
}
