// apps/v1 daemonsets (upstream pkg/registry/apps/daemonset).
import { defineResource } from "../../definition.js";
import { immutableLabelSelector, semanticEqual, specOf } from "../strategy-helpers.js";
import { convertTemplateGeneration, setTemplateGeneration, templateGeneration } from "./daemonset-template-generation.js";

export const daemonsets = defineResource({
  group: "apps",
  version: "v1",
  kind: "DaemonSet",
  plural: "daemonsets",
  singular: "daemonset",
  namespaced: true,
  shortNames: ["ds"],
  categories: ["all"],
  schema: "io.k8s.api.apps.v1.DaemonSet",
  subresources: { status: true },
  roundTrip: convertTemplateGeneration,
  strategy: {
    generation: "spec",
    nameValidation: "DNS1123Subdomain",
    allowCreateOnUpdate: false,
    allowUnconditionalUpdate: true,
    prepareForCreate: (_ctx, obj) => setTemplateGeneration(obj, Math.max(1, templateGeneration(obj))),
    // a client cannot set the template generation; a changed template bumps it
    prepareForUpdate: (_ctx, obj, old) => {
      const changed = !semanticEqual(specOf(obj).template, specOf(old).template);
      setTemplateGeneration(obj, templateGeneration(old) + (changed ? 1 : 0));
    },
    validateUpdate: (_ctx, obj, old) => immutableLabelSelector("spec.selector", specOf(obj).selector, specOf(old).selector),
  },
});
