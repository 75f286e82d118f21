// core/v1 persistentvolumeclaims (upstream pkg/registry/core/persistentvolumeclaim).
import { defineResource } from "../../definition.js";

export const persistentvolumeclaims = defineResource({
  group: "",
  version: "v1",
  kind: "PersistentVolumeClaim",
  plural: "persistentvolumeclaims",
  singular: "persistentvolumeclaim",
  namespaced: true,
  shortNames: ["pvc"],
  schema: "io.k8s.api.core.v1.PersistentVolumeClaim",
  subresources: { status: true },
  strategy: {
    nameValidation: "DNS1123Subdomain",
    allowCreateOnUpdate: false,
    allowUnconditionalUpdate: true,
    // status is cleared on create; upstream's defaulting then reports the claim as Pending
    prepareForCreate: (_ctx, pvc) => {
      pvc.status = { phase: "Pending" };
    },
  },
});
