// networking.k8s.io/v1 ingresses (upstream pkg/registry/networking/ingress).
import { defineResource } from "../../definition.js";

export const ingresses = defineResource({
  group: "networking.k8s.io",
  version: "v1",
  kind: "Ingress",
  plural: "ingresses",
  singular: "ingress",
  namespaced: true,
  shortNames: ["ing"],
  schema: "io.k8s.api.networking.v1.Ingress",
  subresources: { status: true },
  strategy: {
    generation: "spec",
    nameValidation: "DNS1123Subdomain",
    allowCreateOnUpdate: false,
    allowUnconditionalUpdate: true,
  },
});
