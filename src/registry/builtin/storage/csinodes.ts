// storage.k8s.io/v1 csinodes (upstream pkg/registry/storage/csinode).
import { defineResource } from "../../definition.js";

export const csinodes = defineResource({
  group: "storage.k8s.io",
  version: "v1",
  kind: "CSINode",
  plural: "csinodes",
  singular: "csinode",
  namespaced: false,
  schema: "io.k8s.api.storage.v1.CSINode",
  strategy: {
    nameValidation: "DNS1123Subdomain",
    allowCreateOnUpdate: false,
    allowUnconditionalUpdate: false,
  },
});
