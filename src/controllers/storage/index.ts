// The storage group: kind's default StorageClass, the PersistentVolume binder, the PVC and PV
// protection controllers (kube-controller-manager) and a simulated rancher.io/local-path
// provisioner (kind's local-path-provisioner).
import type { ControllerContext } from "../../controlplane/context.js";
import type { Runnable } from "../runtime/controller.js";
import { DefaultStorageClassInstaller } from "./default-storage-class.js";
import { LocalPathProvisioner } from "./local-path-provisioner.js";
import { PersistentVolumeController } from "./pv-controller.js";
import { PVProtectionController } from "./pv-protection.js";
import { PVCProtectionController } from "./pvc-protection.js";

export function storageControllers(ctx: ControllerContext): Runnable[] {
  return [
    new DefaultStorageClassInstaller(ctx),
    new PersistentVolumeController(ctx),
    new PVCProtectionController(ctx),
    new PVProtectionController(ctx),
    new LocalPathProvisioner(ctx),
  ];
}
