// Taints and tolerations (upstream pkg/apis/core/v1/helper, pkg/util/taints) and the taint
// writes the node controllers share (controller.AddOrUpdateTaintOnNode / RemoveTaintOffNode:
// a patch of spec.taints guarded by the node's resourceVersion, retried on conflict).
import { isApiError } from "../../apimachinery/errors.js";
import type { KubeObject } from "../../apimachinery/types.js";
import { R, type Client } from "../../client/interface.js";

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

export const TAINT_NOT_READY = "node.kubernetes.io/not-ready";
export const TAINT_UNREACHABLE = "node.kubernetes.io/unreachable";
export const TAINT_UNSCHEDULABLE = "node.kubernetes.io/unschedulable";
export const TAINT_MEMORY_PRESSURE = "node.kubernetes.io/memory-pressure";
export const TAINT_DISK_PRESSURE = "node.kubernetes.io/disk-pressure";
export const TAINT_PID_PRESSURE = "node.kubernetes.io/pid-pressure";
export const TAINT_NETWORK_UNAVAILABLE = "node.kubernetes.io/network-unavailable";

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

export function taintExists(taints: Taint[], t: Taint): boolean {
  return taints.some((x) => sameTaint(x, t));
}

/** upstream Toleration.ToleratesTaint. */
export function toleratesTaint(tol: Toleration, taint: Taint): boolean {
  if (tol.effect && tol.effect !== taint.effect) return false;
  if (tol.key && tol.key !== taint.key) return false;
  const op = tol.operator || "Equal";
  if (op === "Exists") return true;
  if (op === "Equal") return (tol.value ?? "") === (taint.value ?? "");
  return false;
}

/** upstream GetMatchingTolerations: whether every taint is tolerated, and the first toleration matching each. */
export function matchingTolerations(taints: Taint[], tolerations: Toleration[]): { all: boolean; used: Toleration[] } {
  if (taints.length === 0) return { all: true, used: [] };
  if (tolerations.length === 0) return { all: false, used: [] };
  const used: Toleration[] = [];
  for (const taint of taints) {
    let tolerated = false;
    for (const tol of tolerations) {
      if (toleratesTaint(tol, taint)) {
        tolerated = true;
        used.push(tol);
        break;
      }
    }
    if (!tolerated) return { all: false, used: [] };
  }
  return { all: true, used };
}

/** Shortest toleration of the used ones in ms; -1 for forever; 0 for none given. */
export function minTolerationMs(used: Toleration[]): number {
  if (used.length === 0) return 0;
  let min = Infinity;
  for (const t of used) {
    if (typeof t.tolerationSeconds === "number") {
      if (t.tolerationSeconds <= 0) return 0;
      min = Math.min(min, t.tolerationSeconds);
    }
  }
  return min === Infinity ? -1 : min * 1000;
}

/**
 * Adds and removes taints on a node (SwapNodeControllerTaint): added taints get timeAdded; the
 * write is a patch of spec.taints with the node's resourceVersion, re-read and retried on conflict.
 */
export async function swapNodeTaints(client: Client, node: KubeObject, add: Taint[], remove: Taint[], now: string): Promise<KubeObject | undefined> {
  let current: KubeObject | undefined = node;
  for (let attempt = 0; attempt < 5; attempt++) {
    if (!current) return undefined;
    const old = taintsOf(current);
    let next = old.filter((t) => !remove.some((r) => sameTaint(r, t)));
    let changed = next.length !== old.length;
    for (const a of add) {
      const existing = next.find((t) => sameTaint(t, a));
      if (existing && (existing.value ?? "") === (a.value ?? "")) continue;
      next = next.filter((t) => !sameTaint(t, a));
      next.push({ ...a, timeAdded: now });
      changed = true;
    }
    if (!changed) return current;
    try {
      return await client.patch(R.nodes, "", current.metadata.name!, "strategic", {
        metadata: { resourceVersion: current.metadata.resourceVersion },
        spec: { taints: next.length ? next : null },
      });
    } catch (err) {
      if (!isApiError(err)) throw err;
      if (err.code === 404) return undefined;
      if (err.code !== 409) throw err;
      current = await client.get(R.nodes, "", current.metadata.name!).catch(() => undefined);
    }
  }
  throw new Error(`failed to update taints of node ${node.metadata.name}`);
}
