// The garbage collector, namespace, service account, root CA publisher and disruption (PDB) controllers.
import type { ControllerContext } from "../../controlplane/context.js";
import type { Runnable } from "../runtime/controller.js";

export function lifecycleControllers(_ctx: ControllerContext): Runnable[] {
  return [];
}
