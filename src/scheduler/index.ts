// The scheduler: binds pending pods to nodes (kube-scheduler's default profile, in-process).
import type { ControllerContext } from "../controlplane/context.js";
import type { Runnable } from "../controllers/runtime/controller.js";
import { Scheduler } from "./scheduler.js";

export { Scheduler } from "./scheduler.js";

export function schedulerComponents(ctx: ControllerContext): Runnable[] {
  return [new Scheduler(ctx)];
}
