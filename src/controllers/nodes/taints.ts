// Taints and tolerations (upstream pkg/apis/core/v1/helper, pkg/util/taints) and the taint
// writes the node controllers share (controller.AddOrUpdateTaintOnNode / RemoveTaintOffNode:
// a patch of spec.taints guarded by the node's resourceVersion, retried on conflict).
import { isApiError } from "../../apimachinery/errors.js";
import { sameTaint, taintExists, taintsOf, toleratesTaint, tolerationsOf, type Taint, type Toleration } from "../../apimachinery/taints.js";
import type { KubeObject } from "../../apimachinery/types.js";
import { R, type Client } from "../../client/interface.js";

export { sameTaint, taintExists, taintsOf, toleratesTaint, tolerationsOf, type Taint, type Toleration };

export const TAINT_NOT_READY = "node.kubernetes.io/not-ready";
export const TAINT_UNREACHABLE = "node.kubernetes.io/unreachable";
export const TAINT_UNSCHEDULABLE = "node.kubernetes.io/unschedulable";
export const TAINT_MEMORY_PRESSURE = "node.kubernetes.io/memory-pressure";
export const TAINT_DISK_PRESSURE = "node.kubernetes.io/disk-pressure";
export const TAINT_PID_PRESSURE = "node.kubernetes.io/pid-pressure";
export const TAINT_NETWORK_UNAVAILABLE = "node.kubernetes.io/network-unavailable";

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
