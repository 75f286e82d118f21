// apps/v1 controllerrevisions (upstream pkg/registry/apps/controllerrevision).
import { defineResource } from "../../definition.js";

export const controllerrevisions = defineResource({
  group: "apps",
  version: "v1",
  kind: "ControllerRevision",
  plural: "controllerrevisions",
  singular: "controllerrevision",
  namespaced: true,
  schema: "io.k8s.api.apps.v1.ControllerRevision",
  strategy: {
    nameValidation: "DNS1123Subdomain",
    allowCreateOnUpdate: false,
    allowUnconditionalUpdate: true,
  },
});
