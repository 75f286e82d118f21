// scheduling.k8s.io/v1 priorityclasses (upstream pkg/registry/scheduling/priorityclass): value and
// preemptionPolicy are fixed at creation; generation starts at 1 and never moves (there is no spec).
import type { FieldError } from "../../../apimachinery/field-errors.js";
import { fieldErrors } from "../../../apimachinery/field-errors.js";
import type { KubeObject } from "../../../apimachinery/types.js";
import { defineResource } from "../../definition.js";
import { asString, immutableString } from "../strategy-helpers.js";

const preemptionPolicy = (o: KubeObject) => asString(o.preemptionPolicy) || "PreemptLowerPriority";

export function validatePriorityClassUpdate(obj: KubeObject, old: KubeObject): FieldError[] {
  const errs: FieldError[] = [];
  if ((obj.value ?? 0) !== (old.value ?? 0)) errs.push(fieldErrors.forbidden("value", "may not be changed in an update."));
  errs.push(...immutableString("preemptionPolicy", preemptionPolicy(obj), preemptionPolicy(old)));
  return errs;
}

export const priorityclasses = defineResource({
  group: "scheduling.k8s.io",
  version: "v1",
  kind: "PriorityClass",
  plural: "priorityclasses",
  singular: "priorityclass",
  namespaced: false,
  shortNames: ["pc"],
  schema: "io.k8s.api.scheduling.v1.PriorityClass",
  strategy: {
    // upstream sets 1 on create; with no .spec the "spec" rule never bumps it afterwards
    generation: "spec",
    nameValidation: "DNS1123Subdomain",
    allowCreateOnUpdate: false,
    allowUnconditionalUpdate: true,
    validateUpdate: (_ctx, obj, old) => validatePriorityClassUpdate(obj, old),
  },
});
