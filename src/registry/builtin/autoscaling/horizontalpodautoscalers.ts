// autoscaling horizontalpodautoscalers (upstream pkg/registry/autoscaling/horizontalpodautoscaler):
// autoscaling/v2 owns the storage; autoscaling/v1 serves the same objects through conversion.
import type { KubeObject } from "../../../apimachinery/types.js";
import type { Strategy } from "../../definition.js";
import { defineResource } from "../../definition.js";
import { asObject } from "../strategy-helpers.js";
import { dropRoundTripAnnotations, hpaV1ToV2, hpaV2ToV1 } from "./hpa-conversion.js";

/** spec.behavior.*.tolerance is alpha (HPAConfigurableTolerance, off in 1.33): dropped unless already in use. */
function dropDisabledTolerance(hpa: KubeObject, old?: KubeObject): void {
  const rulesOf = (o: KubeObject | undefined) => {
    const behavior = asObject(asObject(o?.spec)?.behavior);
    return [asObject(behavior?.scaleUp), asObject(behavior?.scaleDown)];
  };
  if (rulesOf(old).some((r) => r?.tolerance !== undefined)) return;
  for (const r of rulesOf(hpa)) if (r) delete r.tolerance;
}

const sharedFacts = {
  nameValidation: "DNS1123Subdomain",
  allowCreateOnUpdate: false,
  allowUnconditionalUpdate: true,
} satisfies Strategy;

export const hpaStrategy: Strategy = {
  ...sharedFacts,
  prepareForCreate: (_ctx, hpa) => dropDisabledTolerance(hpa),
  prepareForUpdate: (_ctx, hpa, old) => dropDisabledTolerance(hpa, old),
  // v2 round-trips without annotations: a client cannot smuggle v1's round-trip annotations in
  canonicalize: dropRoundTripAnnotations,
};

export const horizontalpodautoscalersV2 = defineResource({
  group: "autoscaling",
  version: "v2",
  kind: "HorizontalPodAutoscaler",
  plural: "horizontalpodautoscalers",
  singular: "horizontalpodautoscaler",
  namespaced: true,
  shortNames: ["hpa"],
  categories: ["all"],
  schema: "io.k8s.api.autoscaling.v2.HorizontalPodAutoscaler",
  subresources: { status: true },
  strategy: hpaStrategy,
});

export const horizontalpodautoscalersV1 = defineResource({
  group: "autoscaling",
  version: "v1",
  kind: "HorizontalPodAutoscaler",
  plural: "horizontalpodautoscalers",
  singular: "horizontalpodautoscaler",
  namespaced: true,
  shortNames: ["hpa"],
  categories: ["all"],
  schema: "io.k8s.api.autoscaling.v1.HorizontalPodAutoscaler",
  subresources: { status: true },
  // The v2 hooks run on the converted (storage) object; the v1 form carries its round-trip
  // annotations until toStorage consumes them, so it gets only the facts.
  strategy: { ...sharedFacts },
  storage: { group: "autoscaling", resource: "horizontalpodautoscalers", toStorage: hpaV1ToV2, fromStorage: hpaV2ToV1 },
});
