// LimitRanger: container requests and limits from the namespace's LimitRanges.
import type { AdmissionPlugin } from "../interfaces.js";
import type { AdmissionDeps } from "./deps.js";

export function limitRanger(_deps: AdmissionDeps): AdmissionPlugin | undefined {
  return undefined;
}
