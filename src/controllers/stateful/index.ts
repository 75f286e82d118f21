// The StatefulSet and DaemonSet controllers.
import type { ControllerContext } from "../../controlplane/context.js";
import type { Runnable } from "../runtime/controller.js";
import { DaemonSetController } from "./daemon-set-controller.js";
import { StatefulSetController } from "./stateful-set-controller.js";

export function statefulControllers(ctx: ControllerContext): Runnable[] {
  return [new StatefulSetController(ctx), new DaemonSetController(ctx)];
}
