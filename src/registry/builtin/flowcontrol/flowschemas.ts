// flowcontrol.apiserver.k8s.io/v1 flowschemas (upstream pkg/registry/flowcontrol/flowschema). A real
// cluster's apiserver also keeps its mandatory and suggested objects in place; that is not a strategy.
import { defineResource } from "../../definition.js";
import { keepMetadataForStatus } from "./status-metadata.js";

export const flowschemas = defineResource({
  group: "flowcontrol.apiserver.k8s.io",
  version: "v1",
  kind: "FlowSchema",
  plural: "flowschemas",
  singular: "flowschema",
  namespaced: false,
  schema: "io.k8s.api.flowcontrol.v1.FlowSchema",
  subresources: { status: true },
  strategy: {
    generation: "spec",
    nameValidation: "DNS1123Subdomain",
    allowCreateOnUpdate: false,
    allowUnconditionalUpdate: true,
    prepareForStatusUpdate: (_ctx, obj, old) => keepMetadataForStatus(obj, old),
  },
});
