// RuntimeClass: pod overhead, node selector and tolerations from the RuntimeClass.
import type { AdmissionPlugin } from "../interfaces.js";
import type { AdmissionDeps } from "./deps.js";

export function runtimeClass(_deps: AdmissionDeps): AdmissionPlugin | undefined {
  return undefined;
}
