// The Deployment, ReplicaSet and ReplicationController controllers.
import type { ControllerContext } from "../../controlplane/context.js";
import type { Runnable } from "../runtime/controller.js";

export function appsControllers(_ctx: ControllerContext): Runnable[] {
  return [];
}
