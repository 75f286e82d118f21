// DefaultStorageClass (upstream plugin/pkg/admission/storage/storageclass/setdefault): a new
// PersistentVolumeClaim that names no class (neither spec.storageClassName — even "" counts — nor
// the beta annotation) gets the default StorageClass: the newest of those annotated
// storageclass.kubernetes.io/is-default-class: "true" (or the beta annotation).
import { claimHasClass, defaultStorageClass as pickDefault } from "../../controllers/storage/helpers.js";
import type { AdmissionAttributes, AdmissionOperation, AdmissionPlugin } from "../interfaces.js";
import type { AdmissionDeps } from "./deps.js";
import { specOf } from "./util.js";

export class DefaultStorageClass implements AdmissionPlugin {
  readonly name = "DefaultStorageClass";

  constructor(private readonly deps: AdmissionDeps) {}

  handles(op: AdmissionOperation): boolean {
    return op === "CREATE";
  }

  admit(a: AdmissionAttributes): void {
    if (a.resource.group !== "" || a.resource.resource !== "persistentvolumeclaims" || a.subresource !== "" || !a.object) return;
    if (claimHasClass(a.object)) return;
    const def = pickDefault(this.deps.list("storage.k8s.io", "storageclasses"));
    if (!def) return;
    specOf(a.object).storageClassName = def.metadata.name;
  }
}

export function defaultStorageClass(deps: AdmissionDeps): AdmissionPlugin | undefined {
  return new DefaultStorageClass(deps);
}
