// StorageObjectInUseProtection (upstream plugin/pkg/admission/storage/storageobjectinuseprotection):
// new PersistentVolumeClaims get the kubernetes.io/pvc-protection finalizer and new
// PersistentVolumes kubernetes.io/pv-protection; the pvc-protection and pv-protection controllers
// remove them once nothing uses the object.
import type { AdmissionAttributes, AdmissionOperation, AdmissionPlugin } from "../interfaces.js";
import { PV_PROTECTION_FINALIZER, PVC_PROTECTION_FINALIZER } from "../../controllers/storage/helpers.js";
import type { AdmissionDeps } from "./deps.js";

export class StorageObjectInUseProtection implements AdmissionPlugin {
  readonly name = "StorageObjectInUseProtection";

  handles(op: AdmissionOperation): boolean {
    return op === "CREATE";
  }

  admit(a: AdmissionAttributes): void {
    if (a.resource.group !== "" || a.subresource !== "" || !a.object) return;
    const finalizer =
      a.resource.resource === "persistentvolumes" ? PV_PROTECTION_FINALIZER : a.resource.resource === "persistentvolumeclaims" ? PVC_PROTECTION_FINALIZER : "";
    if (!finalizer) return;
    const m = a.object.metadata;
    const current = Array.isArray(m.finalizers) ? m.finalizers : [];
    if (current.includes(finalizer)) return;
    m.finalizers = [...current, finalizer];
  }
}

export function storageObjectInUseProtection(_deps: AdmissionDeps): AdmissionPlugin | undefined {
  return new StorageObjectInUseProtection();
}
