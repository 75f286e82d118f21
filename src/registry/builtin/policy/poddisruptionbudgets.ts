// policy/v1 poddisruptionbudgets (upstream pkg/registry/policy/poddisruptionbudget): updates must be
// conditional on the resourceVersion.
import { defineResource } from "../../definition.js";

export const poddisruptionbudgets = defineResource({
  group: "policy",
  version: "v1",
  kind: "PodDisruptionBudget",
  plural: "poddisruptionbudgets",
  singular: "poddisruptionbudget",
  namespaced: true,
  shortNames: ["pdb"],
  schema: "io.k8s.api.policy.v1.PodDisruptionBudget",
  subresources: { status: true },
  strategy: {
    generation: "spec",
    nameValidation: "DNS1123Subdomain",
    allowCreateOnUpdate: false,
    allowUnconditionalUpdate: false,
  },
});
