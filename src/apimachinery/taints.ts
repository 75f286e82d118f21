// Taints and tolerations (upstream pkg/apis/core/v1/helper): the matching rules the scheduler, the
// DaemonSet controller and the node controllers share.
import type { KubeObject } from "./types.js";

export interface Taint {
  key: string;
  value?: string;
  effect: string;
  timeAdded?: string;
}

export interface Toleration {
  key?: string;
  operator?: string;
  value?: string;
  effect?: string;
  tolerationSeconds?: number;
}

export function taintsOf(node: KubeObject): Taint[] {
  const t = (node.spec as Record<string, unknown> | undefined)?.taints;
  return Array.isArray(t) ? (t as Taint[]) : [];
}

export function tolerationsOf(pod: KubeObject): Toleration[] {
  const t = (pod.spec as Record<string, unknown> | undefined)?.tolerations;
  return Array.isArray(t) ? (t as Toleration[]) : [];
}

/** Same key and effect (upstream Taint.MatchTaint). */
export function sameTaint(a: Taint, b: Taint): boolean {
  return a.key === b.key && a.effect === b.effect;
}

export function taintExists(taints: readonly Taint[], t: Taint): boolean {
  return taints.some((x) => sameTaint(x, t));
}

/** Upstream Toleration.ToleratesTaint: an empty effect or key matches any; operator Equal (default) compares values. */
export function toleratesTaint(t: Toleration, taint: Taint): boolean {
  if (t.effect && t.effect !== taint.effect) return false;
  if (t.key && t.key !== taint.key) return false;
  switch (t.operator || "Equal") {
    case "Equal":
      return (t.value ?? "") === (taint.value ?? "");
    case "Exists":
      return true;
    default:
      return false;
  }
}

export function tolerationsTolerateTaint(tolerations: readonly Toleration[], taint: Taint): boolean {
  return tolerations.some((t) => toleratesTaint(t, taint));
}

/** Upstream FindMatchingUntoleratedTaint: the first taint passing the filter that no toleration tolerates. */
export function findUntoleratedTaint(taints: readonly Taint[], tolerations: readonly Toleration[], filter: (t: Taint) => boolean): Taint | undefined {
  return taints.find((taint) => filter(taint) && !tolerationsTolerateTaint(tolerations, taint));
}

export const isNoScheduleOrNoExecute = (t: Taint): boolean => t.effect === "NoSchedule" || t.effect === "NoExecute";
