// The PersistentVolume binding and provisioning controllers.
import type { ControllerContext } from "../../controlplane/context.js";
import type { Runnable } from "../runtime/controller.js";

export function storageControllers(_ctx: ControllerContext): Runnable[] {
  return [];
}
