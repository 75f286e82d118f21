// The node-local plugins of the default profile: NodeUnschedulable, NodeName, TaintToleration,
// NodeAffinity, NodePorts, NodeResourcesFit (LeastAllocated scoring) and
// NodeResourcesBalancedAllocation — upstream's filters, scores and reasons.
import { Code, fixedStatus, MAX_NODE_SCORE, Status, type Plugin, type PreFilterResult, type StateData } from "../framework.js";
import { CompiledTerm, RequiredNodeAffinity, type NodeSelectorTerm } from "../../apimachinery/node-affinity.js";
import { findUntoleratedTaint, isNoScheduleOrNoExecute, tolerationsTolerateTaint, type Toleration } from "../../apimachinery/taints.js";
import type { NodeInfo, PodInfo } from "../types.js";

/** Upstream DefaultNormalizeScore: scale to [0, MaxNodeScore] by the highest score, optionally reversed. */
export function defaultNormalizeScore(scores: number[], reverse: boolean): void {
  let max = 0;
  for (const s of scores) if (s > max) max = s;
  if (max === 0) {
    if (reverse) scores.fill(MAX_NODE_SCORE);
    return;
  }
  for (let i = 0; i < scores.length; i++) {
    let s = Math.trunc((MAX_NODE_SCORE * scores[i]!) / max);
    if (reverse) s = MAX_NODE_SCORE - s;
    scores[i] = s;
  }
}

const requiredAffinityCache = new WeakMap<PodInfo, RequiredNodeAffinity>();

/** The pod's nodeSelector and required node affinity, compiled once per pod version. */
export function requiredNodeAffinityOf(pod: PodInfo): RequiredNodeAffinity {
  let r = requiredAffinityCache.get(pod);
  if (!r) requiredAffinityCache.set(pod, (r = new RequiredNodeAffinity(pod.spec)));
  return r;
}

// ---- NodeUnschedulable ----

const UNSCHEDULABLE_TAINT = { key: "node.kubernetes.io/unschedulable", effect: "NoSchedule" };
const ERR_NODE_UNSCHEDULABLE = fixedStatus("NodeUnschedulable", Code.UnschedulableAndUnresolvable, "node(s) were unschedulable");

export const nodeUnschedulable: Plugin = {
  name: "NodeUnschedulable",
  events: () => ["NodeAdd", "NodeTaint"],
  filter(_cs, pod, node) {
    if (node.unschedulable && !tolerationsTolerateTaint(pod.tolerations, UNSCHEDULABLE_TAINT)) return ERR_NODE_UNSCHEDULABLE;
    return undefined;
  },
};

// ---- NodeName ----

const ERR_NODE_NAME = fixedStatus("NodeName", Code.UnschedulableAndUnresolvable, "node(s) didn't match the requested node name");

export const nodeName: Plugin = {
  name: "NodeName",
  events: () => ["NodeAdd"],
  filter(_cs, pod, node) {
    if (pod.nodeName && pod.nodeName !== node.name) return ERR_NODE_NAME;
    return undefined;
  },
};

// ---- TaintToleration ----

const taintStatuses = new Map<string, Status>();

function untoleratedTaintStatus(key: string, value: string): Status {
  const k = `${key}\x00${value}`;
  let s = taintStatuses.get(k);
  if (!s) {
    s = fixedStatus("TaintToleration", Code.UnschedulableAndUnresolvable, `node(s) had untolerated taint {${key}: ${value}}`);
    if (taintStatuses.size > 1000) taintStatuses.clear();
    taintStatuses.set(k, s);
  }
  return s;
}

class TolerationsState implements StateData {
  constructor(readonly preferNoSchedule: readonly Toleration[]) {}
  clone(): StateData {
    return this;
  }
}

export const taintToleration: Plugin = {
  name: "TaintToleration",
  events: () => ["NodeAdd", "NodeTaint"],
  filter(_cs, pod, node) {
    if (node.taints.length === 0) return undefined;
    const taint = findUntoleratedTaint(node.taints, pod.tolerations, isNoScheduleOrNoExecute);
    return taint ? untoleratedTaintStatus(taint.key, taint.value ?? "") : undefined;
  },
  preScore(cs, pod) {
    cs.write("PreScoreTaintToleration", new TolerationsState(pod.tolerations.filter((t) => !t.effect || t.effect === "PreferNoSchedule")));
    return undefined;
  },
  score(cs, _pod, node) {
    if (node.preferNoScheduleTaints === 0) return 0;
    const tolerations = cs.read<TolerationsState>("PreScoreTaintToleration")!.preferNoSchedule;
    let n = 0;
    for (const t of node.taints) if (t.effect === "PreferNoSchedule" && !tolerationsTolerateTaint(tolerations, t)) n++;
    return n;
  },
  scoreAll(cs, pod, nodes, out) {
    for (let i = 0; i < nodes.length; i++) out[i] = nodes[i]!.preferNoScheduleTaints === 0 ? 0 : this.score!(cs, pod, nodes[i]!);
  },
  normalizeScore(_cs, _pod, scores) {
    defaultNormalizeScore(scores, true);
  },
};

// ---- NodeAffinity ----

const ERR_NODE_AFFINITY = fixedStatus("NodeAffinity", Code.UnschedulableAndUnresolvable, "node(s) didn't match Pod's node affinity/selector");
const ERR_AFFINITY_CONFLICT = "pod affinity terms conflict";

class PreferredTermsState implements StateData {
  constructor(readonly terms: { weight: number; term: CompiledTerm }[]) {}
  clone(): StateData {
    return this;
  }
}

export const nodeAffinity: Plugin = {
  name: "NodeAffinity",
  events: () => ["NodeAdd", "NodeLabel"],
  preFilter(cs, pod): PreFilterResult | undefined {
    const required = requiredNodeAffinityOf(pod);
    if (required.trivial) {
      cs.skipFilter.add("NodeAffinity");
      return undefined;
    }
    const terms = (pod.spec.affinity as { nodeAffinity?: { requiredDuringSchedulingIgnoredDuringExecution?: { nodeSelectorTerms?: NodeSelectorTerm[] } } } | undefined)
      ?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms;
    if (!terms) return undefined;
    let names: Set<string> | undefined;
    for (const t of terms) {
      let termNames: Set<string> | undefined;
      for (const r of t?.matchFields ?? []) {
        if (r.key !== "metadata.name" || r.operator !== "In") continue;
        const s = new Set(r.values ?? []);
        termNames = termNames ? new Set([...termNames].filter((n) => s.has(n))) : s;
      }
      // a term without a metadata.name restriction admits every node (terms are ORed)
      if (!termNames) return undefined;
      names = names ? new Set([...names, ...termNames]) : termNames;
    }
    if (names && names.size === 0) return { status: fixedStatus("NodeAffinity", Code.UnschedulableAndUnresolvable, ERR_AFFINITY_CONFLICT) };
    return names ? { nodeNames: names } : undefined;
  },
  filter(_cs, pod, node) {
    return requiredNodeAffinityOf(pod).matches(node.name, node.labels) ? undefined : ERR_NODE_AFFINITY;
  },
  preScore(cs, pod) {
    const preferred = (
      pod.spec.affinity as { nodeAffinity?: { preferredDuringSchedulingIgnoredDuringExecution?: { weight?: number; preference?: NodeSelectorTerm }[] } } | undefined
    )?.nodeAffinity?.preferredDuringSchedulingIgnoredDuringExecution;
    if (!preferred?.length) {
      cs.skipScore.add("NodeAffinity");
      return undefined;
    }
    cs.write("PreScoreNodeAffinity", new PreferredTermsState(preferred.filter(Boolean).map((p) => ({ weight: p.weight ?? 0, term: new CompiledTerm(p.preference ?? {}) }))));
    return undefined;
  },
  score(cs, _pod, node) {
    let score = 0;
    for (const { weight, term } of cs.read<PreferredTermsState>("PreScoreNodeAffinity")!.terms) if (weight !== 0 && term.matches(node.name, node.labels)) score += weight;
    return score;
  },
  normalizeScore(_cs, _pod, scores) {
    defaultNormalizeScore(scores, false);
  },
};

// ---- NodePorts ----

const ERR_NODE_PORTS = fixedStatus("NodePorts", Code.Unschedulable, "node(s) didn't have free ports for the requested pod ports");

export const nodePorts: Plugin = {
  name: "NodePorts",
  events: () => ["NodeAdd", "AssignedPodDelete"],
  preFilter(cs, pod) {
    if (pod.hostPorts.length === 0) cs.skipFilter.add("NodePorts");
    return undefined;
  },
  filter(_cs, pod, node) {
    if (node.usedPorts.size === 0) return undefined;
    for (const p of pod.hostPorts) if (node.usedPorts.conflicts(p)) return ERR_NODE_PORTS;
    return undefined;
  },
};

// ---- NodeResourcesFit ----

const ERR_TOO_MANY_PODS = "Too many pods";
const fitStatuses = new Map<string, Status>();

function fitStatus(reasons: string[], unresolvable: boolean): Status {
  const k = `${unresolvable ? 1 : 0}${reasons.join("\x00")}`;
  let s = fitStatuses.get(k);
  if (!s) {
    s = fixedStatus("NodeResourcesFit", unresolvable ? Code.UnschedulableAndUnresolvable : Code.Unschedulable, ...reasons);
    if (fitStatuses.size > 1000) fitStatuses.clear();
    fitStatuses.set(k, s);
  }
  return s;
}

/** Upstream fitsRequest: what the node lacks for the pod ("Too many pods", "Insufficient cpu", ...). */
export function insufficientResources(pod: PodInfo, node: NodeInfo): { reasons: string[]; unresolvable: boolean } | undefined {
  let reasons: string[] | undefined;
  let unresolvable = false;
  if (node.pods.size + 1 > node.allowedPods) (reasons ??= []).push(ERR_TOO_MANY_PODS);
  const req = pod.requests;
  if (req.milliCPU === 0 && req.memory === 0 && req.ephemeralStorage === 0 && !req.scalar?.size) return reasons ? { reasons, unresolvable } : undefined;
  const alloc = node.allocatable;
  const used = node.requested;
  if (req.milliCPU > 0 && req.milliCPU > alloc.milliCPU - used.milliCPU) {
    (reasons ??= []).push("Insufficient cpu");
    if (req.milliCPU > alloc.milliCPU) unresolvable = true;
  }
  if (req.memory > 0 && req.memory > alloc.memory - used.memory) {
    (reasons ??= []).push("Insufficient memory");
    if (req.memory > alloc.memory) unresolvable = true;
  }
  if (req.ephemeralStorage > 0 && req.ephemeralStorage > alloc.ephemeralStorage - used.ephemeralStorage) {
    (reasons ??= []).push("Insufficient ephemeral-storage");
    if (req.ephemeralStorage > alloc.ephemeralStorage) unresolvable = true;
  }
  if (req.scalar) {
    for (const [name, q] of req.scalar) {
      if (q === 0) continue;
      const a = alloc.scalar?.get(name) ?? 0;
      if (q > a - (used.scalar?.get(name) ?? 0)) {
        (reasons ??= []).push(`Insufficient ${name}`);
        if (q > a) unresolvable = true;
      }
    }
  }
  return reasons ? { reasons, unresolvable } : undefined;
}

/** Upstream leastRequestedScore. */
function leastRequested(requested: number, capacity: number): number {
  if (capacity === 0 || requested > capacity) return 0;
  return Math.trunc(((capacity - requested) * MAX_NODE_SCORE) / capacity);
}

export const nodeResourcesFit: Plugin = {
  name: "NodeResourcesFit",
  events: () => ["NodeAdd", "NodeAllocatable", "AssignedPodDelete", "AssignedPodUpdate"],
  filter(_cs, pod, node) {
    const r = insufficientResources(pod, node);
    return r ? fitStatus(r.reasons, r.unresolvable) : undefined;
  },
  // LeastAllocated over cpu and memory (weight 1 each), with the scheduler's default requests
  score(_cs, pod, node) {
    let score = 0;
    let weights = 0;
    const cpuAlloc = node.allocatable.milliCPU;
    if (cpuAlloc > 0) {
      score += leastRequested(node.nonZeroCPU + pod.nonZeroCPU, cpuAlloc);
      weights++;
    }
    const memAlloc = node.allocatable.memory;
    if (memAlloc > 0) {
      score += leastRequested(node.nonZeroMemory + pod.nonZeroMemory, memAlloc);
      weights++;
    }
    return weights ? Math.trunc(score / weights) : 0;
  },
  scoreAll(cs, pod, nodes, out) {
    for (let i = 0; i < nodes.length; i++) out[i] = this.score!(cs, pod, nodes[i]!);
  },
};

// ---- NodeResourcesBalancedAllocation ----

export const balancedAllocation: Plugin = {
  name: "NodeResourcesBalancedAllocation",
  events: () => ["NodeAdd", "NodeAllocatable", "AssignedPodDelete", "AssignedPodUpdate"],
  preScore(cs, pod) {
    // best-effort pods do not change a node's balance
    if (pod.requests.milliCPU === 0 && pod.requests.memory === 0) cs.skipScore.add("NodeResourcesBalancedAllocation");
    return undefined;
  },
  score(_cs, pod, node) {
    const cpuAlloc = node.allocatable.milliCPU;
    const memAlloc = node.allocatable.memory;
    // with one resource (or none) the deviation is 0
    if (!(cpuAlloc > 0 && memAlloc > 0)) return MAX_NODE_SCORE;
    const cpu = Math.min(1, (node.requested.milliCPU + pod.requests.milliCPU) / cpuAlloc);
    const mem = Math.min(1, (node.requested.memory + pod.requests.memory) / memAlloc);
    return Math.trunc((1 - Math.abs((cpu - mem) / 2)) * MAX_NODE_SCORE);
  },
  scoreAll(cs, pod, nodes, out) {
    for (let i = 0; i < nodes.length; i++) out[i] = this.score!(cs, pod, nodes[i]!);
  },
};
