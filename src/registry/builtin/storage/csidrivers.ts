// storage.k8s.io/v1 csidrivers (upstream pkg/registry/storage/csidriver).
import { defineResource } from "../../definition.js";

export const csidrivers = defineResource({
  group: "storage.k8s.io",
  version: "v1",
  kind: "CSIDriver",
  plural: "csidrivers",
  singular: "csidriver",
  namespaced: false,
  schema: "io.k8s.api.storage.v1.CSIDriver",
  strategy: {
    generation: "spec",
    nameValidation: "DNS1123Subdomain",
    allowCreateOnUpdate: false,
    allowUnconditionalUpdate: false,
  },
});
