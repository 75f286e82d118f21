// The scheduler cache (upstream pkg/scheduler/backend/cache): nodes and the pods assigned or
// assumed on them, with per-node aggregates updated incrementally from the informers, the node
// order the filters walk (zones interleaved, as upstream's node tree) and per-node counts of pods
// matching a selector kept up to date for the selectors in use (spreading and affinity count
// matching pods on every node for every pod; counting once per pod event keeps that O(nodes)).
import type { KubeObject } from "../apimachinery/types.js";
import { NodeInfo, PodInfo } from "./types.js";

/** Something pods can be counted by: a stable key and a predicate. */
export interface PodMatcher {
  key: string;
  matches(p: PodInfo): boolean;
}

/** Matching pods per node, by NodeInfo.idx. */
export class NodeCounts {
  readonly arr: number[] = [];
  of(n: NodeInfo): number {
    return this.arr[n.idx] ?? 0;
  }
  add(idx: number, delta: number): void {
    while (this.arr.length <= idx) this.arr.push(0);
    this.arr[idx]! += delta;
  }
}

interface Counter {
  matcher: PodMatcher;
  counts: NodeCounts;
  lastUsed: number;
}

const MAX_COUNTERS = 64;

/** Upstream GetZoneKey: region and zone, "" when the node has neither. */
export function zoneKey(labels: Readonly<Record<string, string>>): string {
  const region = labels["topology.kubernetes.io/region"] ?? labels["failure-domain.beta.kubernetes.io/region"] ?? "";
  const zone = labels["topology.kubernetes.io/zone"] ?? labels["failure-domain.beta.kubernetes.io/zone"] ?? "";
  if (!region && !zone) return "";
  return `${region}:\x00:${zone}`;
}

export class SchedulerCache {
  readonly nodes = new Map<string, NodeInfo>();
  /** Every pod in the cache by uid, assumed or confirmed. */
  private readonly podStates = new Map<string, { info: PodInfo; assumed: boolean }>();
  /** Pods with any inter-pod affinity, and with required anti-affinity, cluster-wide. */
  readonly podsWithAffinity = new Set<PodInfo>();
  readonly podsWithRequiredAntiAffinity = new Set<PodInfo>();
  private readonly counters = new Map<string, Counter>();
  private order: NodeInfo[] | undefined;
  private zones = new Map<string, string[]>();
  private tick = 0;
  private nextIdx = 0;
  /** How many nodes carry each label key (a spreading key no node has can be skipped). */
  private readonly labelKeys = new Map<string, number>();

  // ---- nodes ----

  private nodeInfo(name: string): NodeInfo {
    let n = this.nodes.get(name);
    if (!n) {
      this.nodes.set(name, (n = new NodeInfo(name)));
      n.idx = this.nextIdx++;
    }
    return n;
  }

  addNode(node: KubeObject): NodeInfo {
    const n = this.nodeInfo(node.metadata.name!);
    const hadNode = n.node !== undefined;
    const oldZone = hadNode ? zoneKey(n.labels) : undefined;
    if (hadNode) this.countLabelKeys(n.labels, -1);
    n.setNode(node);
    this.countLabelKeys(n.labels, 1);
    const zone = zoneKey(n.labels);
    if (oldZone !== zone) {
      if (oldZone !== undefined) this.removeFromZone(oldZone, n.name);
      let list = this.zones.get(zone);
      if (!list) this.zones.set(zone, (list = []));
      list.push(n.name);
      this.order = undefined;
    }
    return n;
  }

  updateNode(node: KubeObject): NodeInfo {
    return this.addNode(node);
  }

  removeNode(name: string): void {
    const n = this.nodes.get(name);
    if (!n || !n.node) return;
    this.countLabelKeys(n.labels, -1);
    this.removeFromZone(zoneKey(n.labels), name);
    this.order = undefined;
    // pods still bound to the node stay accounted until they go (upstream keeps a ghost node)
    if (n.pods.size === 0) this.nodes.delete(name);
    else n.setNode(undefined);
  }

  private countLabelKeys(labels: Readonly<Record<string, string>>, delta: number): void {
    for (const k in labels) {
      const v = (this.labelKeys.get(k) ?? 0) + delta;
      if (v <= 0) this.labelKeys.delete(k);
      else this.labelKeys.set(k, v);
    }
  }

  /** Whether any node has the label key. */
  hasLabelKey(key: string): boolean {
    return this.labelKeys.has(key);
  }

  private removeFromZone(zone: string, name: string): void {
    const list = this.zones.get(zone);
    if (!list) return;
    const i = list.indexOf(name);
    if (i >= 0) list.splice(i, 1);
    if (list.length === 0) this.zones.delete(zone);
  }

  /** Nodes in upstream's node-tree order: one node of each zone in turn. */
  nodeList(): NodeInfo[] {
    if (this.order) return this.order;
    const lists = [...this.zones.values()];
    const out: NodeInfo[] = [];
    for (let i = 0; ; i++) {
      let any = false;
      for (const l of lists) {
        if (i < l.length) {
          any = true;
          const n = this.nodes.get(l[i]!);
          if (n?.node) out.push(n);
        }
      }
      if (!any) break;
    }
    this.order = out;
    return out;
  }

  getNode(name: string): NodeInfo | undefined {
    const n = this.nodes.get(name);
    return n?.node ? n : undefined;
  }

  // ---- pods ----

  isAssumed(uid: string): boolean {
    return this.podStates.get(uid)?.assumed === true;
  }

  getPod(uid: string): PodInfo | undefined {
    return this.podStates.get(uid)?.info;
  }

  private place(info: PodInfo, sign: 1 | -1): void {
    const n = this.nodeInfo(info.nodeName);
    if (sign === 1) n.addPod(info);
    else {
      n.removePod(info);
      if (!n.node && n.pods.size === 0) this.nodes.delete(n.name);
    }
    if (info.hasAffinity) {
      if (sign === 1) this.podsWithAffinity.add(info);
      else this.podsWithAffinity.delete(info);
    }
    if (info.requiredAntiAffinityTerms.length) {
      if (sign === 1) this.podsWithRequiredAntiAffinity.add(info);
      else this.podsWithRequiredAntiAffinity.delete(info);
    }
    if (this.counters.size) {
      for (const c of this.counters.values()) if (c.matcher.matches(info)) c.counts.add(n.idx, sign);
    }
  }

  /** An assigned pod seen by the informer (confirms an assumed pod). */
  addPod(pod: KubeObject): PodInfo {
    const info = new PodInfo(pod);
    const cur = this.podStates.get(info.uid);
    if (cur) this.place(cur.info, -1);
    this.podStates.set(info.uid, { info, assumed: false });
    this.place(info, 1);
    return info;
  }

  updatePod(pod: KubeObject): PodInfo {
    return this.addPod(pod);
  }

  removePod(uid: string): PodInfo | undefined {
    const cur = this.podStates.get(uid);
    if (!cur) return undefined;
    this.podStates.delete(uid);
    this.place(cur.info, -1);
    return cur.info;
  }

  /** Accounts a pod on the node it is being bound to before the API confirms it (upstream AssumePod). */
  assumePod(info: PodInfo): void {
    const cur = this.podStates.get(info.uid);
    if (cur) this.place(cur.info, -1);
    this.podStates.set(info.uid, { info, assumed: true });
    this.place(info, 1);
  }

  /** Drops an assumed pod whose binding failed (upstream ForgetPod). */
  forgetPod(uid: string): PodInfo | undefined {
    const cur = this.podStates.get(uid);
    if (!cur || !cur.assumed) return undefined;
    return this.removePod(uid);
  }

  get podCount(): number {
    return this.podStates.size;
  }

  // ---- counts of matching pods per node ----

  /** Pods matching `m` on each node (absent: none). Kept current from here on while in use. */
  countsBy(m: PodMatcher): NodeCounts {
    const tick = ++this.tick;
    let c = this.counters.get(m.key);
    if (!c) {
      c = { matcher: m, counts: new NodeCounts(), lastUsed: tick };
      for (const n of this.nodes.values()) {
        let k = 0;
        for (const p of n.pods.values()) if (m.matches(p)) k++;
        if (k) c.counts.add(n.idx, k);
      }
      if (this.counters.size >= MAX_COUNTERS) {
        let oldest: Counter | undefined;
        for (const x of this.counters.values()) if (!oldest || x.lastUsed < oldest.lastUsed) oldest = x;
        this.counters.delete(oldest!.matcher.key);
      }
      this.counters.set(m.key, c);
    }
    c.lastUsed = tick;
    return c.counts;
  }
}
