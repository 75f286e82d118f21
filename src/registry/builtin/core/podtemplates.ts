// core/v1 podtemplates (upstream pkg/registry/core/podtemplate): generation follows .template.
import { defineResource } from "../../definition.js";

export const podtemplates = defineResource({
  group: "",
  version: "v1",
  kind: "PodTemplate",
  plural: "podtemplates",
  singular: "podtemplate",
  namespaced: true,
  schema: "io.k8s.api.core.v1.PodTemplate",
  strategy: {
    // a PodTemplate has no spec; everything outside metadata is .template
    generation: "nonStatus",
    nameValidation: "DNS1123Subdomain",
    allowCreateOnUpdate: false,
    allowUnconditionalUpdate: true,
  },
});
