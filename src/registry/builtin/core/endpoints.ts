// core/v1 endpoints (upstream pkg/registry/core/endpoint). Deprecated in 1.33 in favour of
// discovery.k8s.io/v1 EndpointSlice; every request carries upstream's deprecation warning.
import { defineResource } from "../../definition.js";

export const ENDPOINTS_DEPRECATION_WARNING = "v1 Endpoints is deprecated in v1.33+; use discovery.k8s.io/v1 EndpointSlice";

export const endpoints = defineResource({
  group: "",
  version: "v1",
  kind: "Endpoints",
  plural: "endpoints",
  singular: "endpoints",
  namespaced: true,
  shortNames: ["ep"],
  schema: "io.k8s.api.core.v1.Endpoints",
  deprecated: { warning: ENDPOINTS_DEPRECATION_WARNING },
  strategy: {
    nameValidation: "DNS1123Subdomain",
    allowCreateOnUpdate: true,
    allowUnconditionalUpdate: true,
  },
});
