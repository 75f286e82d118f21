// scheduling.k8s.io/v1 defaulting (pkg/apis/scheduling/v1/defaults.go). `value` has no omitempty,
// so a PriorityClass without one reads back with value 0.
import type { KubeObject } from "../../apimachinery/types.js";
import { type Json, defaultNil } from "./util.js";

export function defaultPriorityClass(pc: KubeObject): void {
  defaultNil(pc as Json, "preemptionPolicy", "PreemptLowerPriority");
  if (pc.value === undefined || pc.value === null) pc.value = 0;
}
