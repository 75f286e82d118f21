// admissionregistration.k8s.io/v1 validatingwebhookconfigurations
// (upstream pkg/registry/admissionregistration/validatingwebhookconfiguration): updates must be conditional.
import { defineResource } from "../../definition.js";

export const validatingwebhookconfigurations = defineResource({
  group: "admissionregistration.k8s.io",
  version: "v1",
  kind: "ValidatingWebhookConfiguration",
  plural: "validatingwebhookconfigurations",
  singular: "validatingwebhookconfiguration",
  namespaced: false,
  categories: ["api-extensions"],
  schema: "io.k8s.api.admissionregistration.v1.ValidatingWebhookConfiguration",
  strategy: {
    // no spec: generation follows .webhooks, everything outside metadata
    generation: "nonStatus",
    nameValidation: "DNS1123Subdomain",
    allowCreateOnUpdate: false,
    allowUnconditionalUpdate: false,
  },
});
