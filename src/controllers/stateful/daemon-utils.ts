// DaemonSet placement rules (upstream pkg/controller/daemon/util and the predicates in
// daemon_controller.go): the tolerations every daemon pod gets, whether a node should run (or keep
// running) a daemon pod (node name, node selector, required node affinity, NoSchedule/NoExecute
// taints), the node-name affinity daemon pods are created with, and rolling-update arithmetic.
import { RequiredNodeAffinity, type NodeSelectorRequirement } from "../../apimachinery/node-affinity.js";
import { findUntoleratedTaint, type Taint, type Toleration } from "../../apimachinery/taints.js";
import type { KubeObject } from "../../apimachinery/types.js";
import { type Obj, scaledValue } from "./pods.js";
import { POD_REVISION_LABEL } from "./revisions.js";

/** apps.DeprecatedTemplateGeneration: the annotation the API server keeps the template generation in. */
export const TEMPLATE_GENERATION_ANNOTATION = "deprecated.daemonset.template.generation";
/** extensions.DaemonSetTemplateGenerationKey: the pod label carrying it. */
export const TEMPLATE_GENERATION_LABEL = "pod-template-generation";

/** The tolerations AddOrUpdateDaemonPodTolerations adds, in upstream's order. */
export function daemonTolerations(hostNetwork: boolean): Toleration[] {
  const t = (key: string, effect: string): Toleration => ({ key, operator: "Exists", effect });
  const out = [
    t("node.kubernetes.io/not-ready", "NoExecute"),
    t("node.kubernetes.io/unreachable", "NoExecute"),
    t("node.kubernetes.io/disk-pressure", "NoSchedule"),
    t("node.kubernetes.io/memory-pressure", "NoSchedule"),
    t("node.kubernetes.io/pid-pressure", "NoSchedule"),
    t("node.kubernetes.io/unschedulable", "NoSchedule"),
  ];
  if (hostNetwork) out.push(t("node.kubernetes.io/network-unavailable", "NoSchedule"));
  return out;
}

/** Toleration.MatchToleration: same key, operator, value and effect. */
function sameToleration(a: Toleration, b: Toleration): boolean {
  return (a.key ?? "") === (b.key ?? "") && (a.operator ?? "") === (b.operator ?? "") && (a.value ?? "") === (b.value ?? "") && (a.effect ?? "") === (b.effect ?? "");
}

/**
 * AddOrUpdateTolerationInPodSpec for each daemon toleration: a matching toleration is replaced by
 * the daemon one (upstream compares a pointer with a value, so it always replaces), others appended.
 */
export function addDaemonTolerations(spec: Obj): void {
  let tolerations = (Array.isArray(spec.tolerations) ? spec.tolerations : []) as Toleration[];
  for (const tol of daemonTolerations(spec.hostNetwork === true)) {
    let updated = false;
    const next: Toleration[] = [];
    for (const existing of tolerations) {
      if (sameToleration(tol, existing)) {
        next.push({ ...tol });
        updated = true;
      } else next.push(existing);
    }
    if (!updated) next.push({ ...tol });
    tolerations = next;
  }
  spec.tolerations = tolerations;
}

/** nodeaffinity.GetRequiredNodeAffinity(pod).Match(node): the node selector and required node affinity. */
export function matchesRequiredNodeAffinity(spec: Obj, node: KubeObject): boolean {
  return new RequiredNodeAffinity(spec).matches(node.metadata.name ?? "", node.metadata.labels);
}

/** The spec the DaemonSet checks nodes with (NewPod: the template plus the daemon tolerations). */
export function daemonPodSpec(ds: KubeObject): Obj {
  const spec = structuredClone(((ds.spec as Obj | undefined)?.template?.spec ?? {}) as Obj);
  addDaemonTolerations(spec);
  return spec;
}

/**
 * NodeShouldRunDaemonPod: shouldRun (a daemon pod should be created there) and shouldContinueRunning
 * (an existing daemon pod may stay: only untolerated NoExecute taints evict it).
 */
export function nodeShouldRunDaemonPod(node: KubeObject, spec: Obj): { shouldRun: boolean; shouldContinueRunning: boolean } {
  const nodeName = spec.nodeName as string | undefined;
  if (nodeName && nodeName !== node.metadata.name) return { shouldRun: false, shouldContinueRunning: false };
  if (!matchesRequiredNodeAffinity(spec, node)) return { shouldRun: false, shouldContinueRunning: false };
  const taints = (((node.spec as Obj | undefined)?.taints ?? []) as Taint[]).filter(Boolean);
  const tolerations = (spec.tolerations ?? []) as Toleration[];
  const blocking = findUntoleratedTaint(taints, tolerations, (t) => t.effect === "NoExecute" || t.effect === "NoSchedule");
  if (!blocking) return { shouldRun: true, shouldContinueRunning: true };
  const evicting = findUntoleratedTaint(taints, tolerations, (t) => t.effect === "NoExecute");
  return { shouldRun: false, shouldContinueRunning: !evicting };
}

/** ReplaceDaemonSetPodNodeNameNodeAffinity: the required node affinity becomes metadata.name In [node]. */
export function replaceNodeNameAffinity(affinity: Obj | undefined | null, nodeName: string): Obj {
  const term = { matchFields: [{ key: "metadata.name", operator: "In", values: [nodeName] }] };
  const selector = { nodeSelectorTerms: [term] };
  if (!affinity) return { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: selector } };
  if (!affinity.nodeAffinity) {
    affinity.nodeAffinity = { requiredDuringSchedulingIgnoredDuringExecution: selector };
    return affinity;
  }
  const na = affinity.nodeAffinity as Obj;
  if (!na.requiredDuringSchedulingIgnoredDuringExecution) {
    na.requiredDuringSchedulingIgnoredDuringExecution = selector;
    return affinity;
  }
  na.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms = [term];
  return affinity;
}

/** GetTargetNodeName: spec.nodeName, or the node a pending daemon pod's affinity names. */
export function targetNodeName(pod: KubeObject): string | undefined {
  const spec = (pod.spec ?? {}) as Obj;
  if (spec.nodeName) return spec.nodeName as string;
  const terms = spec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms as Obj[] | undefined;
  if (!terms || terms.length === 0) return undefined;
  for (const term of terms)
    for (const f of (term.matchFields ?? []) as NodeSelectorRequirement[])
      if (f.key === "metadata.name" && f.operator === "In") return f.values?.length === 1 ? f.values[0] : undefined;
  return undefined;
}

/** GetTemplateGeneration: the deprecated annotation, undefined when absent or unparsable. */
export function templateGeneration(ds: KubeObject): string | undefined {
  const v = ds.metadata.annotations?.[TEMPLATE_GENERATION_ANNOTATION];
  if (v === undefined || !/^[+-]?\d+$/.test(v)) return undefined;
  return String(BigInt(v));
}

/** CreatePodTemplate: the template with daemon tolerations, the generation label and the hash label. */
export function daemonPodTemplate(ds: KubeObject, generation: string | undefined, hash: string): Obj {
  const template = structuredClone(((ds.spec as Obj | undefined)?.template ?? {}) as Obj);
  template.spec = template.spec ?? {};
  addDaemonTolerations(template.spec);
  template.metadata = template.metadata ?? {};
  const labels = { ...(template.metadata.labels ?? {}) } as Record<string, string>;
  if (generation !== undefined) labels[TEMPLATE_GENERATION_LABEL] = generation;
  if (hash) labels[POD_REVISION_LABEL] = hash;
  template.metadata.labels = labels;
  return template;
}

/** IsPodUpdated: the pod carries the current hash (or the current template generation). */
export function isPodUpdated(pod: KubeObject, hash: string, generation: string | undefined): boolean {
  const labels = pod.metadata.labels ?? {};
  const templateMatches = generation !== undefined && labels[TEMPLATE_GENERATION_LABEL] === generation;
  const hashMatches = hash.length > 0 && labels[POD_REVISION_LABEL] === hash;
  return hashMatches || templateMatches;
}

function strategy(ds: KubeObject): Obj {
  return ((ds.spec as Obj | undefined)?.updateStrategy ?? {}) as Obj;
}

/** SurgeCount. */
export function surgeCount(ds: KubeObject, numberToSchedule: number): number {
  const s = strategy(ds);
  if (s.type !== "RollingUpdate" || !s.rollingUpdate || s.rollingUpdate.maxSurge === undefined || s.rollingUpdate.maxSurge === null) return 0;
  return scaledValue(s.rollingUpdate.maxSurge, numberToSchedule, true);
}

/** UnavailableCount. */
export function unavailableCount(ds: KubeObject, numberToSchedule: number): number {
  const s = strategy(ds);
  if (s.type !== "RollingUpdate" || !s.rollingUpdate) return 0;
  return scaledValue(s.rollingUpdate.maxUnavailable, numberToSchedule, true);
}

/** AllowsSurge. */
export function allowsSurge(ds: KubeObject): boolean {
  try {
    return surgeCount(ds, 1) > 0;
  } catch {
    return false;
  }
}

/** podByCreationTimestampAndPhase: scheduled pods first, then oldest, then by name. */
export function byCreationTimestampAndPhase(a: KubeObject, b: KubeObject): number {
  const an = !!(a.spec as Obj | undefined)?.nodeName;
  const bn = !!(b.spec as Obj | undefined)?.nodeName;
  if (an && !bn) return -1;
  if (!an && bn) return 1;
  const ta = a.metadata.creationTimestamp ?? "";
  const tb = b.metadata.creationTimestamp ?? "";
  if (ta === tb) return (a.metadata.name ?? "") < (b.metadata.name ?? "") ? -1 : (a.metadata.name ?? "") > (b.metadata.name ?? "") ? 1 : 0;
  return ta < tb ? -1 : 1;
}

/** flowcontrol.Backoff as the DaemonSet controller uses it for failed pods (1s doubling to 15m). */
export class FailedPodsBackoff {
  private readonly entries = new Map<string, { backoff: number; lastUpdate: number }>();

  constructor(
    private readonly initialMs = 1000,
    private readonly maxMs = 15 * 60_000,
  ) {}

  get(key: string): number {
    return this.entries.get(key)?.backoff ?? 0;
  }

  isInBackOffSinceUpdate(key: string, now: number): boolean {
    const e = this.entries.get(key);
    if (!e) return false;
    if (now - e.lastUpdate > 2 * this.maxMs) return false;
    return now - e.lastUpdate < e.backoff;
  }

  next(key: string, now: number): void {
    const e = this.entries.get(key);
    if (!e || now - e.lastUpdate > 2 * this.maxMs) this.entries.set(key, { backoff: this.initialMs, lastUpdate: now });
    else this.entries.set(key, { backoff: Math.min(e.backoff * 2, this.maxMs), lastUpdate: now });
  }

  gc(now: number): void {
    for (const [k, e] of this.entries) if (now - e.lastUpdate > 2 * this.maxMs) this.entries.delete(k);
  }
}
