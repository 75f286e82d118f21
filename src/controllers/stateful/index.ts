// The StatefulSet and DaemonSet controllers.
import type { ControllerContext } from "../../controlplane/context.js";
import type { Runnable } from "../runtime/controller.js";

export function statefulControllers(_ctx: ControllerContext): Runnable[] {
  return [];
}
