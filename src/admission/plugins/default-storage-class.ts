// DefaultStorageClass: PVCs without a class get the default StorageClass.
import type { AdmissionPlugin } from "../interfaces.js";
import type { AdmissionDeps } from "./deps.js";

export function defaultStorageClass(_deps: AdmissionDeps): AdmissionPlugin | undefined {
  return undefined;
}
