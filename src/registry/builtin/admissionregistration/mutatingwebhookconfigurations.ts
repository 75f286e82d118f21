// admissionregistration.k8s.io/v1 mutatingwebhookconfigurations
// (upstream pkg/registry/admissionregistration/mutatingwebhookconfiguration): updates must be conditional.
import { defineResource } from "../../definition.js";

export const mutatingwebhookconfigurations = defineResource({
  group: "admissionregistration.k8s.io",
  version: "v1",
  kind: "MutatingWebhookConfiguration",
  plural: "mutatingwebhookconfigurations",
  singular: "mutatingwebhookconfiguration",
  namespaced: false,
  categories: ["api-extensions"],
  schema: "io.k8s.api.admissionregistration.v1.MutatingWebhookConfiguration",
  strategy: {
    // no spec: generation follows .webhooks, everything outside metadata
    generation: "nonStatus",
    nameValidation: "DNS1123Subdomain",
    allowCreateOnUpdate: false,
    allowUnconditionalUpdate: false,
  },
});
