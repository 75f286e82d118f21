// admissionregistration.k8s.io/v1 validatingadmissionpolicies
// (upstream pkg/registry/admissionregistration/validatingadmissionpolicy): updates must be conditional.
import { defineResource } from "../../definition.js";
import { resetObjectMetaForStatus } from "../strategy-helpers.js";

export const validatingadmissionpolicies = defineResource({
  group: "admissionregistration.k8s.io",
  version: "v1",
  kind: "ValidatingAdmissionPolicy",
  plural: "validatingadmissionpolicies",
  singular: "validatingadmissionpolicy",
  namespaced: false,
  categories: ["api-extensions"],
  schema: "io.k8s.api.admissionregistration.v1.ValidatingAdmissionPolicy",
  subresources: { status: true },
  strategy: {
    generation: "spec",
    nameValidation: "DNS1123Subdomain",
    allowCreateOnUpdate: false,
    allowUnconditionalUpdate: false,
    prepareForStatusUpdate: (_ctx, obj, old) => resetObjectMetaForStatus(obj, old),
  },
});
