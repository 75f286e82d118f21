// Simulated kubelets: the nodes, their leases and the pod lifecycle on them.
import type { ControllerContext } from "../controlplane/context.js";
import type { Runnable } from "../controllers/runtime/controller.js";
import { KubeletFleet } from "./fleet.js";

export { KubeletFleet } from "./fleet.js";
export { ANNOTATIONS as KUBELET_ANNOTATIONS } from "./behaviour.js";
export { DEFAULT_KUBELET_OPTIONS, type KubeletOptions } from "./options.js";

const fleets = new WeakMap<ControllerContext, KubeletFleet>();

/** The simulated kubelets of a control plane (tests stop and start them through it). */
export function kubeletFleetOf(ctx: ControllerContext): KubeletFleet | undefined {
  return fleets.get(ctx);
}

export function kubeletComponents(ctx: ControllerContext): Runnable[] {
  if (ctx.options.nodes <= 0) return [];
  const fleet = new KubeletFleet(ctx);
  fleets.set(ctx, fleet);
  return [fleet];
}
