// The networking group: the Endpoints, EndpointSlice and EndpointSlice mirroring controllers
// (kube-controller-manager), the LoadBalancer service controller (what a cloud-controller-manager
// does) and Ingress status (what ingress-nginx on kind reports). Service cluster IPs and NodePorts are allocated in the API server
// (src/admission/plugins/service-ip-allocation.ts).
import type { ControllerContext } from "../../controlplane/context.js";
import type { Runnable } from "../runtime/controller.js";
import { EndpointSliceController } from "./endpointslice.js";
import { EndpointsController } from "./endpoints.js";
import { IngressStatusController } from "./ingress-status.js";
import { LoadBalancerController } from "./loadbalancer.js";
import { EndpointSliceMirroringController } from "./mirroring.js";

/**
 * Pod-triggered syncs of a Service are batched over this window (upstream's
 * --endpoint-updates-batch-period / --endpointslice-updates-batch-period, 0 by default there): a
 * rollout of thousands of pods then costs a handful of syncs instead of one per pod change.
 */
export const POD_BATCH_MS = 200;

export function networkingControllers(ctx: ControllerContext): Runnable[] {
  return [
    new EndpointsController(ctx, { batchMs: POD_BATCH_MS }),
    new EndpointSliceController(ctx, { batchMs: POD_BATCH_MS }),
    new EndpointSliceMirroringController(ctx),
    new LoadBalancerController(ctx),
    new IngressStatusController(ctx),
  ];
}
