// The scheduling framework (upstream pkg/scheduler/framework): statuses, the cycle state, the
// plugin extension points and the FitError whose message is what `kubectl describe pod` shows
// under FailedScheduling.
import type { LabelSelector } from "../apimachinery/labels.js";
import type { KubeObject } from "../apimachinery/types.js";
import type { SchedulerCache } from "./cache.js";
import type { Labels } from "../apimachinery/node-affinity.js";
import type { NodeInfo, PodInfo } from "./types.js";

export enum Code {
  Success = 0,
  Error = 1,
  Unschedulable = 2,
  UnschedulableAndUnresolvable = 3,
  Wait = 4,
  Skip = 5,
  Pending = 6,
}

export class Status {
  plugin = "";
  constructor(
    readonly code: Code,
    readonly reasons: readonly string[] = [],
    readonly error?: Error,
  ) {}

  /** Upstream Status.Message: the reasons joined, or the error's text. */
  message(): string {
    if (this.error && this.reasons.length === 0) return this.error.message;
    return this.reasons.join(", ");
  }

  isSuccess(): boolean {
    return this.code === Code.Success;
  }

  /** Unschedulable, UnschedulableAndUnresolvable or Pending. */
  isRejected(): boolean {
    return this.code === Code.Unschedulable || this.code === Code.UnschedulableAndUnresolvable || this.code === Code.Pending;
  }

  withPlugin(name: string): this {
    this.plugin = name;
    return this;
  }
}

export const MAX_NODE_SCORE = 100;

/** A status shared by every node a plugin rejects for the same reason (no allocation per node). */
export function fixedStatus(plugin: string, code: Code, ...reasons: string[]): Status {
  return new Status(code, reasons).withPlugin(plugin);
}

export function errorStatus(err: unknown): Status {
  return new Status(Code.Error, [], err instanceof Error ? err : new Error(String(err)));
}

/** Per-cycle data of the plugins (upstream CycleState); plugin state objects clone themselves for preemption dry runs. */
export interface StateData {
  clone(): StateData;
}

export class CycleState {
  private readonly data = new Map<string, StateData>();
  readonly skipFilter = new Set<string>();
  readonly skipScore = new Set<string>();

  read<T extends StateData>(key: string): T | undefined {
    return this.data.get(key) as T | undefined;
  }

  write(key: string, value: StateData): void {
    this.data.set(key, value);
  }

  clone(): CycleState {
    const c = new CycleState();
    for (const [k, v] of this.data) c.data.set(k, v.clone());
    for (const s of this.skipFilter) c.skipFilter.add(s);
    for (const s of this.skipScore) c.skipScore.add(s);
    return c;
  }
}

/** What plugins may consult besides the pod and the node. */
export interface Handle {
  cache: SchedulerCache;
  namespaceLabels(namespace: string): Labels | undefined;
  namespacesMatching(selector: LabelSelector): string[];
  /** Selector of the services, controllers and sets that select the pod (upstream helper.DefaultSelector). */
  defaultSelector(pod: PodInfo): LabelSelector | undefined;
  pvc(namespace: string, name: string): KubeObject | undefined;
  pv(name: string): KubeObject | undefined;
  storageClass(name: string): KubeObject | undefined;
  /** Available PersistentVolumes of a storage class (WaitForFirstConsumer static binding). */
  pvsOfClass(className: string): KubeObject[];
}

export interface PreFilterResult {
  status?: Status;
  /** A restriction of the nodes to evaluate (upstream PreFilterResult.NodeNames). */
  nodeNames?: Set<string>;
}

/** Cluster events that may make a rejected pod schedulable (upstream ClusterEvent). */
export type ClusterEvent =
  | "NodeAdd"
  | "NodeDelete"
  | "NodeAllocatable"
  | "NodeLabel"
  | "NodeTaint"
  | "NodeCondition"
  | "NodeAnnotation"
  | "AssignedPodAdd"
  | "AssignedPodUpdate"
  | "AssignedPodDelete"
  | "UnscheduledPodUpdate"
  | "PvcChange"
  | "PvChange"
  | "StorageClassChange"
  | "NamespaceChange";

export interface Plugin {
  readonly name: string;
  /** Events that may make a pod this plugin rejected schedulable (upstream EventsToRegister). */
  events?(): ClusterEvent[];
  preFilter?(cs: CycleState, pod: PodInfo, nodes: readonly NodeInfo[]): PreFilterResult | undefined;
  /** PreFilter extensions: a pod added to or removed from a node during preemption dry runs. */
  addPod?(cs: CycleState, pod: PodInfo, added: PodInfo, node: NodeInfo): void;
  removePod?(cs: CycleState, pod: PodInfo, removed: PodInfo, node: NodeInfo): void;
  filter?(cs: CycleState, pod: PodInfo, node: NodeInfo): Status | undefined;
  preScore?(cs: CycleState, pod: PodInfo, nodes: readonly NodeInfo[]): Status | undefined;
  score?(cs: CycleState, pod: PodInfo, node: NodeInfo): number;
  /** The scores of many nodes at once (hot path; same results as score). */
  scoreAll?(cs: CycleState, pod: PodInfo, nodes: readonly NodeInfo[], out: number[]): void;
  normalizeScore?(cs: CycleState, pod: PodInfo, scores: number[], nodes: readonly NodeInfo[]): void;
  reserve?(cs: CycleState, pod: PodInfo, nodeName: string): Status | undefined;
  unreserve?(cs: CycleState, pod: PodInfo, nodeName: string): void;
  preBind?(cs: CycleState, pod: PodInfo, nodeName: string): Promise<Status | undefined>;
}

/** Diagnosis of a failed scheduling attempt (upstream framework.Diagnosis). */
export interface Diagnosis {
  nodeToStatus: Map<string, Status>;
  /** Status of nodes absent from nodeToStatus (upstream AbsentNodesStatus). */
  absentStatus: Status;
  unschedulablePlugins: Set<string>;
  preFilterMsg: string;
  postFilterMsg: string;
}

export function newDiagnosis(): Diagnosis {
  return {
    nodeToStatus: new Map(),
    absentStatus: new Status(Code.UnschedulableAndUnresolvable),
    unschedulablePlugins: new Set(),
    preFilterMsg: "",
    postFilterMsg: "",
  };
}

export const NO_NODE_AVAILABLE_MSG = "0/%v nodes are available";

/** Upstream FitError: "0/N nodes are available: <sorted reason histogram>. <postfilter message>." */
export class FitError extends Error {
  constructor(
    readonly pod: PodInfo,
    readonly numAllNodes: number,
    readonly diagnosis: Diagnosis,
  ) {
    // no message argument: Error would define an own `message` hiding the getter below
    super();
  }

  override get message(): string {
    return fitErrorMessage(this.numAllNodes, this.diagnosis);
  }
}

export function fitErrorMessage(numAllNodes: number, d: Diagnosis): string {
  let msg = `0/${numAllNodes} nodes are available:`;
  if (d.preFilterMsg) msg += ` ${d.preFilterMsg}.`;
  else {
    const reasons = new Map<string, number>();
    for (const s of d.nodeToStatus.values()) for (const r of s.reasons) reasons.set(r, (reasons.get(r) ?? 0) + 1);
    if (d.nodeToStatus.size < numAllNodes) {
      const absent = numAllNodes - d.nodeToStatus.size;
      for (const r of d.absentStatus.reasons) reasons.set(r, (reasons.get(r) ?? 0) + absent);
    }
    const histogram = [...reasons].map(([r, n]) => `${n} ${r}`);
    // Go's sort.Strings: byte order
    histogram.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    if (histogram.length) msg += ` ${histogram.join(", ")}.`;
  }
  // the preemption message is itself a sentence; 1.33 does not double its period
  if (d.postFilterMsg) msg += ` ${d.postFilterMsg}${d.postFilterMsg.endsWith(".") ? "" : "."}`;
  return msg;
}

/** Upstream truncateMessage: events notes are limited to 1024 bytes. */
export function truncateMessage(message: string): string {
  const max = 1024;
  if (message.length <= max) return message;
  const suffix = " ...";
  return message.slice(0, max - suffix.length) + suffix;
}
