// The node lifecycle controller, with the taint eviction controller and the pod garbage collector
// that act on what it decides (kube-controller-manager's nodelifecycle, taint-eviction-controller
// and podgc).
import type { ControllerContext } from "../../controlplane/context.js";
import type { Runnable } from "../runtime/controller.js";
import { NodeLifecycleController } from "./node-lifecycle.js";
import { PodGCController } from "./pod-gc.js";
import { TaintEvictionController } from "./taint-eviction.js";

export { NodeLifecycleController, DEFAULT_NODE_LIFECYCLE_OPTIONS, type NodeLifecycleOptions } from "./node-lifecycle.js";
export { TaintEvictionController } from "./taint-eviction.js";
export { PodGCController } from "./pod-gc.js";

const groups = new WeakMap<ControllerContext, { lifecycle: NodeLifecycleController; eviction: TaintEvictionController; podgc: PodGCController }>();

/** The node controllers of a control plane (tests inspect them). */
export function nodeControllersOf(ctx: ControllerContext) {
  return groups.get(ctx);
}

export function nodeControllers(ctx: ControllerContext): Runnable[] {
  const lifecycle = new NodeLifecycleController(ctx);
  const eviction = new TaintEvictionController(ctx);
  const podgc = new PodGCController(ctx);
  groups.set(ctx, { lifecycle, eviction, podgc });
  return [lifecycle, eviction, podgc];
}
