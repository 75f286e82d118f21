// core/v1 persistentvolumes (upstream pkg/registry/core/persistentvolume): a new volume is Pending,
// and status.lastPhaseTransitionTime follows phase changes (GA in 1.31).
import type { KubeObject } from "../../../apimachinery/types.js";
import type { RequestContext } from "../../context.js";
import { defineResource } from "../../definition.js";
import { formatTime } from "../../../util/clock.js";
import { asObject, statusOf } from "../strategy-helpers.js";

function preparePVForCreate(ctx: RequestContext, pv: KubeObject): void {
  pv.status = { phase: "Pending", lastPhaseTransitionTime: formatTime(ctx.clock.now()) };
}

function preparePVStatusUpdate(ctx: RequestContext, pv: KubeObject, old: KubeObject): void {
  const status = asObject(pv.status);
  if (!status) return;
  const oldStatus = statusOf(old);
  if (status.phase === oldStatus.phase) {
    if (!status.lastPhaseTransitionTime && oldStatus.lastPhaseTransitionTime) status.lastPhaseTransitionTime = oldStatus.lastPhaseTransitionTime;
  } else if (!status.lastPhaseTransitionTime || status.lastPhaseTransitionTime === oldStatus.lastPhaseTransitionTime) {
    status.lastPhaseTransitionTime = formatTime(ctx.clock.now());
  }
}

export const persistentvolumes = defineResource({
  group: "",
  version: "v1",
  kind: "PersistentVolume",
  plural: "persistentvolumes",
  singular: "persistentvolume",
  namespaced: false,
  shortNames: ["pv"],
  schema: "io.k8s.api.core.v1.PersistentVolume",
  subresources: { status: true },
  strategy: {
    nameValidation: "DNS1123Subdomain",
    allowCreateOnUpdate: false,
    allowUnconditionalUpdate: true,
    prepareForCreate: preparePVForCreate,
    prepareForStatusUpdate: preparePVStatusUpdate,
  },
});
