// storage.k8s.io/v1 defaulting (pkg/apis/storage/v1/defaults.go, Kubernetes 1.33:
// SELinuxMountReadWriteOncePod is beta and on, so CSIDriver.spec.seLinuxMount defaults to false).
// CSINode has no defaulter; CSIStorageCapacity's quantities are written in canonical form.
import type { KubeObject } from "../../apimachinery/types.js";
import { defaultAzureDisk, defaultHostPath, defaultISCSI, defaultRBD, defaultScaleIO } from "./pod-spec.js";
import { defaultQuantityField, defaultResourceList } from "./quantity.js";
import { type Json, child, defaultNil, isEmptyCollection, obj } from "./util.js";

/** SetDefaults_StorageClass. */
export function defaultStorageClass(sc: KubeObject): void {
  defaultNil(sc as Json, "reclaimPolicy", "Delete");
  defaultNil(sc as Json, "volumeBindingMode", "Immediate");
}

/** SetDefaults_CSIDriver. */
export function defaultCSIDriver(driver: KubeObject): void {
  const spec = obj(driver.spec);
  if (!spec) return;
  defaultNil(spec, "attachRequired", true);
  defaultNil(spec, "podInfoOnMount", false);
  defaultNil(spec, "storageCapacity", false);
  defaultNil(spec, "fsGroupPolicy", "ReadWriteOnceWithFSType");
  if (isEmptyCollection(spec.volumeLifecycleModes)) spec.volumeLifecycleModes = ["Persistent"];
  defaultNil(spec, "requiresRepublish", false);
  defaultNil(spec, "seLinuxMount", false);
}

/** The core/v1 defaults of an inline PersistentVolumeSpec (CSI migration). */
export function defaultVolumeAttachment(va: KubeObject): void {
  const inline = child(child(obj(va.spec), "source"), "inlineVolumeSpec");
  if (!inline) return;
  defaultResourceList(inline, "capacity");
  defaultHostPath(child(inline, "hostPath"));
  defaultRBD(child(inline, "rbd"));
  defaultISCSI(child(inline, "iscsi"));
  defaultAzureDisk(child(inline, "azureDisk"));
  defaultScaleIO(child(inline, "scaleIO"));
}

export function defaultCSIStorageCapacity(capacity: KubeObject): void {
  defaultQuantityField(capacity as Json, "capacity");
  defaultQuantityField(capacity as Json, "maximumVolumeSize");
}
