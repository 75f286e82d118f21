// InterPodAffinity (upstream plugins/interpodaffinity): required pod affinity and anti-affinity by
// topology domain, including the symmetry of existing pods' required anti-affinity, and scoring of
// preferred terms both ways (plus existing pods' required affinity at hardPodAffinityWeight 1).
import { nothing } from "../../apimachinery/labels.js";
import type { NodeCounts, PodMatcher } from "../cache.js";
import { Code, fixedStatus, MAX_NODE_SCORE, type Handle, type Plugin, type StateData } from "../framework.js";
import type { Labels } from "../../apimachinery/node-affinity.js";
import { selectorKey } from "../helpers.js";
import { termMatches, type AffinityTerm, type NodeInfo, type PodInfo, type WeightedAffinityTerm } from "../types.js";

const NAME = "InterPodAffinity";
const ERR_AFFINITY = fixedStatus(NAME, Code.UnschedulableAndUnresolvable, "node(s) didn't match pod affinity rules");
const ERR_ANTI_AFFINITY = fixedStatus(NAME, Code.Unschedulable, "node(s) didn't match pod anti-affinity rules");
const ERR_EXISTING_ANTI_AFFINITY = fixedStatus(NAME, Code.Unschedulable, "node(s) didn't satisfy existing pods anti-affinity rules");
const HARD_POD_AFFINITY_WEIGHT = 1;

const pairKey = (key: string, value: string) => `${key}\x00${value}`;

/** Counts by topology pair (upstream topologyToMatchedTermCount). */
class PairCounts {
  readonly m = new Map<string, { key: string; value: string; n: number }>();

  add(key: string, value: string, n: number): void {
    const k = pairKey(key, value);
    const cur = this.m.get(k);
    if (cur) {
      cur.n += n;
      if (cur.n === 0) this.m.delete(k);
    } else if (n !== 0) this.m.set(k, { key, value, n });
  }

  get(key: string, value: string): number {
    return this.m.get(pairKey(key, value))?.n ?? 0;
  }

  get size(): number {
    return this.m.size;
  }

  clone(): PairCounts {
    const c = new PairCounts();
    for (const [k, v] of this.m) c.m.set(k, { ...v });
    return c;
  }
}

/** The incoming pod's terms with their namespace selector resolved into namespaces (upstream mergeAffinityTermNamespacesIfNotEmpty). */
function mergeNamespaces<T extends AffinityTerm>(t: T, handle: Handle): T {
  if (t.namespaceSelector === nothing) return t;
  const namespaces = new Set(t.namespaces);
  for (const ns of handle.namespacesMatching(t.namespaceSelector)) namespaces.add(ns);
  return { ...t, namespaces, namespaceSelector: nothing };
}

const termKey = (t: AffinityTerm) => `${[...t.namespaces].sort().join(",")}\x01${selectorKey(t.selector)}`;

function matchesAll(terms: readonly AffinityTerm[], p: PodInfo): boolean {
  for (const t of terms) if (!termMatches(t, p, undefined)) return false;
  return terms.length > 0;
}

function allTermsMatcher(terms: readonly AffinityTerm[]): PodMatcher {
  return { key: `ipa-all\x00${terms.map(termKey).join("\x02")}`, matches: (p) => matchesAll(terms, p) };
}

function termMatcher(t: AffinityTerm): PodMatcher {
  return { key: `ipa\x00${termKey(t)}`, matches: (p) => termMatches(t, p, undefined) };
}

class PreFilterState implements StateData {
  constructor(
    readonly pod: PodInfo,
    readonly affinityTerms: AffinityTerm[],
    readonly antiAffinityTerms: AffinityTerm[],
    readonly nsLabels: Labels | undefined,
    readonly existingAntiAffinityCounts: PairCounts,
    readonly affinityCounts: PairCounts,
    readonly antiAffinityCounts: PairCounts,
  ) {}

  clone(): PreFilterState {
    return new PreFilterState(
      this.pod,
      this.affinityTerms,
      this.antiAffinityTerms,
      this.nsLabels,
      this.existingAntiAffinityCounts.clone(),
      this.affinityCounts.clone(),
      this.antiAffinityCounts.clone(),
    );
  }

  update(p: PodInfo, node: NodeInfo, delta: number): void {
    for (const t of p.requiredAntiAffinityTerms) {
      const v = node.labels[t.topologyKey];
      if (v !== undefined && termMatches(t, this.pod, this.nsLabels)) this.existingAntiAffinityCounts.add(t.topologyKey, v, delta);
    }
    if (matchesAll(this.affinityTerms, p))
      for (const t of this.affinityTerms) {
        const v = node.labels[t.topologyKey];
        if (v !== undefined) this.affinityCounts.add(t.topologyKey, v, delta);
      }
    for (const t of this.antiAffinityTerms) {
      const v = node.labels[t.topologyKey];
      if (v !== undefined && termMatches(t, p, undefined)) this.antiAffinityCounts.add(t.topologyKey, v, delta);
    }
  }
}

class PreScoreState implements StateData {
  constructor(readonly topologyScore: Map<string, Map<string, number>>) {}
  clone(): StateData {
    return this;
  }
}

const PRE_FILTER_KEY = "PreFilterInterPodAffinity";
const PRE_SCORE_KEY = "PreScoreInterPodAffinity";

export function interPodAffinity(handle: Handle): Plugin {
  const cache = handle.cache;

  /** Adds `n` to the pair of every term's topology on each node holding pods counted by `counts`. */
  const addByNode = (into: PairCounts, counts: NodeCounts, terms: readonly AffinityTerm[]) => {
    for (const node of cache.nodeList()) {
      const n = counts.of(node);
      if (!n) continue;
      for (const t of terms) {
        const v = node.labels[t.topologyKey];
        if (v !== undefined) into.add(t.topologyKey, v, n);
      }
    }
  };

  return {
    name: NAME,
    events: () => ["AssignedPodAdd", "AssignedPodUpdate", "AssignedPodDelete", "NodeAdd", "NodeLabel", "NamespaceChange"],

    preFilter(cs, pod) {
      const affinityTerms = pod.requiredAffinityTerms.map((t) => mergeNamespaces(t, handle));
      const antiAffinityTerms = pod.requiredAntiAffinityTerms.map((t) => mergeNamespaces(t, handle));
      const nsLabels = handle.namespaceLabels(pod.namespace);
      const existing = new PairCounts();
      for (const p of cache.podsWithRequiredAntiAffinity) {
        const node = cache.getNode(p.nodeName);
        if (!node) continue;
        for (const t of p.requiredAntiAffinityTerms) {
          const v = node.labels[t.topologyKey];
          if (v !== undefined && termMatches(t, pod, nsLabels)) existing.add(t.topologyKey, v, 1);
        }
      }
      if (existing.size === 0 && affinityTerms.length === 0 && antiAffinityTerms.length === 0) {
        cs.skipFilter.add(NAME);
        return undefined;
      }
      const affinity = new PairCounts();
      if (affinityTerms.length) addByNode(affinity, cache.countsBy(allTermsMatcher(affinityTerms)), affinityTerms);
      const anti = new PairCounts();
      for (const t of antiAffinityTerms) addByNode(anti, cache.countsBy(termMatcher(t)), [t]);
      cs.write(PRE_FILTER_KEY, new PreFilterState(pod, affinityTerms, antiAffinityTerms, nsLabels, existing, affinity, anti));
      return undefined;
    },

    addPod(cs, _pod, added, node) {
      cs.read<PreFilterState>(PRE_FILTER_KEY)?.update(added, node, 1);
    },

    removePod(cs, _pod, removed, node) {
      cs.read<PreFilterState>(PRE_FILTER_KEY)?.update(removed, node, -1);
    },

    filter(cs, _pod, node) {
      const s = cs.read<PreFilterState>(PRE_FILTER_KEY);
      if (!s) return undefined;
      // required affinity: every term's domain on this node holds a matching pod
      if (s.affinityTerms.length) {
        let podsExist = true;
        for (const t of s.affinityTerms) {
          const v = node.labels[t.topologyKey];
          if (v === undefined) return ERR_AFFINITY;
          if (s.affinityCounts.get(t.topologyKey, v) <= 0) podsExist = false;
        }
        // the first pod of a group with affinity to itself may go anywhere its terms can be met
        if (!podsExist && !(s.affinityCounts.size === 0 && matchesAll(s.affinityTerms, s.pod))) return ERR_AFFINITY;
      }
      for (const t of s.antiAffinityTerms) {
        const v = node.labels[t.topologyKey];
        if (v !== undefined && s.antiAffinityCounts.get(t.topologyKey, v) > 0) return ERR_ANTI_AFFINITY;
      }
      for (const c of s.existingAntiAffinityCounts.m.values()) if (c.n > 0 && node.labels[c.key] === c.value) return ERR_EXISTING_ANTI_AFFINITY;
      return undefined;
    },

    preScore(cs, pod) {
      const preferredAffinity = pod.preferredAffinityTerms.map((t) => mergeNamespaces(t, handle));
      const preferredAnti = pod.preferredAntiAffinityTerms.map((t) => mergeNamespaces(t, handle));
      const hasConstraints = preferredAffinity.length > 0 || preferredAnti.length > 0;
      const scores = new Map<string, Map<string, number>>();
      const add = (key: string, value: string, n: number) => {
        let m = scores.get(key);
        if (!m) scores.set(key, (m = new Map()));
        m.set(value, (m.get(value) ?? 0) + n);
      };
      if (hasConstraints) {
        const byTerm = (terms: WeightedAffinityTerm[], sign: number) => {
          for (const t of terms) {
            const counts = cache.countsBy(termMatcher(t));
            for (const node of cache.nodeList()) {
              const n = counts.of(node);
              if (!n) continue;
              const v = node.labels[t.topologyKey];
              if (v !== undefined) add(t.topologyKey, v, sign * t.weight * n);
            }
          }
        };
        byTerm(preferredAffinity, 1);
        byTerm(preferredAnti, -1);
      }
      const nsLabels = handle.namespaceLabels(pod.namespace);
      for (const e of cache.podsWithAffinity) {
        const node = cache.getNode(e.nodeName);
        if (!node || Object.keys(node.labels).length === 0) continue;
        const term = (t: AffinityTerm, weight: number) => {
          if (!termMatches(t, pod, nsLabels)) return;
          const v = node.labels[t.topologyKey];
          if (v !== undefined) add(t.topologyKey, v, weight);
        };
        for (const t of e.requiredAffinityTerms) term(t, HARD_POD_AFFINITY_WEIGHT);
        for (const t of e.preferredAffinityTerms) term(t, t.weight);
        for (const t of e.preferredAntiAffinityTerms) term(t, -t.weight);
      }
      // drop zero sums, as upstream's per-node maps only hold what was touched
      if (scores.size === 0) {
        cs.skipScore.add(NAME);
        return undefined;
      }
      cs.write(PRE_SCORE_KEY, new PreScoreState(scores));
      return undefined;
    },

    score(cs, _pod, node) {
      const s = cs.read<PreScoreState>(PRE_SCORE_KEY)!;
      let score = 0;
      for (const [key, values] of s.topologyScore) {
        const v = node.labels[key];
        if (v !== undefined) score += values.get(v) ?? 0;
      }
      return score;
    },

    normalizeScore(_cs, _pod, scores) {
      let min = Number.MAX_SAFE_INTEGER;
      let max = Number.MIN_SAFE_INTEGER;
      for (const s of scores) {
        if (s > max) max = s;
        if (s < min) min = s;
      }
      const diff = max - min;
      for (let i = 0; i < scores.length; i++) scores[i] = diff > 0 ? Math.trunc(MAX_NODE_SCORE * ((scores[i]! - min) / diff)) : 0;
    },
  };
}


