// core/v1 resourcequotas (upstream pkg/registry/core/resourcequota).
import { defineResource } from "../../definition.js";

export const resourcequotas = defineResource({
  group: "",
  version: "v1",
  kind: "ResourceQuota",
  plural: "resourcequotas",
  singular: "resourcequota",
  namespaced: true,
  shortNames: ["quota"],
  schema: "io.k8s.api.core.v1.ResourceQuota",
  subresources: { status: true },
  strategy: {
    nameValidation: "DNS1123Subdomain",
    allowCreateOnUpdate: false,
    allowUnconditionalUpdate: true,
  },
});
