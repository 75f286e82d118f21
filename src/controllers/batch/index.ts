// The Job, CronJob and TTL-after-finished controllers.
import type { ControllerContext } from "../../controlplane/context.js";
import type { Runnable } from "../runtime/controller.js";

export function batchControllers(_ctx: ControllerContext): Runnable[] {
  return [];
}
