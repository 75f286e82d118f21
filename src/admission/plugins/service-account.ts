// ServiceAccount: serviceAccountName, the kube-api-access volume and its mounts.
import type { AdmissionPlugin } from "../interfaces.js";
import type { AdmissionDeps } from "./deps.js";

export function serviceAccount(_deps: AdmissionDeps): AdmissionPlugin | undefined {
  return undefined;
}
