// coordination.k8s.io/v1 leases (upstream pkg/registry/coordination/lease): a PUT may create one,
// and an update must name the resourceVersion it replaces.
import { defineResource } from "../../definition.js";

export const leases = defineResource({
  group: "coordination.k8s.io",
  version: "v1",
  kind: "Lease",
  plural: "leases",
  singular: "lease",
  namespaced: true,
  schema: "io.k8s.api.coordination.v1.Lease",
  strategy: {
    nameValidation: "DNS1123Subdomain",
    allowCreateOnUpdate: true,
    allowUnconditionalUpdate: false,
  },
});
