// certificates.k8s.io/v1 certificatesigningrequests (upstream pkg/registry/certificates/
// certificates). The requester's identity is stamped into the spec on create; the spec never changes
// afterwards; /status may not touch Approved/Denied conditions (that is the approval subresource's job,
// which needs its own REST and is declared elsewhere). Upstream validates no name format for CSRs.
import type { KubeObject } from "../../../apimachinery/types.js";
import type { RequestContext } from "../../context.js";
import { defineResource } from "../../definition.js";
import { formatTime } from "../../../util/clock.js";
import { type JsonObject, asArray, asObject, asString, ensureObject, specOf, statusOf } from "../strategy-helpers.js";

export function stampRequester(ctx: RequestContext, csr: KubeObject): void {
  const spec = ensureObject(csr, "spec");
  delete spec.username;
  delete spec.uid;
  delete spec.groups;
  delete spec.extra;
  const user = ctx.user;
  if (user.username) spec.username = user.username;
  if (user.uid) spec.uid = user.uid;
  if (user.groups.length > 0) spec.groups = [...user.groups];
  if (user.extra && Object.keys(user.extra).length > 0) {
    spec.extra = Object.fromEntries(Object.entries(user.extra).map(([k, v]) => [k, [...v]]));
  }
}

const APPROVAL_CONDITIONS = ["Approved", "Denied"];

/** /status keeps existing Approved/Denied conditions and fills missing condition timestamps. */
export function prepareCSRStatusUpdate(ctx: RequestContext, csr: KubeObject, old: KubeObject): void {
  const status = asObject(csr.status);
  if (!status) return;
  const conditions = asArray(status.conditions).map((c) => asObject(c) ?? {});
  const oldConditions = asArray(statusOf(old).conditions).map((c) => asObject(c) ?? {});
  for (const type of APPROVAL_CONDITIONS) {
    const newIdx = conditions.flatMap((c, i) => (c.type === type ? [i] : []));
    const oldOfType = oldConditions.filter((c) => c.type === type);
    // added or removed instances are left for validation to reject
    if (newIdx.length !== oldOfType.length) continue;
    newIdx.forEach((idx, i) => (conditions[idx] = oldOfType[i]!));
  }
  const now = formatTime(ctx.clock.now());
  for (const c of conditions) populateTimestamps(c, oldConditions, now);
  if (conditions.length > 0) status.conditions = conditions;
}

function populateTimestamps(c: JsonObject, oldConditions: JsonObject[], now: string): void {
  if (!asString(c.lastUpdateTime)) c.lastUpdateTime = now;
  if (!asString(c.lastTransitionTime)) {
    const same = oldConditions.find((o) => o.type === c.type && o.status === c.status && asString(o.lastTransitionTime));
    c.lastTransitionTime = same ? same.lastTransitionTime : now;
  }
}

export const certificatesigningrequests = defineResource({
  group: "certificates.k8s.io",
  version: "v1",
  kind: "CertificateSigningRequest",
  plural: "certificatesigningrequests",
  singular: "certificatesigningrequest",
  namespaced: false,
  shortNames: ["csr"],
  schema: "io.k8s.api.certificates.v1.CertificateSigningRequest",
  subresources: { status: true },
  fieldSelectors: {
    "spec.signerName": (o) => asString(specOf(o).signerName),
  },
  strategy: {
    nameValidation: "PathSegment",
    allowCreateOnUpdate: false,
    allowUnconditionalUpdate: true,
    prepareForCreate: stampRequester,
    prepareForUpdate: (_ctx, csr, old) => {
      if (old.spec === undefined) delete csr.spec;
      else csr.spec = old.spec;
    },
    prepareForStatusUpdate: prepareCSRStatusUpdate,
  },
});
