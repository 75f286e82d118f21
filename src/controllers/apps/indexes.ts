// Informer indexes the apps controllers share: objects by their controller owner's UID (orphans
// under "orphan/<namespace>"), so a controller finds its pods or ReplicaSets without a scan.
import type { KubeObject } from "../../apimachinery/types.js";
import { controllerRef } from "../runtime/owner-refs.js";

export const POD_CONTROLLER_INDEX = "apps/controller-uid";
export const RS_CONTROLLER_INDEX = "apps/controller-uid";

export function podControllerIndex(obj: KubeObject): string[] {
  const ref = controllerRef(obj);
  return [ref ? ref.uid : `orphan/${obj.metadata.namespace ?? ""}`];
}

export const rsControllerIndex = podControllerIndex;
