// core/v1 services (upstream pkg/registry/core/service). ClusterIP and NodePort allocation happen in
// upstream's service REST wrapper, not in the strategy; the proxy subresource needs its own REST.
import { defineResource } from "../../definition.js";
import { asString, specOf } from "../strategy-helpers.js";
import { prepareServiceForCreate, prepareServiceForUpdate } from "./service-allocated-values.js";

export const services = defineResource({
  group: "",
  version: "v1",
  kind: "Service",
  plural: "services",
  singular: "service",
  namespaced: true,
  shortNames: ["svc"],
  categories: ["all"],
  schema: "io.k8s.api.core.v1.Service",
  subresources: { status: true },
  fieldSelectors: {
    "spec.clusterIP": (o) => asString(specOf(o).clusterIP),
    "spec.type": (o) => asString(specOf(o).type) || "ClusterIP",
  },
  strategy: {
    nameValidation: "DNS1035Label",
    allowCreateOnUpdate: true,
    allowUnconditionalUpdate: true,
    prepareForCreate: (_ctx, svc) => prepareServiceForCreate(svc),
    prepareForUpdate: (_ctx, svc, old) => prepareServiceForUpdate(svc, old),
  },
});
