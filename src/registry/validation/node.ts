// node.k8s.io/v1 RuntimeClasses (upstream pkg/apis/node/validation). handler immutability is the
// strategy's check.
import type { KubeObject } from "../../apimachinery/types.js";
import { dnsLabel, validateLabelMap } from "./common.js";
import { type FieldError, objOr, root, str } from "./helpers.js";
import { validateTolerations } from "./core/scheduling.js";

export function validateRuntimeClass(rc: KubeObject): FieldError[] {
  const errs = dnsLabel(str(rc.handler), "handler");
  const sched = objOr(rc.scheduling);
  errs.push(...validateLabelMap(sched.nodeSelector, root("scheduling", "nodeSelector")));
  errs.push(...validateTolerations(sched.tolerations, root("scheduling", "tolerations")));
  return errs;
}
