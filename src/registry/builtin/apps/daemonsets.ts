// apps/v1 daemonsets (upstream pkg/registry/apps/daemonset).
import { defineResource } from "../../definition.js";
import { immutableLabelSelector, specOf } from "../strategy-helpers.js";

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
  strategy: {
    generation: "spec",
    nameValidation: "DNS1123Subdomain",
    allowCreateOnUpdate: false,
    allowUnconditionalUpdate: true,
    validateUpdate: (_ctx, obj, old) => immutableLabelSelector("spec.selector", specOf(obj).selector, specOf(old).selector),
  },
});
