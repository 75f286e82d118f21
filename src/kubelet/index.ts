// Simulated kubelets: the nodes, their leases and the pod lifecycle on them.
import type { ControllerContext } from "../controlplane/context.js";
import type { Runnable } from "../controllers/runtime/controller.js";

export function kubeletComponents(_ctx: ControllerContext): Runnable[] {
  return [];
}
