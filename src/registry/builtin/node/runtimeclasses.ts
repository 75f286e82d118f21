// node.k8s.io/v1 runtimeclasses (upstream pkg/registry/node/runtimeclass): a PUT may create one,
// updates must be conditional, and the handler is fixed at creation.
import { defineResource } from "../../definition.js";
import { asString, immutableString } from "../strategy-helpers.js";

export const runtimeclasses = defineResource({
  group: "node.k8s.io",
  version: "v1",
  kind: "RuntimeClass",
  plural: "runtimeclasses",
  singular: "runtimeclass",
  namespaced: false,
  schema: "io.k8s.api.node.v1.RuntimeClass",
  strategy: {
    nameValidation: "DNS1123Subdomain",
    allowCreateOnUpdate: true,
    allowUnconditionalUpdate: false,
    validateUpdate: (_ctx, obj, old) => immutableString("handler", asString(obj.handler), asString(old.handler)),
  },
});
