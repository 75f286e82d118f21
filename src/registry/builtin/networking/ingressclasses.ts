// networking.k8s.io/v1 ingressclasses (upstream pkg/registry/networking/ingressclass).
import { defineResource } from "../../definition.js";

export const ingressclasses = defineResource({
  group: "networking.k8s.io",
  version: "v1",
  kind: "IngressClass",
  plural: "ingressclasses",
  singular: "ingressclass",
  namespaced: false,
  schema: "io.k8s.api.networking.v1.IngressClass",
  strategy: {
    generation: "spec",
    nameValidation: "DNS1123Subdomain",
    allowCreateOnUpdate: false,
    allowUnconditionalUpdate: true,
  },
});
