// The scheduler: binds pending pods to nodes.
import type { ControllerContext } from "../controlplane/context.js";
import type { Runnable } from "../controllers/runtime/controller.js";

export function schedulerComponents(_ctx: ControllerContext): Runnable[] {
  return [];
}
