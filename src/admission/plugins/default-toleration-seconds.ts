// DefaultTolerationSeconds: not-ready/unreachable NoExecute tolerations.
import type { AdmissionPlugin } from "../interfaces.js";
import type { AdmissionDeps } from "./deps.js";

export function defaultTolerationSeconds(_deps: AdmissionDeps): AdmissionPlugin | undefined {
  return undefined;
}
