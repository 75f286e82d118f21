// TaintNodesByCondition: new nodes start tainted not-ready.
import type { AdmissionPlugin } from "../interfaces.js";
import type { AdmissionDeps } from "./deps.js";

export function taintNodesByCondition(_deps: AdmissionDeps): AdmissionPlugin | undefined {
  return undefined;
}
