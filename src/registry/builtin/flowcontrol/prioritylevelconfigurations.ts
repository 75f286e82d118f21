// flowcontrol.apiserver.k8s.io/v1 prioritylevelconfigurations (upstream pkg/registry/flowcontrol/prioritylevelconfiguration). A real
// cluster's apiserver also keeps its mandatory and suggested objects in place; that is not a strategy.
import { defineResource } from "../../definition.js";
import { keepMetadataForStatus } from "./status-metadata.js";

export const prioritylevelconfigurations = defineResource({
  group: "flowcontrol.apiserver.k8s.io",
  version: "v1",
  kind: "PriorityLevelConfiguration",
  plural: "prioritylevelconfigurations",
  singular: "prioritylevelconfiguration",
  namespaced: false,
  schema: "io.k8s.api.flowcontrol.v1.PriorityLevelConfiguration",
  subresources: { status: true },
  strategy: {
    generation: "spec",
    nameValidation: "DNS1123Subdomain",
    allowCreateOnUpdate: false,
    allowUnconditionalUpdate: true,
    prepareForStatusUpdate: (_ctx, obj, old) => keepMetadataForStatus(obj, old),
  },
});
