// core/v1 nodes (upstream pkg/registry/core/node). Nodes may set status on create (the kubelet
// registers itself with it). The proxy subresource needs its own REST.
import type { KubeObject } from "../../../apimachinery/types.js";
import { defineResource } from "../../definition.js";
import { asObject, asString, specOf, syncSingularWithList } from "../strategy-helpers.js";

/** spec.podCIDR and spec.podCIDRs as the v1 conversion keeps them. */
function canonicalizeNode(node: KubeObject): void {
  const spec = asObject(node.spec);
  if (spec) syncSingularWithList(spec, "podCIDR", "podCIDRs", (v) => v, asString);
}

export const nodes = defineResource({
  group: "",
  version: "v1",
  kind: "Node",
  plural: "nodes",
  singular: "node",
  namespaced: false,
  shortNames: ["no"],
  schema: "io.k8s.api.core.v1.Node",
  subresources: { status: true },
  fieldSelectors: {
    "spec.unschedulable": (o) => String(specOf(o).unschedulable === true),
  },
  strategy: {
    nameValidation: "DNS1123Subdomain",
    keepStatusOnCreate: true,
    allowCreateOnUpdate: false,
    allowUnconditionalUpdate: true,
    canonicalize: canonicalizeNode,
  },
});
