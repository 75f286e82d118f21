// DefaultIngressClass: Ingresses without a class get the default IngressClass.
import type { AdmissionPlugin } from "../interfaces.js";
import type { AdmissionDeps } from "./deps.js";

export function defaultIngressClass(_deps: AdmissionDeps): AdmissionPlugin | undefined {
  return undefined;
}
