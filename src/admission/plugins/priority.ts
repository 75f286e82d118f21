// Priority: pod priority and preemptionPolicy from PriorityClasses.
import type { AdmissionPlugin } from "../interfaces.js";
import type { AdmissionDeps } from "./deps.js";

export function priority(_deps: AdmissionDeps): AdmissionPlugin | undefined {
  return undefined;
}
