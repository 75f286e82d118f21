// The garbage collector, namespace, service account, root CA publisher and disruption (PDB)
// controllers: what keeps a cluster's object lifecycles as upstream's kube-controller-manager does.
import type { ControllerContext } from "../../controlplane/context.js";
import type { Runnable } from "../runtime/controller.js";
import { DisruptionController } from "./disruption/disruption-controller.js";
import { GarbageCollector } from "./garbage-collector/garbage-collector.js";
import { NamespaceController } from "./namespace/namespace-controller.js";
import { RootCAPublisher } from "./root-ca-publisher.js";
import { ServiceAccountsController } from "./service-accounts.js";

export function lifecycleControllers(ctx: ControllerContext): Runnable[] {
  const discovery = ctx.discovery;
  return [
    new ServiceAccountsController(ctx),
    new RootCAPublisher(ctx),
    new NamespaceController(ctx, discovery),
    new GarbageCollector(ctx, discovery),
    new DisruptionController(ctx, discovery),
  ];
}
