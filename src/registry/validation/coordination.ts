// coordination.k8s.io/v1 Leases (upstream pkg/apis/coordination/validation).
import type { KubeObject } from "../../apimachinery/types.js";
import { type FieldError, fieldErrors, isNum, objOr, root, str } from "./helpers.js";

export function validateLease(lease: KubeObject): FieldError[] {
  const spec = objOr(lease.spec);
  const sp = root("spec");
  const errs: FieldError[] = [];
  if (isNum(spec.leaseDurationSeconds) && spec.leaseDurationSeconds <= 0)
    errs.push(fieldErrors.invalid(sp.child("leaseDurationSeconds"), spec.leaseDurationSeconds, "must be greater than 0"));
  if (isNum(spec.leaseTransitions) && spec.leaseTransitions < 0)
    errs.push(fieldErrors.invalid(sp.child("leaseTransitions"), spec.leaseTransitions, "must be greater than or equal to 0"));
  if (typeof spec.strategy === "string" && spec.strategy !== "" && spec.strategy !== "OldestEmulationVersion")
    errs.push(fieldErrors.notSupported(sp.child("strategy"), spec.strategy, ["OldestEmulationVersion"]));
  if (str(spec.preferredHolder) && !str(spec.strategy)) errs.push(fieldErrors.forbidden(sp.child("preferredHolder"), "may only be specified if `strategy` is defined"));
  return errs;
}
