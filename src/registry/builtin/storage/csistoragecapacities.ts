// storage.k8s.io/v1 csistoragecapacities (upstream pkg/registry/storage/csistoragecapacity).
import { defineResource } from "../../definition.js";

export const csistoragecapacities = defineResource({
  group: "storage.k8s.io",
  version: "v1",
  kind: "CSIStorageCapacity",
  plural: "csistoragecapacities",
  singular: "csistoragecapacity",
  namespaced: true,
  schema: "io.k8s.api.storage.v1.CSIStorageCapacity",
  strategy: {
    nameValidation: "DNS1123Subdomain",
    allowCreateOnUpdate: false,
    allowUnconditionalUpdate: false,
  },
});
