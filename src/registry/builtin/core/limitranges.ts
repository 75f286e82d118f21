// core/v1 limitranges (upstream pkg/registry/core/limitrange): a PUT may create one, and a
// LimitRange created without any name is named with a fresh UUID.
import { randomUUID } from "node:crypto";
import { defineResource } from "../../definition.js";

export const limitranges = defineResource({
  group: "",
  version: "v1",
  kind: "LimitRange",
  plural: "limitranges",
  singular: "limitrange",
  namespaced: true,
  shortNames: ["limits"],
  schema: "io.k8s.api.core.v1.LimitRange",
  strategy: {
    nameValidation: "DNS1123Subdomain",
    allowCreateOnUpdate: true,
    allowUnconditionalUpdate: true,
    prepareForCreate: (_ctx, obj) => {
      if (!obj.metadata.name) obj.metadata.name = randomUUID();
    },
  },
});
