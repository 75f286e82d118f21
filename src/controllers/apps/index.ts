// The Deployment, ReplicaSet and ReplicationController controllers.
import type { ControllerContext } from "../../controlplane/context.js";
import type { Runnable } from "../runtime/controller.js";
import { DeploymentController } from "./deployment.js";
import { REPLICA_SET_KIND, REPLICATION_CONTROLLER_KIND, ReplicaSetController } from "./replica-set.js";

export function appsControllers(ctx: ControllerContext): Runnable[] {
  return [new DeploymentController(ctx), new ReplicaSetController(ctx, REPLICA_SET_KIND), new ReplicaSetController(ctx, REPLICATION_CONTROLLER_KIND)];
}
