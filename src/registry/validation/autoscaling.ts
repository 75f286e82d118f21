// autoscaling/v2 HorizontalPodAutoscalers (upstream pkg/apis/autoscaling/validation): replica
// bounds and the scale target; metric specs are checked at their top level only.
import type { KubeObject } from "../../apimachinery/types.js";
import { pathSegmentErrors } from "../../apimachinery/validation.js";
import { type FieldError, fieldErrors, isNum, objOr, objs, root, str } from "./helpers.js";

const METRIC_TYPES = ["ContainerResource", "External", "Object", "Pods", "Resource"];

export function validateHPA(hpa: KubeObject): FieldError[] {
  const spec = objOr(hpa.spec);
  const sp = root("spec");
  const errs: FieldError[] = [];
  const min = isNum(spec.minReplicas) ? spec.minReplicas : undefined;
  const max = isNum(spec.maxReplicas) ? spec.maxReplicas : 0;
  if (min !== undefined && min < 1) errs.push(fieldErrors.invalid(sp.child("minReplicas"), min, "must be greater than or equal to 1"));
  if (max < 1) errs.push(fieldErrors.invalid(sp.child("maxReplicas"), max, "must be greater than 0"));
  if (min !== undefined && max < min) errs.push(fieldErrors.invalid(sp.child("maxReplicas"), max, "must be greater than or equal to `minReplicas`"));
  const ref = objOr(spec.scaleTargetRef);
  const rp = sp.child("scaleTargetRef");
  const kind = str(ref.kind);
  if (!kind) errs.push(fieldErrors.required(rp.child("kind")));
  else for (const m of pathSegmentErrors(kind)) errs.push(fieldErrors.invalid(rp.child("kind"), kind, m));
  const name = str(ref.name);
  if (!name) errs.push(fieldErrors.required(rp.child("name")));
  else for (const m of pathSegmentErrors(name)) errs.push(fieldErrors.invalid(rp.child("name"), name, m));
  objs(spec.metrics).forEach((m, i) => {
    const mp = sp.child("metrics").index(i);
    const type = str(m.type);
    if (!type) errs.push(fieldErrors.required(mp.child("type"), "must specify a metric source type"));
    else if (!METRIC_TYPES.includes(type)) errs.push(fieldErrors.notSupported(mp.child("type"), type, METRIC_TYPES));
  });
  return errs;
}
