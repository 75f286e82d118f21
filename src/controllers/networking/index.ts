// The Endpoints, EndpointSlice, LoadBalancer and Ingress status controllers.
import type { ControllerContext } from "../../controlplane/context.js";
import type { Runnable } from "../runtime/controller.js";

export function networkingControllers(_ctx: ControllerContext): Runnable[] {
  return [];
}
