// One scheduling profile running the framework over the cache (upstream schedule_one.go
// schedulePod and frameworkImpl): PreFilter, Filter over a sample of the nodes (upstream's
// adaptive percentageOfNodesToScore), nominated pods counted on their nodes, PreScore, Score,
// NormalizeScore, weights, and the highest total with a uniformly random tie-break.
import { Code, CycleState, FitError, newDiagnosis, Status, type Diagnosis, type Handle, type Plugin } from "./framework.js";
import type { NodeInfo, PodInfo } from "./types.js";

export const NO_NODES_AVAILABLE = "no nodes available to schedule pods";

export class NoNodesAvailableError extends Error {
  constructor() {
    super(NO_NODES_AVAILABLE);
  }
}

/** A plugin with its score weight (ignored for plugins that do not score). */
export interface PluginEntry {
  plugin: Plugin;
  weight?: number;
}

export interface ProfileOptions {
  /** Percentage of nodes to find feasible before scoring (0: upstream's adaptive default). */
  percentageOfNodesToScore?: number;
  /** Uniform random number in [0, 1) (seedable for tests). */
  random: () => number;
  /** Pods nominated to a node (by preemption) that filters must leave room for. */
  nominatedPodsOn?: (node: string) => PodInfo[];
}

export interface ScheduleResult {
  node: string;
  evaluatedNodes: number;
  feasibleNodes: number;
}

const MIN_FEASIBLE_NODES_TO_FIND = 100;
const MIN_FEASIBLE_NODES_PERCENTAGE_TO_FIND = 5;

/** Upstream numFeasibleNodesToFind. */
export function numFeasibleNodesToFind(numAllNodes: number, percentage = 0): number {
  if (numAllNodes < MIN_FEASIBLE_NODES_TO_FIND) return numAllNodes;
  let p = percentage;
  if (p === 0) {
    p = 50 - Math.trunc(numAllNodes / 125);
    if (p < MIN_FEASIBLE_NODES_PERCENTAGE_TO_FIND) p = MIN_FEASIBLE_NODES_PERCENTAGE_TO_FIND;
  }
  const n = Math.trunc((numAllNodes * p) / 100);
  return n < MIN_FEASIBLE_NODES_TO_FIND ? MIN_FEASIBLE_NODES_TO_FIND : n;
}

/** A small seedable PRNG (mulberry32). */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export class Profile {
  readonly preFilterPlugins: Plugin[];
  readonly filterPlugins: Plugin[];
  readonly preScorePlugins: Plugin[];
  readonly scorePlugins: { plugin: Plugin; weight: number }[];
  readonly reservePlugins: Plugin[];
  readonly preBindPlugins: Plugin[];
  readonly plugins: Plugin[];
  private nextStartNodeIndex = 0;
  private scoreBuffer: number[] = [];

  constructor(
    readonly handle: Handle,
    entries: PluginEntry[],
    readonly opts: ProfileOptions,
  ) {
    this.plugins = entries.map((e) => e.plugin);
    this.preFilterPlugins = this.plugins.filter((p) => p.preFilter);
    this.filterPlugins = this.plugins.filter((p) => p.filter);
    this.preScorePlugins = this.plugins.filter((p) => p.preScore);
    this.scorePlugins = entries.filter((e) => e.plugin.score).map((e) => ({ plugin: e.plugin, weight: e.weight ?? 1 }));
    this.reservePlugins = this.plugins.filter((p) => p.reserve);
    this.preBindPlugins = this.plugins.filter((p) => p.preBind);
  }

  /** Upstream RunPreFilterPlugins: the first rejection wins; node restrictions intersect. */
  runPreFilter(cs: CycleState, pod: PodInfo, nodes: readonly NodeInfo[]): { status?: Status; nodeNames?: Set<string>; restrictedBy: string[] } {
    let nodeNames: Set<string> | undefined;
    const restrictedBy: string[] = [];
    for (const p of this.preFilterPlugins) {
      let r;
      try {
        r = p.preFilter!(cs, pod, nodes);
      } catch (err) {
        return { status: new Status(Code.Error, [], err as Error).withPlugin(p.name), restrictedBy };
      }
      if (r?.status && !r.status.isSuccess()) {
        if (r.status.code === Code.Skip) {
          cs.skipFilter.add(p.name);
          continue;
        }
        if (!r.status.plugin) r.status.withPlugin(p.name);
        return { status: r.status, restrictedBy };
      }
      if (r?.nodeNames) {
        restrictedBy.push(p.name);
        nodeNames = nodeNames ? new Set([...nodeNames].filter((n) => r.nodeNames!.has(n))) : r.nodeNames;
        if (nodeNames.size === 0)
          return {
            status: new Status(Code.UnschedulableAndUnresolvable, [
              restrictedBy.length === 1 ? `node(s) didn't satisfy plugin ${restrictedBy[0]}` : `node(s) didn't satisfy plugin(s) [${restrictedBy.join(" ")}] simultaneously`,
            ]).withPlugin(p.name),
            restrictedBy,
          };
      }
    }
    return nodeNames ? { nodeNames, restrictedBy } : { restrictedBy };
  }

  /** The filter plugins a cycle runs (those whose PreFilter did not skip them). */
  activeFilters(cs: CycleState): Plugin[] {
    return cs.skipFilter.size ? this.filterPlugins.filter((p) => !cs.skipFilter.has(p.name)) : this.filterPlugins;
  }

  /** Upstream RunFilterPlugins: the first plugin rejecting the node decides its status. */
  runFilter(cs: CycleState, pod: PodInfo, node: NodeInfo, filters: readonly Plugin[] = this.activeFilters(cs)): Status | undefined {
    for (let i = 0; i < filters.length; i++) {
      const p = filters[i]!;
      const s = p.filter!(cs, pod, node);
      if (s && !s.isSuccess()) {
        if (!s.plugin) s.withPlugin(p.name);
        return s;
      }
    }
    return undefined;
  }

  /**
   * Upstream RunFilterPluginsWithNominatedPods: the node must fit the pod with the pods nominated
   * to it (of equal or higher priority) counted, and without them.
   */
  runFilterWithNominated(cs: CycleState, pod: PodInfo, node: NodeInfo, filters?: readonly Plugin[]): Status | undefined {
    const nominated = this.opts.nominatedPodsOn?.(node.name);
    if (nominated?.length) {
      const others = nominated.filter((n) => n.uid !== pod.uid && n.priority >= pod.priority);
      if (others.length) {
        const cs2 = cs.clone();
        const node2 = node.clone();
        for (const n of others) this.addPodTo(cs2, pod, n, node2);
        const s = this.runFilter(cs2, pod, node2);
        if (s) return s;
      }
    }
    return this.runFilter(cs, pod, node, filters);
  }

  /** Adds a pod to a (cloned) node and tells the PreFilter extensions. */
  addPodTo(cs: CycleState, pod: PodInfo, added: PodInfo, node: NodeInfo): void {
    node.addPod(added.nodeName === node.name ? added : added.withNodeName(node.name));
    for (const p of this.preFilterPlugins) if (p.addPod && !cs.skipFilter.has(p.name)) p.addPod(cs, pod, added, node);
  }

  removePodFrom(cs: CycleState, pod: PodInfo, removed: PodInfo, node: NodeInfo): void {
    node.removePod(removed);
    for (const p of this.preFilterPlugins) if (p.removePod && !cs.skipFilter.has(p.name)) p.removePod(cs, pod, removed, node);
  }

  /**
   * Upstream schedulePod: the node for the pod, or a FitError (every node's reason) /
   * NoNodesAvailableError. Synchronous: the cache cannot change underneath it.
   */
  schedulePod(cs: CycleState, pod: PodInfo): ScheduleResult {
    const allNodes = this.handle.cache.nodeList();
    if (allNodes.length === 0) throw new NoNodesAvailableError();
    const diagnosis = newDiagnosis();
    const pre = this.runPreFilter(cs, pod, allNodes);
    if (pre.status) {
      if (pre.status.code === Code.Error) throw pre.status.error ?? new Error(pre.status.message());
      diagnosis.absentStatus = pre.status;
      diagnosis.preFilterMsg = pre.status.message();
      if (pre.status.plugin) diagnosis.unschedulablePlugins.add(pre.status.plugin);
      throw new FitError(pod, allNodes.length, diagnosis);
    }
    let nodes: readonly NodeInfo[] = allNodes;
    if (pre.nodeNames) {
      nodes = [...pre.nodeNames].map((n) => this.handle.cache.getNode(n)).filter((n): n is NodeInfo => n !== undefined);
      diagnosis.absentStatus = new Status(Code.UnschedulableAndUnresolvable, [`node(s) didn't satisfy plugin(s) [${pre.restrictedBy.join(" ")}]`]);
    }
    // a node nominated by an earlier preemption is tried first: it is likely the only fit
    const nominated = (pod.pod.status as { nominatedNodeName?: string } | undefined)?.nominatedNodeName;
    let feasible: NodeInfo[] | undefined;
    if (nominated) {
      const n = this.handle.cache.getNode(nominated);
      if (n && (!pre.nodeNames || pre.nodeNames.has(nominated)) && !this.runFilterWithNominated(cs, pod, n)) feasible = [n];
    }
    feasible ??= this.findNodesThatPassFilters(cs, pod, nodes, diagnosis);
    if (feasible.length === 0) throw new FitError(pod, allNodes.length, diagnosis);
    const evaluated = feasible.length + diagnosis.nodeToStatus.size;
    if (feasible.length === 1) return { node: feasible[0]!.name, evaluatedNodes: evaluated, feasibleNodes: 1 };
    const totals = this.prioritizeNodes(cs, pod, feasible);
    return { node: this.selectHost(feasible, totals), evaluatedNodes: evaluated, feasibleNodes: feasible.length };
  }

  private findNodesThatPassFilters(cs: CycleState, pod: PodInfo, nodes: readonly NodeInfo[], d: Diagnosis): NodeInfo[] {
    const numAll = nodes.length;
    const toFind = numFeasibleNodesToFind(numAll, this.opts.percentageOfNodesToScore ?? 0);
    const start = this.nextStartNodeIndex % Math.max(1, numAll);
    const feasible: NodeInfo[] = [];
    const filters = this.activeFilters(cs);
    let processed = 0;
    for (let i = 0; i < numAll && feasible.length < toFind; i++) {
      const node = nodes[(start + i) % numAll]!;
      processed++;
      const s = this.runFilterWithNominated(cs, pod, node, filters);
      if (!s) {
        feasible.push(node);
        continue;
      }
      if (s.code === Code.Error) throw s.error ?? new Error(s.message());
      d.nodeToStatus.set(node.name, s);
      if (s.plugin) d.unschedulablePlugins.add(s.plugin);
    }
    this.nextStartNodeIndex = (start + processed) % Math.max(1, numAll);
    return feasible;
  }

  /** Upstream prioritizeNodes: weighted sum of the normalized scores of every scoring plugin. */
  prioritizeNodes(cs: CycleState, pod: PodInfo, nodes: readonly NodeInfo[]): number[] {
    for (const p of this.preScorePlugins) {
      const s = p.preScore!(cs, pod, nodes);
      if (s?.code === Code.Skip) cs.skipScore.add(p.name);
      else if (s && !s.isSuccess()) throw s.error ?? new Error(s.message());
    }
    const totals = new Array<number>(nodes.length).fill(0);
    if (this.scoreBuffer.length < nodes.length) this.scoreBuffer = new Array<number>(nodes.length).fill(0);
    const scores = this.scoreBuffer;
    scores.length = nodes.length;
    for (const { plugin, weight } of this.scorePlugins) {
      if (cs.skipScore.has(plugin.name)) continue;
      if (plugin.scoreAll) plugin.scoreAll(cs, pod, nodes, scores);
      else for (let i = 0; i < nodes.length; i++) scores[i] = plugin.score!(cs, pod, nodes[i]!);
      plugin.normalizeScore?.(cs, pod, scores, nodes);
      for (let i = 0; i < nodes.length; i++) totals[i]! += scores[i]! * weight;
    }
    return totals;
  }

  /** Upstream selectHost: the highest total, ties broken uniformly at random (reservoir sampling). */
  selectHost(nodes: readonly NodeInfo[], totals: readonly number[]): string {
    let best = 0;
    let ties = 1;
    for (let i = 1; i < nodes.length; i++) {
      if (totals[i]! > totals[best]!) {
        best = i;
        ties = 1;
      } else if (totals[i] === totals[best]) {
        ties++;
        if (Math.floor(this.opts.random() * ties) === 0) best = i;
      }
    }
    return nodes[best]!.name;
  }

  runReserve(cs: CycleState, pod: PodInfo, node: string): Status | undefined {
    for (let i = 0; i < this.reservePlugins.length; i++) {
      const p = this.reservePlugins[i]!;
      const s = p.reserve!(cs, pod, node);
      if (s && !s.isSuccess()) {
        if (!s.plugin) s.withPlugin(p.name);
        this.runUnreserve(cs, pod, node);
        return s;
      }
    }
    return undefined;
  }

  runUnreserve(cs: CycleState, pod: PodInfo, node: string): void {
    for (const p of [...this.reservePlugins].reverse()) p.unreserve?.(cs, pod, node);
  }

  async runPreBind(cs: CycleState, pod: PodInfo, node: string): Promise<Status | undefined> {
    for (const p of this.preBindPlugins) {
      const s = await p.preBind!(cs, pod, node);
      if (s && !s.isSuccess()) {
        if (!s.plugin) s.withPlugin(p.name);
        return s;
      }
    }
    return undefined;
  }
}
