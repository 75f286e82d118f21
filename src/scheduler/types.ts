// The scheduler's view of pods and nodes (upstream framework.PodInfo and framework.NodeInfo):
// what the plugins need, computed once per object version — requests, host ports, affinity terms,
// taints — and per-node aggregates kept up to date as pods come and go.
import { everything, nothing, type LabelSelector, type MetaLabelSelector } from "../apimachinery/labels.js";
import type { KubeObject } from "../apimachinery/types.js";
import type { Labels } from "../apimachinery/node-affinity.js";
import type { Taint, Toleration } from "../apimachinery/taints.js";
import { labelSelectorOf } from "./helpers.js";
import { addResource, cloneResource, emptyResource, nodeAllocatable, podRequests, type Resource } from "./resources.js";

/** An affinity term with its namespaces resolved (upstream framework.AffinityTerm). */
export interface AffinityTerm {
  namespaces: ReadonlySet<string>;
  /** nil → nothing, {} → everything. */
  namespaceSelector: LabelSelector;
  selector: LabelSelector;
  topologyKey: string;
}

export interface WeightedAffinityTerm extends AffinityTerm {
  weight: number;
}

export interface HostPort {
  hostIP: string;
  protocol: string;
  hostPort: number;
}

interface PodAffinityTermSpec {
  labelSelector?: MetaLabelSelector | null;
  namespaces?: string[] | null;
  namespaceSelector?: MetaLabelSelector | null;
  topologyKey?: string;
}

function affinityTerm(pod: KubeObject, t: PodAffinityTermSpec): AffinityTerm {
  const namespaces = new Set<string>();
  if ((t.namespaces ?? []).length === 0 && (t.namespaceSelector === undefined || t.namespaceSelector === null)) namespaces.add(pod.metadata.namespace ?? "");
  else for (const n of t.namespaces ?? []) namespaces.add(n);
  return {
    namespaces,
    namespaceSelector: t.namespaceSelector ? labelSelectorOf(t.namespaceSelector) : nothing,
    selector: labelSelectorOf(t.labelSelector ?? null),
    topologyKey: t.topologyKey ?? "",
  };
}

/** Upstream AffinityTerm.Matches: the pod's namespace is listed or selected, and its labels match. */
export function termMatches(t: AffinityTerm, pod: PodInfo, nsLabels: Labels | undefined): boolean {
  if (!(t.namespaces.has(pod.namespace) || (t.namespaceSelector !== nothing && t.namespaceSelector.matches(nsLabels as Record<string, string>)))) return false;
  return t.selector.matches(pod.labels as Record<string, string>);
}

const NO_TERMS: readonly never[] = Object.freeze([]);

function hostPortsOf(spec: Record<string, unknown>): HostPort[] {
  const out: HostPort[] = [];
  const collect = (list: unknown, sidecarsOnly: boolean) => {
    if (!Array.isArray(list)) return;
    for (const c of list as { ports?: { hostPort?: number; hostIP?: string; protocol?: string }[]; restartPolicy?: string }[]) {
      if (sidecarsOnly && c?.restartPolicy !== "Always") continue;
      for (const p of c?.ports ?? []) {
        if (typeof p?.hostPort === "number" && p.hostPort > 0) out.push({ hostIP: p.hostIP || "0.0.0.0", protocol: p.protocol || "TCP", hostPort: p.hostPort });
      }
    }
  };
  collect(spec.containers, false);
  collect(spec.initContainers, true);
  return out;
}

/** A pod as the scheduler sees it. Immutable: a new version of the pod is a new PodInfo. */
export class PodInfo {
  readonly uid: string;
  readonly namespace: string;
  readonly name: string;
  readonly key: string;
  readonly labels: Labels;
  readonly spec: Record<string, unknown>;
  readonly priority: number;
  readonly nodeName: string;
  readonly terminating: boolean;
  /** Effective request (init containers, sidecars, overhead). */
  readonly requests: Resource;
  /** cpu/memory with the scheduler's defaults for containers without requests (scoring). */
  readonly nonZeroCPU: number;
  readonly nonZeroMemory: number;
  readonly hostPorts: readonly HostPort[];
  readonly tolerations: readonly Toleration[];
  readonly requiredAffinityTerms: readonly AffinityTerm[];
  readonly requiredAntiAffinityTerms: readonly AffinityTerm[];
  readonly preferredAffinityTerms: readonly WeightedAffinityTerm[];
  readonly preferredAntiAffinityTerms: readonly WeightedAffinityTerm[];
  readonly hasAffinity: boolean;

  constructor(readonly pod: KubeObject) {
    const m = pod.metadata;
    this.uid = m.uid ?? `${m.namespace}/${m.name}`;
    this.namespace = m.namespace ?? "";
    this.name = m.name ?? "";
    this.key = `${this.namespace}/${this.name}`;
    this.labels = m.labels ?? {};
    this.spec = (pod.spec ?? {}) as Record<string, unknown>;
    this.priority = typeof this.spec.priority === "number" ? this.spec.priority : 0;
    this.nodeName = typeof this.spec.nodeName === "string" ? this.spec.nodeName : "";
    this.terminating = !!m.deletionTimestamp;
    this.requests = podRequests(this.spec);
    const nz = podRequests(this.spec, true);
    this.nonZeroCPU = nz.milliCPU;
    this.nonZeroMemory = nz.memory;
    this.hostPorts = hostPortsOf(this.spec);
    this.tolerations = Array.isArray(this.spec.tolerations) ? (this.spec.tolerations as Toleration[]).filter(Boolean) : NO_TERMS;
    const affinity = this.spec.affinity as
      | {
          podAffinity?: { requiredDuringSchedulingIgnoredDuringExecution?: PodAffinityTermSpec[]; preferredDuringSchedulingIgnoredDuringExecution?: { weight?: number; podAffinityTerm?: PodAffinityTermSpec }[] };
          podAntiAffinity?: { requiredDuringSchedulingIgnoredDuringExecution?: PodAffinityTermSpec[]; preferredDuringSchedulingIgnoredDuringExecution?: { weight?: number; podAffinityTerm?: PodAffinityTermSpec }[] };
        }
      | undefined;
    const req = (list: PodAffinityTermSpec[] | undefined) => (list?.length ? list.filter(Boolean).map((t) => affinityTerm(pod, t)) : NO_TERMS);
    const pref = (list: { weight?: number; podAffinityTerm?: PodAffinityTermSpec }[] | undefined) =>
      list?.length ? list.filter((w) => w?.podAffinityTerm).map((w) => ({ ...affinityTerm(pod, w.podAffinityTerm!), weight: w.weight ?? 0 })) : NO_TERMS;
    this.requiredAffinityTerms = req(affinity?.podAffinity?.requiredDuringSchedulingIgnoredDuringExecution);
    this.requiredAntiAffinityTerms = req(affinity?.podAntiAffinity?.requiredDuringSchedulingIgnoredDuringExecution);
    this.preferredAffinityTerms = pref(affinity?.podAffinity?.preferredDuringSchedulingIgnoredDuringExecution);
    this.preferredAntiAffinityTerms = pref(affinity?.podAntiAffinity?.preferredDuringSchedulingIgnoredDuringExecution);
    this.hasAffinity = !!(affinity?.podAffinity || affinity?.podAntiAffinity);
  }

  /** status.startTime in ms, or undefined. */
  get startTime(): number | undefined {
    const t = (this.pod.status as { startTime?: string } | undefined)?.startTime;
    return t ? Date.parse(t) : undefined;
  }

  /** The same pod placed on a node (the assumed pod of a binding). */
  withNodeName(nodeName: string): PodInfo {
    const copy = Object.create(PodInfo.prototype) as PodInfo;
    Object.assign(copy, this);
    const spec = { ...this.spec, nodeName };
    Object.assign(copy, { pod: { ...this.pod, spec }, spec, nodeName });
    return copy;
  }
}

/** Host ports in use on a node (upstream HostPortInfo), counted so removals are exact. */
export class HostPortInfo {
  private readonly byIP = new Map<string, Map<string, number>>();

  add(p: HostPort, sign = 1): void {
    let m = this.byIP.get(p.hostIP);
    if (!m) this.byIP.set(p.hostIP, (m = new Map()));
    const k = `${p.protocol}/${p.hostPort}`;
    const n = (m.get(k) ?? 0) + sign;
    if (n <= 0) m.delete(k);
    else m.set(k, n);
    if (m.size === 0) this.byIP.delete(p.hostIP);
  }

  /** Upstream CheckConflict: 0.0.0.0 conflicts with any address, an address with itself and 0.0.0.0. */
  conflicts(p: HostPort): boolean {
    const k = `${p.protocol}/${p.hostPort}`;
    if (p.hostIP === "0.0.0.0") {
      for (const m of this.byIP.values()) if (m.has(k)) return true;
      return false;
    }
    return !!(this.byIP.get("0.0.0.0")?.has(k) || this.byIP.get(p.hostIP)?.has(k));
  }

  get size(): number {
    return this.byIP.size;
  }

  clone(): HostPortInfo {
    const c = new HostPortInfo();
    for (const [ip, m] of this.byIP) c.byIP.set(ip, new Map(m));
    return c;
  }
}

/** A node and the pods on it (upstream framework.NodeInfo). */
export class NodeInfo {
  node: KubeObject | undefined;
  labels: Labels = {};
  taints: readonly Taint[] = [];
  unschedulable = false;
  allocatable: Resource = emptyResource();
  allowedPods = 0;
  readonly pods = new Map<string, PodInfo>();
  requested: Resource = emptyResource();
  nonZeroCPU = 0;
  nonZeroMemory = 0;
  usedPorts = new HostPortInfo();
  podsWithAffinity = new Set<PodInfo>();
  podsWithRequiredAntiAffinity = new Set<PodInfo>();
  /** Bumped on every change (for snapshots and tests). */
  generation = 0;
  /** Count of PreferNoSchedule taints (TaintToleration scoring is skipped for nodes without any). */
  preferNoScheduleTaints = 0;

  /** Dense index assigned by the cache (per-node counters are arrays by this index). */
  idx = -1;

  constructor(readonly name: string) {}

  setNode(node: KubeObject | undefined): void {
    this.node = node;
    this.generation++;
    if (!node) return;
    this.labels = node.metadata.labels ?? {};
    const spec = (node.spec ?? {}) as { taints?: Taint[]; unschedulable?: boolean };
    this.taints = (spec.taints ?? []).filter(Boolean);
    this.preferNoScheduleTaints = this.taints.filter((t) => t.effect === "PreferNoSchedule").length;
    this.unschedulable = spec.unschedulable === true;
    const alloc = nodeAllocatable(node as never);
    this.allocatable = alloc.resource;
    this.allowedPods = alloc.pods;
  }

  addPod(p: PodInfo, sign: 1 | -1 = 1): void {
    if (sign === 1) this.pods.set(p.uid, p);
    else this.pods.delete(p.uid);
    addResource(this.requested, p.requests, sign);
    this.nonZeroCPU += sign * p.nonZeroCPU;
    this.nonZeroMemory += sign * p.nonZeroMemory;
    for (const hp of p.hostPorts) this.usedPorts.add(hp, sign);
    if (p.hasAffinity) {
      if (sign === 1) this.podsWithAffinity.add(p);
      else this.podsWithAffinity.delete(p);
    }
    if (p.requiredAntiAffinityTerms.length) {
      if (sign === 1) this.podsWithRequiredAntiAffinity.add(p);
      else this.podsWithRequiredAntiAffinity.delete(p);
    }
    this.generation++;
  }

  removePod(p: PodInfo): void {
    const existing = this.pods.get(p.uid);
    if (existing) this.addPod(existing, -1);
  }

  /** A copy whose pods can be added and removed without touching this one (preemption dry runs). */
  clone(): NodeInfo {
    const c = new NodeInfo(this.name);
    c.idx = this.idx;
    c.node = this.node;
    c.labels = this.labels;
    c.taints = this.taints;
    c.unschedulable = this.unschedulable;
    c.allocatable = this.allocatable;
    c.allowedPods = this.allowedPods;
    for (const [k, v] of this.pods) c.pods.set(k, v);
    c.requested = cloneResource(this.requested);
    c.nonZeroCPU = this.nonZeroCPU;
    c.nonZeroMemory = this.nonZeroMemory;
    c.usedPorts = this.usedPorts.clone();
    c.podsWithAffinity = new Set(this.podsWithAffinity);
    c.podsWithRequiredAntiAffinity = new Set(this.podsWithRequiredAntiAffinity);
    c.preferNoScheduleTaints = this.preferNoScheduleTaints;
    c.generation = this.generation;
    return c;
  }
}

export { everything, nothing };
