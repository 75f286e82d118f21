// networking.k8s.io/v1 networkpolicies (upstream pkg/registry/networking/networkpolicy). The status
// field and subresource were removed before 1.33.
import { defineResource } from "../../definition.js";

export const networkpolicies = defineResource({
  group: "networking.k8s.io",
  version: "v1",
  kind: "NetworkPolicy",
  plural: "networkpolicies",
  singular: "networkpolicy",
  namespaced: true,
  shortNames: ["netpol"],
  schema: "io.k8s.api.networking.v1.NetworkPolicy",
  strategy: {
    generation: "spec",
    nameValidation: "DNS1123Subdomain",
    allowCreateOnUpdate: false,
    allowUnconditionalUpdate: true,
  },
});
