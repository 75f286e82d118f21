// PodTopologySpread (upstream plugins/podtopologyspread): DoNotSchedule constraints filter nodes
// whose domain would exceed maxSkew over the least loaded eligible domain; ScheduleAnyway
// constraints — and, for pods without constraints, the system defaults (hostname maxSkew 3, zone
// maxSkew 5, over the selector of the services and controller selecting the pod) — score nodes
// by how many matching pods their domains hold.
import { fromLabelMap, type LabelSelector, type MetaLabelSelector } from "../../apimachinery/labels.js";
import type { NodeCounts, PodMatcher } from "../cache.js";
import { Code, fixedStatus, MAX_NODE_SCORE, type Handle, type Plugin, type StateData } from "../framework.js";
import type { Labels } from "../../apimachinery/node-affinity.js";
import { findUntoleratedTaint, isNoScheduleOrNoExecute } from "../../apimachinery/taints.js";
import { andSelectors, labelSelectorOf, selectorKey } from "../helpers.js";
import type { NodeInfo, PodInfo } from "../types.js";
import { requiredNodeAffinityOf } from "./node-plugins.js";

const NAME = "PodTopologySpread";
const HOSTNAME = "kubernetes.io/hostname";
const ZONE = "topology.kubernetes.io/zone";
export const ERR_CONSTRAINTS_NOT_MATCH = "node(s) didn't match pod topology spread constraints";
const ERR_CONSTRAINTS = fixedStatus(NAME, Code.Unschedulable, ERR_CONSTRAINTS_NOT_MATCH);
const ERR_NODE_LABEL = fixedStatus(NAME, Code.UnschedulableAndUnresolvable, `${ERR_CONSTRAINTS_NOT_MATCH} (missing required label)`);

interface SpreadConstraintSpec {
  maxSkew?: number;
  topologyKey?: string;
  whenUnsatisfiable?: string;
  labelSelector?: MetaLabelSelector | null;
  minDomains?: number | null;
  nodeAffinityPolicy?: string | null;
  nodeTaintsPolicy?: string | null;
  matchLabelKeys?: string[] | null;
}

export interface Constraint {
  maxSkew: number;
  topologyKey: string;
  selector: LabelSelector;
  minDomains: number;
  honorNodeAffinity: boolean;
  honorTaints: boolean;
  matcher: PodMatcher;
}

/** Upstream's system default constraints. */
const DEFAULT_CONSTRAINTS: SpreadConstraintSpec[] = [
  { topologyKey: HOSTNAME, whenUnsatisfiable: "ScheduleAnyway", maxSkew: 3 },
  { topologyKey: ZONE, whenUnsatisfiable: "ScheduleAnyway", maxSkew: 5 },
];

function matcherFor(namespace: string, selector: LabelSelector): PodMatcher {
  return {
    key: `pts\x00${namespace}\x00${selectorKey(selector)}`,
    matches: (p) => p.namespace === namespace && !p.terminating && selector.matches(p.labels as Record<string, string>),
  };
}

function toConstraint(c: SpreadConstraintSpec, pod: PodInfo, selector?: LabelSelector): Constraint {
  let sel = selector ?? labelSelectorOf(c.labelSelector ?? null);
  if (!selector && c.matchLabelKeys?.length) {
    const extra: Record<string, string> = {};
    for (const k of c.matchLabelKeys) if (k in pod.labels) extra[k] = pod.labels[k]!;
    if (Object.keys(extra).length) sel = andSelectors([fromLabelMap(extra), sel]);
  }
  return {
    maxSkew: c.maxSkew ?? 1,
    topologyKey: c.topologyKey ?? "",
    selector: sel,
    minDomains: c.minDomains ?? 1,
    honorNodeAffinity: (c.nodeAffinityPolicy ?? "Honor") === "Honor",
    honorTaints: (c.nodeTaintsPolicy ?? "Ignore") === "Honor",
    matcher: matcherFor(pod.namespace, sel),
  };
}

/** The pod's constraints of one kind (DoNotSchedule or ScheduleAnyway), or the system defaults. */
export function constraintsOf(pod: PodInfo, handle: Handle, action: "DoNotSchedule" | "ScheduleAnyway"): Constraint[] {
  const own = (Array.isArray(pod.spec.topologySpreadConstraints) ? pod.spec.topologySpreadConstraints : []) as SpreadConstraintSpec[];
  if (own.length > 0) return own.filter((c) => c?.whenUnsatisfiable === action).map((c) => toConstraint(c, pod));
  const defaults = DEFAULT_CONSTRAINTS.filter((c) => c.whenUnsatisfiable === action);
  if (defaults.length === 0) return [];
  const selector = handle.defaultSelector(pod);
  if (!selector || selector.empty) return [];
  return defaults.map((c) => toConstraint(c, pod, selector));
}

function hasAllKeys(labels: Labels, constraints: readonly Constraint[]): boolean {
  for (const c of constraints) if (!(c.topologyKey in labels)) return false;
  return true;
}

function includesNode(c: Constraint, pod: PodInfo, node: NodeInfo): boolean {
  if (c.honorNodeAffinity && !requiredNodeAffinityOf(pod).matches(node.name, node.labels)) return false;
  if (c.honorTaints && findUntoleratedTaint(node.taints, pod.tolerations, isNoScheduleOrNoExecute)) return false;
  return true;
}

class PreFilterState implements StateData {
  private readonly mins: (number | undefined)[];
  constructor(
    readonly constraints: Constraint[],
    readonly tpValueToMatchNum: Map<string, number>[],
  ) {
    this.mins = constraints.map(() => undefined);
  }

  clone(): PreFilterState {
    return new PreFilterState(
      this.constraints,
      this.tpValueToMatchNum.map((m) => new Map(m)),
    );
  }

  /** The global minimum of matching pods of a constraint (0 with fewer domains than minDomains). */
  minMatch(i: number): number {
    const m = this.tpValueToMatchNum[i]!;
    if (m.size < this.constraints[i]!.minDomains) return 0;
    let v = this.mins[i];
    if (v === undefined) {
      v = Number.MAX_SAFE_INTEGER;
      for (const n of m.values()) if (n < v) v = n;
      this.mins[i] = v;
    }
    return v;
  }

  update(pod: PodInfo, p: PodInfo, node: NodeInfo, delta: number): void {
    if (p.namespace !== pod.namespace || !hasAllKeys(node.labels, this.constraints)) return;
    this.constraints.forEach((c, i) => {
      if (!c.selector.matches(p.labels as Record<string, string>)) return;
      if (!includesNode(c, pod, node)) return;
      const v = node.labels[c.topologyKey]!;
      const m = this.tpValueToMatchNum[i]!;
      m.set(v, (m.get(v) ?? 0) + delta);
      this.mins[i] = undefined;
    });
  }
}

class PreScoreState implements StateData {
  constructor(
    readonly constraints: Constraint[],
    readonly ignoredNodes: Set<string>,
    /** Per constraint: matching pods by topology value (zonal constraints only). */
    readonly valueCounts: (Map<string, number> | undefined)[],
    readonly weights: number[],
    /** Per constraint: matching pods by node (hostname constraints only). */
    readonly hostCounts: (NodeCounts | undefined)[],
  ) {}
  clone(): StateData {
    return this;
  }
}

const PRE_FILTER_KEY = "PreFilterPodTopologySpread";
const PRE_SCORE_KEY = "PreScorePodTopologySpread";

export function podTopologySpread(handle: Handle): Plugin {
  return {
    name: NAME,
    events: () => ["AssignedPodAdd", "AssignedPodUpdate", "AssignedPodDelete", "NodeAdd", "NodeDelete", "NodeLabel", "NodeTaint"],

    preFilter(cs, pod, nodes) {
      const constraints = constraintsOf(pod, handle, "DoNotSchedule");
      if (constraints.length === 0) {
        cs.skipFilter.add(NAME);
        return undefined;
      }
      const counts = constraints.map((c) => handle.cache.countsBy(c.matcher));
      const tp = constraints.map(() => new Map<string, number>());
      for (const node of nodes) {
        if (!hasAllKeys(node.labels, constraints)) continue;
        for (let i = 0; i < constraints.length; i++) {
          const c = constraints[i]!;
          if (!includesNode(c, pod, node)) continue;
          const v = node.labels[c.topologyKey]!;
          const m = tp[i]!;
          m.set(v, (m.get(v) ?? 0) + counts[i]!.of(node));
        }
      }
      cs.write(PRE_FILTER_KEY, new PreFilterState(constraints, tp));
      return undefined;
    },

    addPod(cs, pod, added, node) {
      cs.read<PreFilterState>(PRE_FILTER_KEY)?.update(pod, added, node, 1);
    },

    removePod(cs, pod, removed, node) {
      cs.read<PreFilterState>(PRE_FILTER_KEY)?.update(pod, removed, node, -1);
    },

    filter(cs, pod, node) {
      const s = cs.read<PreFilterState>(PRE_FILTER_KEY);
      if (!s) return undefined;
      for (let i = 0; i < s.constraints.length; i++) {
        const c = s.constraints[i]!;
        const v = node.labels[c.topologyKey];
        if (v === undefined) return ERR_NODE_LABEL;
        const self = c.selector.matches(pod.labels as Record<string, string>) ? 1 : 0;
        const matchNum = s.tpValueToMatchNum[i]!.get(v) ?? 0;
        if (matchNum + self - s.minMatch(i) > c.maxSkew) return ERR_CONSTRAINTS;
      }
      return undefined;
    },

    preScore(cs, pod, filtered) {
      let constraints = constraintsOf(pod, handle, "ScheduleAnyway");
      const requireAll = Array.isArray(pod.spec.topologySpreadConstraints) && pod.spec.topologySpreadConstraints.length > 0;
      // a system-default constraint on a key no node has scores nothing on any node
      if (!requireAll) constraints = constraints.filter((c) => handle.cache.hasLabelKey(c.topologyKey));
      if (constraints.length === 0) {
        cs.skipScore.add(NAME);
        return undefined;
      }
      const ignored = new Set<string>();
      const n = constraints.length;
      const valueCounts: (Map<string, number> | undefined)[] = constraints.map((c) => (c.topologyKey === HOSTNAME ? undefined : new Map<string, number>()));
      // upstream counts a domain "" for nodes without the key; only a node labelled "" can read it
      const emptyValueRead = constraints.map(() => false);
      for (const node of filtered) {
        if (requireAll && !hasAllKeys(node.labels, constraints)) {
          ignored.add(node.name);
          continue;
        }
        for (let i = 0; i < n; i++) {
          const m = valueCounts[i];
          if (!m) continue;
          const v = node.labels[constraints[i]!.topologyKey];
          if (v === "") emptyValueRead[i] = true;
          if (!m.has(v ?? "")) m.set(v ?? "", 0);
        }
      }
      const counts = constraints.map((c) => handle.cache.countsBy(c.matcher));
      const all = handle.cache.nodeList();
      for (let i = 0; i < n; i++) {
        const m = valueCounts[i];
        if (!m) continue;
        const c = constraints[i]!;
        const arr = counts[i]!.arr;
        for (const node of all) {
          const k = arr[node.idx];
          if (!k) continue;
          const v = node.labels[c.topologyKey];
          if (v === undefined && !emptyValueRead[i]) continue;
          const cur = m.get(v ?? "");
          if (cur === undefined) continue;
          if (requireAll && !hasAllKeys(node.labels, constraints)) continue;
          if (!includesNode(c, pod, node)) continue;
          m.set(v ?? "", cur + k);
        }
      }
      const weights = constraints.map((c, i) => Math.log((c.topologyKey === HOSTNAME ? filtered.length - ignored.size : valueCounts[i]!.size) + 2));
      cs.write(PRE_SCORE_KEY, new PreScoreState(constraints, ignored, valueCounts, weights, constraints.map((c, i) => (c.topologyKey === HOSTNAME ? counts[i] : undefined))));
      return undefined;
    },

    score(cs, _pod, node) {
      const s = cs.read<PreScoreState>(PRE_SCORE_KEY)!;
      if (s.ignoredNodes.size && s.ignoredNodes.has(node.name)) return 0;
      let score = 0;
      for (let i = 0; i < s.constraints.length; i++) {
        const c = s.constraints[i]!;
        const v = node.labels[c.topologyKey];
        if (v === undefined) continue;
        const cnt = c.topologyKey === HOSTNAME ? s.hostCounts[i]!.of(node) : (s.valueCounts[i]!.get(v) ?? 0);
        score += cnt * s.weights[i]! + (c.maxSkew - 1);
      }
      return Math.round(score);
    },

    scoreAll(cs, _pod, nodes, out) {
      const s = cs.read<PreScoreState>(PRE_SCORE_KEY)!;
      const cs0 = s.constraints;
      for (let j = 0; j < nodes.length; j++) {
        const node = nodes[j]!;
        if (s.ignoredNodes.size && s.ignoredNodes.has(node.name)) {
          out[j] = 0;
          continue;
        }
        let score = 0;
        for (let i = 0; i < cs0.length; i++) {
          const c = cs0[i]!;
          const v = node.labels[c.topologyKey];
          if (v === undefined) continue;
          const cnt = c.topologyKey === HOSTNAME ? s.hostCounts[i]!.of(node) : (s.valueCounts[i]!.get(v) ?? 0);
          score += cnt * s.weights[i]! + (c.maxSkew - 1);
        }
        out[j] = Math.round(score);
      }
    },

    normalizeScore(cs, _pod, scores, nodes) {
      const s = cs.read<PreScoreState>(PRE_SCORE_KEY);
      if (!s) return;
      let min = Number.MAX_SAFE_INTEGER;
      let max = 0;
      const invalid = (i: number) => s.ignoredNodes.size > 0 && s.ignoredNodes.has(nodes[i]!.name);
      for (let i = 0; i < scores.length; i++) {
        if (invalid(i)) continue;
        const v = scores[i]!;
        if (v < min) min = v;
        if (v > max) max = v;
      }
      for (let i = 0; i < scores.length; i++) {
        if (invalid(i)) scores[i] = 0;
        else if (max === 0) scores[i] = MAX_NODE_SCORE;
        else scores[i] = Math.trunc((MAX_NODE_SCORE * (max + min - scores[i]!)) / max);
      }
    },
  };
}
