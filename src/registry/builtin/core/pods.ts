// core/v1 pods (upstream pkg/registry/core/pod). Subresources other than status (binding, eviction,
// log, exec, attach, portforward, proxy, ephemeralcontainers, resize) need their own REST and are
// declared elsewhere.
import type { KubeObject } from "../../../apimachinery/types.js";
import type { RequestContext } from "../../context.js";
import { defineResource } from "../../definition.js";
import {
  type JsonObject,
  asArray,
  asObject,
  asString,
  nameNotDNSLabelWarning,
  specOf,
  statusOf,
  syncSingularWithList,
} from "../strategy-helpers.js";
import { computePodQOSClass } from "./pod-qos.js";

/** Default of spec.terminationGracePeriodSeconds (upstream defaulting). */
export const DEFAULT_TERMINATION_GRACE_PERIOD_SECONDS = 30;

/**
 * The grace period of a pod delete (upstream podStrategy.CheckGracefulDelete): the requested value,
 * else the pod's terminationGracePeriodSeconds; 0 when the pod was never scheduled or already
 * finished; a negative value becomes 1.
 */
export function podGracePeriodSeconds(pod: KubeObject, requested?: number): number {
  const spec = specOf(pod);
  let period = requested ?? (typeof spec.terminationGracePeriodSeconds === "number" ? spec.terminationGracePeriodSeconds : DEFAULT_TERMINATION_GRACE_PERIOD_SECONDS);
  if (!asString(spec.nodeName)) period = 0;
  const phase = asString(statusOf(pod).phase);
  if (phase === "Succeeded" || phase === "Failed") period = 0;
  return period < 0 ? 1 : period;
}

/** A pod with scheduling gates starts with PodScheduled=False, reason SchedulingGated. */
function applySchedulingGatedCondition(pod: KubeObject, status: JsonObject): void {
  if (asArray(specOf(pod).schedulingGates).length === 0) return;
  const conditions = asArray(status.conditions);
  if (conditions.some((c) => asObject(c)?.type === "PodScheduled")) return;
  status.conditions = [
    ...conditions,
    {
      type: "PodScheduled",
      status: "False",
      lastProbeTime: null,
      lastTransitionTime: null,
      reason: "SchedulingGated",
      message: "Scheduling is blocked due to non-empty scheduling gates",
    },
  ];
}

/**
 * matchLabelKeys / mismatchLabelKeys of pod (anti-)affinity terms are merged into the term's label
 * selector on create as `key in (value)` / `key notin (value)` with the pod's own label values.
 */
function mergeAffinityLabelKeys(pod: KubeObject): void {
  const labels = pod.metadata.labels ?? {};
  const affinity = asObject(specOf(pod).affinity);
  if (!affinity) return;
  const applyTo = (term: JsonObject | undefined) => {
    const selector = asObject(term?.labelSelector);
    if (!term || !selector) return;
    const add = (keys: unknown, operator: "In" | "NotIn") => {
      for (const key of asArray(keys)) {
        if (typeof key !== "string" || !(key in labels)) continue;
        selector.matchExpressions = [...asArray(selector.matchExpressions), { key, operator, values: [labels[key]] }];
      }
    };
    add(term.matchLabelKeys, "In");
    add(term.mismatchLabelKeys, "NotIn");
  };
  for (const kind of ["podAffinity", "podAntiAffinity"]) {
    const a = asObject(affinity[kind]);
    if (!a) continue;
    for (const w of asArray(a.preferredDuringSchedulingIgnoredDuringExecution)) applyTo(asObject(asObject(w)?.podAffinityTerm));
    for (const t of asArray(a.requiredDuringSchedulingIgnoredDuringExecution)) applyTo(asObject(t));
  }
}

function preparePodForCreate(_ctx: RequestContext, pod: KubeObject): void {
  const status: JsonObject = { phase: "Pending", qosClass: computePodQOSClass(pod) };
  pod.status = status;
  applySchedulingGatedCondition(pod, status);
  mergeAffinityLabelKeys(pod);
}

/**
 * A /status write may not touch owner references (old kubelets corrupted them); the qosClass is set
 * at creation and immutable, so a status writer that drops it gets it back.
 */
function preparePodStatusUpdate(_ctx: RequestContext, pod: KubeObject, old: KubeObject): void {
  if (old.metadata.ownerReferences === undefined) delete pod.metadata.ownerReferences;
  else pod.metadata.ownerReferences = old.metadata.ownerReferences;
  const status = asObject(pod.status);
  const oldQOS = statusOf(old).qosClass;
  if (status && !status.qosClass && oldQOS) status.qosClass = oldQOS;
}

/** status.podIP/podIPs and hostIP/hostIPs as the v1 conversion keeps them. */
function canonicalizePod(pod: KubeObject): void {
  const status = asObject(pod.status);
  if (!status) return;
  const ip = (value: string) => ({ ip: value });
  const fromIP = (entry: unknown) => asString(asObject(entry)?.ip);
  syncSingularWithList(status, "podIP", "podIPs", ip, fromIP);
  syncSingularWithList(status, "hostIP", "hostIPs", ip, fromIP);
}

const podIP = (pod: KubeObject): string => {
  const status = statusOf(pod);
  const first = asObject(asArray(status.podIPs)[0]);
  return asString(first?.ip) || asString(status.podIP);
};

export const pods = defineResource({
  group: "",
  version: "v1",
  kind: "Pod",
  plural: "pods",
  singular: "pod",
  namespaced: true,
  shortNames: ["po"],
  categories: ["all"],
  schema: "io.k8s.api.core.v1.Pod",
  subresources: { status: true },
  fieldSelectors: {
    "spec.nodeName": (o) => asString(specOf(o).nodeName),
    // old v1 clients' name for spec.nodeName, still accepted by the field label conversion
    "spec.host": (o) => asString(specOf(o).nodeName),
    "spec.restartPolicy": (o) => asString(specOf(o).restartPolicy) || "Always",
    "spec.schedulerName": (o) => asString(specOf(o).schedulerName) || "default-scheduler",
    "spec.serviceAccountName": (o) => asString(specOf(o).serviceAccountName),
    "spec.hostNetwork": (o) => String(specOf(o).hostNetwork === true),
    "status.phase": (o) => asString(statusOf(o).phase),
    "status.podIP": podIP,
    "status.nominatedNodeName": (o) => asString(statusOf(o).nominatedNodeName),
  },
  strategy: {
    generation: "spec",
    nameValidation: "DNS1123Subdomain",
    allowCreateOnUpdate: false,
    allowUnconditionalUpdate: true,
    prepareForCreate: preparePodForCreate,
    warningsOnCreate: (_ctx, pod) => nameNotDNSLabelWarning(pod.metadata.name, "this is used in the Pod's hostname"),
    canonicalize: canonicalizePod,
    // the second argument is the requested grace period, once the store passes it (see podGracePeriodSeconds)
    gracePeriodSeconds: (pod: KubeObject, requested?: number) => podGracePeriodSeconds(pod, requested),
    prepareForStatusUpdate: preparePodStatusUpdate,
  },
});
