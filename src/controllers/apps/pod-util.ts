// Pod predicates and the deletion ranking the ReplicaSet controller uses (upstream
// pkg/api/v1/pod IsPodReady/IsPodAvailable, pkg/controller ActivePodsWithRanks and
// pkg/controller/replicaset getPodsToDelete).
import type { KubeObject } from "../../apimachinery/types.js";
import { controllerRef } from "../runtime/owner-refs.js";

export interface PodCondition {
  type: string;
  status: string;
  lastTransitionTime?: string | null;
}

export interface Pod extends KubeObject {
  spec?: { nodeName?: string; [k: string]: unknown };
  status?: {
    phase?: string;
    conditions?: PodCondition[];
    containerStatuses?: { restartCount?: number }[];
    [k: string]: unknown;
  };
}

export const POD_DELETION_COST_ANNOTATION = "controller.kubernetes.io/pod-deletion-cost";

/** Not succeeded, not failed, not being deleted (upstream controller.IsPodActive). */
export function isPodActive(pod: Pod): boolean {
  const phase = pod.status?.phase;
  return phase !== "Succeeded" && phase !== "Failed" && !pod.metadata.deletionTimestamp;
}

export function podReadyCondition(pod: Pod): PodCondition | undefined {
  return pod.status?.conditions?.find((c) => c.type === "Ready");
}

export function isPodReady(pod: Pod): boolean {
  return podReadyCondition(pod)?.status === "True";
}

/** Milliseconds of a metav1.Time, or undefined when unset/zero. */
export function timeMs(t: string | null | undefined): number | undefined {
  if (!t) return undefined;
  const ms = Date.parse(t);
  return Number.isNaN(ms) ? undefined : ms;
}

/**
 * Ready, and ready for at least minReadySeconds: the Ready condition's lastTransitionTime plus
 * minReadySeconds is strictly before now (upstream podutil.IsPodAvailable).
 */
export function isPodAvailable(pod: Pod, minReadySeconds: number, now: number): boolean {
  const c = podReadyCondition(pod);
  if (c?.status !== "True") return false;
  if (!minReadySeconds) return true;
  const since = timeMs(c.lastTransitionTime);
  return since !== undefined && since + minReadySeconds * 1000 < now;
}

const PHASE_ORDINAL: Record<string, number> = { Pending: 0, Unknown: 1, Running: 2 };

function podReadyTime(pod: Pod): number | undefined {
  const c = podReadyCondition(pod);
  return c?.status === "True" ? timeMs(c.lastTransitionTime) : undefined;
}

function maxContainerRestarts(pod: Pod): number {
  let max = 0;
  for (const c of pod.status?.containerStatuses ?? []) max = Math.max(max, c.restartCount ?? 0);
  return max;
}

/** The pod-deletion-cost annotation (an int32, default 0; invalid values count as 0). */
export function deletionCost(pod: Pod): number {
  const v = pod.metadata.annotations?.[POD_DELETION_COST_ANNOTATION];
  if (v === undefined || !/^[+-]?\d+$/.test(v)) return 0;
  const n = Number(v);
  return n < -2147483648 || n > 2147483647 ? 0 : n;
}

/** afterOrZero: an unset time sorts first, then the later time. */
function afterOrZero(a: number | undefined, b: number | undefined): boolean {
  if (a === undefined || b === undefined) return a === undefined;
  return a > b;
}

function logRank(t: number, now: number): number {
  // upstream compares floor(log2(duration in nanoseconds))
  const d = (now - t) * 1e6;
  return d > 0 ? Math.floor(Math.log2(d)) : -1;
}

export interface RankedPod {
  pod: Pod;
  /** Active related pods on the same node (more co-located pods → deleted first). */
  rank: number;
}

/**
 * Upstream ActivePodsWithRanks.Less with PodDeletionCost and LogarithmicScaleDown on (their
 * 1.33 defaults): true when a should be deleted before b.
 */
export function deleteBefore(a: RankedPod, b: RankedPod, now: number): boolean {
  const pa = a.pod;
  const pb = b.pod;
  const na = pa.spec?.nodeName ?? "";
  const nb = pb.spec?.nodeName ?? "";
  // 1. unassigned < assigned
  if (na !== nb && (na === "" || nb === "")) return na === "";
  // 2. Pending < Unknown < Running
  const oa = PHASE_ORDINAL[pa.status?.phase ?? ""] ?? 0;
  const ob = PHASE_ORDINAL[pb.status?.phase ?? ""] ?? 0;
  if (oa !== ob) return oa < ob;
  // 3. not ready < ready
  const ra = isPodReady(pa);
  const rb = isPodReady(pb);
  if (ra !== rb) return !ra;
  // 4. lower pod-deletion-cost < higher
  const ca = deletionCost(pa);
  const cb = deletionCost(pb);
  if (ca !== cb) return ca < cb;
  // 5. doubled up < not doubled up
  if (a.rank !== b.rank) return a.rank > b.rank;
  // 6. ready for less time < more time (logarithmic buckets, ties by UID)
  if (ra && rb) {
    const ta = podReadyTime(pa);
    const tb = podReadyTime(pb);
    if (ta !== tb) {
      if (ta === undefined || tb === undefined) return afterOrZero(ta, tb);
      const diff = logRank(ta, now) - logRank(tb, now);
      if (diff === 0) return (pa.metadata.uid ?? "") < (pb.metadata.uid ?? "");
      return diff < 0;
    }
  }
  // 7. more container restarts < fewer
  const xa = maxContainerRestarts(pa);
  const xb = maxContainerRestarts(pb);
  if (xa !== xb) return xa > xb;
  // 8. empty creation time < newer < older (logarithmic buckets, ties by UID)
  const ta = timeMs(pa.metadata.creationTimestamp);
  const tb = timeMs(pb.metadata.creationTimestamp);
  if (ta !== tb) {
    if (ta === undefined || tb === undefined) return afterOrZero(ta, tb);
    const diff = logRank(ta, now) - logRank(tb, now);
    if (diff === 0) return (pa.metadata.uid ?? "") < (pb.metadata.uid ?? "");
    return diff < 0;
  }
  return false;
}

/**
 * The pods a ReplicaSet scales down (upstream getPodsToDelete): when not all go, rank them by
 * deleteBefore, counting for each the active related pods on its node.
 */
export function podsToDelete(filtered: Pod[], related: Pod[], diff: number, now: number): Pod[] {
  if (diff >= filtered.length) return filtered.slice(0, diff);
  const onNode = new Map<string, number>();
  for (const p of related) {
    if (!isPodActive(p)) continue;
    const node = p.spec?.nodeName ?? "";
    onNode.set(node, (onNode.get(node) ?? 0) + 1);
  }
  const ranked: RankedPod[] = filtered.map((pod) => ({ pod, rank: onNode.get(pod.spec?.nodeName ?? "") ?? 0 }));
  ranked.sort((a, b) => (deleteBefore(a, b, now) ? -1 : deleteBefore(b, a, now) ? 1 : 0));
  return ranked.slice(0, diff).map((r) => r.pod);
}

/** The controller owner's UID of an object, if any. */
export function controllerUID(obj: KubeObject): string | undefined {
  return controllerRef(obj)?.uid;
}

/** The namespace/name key of a pod (upstream controller.PodKey). */
export function podKey(pod: KubeObject): string {
  return `${pod.metadata.namespace}/${pod.metadata.name}`;
}

/**
 * What the ReplicaSet controller asks of a pod on every sync, computed once per informer object:
 * cached objects are frozen and replaced on change, so an object's facts never go stale.
 */
export interface PodFacts {
  active: boolean;
  ready: boolean;
  /** When the pod became ready (ms), if it is. */
  readySince: number | undefined;
  controllerUID: string | undefined;
  /** Last selector (by its string form) matched against the labels, and the answer. */
  selKey?: string;
  selMatch?: boolean;
  tplKey?: string;
  tplMatch?: boolean;
}

const FACTS = new WeakMap<object, PodFacts>();

export function podFacts(pod: Pod): PodFacts {
  let f = FACTS.get(pod);
  if (!f) {
    const c = podReadyCondition(pod);
    const ready = c?.status === "True";
    f = { active: isPodActive(pod), ready, readySince: ready ? timeMs(c!.lastTransitionTime) : undefined, controllerUID: controllerRef(pod)?.uid };
    FACTS.set(pod, f);
  }
  return f;
}

/** selector.matches(pod labels), remembered per pod object and selector. */
export function matchesCached(pod: Pod, selector: { matches(l: Record<string, string> | undefined): boolean }, key: string): boolean {
  const f = podFacts(pod);
  if (f.selKey !== key) {
    f.selKey = key;
    f.selMatch = selector.matches(pod.metadata.labels);
  }
  return f.selMatch!;
}

/** Whether the pod carries every label of a template (fullyLabeledReplicas), remembered per pod object. */
export function hasTemplateLabelsCached(pod: Pod, labels: Record<string, string> | undefined, key: string): boolean {
  const f = podFacts(pod);
  if (f.tplKey !== key) {
    f.tplKey = key;
    let ok = true;
    const have = pod.metadata.labels;
    for (const k in labels ?? {}) {
      if (have?.[k] !== labels![k]) {
        ok = false;
        break;
      }
    }
    f.tplMatch = ok;
  }
  return f.tplMatch!;
}
