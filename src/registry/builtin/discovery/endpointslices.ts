// discovery.k8s.io/v1 endpointslices (upstream pkg/registry/discovery/endpointslice): generation
// moves on any change outside metadata, and on label changes.
import type { KubeObject } from "../../../apimachinery/types.js";
import { defineResource } from "../../definition.js";
import { bumpGeneration, semanticEqual } from "../strategy-helpers.js";

function withoutMetadata(o: KubeObject): Record<string, unknown> {
  const { metadata: _metadata, apiVersion: _apiVersion, kind: _kind, ...rest } = o;
  return rest;
}

/** The label half of upstream's rule (the rest is strategy.generation "nonStatus"). */
export function bumpGenerationOnLabelChange(obj: KubeObject, old: KubeObject): void {
  if (!semanticEqual(withoutMetadata(obj), withoutMetadata(old))) return;
  if (!semanticEqual(obj.metadata.labels, old.metadata.labels)) bumpGeneration(obj, old);
}

export const endpointslices = defineResource({
  group: "discovery.k8s.io",
  version: "v1",
  kind: "EndpointSlice",
  plural: "endpointslices",
  singular: "endpointslice",
  namespaced: true,
  schema: "io.k8s.api.discovery.v1.EndpointSlice",
  strategy: {
    generation: "nonStatus",
    nameValidation: "DNS1123Subdomain",
    allowCreateOnUpdate: false,
    allowUnconditionalUpdate: true,
    prepareForUpdate: (_ctx, obj, old) => bumpGenerationOnLabelChange(obj, old),
  },
});
