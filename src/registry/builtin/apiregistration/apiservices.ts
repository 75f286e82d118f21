// apiregistration.k8s.io/v1 apiservices (upstream k8s.io/kube-aggregator/pkg/registry/apiservice):
// one per group-version the server serves, kept by the aggregator's autoregistration (see
// autoregister.ts), plus whatever clients register. A local APIService (no spec.service) is marked
// Available the moment it is created; the status subresource may change only the status (and
// keeps labels, annotations, finalizers and owner references too).
import type { KubeObject } from "../../../apimachinery/types.js";
import { formatTime } from "../../../util/clock.js";
import { defineResource } from "../../definition.js";
import { validateAPIServiceStatus } from "../../validation/apiregistration.js";

export interface APIServiceCondition {
  type: string;
  status: string;
  lastTransitionTime?: string | null;
  reason?: string;
  message?: string;
}

/** Upstream NewLocalAvailableAPIServiceCondition. */
export function localAvailableCondition(now: number): APIServiceCondition {
  return { type: "Available", status: "True", lastTransitionTime: formatTime(now), reason: "Local", message: "Local APIServices are always available" };
}

/** Whether the APIService is served by this server (no spec.service). */
export function isLocalAPIService(svc: KubeObject): boolean {
  const spec = svc.spec as { service?: unknown } | undefined;
  return spec?.service === undefined || spec.service === null;
}

/**
 * Upstream SetAPIServiceCondition: adds the condition, or updates reason and message of the one
 * of its type, moving lastTransitionTime only when the status changes (status.conditions is replaced).
 */
export function setAPIServiceCondition(status: Record<string, unknown>, next: APIServiceCondition): void {
  const conditions = Array.isArray(status.conditions) ? (structuredClone(status.conditions) as APIServiceCondition[]) : [];
  const i = conditions.findIndex((c) => c?.type === next.type);
  if (i < 0) conditions.push(next);
  else {
    const cur = conditions[i]!;
    if (cur.status !== next.status) {
      cur.status = next.status;
      cur.lastTransitionTime = next.lastTransitionTime ?? null;
    }
    if (next.reason) cur.reason = next.reason;
    else delete cur.reason;
    if (next.message) cur.message = next.message;
    else delete cur.message;
  }
  status.conditions = conditions;
}

export const apiservices = defineResource({
  group: "apiregistration.k8s.io",
  version: "v1",
  kind: "APIService",
  plural: "apiservices",
  singular: "apiservice",
  namespaced: false,
  categories: ["api-extensions"],
  schema: "io.k8s.kube-aggregator.pkg.apis.apiregistration.v1.APIService",
  subresources: { status: true },
  strategy: {
    // the name rule beyond a path segment (`<version>.<group>`) is the kind's validation
    nameValidation: "PathSegment",
    allowCreateOnUpdate: false,
    allowUnconditionalUpdate: false,
    prepareForCreate: (ctx, obj) => {
      const status: Record<string, unknown> = {};
      if (isLocalAPIService(obj)) setAPIServiceCondition(status, localAvailableCondition(ctx.clock.now()));
      obj.status = status;
    },
    prepareForStatusUpdate: (_ctx, obj, old) => {
      const meta = obj.metadata;
      for (const f of ["annotations", "finalizers", "ownerReferences"] as const) {
        if (old.metadata[f] !== undefined) (meta as Record<string, unknown>)[f] = structuredClone(old.metadata[f]);
        else delete meta[f];
      }
    },
    validateStatusUpdate: (_ctx, obj) => validateAPIServiceStatus(obj),
  },
});
