// StorageObjectInUseProtection: pvc-protection and pv-protection finalizers.
import type { AdmissionPlugin } from "../interfaces.js";
import type { AdmissionDeps } from "./deps.js";

export function storageObjectInUseProtection(_deps: AdmissionDeps): AdmissionPlugin | undefined {
  return undefined;
}
