// admissionregistration.k8s.io/v1 validatingadmissionpolicybindings
// (upstream pkg/registry/admissionregistration/validatingadmissionpolicybinding): updates must be conditional.
import { defineResource } from "../../definition.js";

export const validatingadmissionpolicybindings = defineResource({
  group: "admissionregistration.k8s.io",
  version: "v1",
  kind: "ValidatingAdmissionPolicyBinding",
  plural: "validatingadmissionpolicybindings",
  singular: "validatingadmissionpolicybinding",
  namespaced: false,
  categories: ["api-extensions"],
  schema: "io.k8s.api.admissionregistration.v1.ValidatingAdmissionPolicyBinding",
  strategy: {
    generation: "spec",
    nameValidation: "DNS1123Subdomain",
    allowCreateOnUpdate: false,
    allowUnconditionalUpdate: false,
  },
});
