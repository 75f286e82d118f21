// kube-scheduler's default profile in-process (upstream pkg/scheduler scheduler.go, eventhandlers.go
// and schedule_one.go): informers feed the cache (assigned pods, nodes) and the queue (pending pods
// of default-scheduler); one scheduling cycle at a time picks a node, assumes the pod on it and
// starts the binding cycle (PreBind, then POST pods/binding) without waiting for it; failures
// patch PodScheduled=False with the FitError message, record FailedScheduling and requeue the pod;
// preemption nominates a node and evicts the victims.
import { hostname } from "node:os";
import { fromLabelMap, fromMetaLabelSelector, type LabelSelector, type MetaLabelSelector } from "../apimachinery/labels.js";
import type { KubeObject } from "../apimachinery/types.js";
import type { SharedInformer } from "../client/informers/shared-informer.js";
import { R, type Client } from "../client/interface.js";
import type { ControllerContext } from "../controlplane/context.js";
import type { Runnable } from "../controllers/runtime/controller.js";
import { formatTime } from "../util/clock.js";
import { NoNodesAvailableError, Profile, seededRandom, type PluginEntry } from "./algorithm.js";
import { SchedulerCache } from "./cache.js";
import { EventsV1Recorder } from "./events.js";
import { Code, CycleState, errorStatus, FitError, Status, truncateMessage, type ClusterEvent, type Handle } from "./framework.js";
import { andSelectors } from "./helpers.js";
import { interPodAffinity } from "./plugins/inter-pod-affinity.js";
import { balancedAllocation, nodeAffinity, nodeName, nodePorts, nodeResourcesFit, nodeUnschedulable, taintToleration } from "./plugins/node-plugins.js";
import { podTopologySpread } from "./plugins/pod-topology-spread.js";
import { volumeBinding } from "./plugins/volume-binding.js";
import { DefaultPreemption, type Candidate } from "./preemption.js";
import { nominatedNodeOf, SchedulingQueue, type QueuedPodInfo } from "./queue.js";
import { PodInfo } from "./types.js";

export const DEFAULT_SCHEDULER_NAME = "default-scheduler";

export interface SchedulerOptions {
  /** Seed of the tie-breaking and preemption randomness (tests); default: random. */
  seed?: number;
  percentageOfNodesToScore?: number;
  initialBackoffMs?: number;
  maxBackoffMs?: number;
  /** Pods scheduled before yielding to other work (keeps the process responsive during bursts). */
  batch?: number;
}

/** Undefined: leave the pod's nominated node; a string (possibly "") overrides it. */
type Nominating = string | undefined;

const isTerminal = (pod: KubeObject) => {
  const phase = (pod.status as { phase?: string } | undefined)?.phase;
  return phase === "Succeeded" || phase === "Failed";
};
const assignedNode = (pod: KubeObject) => ((pod.spec as { nodeName?: string } | undefined)?.nodeName ?? "");
const schedulerNameOf = (pod: KubeObject) => ((pod.spec as { schedulerName?: string } | undefined)?.schedulerName || DEFAULT_SCHEDULER_NAME);

interface PodCondition {
  type: string;
  status: string;
  lastProbeTime?: string | null;
  lastTransitionTime?: string | null;
  reason?: string;
  message?: string;
}

export class Scheduler implements Runnable {
  readonly name = "kube-scheduler";
  readonly cache = new SchedulerCache();
  readonly queue: SchedulingQueue;
  readonly profile: Profile;
  readonly events: EventsV1Recorder;
  private readonly preemption: DefaultPreemption;
  private readonly client: Client;
  private readonly random: () => number;
  private readonly inf: Record<
    "pods" | "nodes" | "namespaces" | "services" | "rcs" | "rss" | "sss" | "pvcs" | "pvs" | "scs" | "pdbs",
    SharedInformer
  >;
  private readonly bindings = new Set<Promise<void>>();
  private readonly volumeWaiters = new Set<() => void>();
  private running: Promise<void> | undefined;
  private stopped = false;
  /** The default selector of the pod being scheduled (computed once per cycle). */
  private selectorMemo: { pod: PodInfo; selector: LabelSelector | undefined } | undefined;

  constructor(
    private readonly ctx: ControllerContext,
    private readonly opts: SchedulerOptions = {},
  ) {
    this.client = ctx.clientFor("kube-scheduler");
    this.random = opts.seed !== undefined ? seededRandom(opts.seed) : Math.random;
    const i = ctx.informers;
    this.inf = {
      pods: i.informerFor(R.pods),
      nodes: i.informerFor(R.nodes),
      namespaces: i.informerFor(R.namespaces),
      services: i.informerFor(R.services),
      rcs: i.informerFor(R.replicationcontrollers),
      rss: i.informerFor(R.replicasets),
      sss: i.informerFor(R.statefulsets),
      pvcs: i.informerFor(R.persistentvolumeclaims),
      pvs: i.informerFor(R.persistentvolumes),
      scs: i.informerFor(R.storageclasses),
      pdbs: i.informerFor(R.poddisruptionbudgets),
    };
    this.inf.pvs.addIndexer("scheduler:storageClass", (pv) => [String((pv.spec as { storageClassName?: string } | undefined)?.storageClassName ?? "")]);
    const handle = this.handle();
    const entries: PluginEntry[] = [
      { plugin: nodeUnschedulable },
      { plugin: nodeName },
      { plugin: taintToleration, weight: 3 },
      { plugin: nodeAffinity, weight: 2 },
      { plugin: nodePorts },
      { plugin: nodeResourcesFit, weight: 1 },
      {
        plugin: volumeBinding({
          handle,
          client: this.client,
          clock: ctx.clock,
          waitFor: (check, timeoutMs) => this.waitForVolumes(check, timeoutMs),
        }),
      },
      { plugin: podTopologySpread(handle), weight: 2 },
      { plugin: interPodAffinity(handle), weight: 2 },
      { plugin: balancedAllocation, weight: 1 },
    ];
    this.profile = new Profile(handle, entries, {
      random: this.random,
      ...(opts.percentageOfNodesToScore !== undefined ? { percentageOfNodesToScore: opts.percentageOfNodesToScore } : {}),
      nominatedPodsOn: (node) => this.queue.nominator.podsOn(node),
    });
    const pluginEvents = new Map<string, Set<ClusterEvent>>();
    for (const { plugin } of entries) pluginEvents.set(plugin.name, new Set(plugin.events?.() ?? []));
    this.queue = new SchedulingQueue(ctx.clock, {
      pluginEvents,
      ...(opts.initialBackoffMs !== undefined ? { initialBackoffMs: opts.initialBackoffMs } : {}),
      ...(opts.maxBackoffMs !== undefined ? { maxBackoffMs: opts.maxBackoffMs } : {}),
    });
    this.preemption = new DefaultPreemption({
      profile: this.profile,
      pdbs: () => this.inf.pdbs.list(),
      now: () => ctx.clock.now(),
      random: this.random,
    });
    this.events = new EventsV1Recorder(this.client, DEFAULT_SCHEDULER_NAME, `${DEFAULT_SCHEDULER_NAME}-${hostname()}`, ctx.clock);
    // events wait while pods are waiting to be scheduled (a burst): placing them comes first
    this.events.deferWhile(() => this.queue.activeCount > 0);
  }

  private handle(): Handle {
    const inf = () => this.inf;
    return {
      cache: this.cache,
      namespaceLabels: (ns) => inf().namespaces.get("", ns)?.metadata.labels ?? {},
      namespacesMatching: (sel) => inf()
        .namespaces.list()
        .filter((n) => sel.matches(n.metadata.labels ?? {}))
        .map((n) => n.metadata.name!),
      defaultSelector: (pod) => {
        if (this.selectorMemo?.pod !== pod) this.selectorMemo = { pod, selector: this.defaultSelector(pod) };
        return this.selectorMemo.selector;
      },
      pvc: (ns, name) => inf().pvcs.get(ns, name),
      pv: (name) => inf().pvs.get("", name),
      storageClass: (name) => inf().scs.get("", name),
      pvsOfClass: (cls) => inf().pvs.byIndex("scheduler:storageClass", cls),
    };
  }

  /** Upstream helper.DefaultSelector: the services selecting the pod, plus its controller's selector. */
  private defaultSelector(pod: PodInfo): LabelSelector | undefined {
    const labels = pod.labels as Record<string, string>;
    const merged: Record<string, string> = {};
    for (const svc of this.inf.services.list(pod.namespace)) {
      const sel = (svc.spec as { selector?: Record<string, string> } | undefined)?.selector;
      if (!sel || Object.keys(sel).length === 0) continue;
      if (fromLabelMap(sel).matches(labels)) Object.assign(merged, sel);
    }
    const parts: LabelSelector[] = [fromLabelMap(merged)];
    const owner = (pod.pod.metadata.ownerReferences ?? []).find((r) => r.controller);
    if (owner) {
      const group = owner.apiVersion.includes("/") ? owner.apiVersion.slice(0, owner.apiVersion.indexOf("/")) : "";
      if (group === "" && owner.kind === "ReplicationController") {
        const rc = this.inf.rcs.get(pod.namespace, owner.name);
        const sel = (rc?.spec as { selector?: Record<string, string> } | undefined)?.selector;
        if (rc) return fromLabelMap({ ...merged, ...sel });
      } else if (group === "apps" && (owner.kind === "ReplicaSet" || owner.kind === "StatefulSet")) {
        const obj = (owner.kind === "ReplicaSet" ? this.inf.rss : this.inf.sss).get(pod.namespace, owner.name);
        const sel = (obj?.spec as { selector?: MetaLabelSelector } | undefined)?.selector;
        if (obj && sel) {
          try {
            parts.push(fromMetaLabelSelector(sel));
          } catch {
            /* an invalid selector adds nothing */
          }
        }
      }
    }
    return andSelectors(parts);
  }

  // ---- lifecycle ----

  start(): void {
    this.registerHandlers();
    this.queue.run();
    this.events.start();
    this.running = this.loop();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.queue.close();
    await this.running;
    // bindings waiting in VolumeBinding's PreBind give up (upstream: the context is cancelled)
    for (const w of [...this.volumeWaiters]) w();
    await Promise.allSettled([...this.bindings]);
    await this.events.stop();
  }

  /** Resolves when every binding started so far has finished (tests). */
  async idle(): Promise<void> {
    while (this.bindings.size) await Promise.allSettled([...this.bindings]);
    await this.events.flush();
  }

  private responsible(pod: KubeObject): boolean {
    return schedulerNameOf(pod) === DEFAULT_SCHEDULER_NAME;
  }

  private registerHandlers(): void {
    this.inf.nodes.addEventHandler({
      onAdd: (n) => {
        this.cache.addNode(n);
        this.queue.moveAll("NodeAdd");
      },
      onUpdate: (old, n) => {
        this.cache.updateNode(n);
        for (const e of nodeUpdateEvents(old, n)) this.queue.moveAll(e);
      },
      onDelete: (n) => this.cache.removeNode(n.metadata.name!),
    });
    this.inf.pods.addEventHandler({
      onAdd: (p) => this.podAdded(p),
      onUpdate: (old, p) => this.podUpdated(old, p),
      onDelete: (p) => this.podDeleted(p),
    });
    const volumeEvent = (e: ClusterEvent) => ({
      onAdd: () => this.volumeChange(e),
      onUpdate: () => this.volumeChange(e),
    });
    this.inf.pvcs.addEventHandler(volumeEvent("PvcChange"));
    this.inf.pvs.addEventHandler(volumeEvent("PvChange"));
    this.inf.scs.addEventHandler(volumeEvent("StorageClassChange"));
    this.inf.namespaces.addEventHandler({
      onUpdate: (old, n) => {
        if (JSON.stringify(old.metadata.labels ?? {}) !== JSON.stringify(n.metadata.labels ?? {})) this.queue.moveAll("NamespaceChange");
      },
    });
  }

  private volumeChange(e: ClusterEvent): void {
    this.queue.moveAll(e);
    for (const w of [...this.volumeWaiters]) w();
  }

  private podAdded(pod: KubeObject): void {
    if (isTerminal(pod)) return;
    if (assignedNode(pod)) {
      this.cache.addPod(pod);
      this.queue.moveAll("AssignedPodAdd");
    } else if (this.responsible(pod)) this.queue.add(new PodInfo(pod));
  }

  private podUpdated(old: KubeObject, pod: KubeObject): void {
    const uid = pod.metadata.uid!;
    if (isTerminal(pod)) {
      this.podDeleted(old);
      return;
    }
    if (assignedNode(pod)) {
      if (!assignedNode(old)) {
        this.queue.delete(uid);
        this.cache.addPod(pod);
        this.queue.moveAll("AssignedPodAdd");
        return;
      }
      const before = this.cache.getPod(uid);
      const after = this.cache.updatePod(pod);
      if (!before) this.queue.moveAll("AssignedPodAdd");
      else if (JSON.stringify(before.labels) !== JSON.stringify(after.labels) || after.requests.milliCPU < before.requests.milliCPU || after.requests.memory < before.requests.memory)
        this.queue.moveAll("AssignedPodUpdate");
      return;
    }
    if (this.responsible(pod)) this.queue.update(new PodInfo(pod));
  }

  private podDeleted(pod: KubeObject): void {
    const uid = pod.metadata.uid!;
    if (assignedNode(pod)) {
      if (this.cache.removePod(uid)) this.queue.moveAll("AssignedPodDelete");
    } else {
      this.queue.delete(uid);
    }
  }

  // ---- scheduling ----

  private async loop(): Promise<void> {
    const batch = this.opts.batch ?? 64;
    let n = 0;
    for (;;) {
      const q = await this.queue.pop();
      if (!q || this.stopped) return;
      try {
        this.scheduleOne(q);
      } catch (err) {
        console.error(`kubefacade: kube-scheduler: ${q.podInfo.key}: ${(err as Error).stack ?? err}`);
        this.queue.done(q.podInfo.uid);
      }
      if (++n % batch === 0) await new Promise<void>((resolve) => setImmediate(resolve));
    }
  }

  /** One scheduling cycle (upstream ScheduleOne / schedulingCycle). */
  scheduleOne(q: QueuedPodInfo): void {
    const pod = q.podInfo;
    if (pod.terminating || this.cache.isAssumed(pod.uid)) {
      this.queue.done(pod.uid);
      return;
    }
    const cs = new CycleState();
    let result;
    try {
      result = this.profile.schedulePod(cs, pod);
    } catch (err) {
      if (err instanceof NoNodesAvailableError) {
        this.handleFailure(q, new Status(Code.UnschedulableAndUnresolvable, [], err), "");
      } else if (err instanceof FitError) {
        const pf = this.preemption.preempt(cs, pod, err.diagnosis);
        err.diagnosis.postFilterMsg = pf.status.message();
        if (pf.candidate) void this.prepareCandidate(pod, pf.candidate);
        q.unschedulablePlugins = err.diagnosis.unschedulablePlugins;
        this.handleFailure(q, new Status(Code.Unschedulable, [], err), pf.nominatedNode);
      } else {
        this.handleFailure(q, errorStatus(err), "");
      }
      return;
    }
    const assumed = pod.withNodeName(result.node);
    this.cache.assumePod(assumed);
    const rs = this.profile.runReserve(cs, assumed, result.node);
    if (rs) {
      if (this.cache.forgetPod(pod.uid)) this.queue.moveAll("AssignedPodDelete", (x) => x.podInfo.uid !== pod.uid);
      if (rs.isRejected() && rs.plugin) q.unschedulablePlugins = new Set([rs.plugin]);
      this.handleFailure(q, rs, "");
      return;
    }
    const p = this.bindingCycle(cs, q, assumed, result.node).finally(() => this.bindings.delete(p));
    this.bindings.add(p);
  }

  private async bindingCycle(cs: CycleState, q: QueuedPodInfo, assumed: PodInfo, node: string): Promise<void> {
    const pod = assumed.pod;
    let failure: Status | undefined = await this.profile.runPreBind(cs, assumed, node);
    if (failure) failure = new Status(failure.code, [], new Error(`running PreBind plugin "${failure.plugin}": ${failure.message()}`)).withPlugin(failure.plugin);
    else {
      try {
        await this.client.createSubresource(R.pods, pod.metadata.namespace!, pod.metadata.name!, "binding", {
          apiVersion: "v1",
          kind: "Binding",
          metadata: { name: pod.metadata.name, namespace: pod.metadata.namespace, uid: pod.metadata.uid },
          target: { kind: "Node", name: node },
        });
      } catch (err) {
        failure = errorStatus(new Error(`running Bind plugin "DefaultBinder": ${(err as Error).message}`));
      }
    }
    if (!failure) {
      this.events.event(pod, undefined, "Normal", "Scheduled", "Binding", `Successfully assigned ${pod.metadata.namespace}/${pod.metadata.name} to ${node}`);
      this.queue.done(assumed.uid);
      return;
    }
    this.profile.runUnreserve(cs, assumed, node);
    if (this.cache.forgetPod(assumed.uid)) this.queue.moveAll("AssignedPodDelete", (x) => x.podInfo.uid !== assumed.uid);
    this.handleFailure(q, failure, "");
  }

  /** Upstream handleSchedulingFailure. */
  private handleFailure(q: QueuedPodInfo, status: Status, nominating: Nominating): void {
    const pod = q.podInfo.pod;
    const reason = status.isRejected() ? "Unschedulable" : "SchedulerError";
    const message = status.message();
    const cached = this.inf.pods.get(pod.metadata.namespace!, pod.metadata.name!);
    if (!cached || cached.metadata.uid !== pod.metadata.uid || assignedNode(cached) || isTerminal(cached)) {
      this.queue.done(q.podInfo.uid);
    } else {
      q.podInfo = new PodInfo(cached);
      this.queue.addUnschedulable(q, status.isRejected());
    }
    if (nominating !== undefined) this.queue.nominator.add(q.podInfo, nominating || undefined);
    else if (this.queue.has(q.podInfo.uid)) this.queue.nominator.add(q.podInfo, nominatedNodeOf(q.podInfo));
    this.events.event(pod, undefined, "Warning", "FailedScheduling", "Scheduling", truncateMessage(message));
    void this.updatePodStatus(pod, { type: "PodScheduled", status: "False", reason, message }, nominating);
  }

  /**
   * Upstream updatePod / PatchPodStatus: write the condition (PodScheduled, DisruptionTarget) and
   * nominatedNodeName when they change. Written as a status update of the version the decision was
   * made on (refetched on conflict), so the condition keeps its null lastProbeTime as Go encodes it.
   */
  private async updatePodStatus(pod: KubeObject, cond: PodCondition, nominating: Nominating): Promise<void> {
    const ns = pod.metadata.namespace!;
    const name = pod.metadata.name!;
    let base = pod;
    for (let attempt = 0; attempt < 5; attempt++) {
      const next = withCondition(base, cond, nominating, formatTime(this.ctx.clock.now()));
      if (!next) return;
      try {
        await this.client.update(R.pods, ns, next, { subresource: "status" });
        return;
      } catch (err) {
        if ((err as { code?: number }).code !== 409) return;
      }
      try {
        base = await this.client.get(R.pods, ns, name);
      } catch {
        return;
      }
      if (base.metadata.uid !== pod.metadata.uid) return;
    }
  }

  /** Upstream prepareCandidate: mark and delete the victims, clear lower-priority nominations on the node. */
  private async prepareCandidate(preemptor: PodInfo, c: Candidate): Promise<void> {
    const schedulerName = schedulerNameOf(preemptor.pod);
    await Promise.all(
      c.victims.map(async (v) => {
        if (v.terminating) return;
        try {
          await this.updatePodStatus(
            v.pod,
            { type: "DisruptionTarget", status: "True", reason: "PreemptionByScheduler", message: `${schedulerName}: preempting to accommodate a higher priority pod` },
            undefined,
          );
          await this.client.delete(R.pods, v.namespace, v.name, {});
        } catch {
          // upstream PreemptPod: a victim already gone (404) or not deleted gets no Preempted event
          return;
        }
        this.events.event(v.pod, preemptor.pod, "Normal", "Preempted", "Preempting", `Preempted by pod ${preemptor.uid} on node ${c.node}`);
      }),
    );
    for (const p of this.queue.nominator.podsOn(c.node)) {
      if (p.priority >= preemptor.priority || p.uid === preemptor.uid) continue;
      try {
        await this.client.patch(R.pods, p.namespace, p.name, "strategic", { status: { nominatedNodeName: null } }, { subresource: "status" });
      } catch {
        /* gone */
      }
    }
  }

  private waitForVolumes(check: () => boolean, timeoutMs: number): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      let timer: { cancel(): void } | undefined;
      const done = (err?: Error) => {
        this.volumeWaiters.delete(poll);
        timer?.cancel();
        if (err) reject(err);
        else resolve();
      };
      const poll = () => {
        if (this.stopped) return done(new Error("scheduler stopped"));
        try {
          if (check()) done();
        } catch (err) {
          done(err as Error);
        }
      };
      this.volumeWaiters.add(poll);
      timer = this.ctx.clock.setTimer(timeoutMs, () => done(new Error("timed out waiting for the condition")));
      poll();
    });
  }
}

/**
 * The pod with the condition set as upstream's UpdatePodCondition does (lastTransitionTime kept
 * while the status stays) and nominatedNodeName overridden; undefined when nothing changes.
 */
export function withCondition(pod: KubeObject, cond: PodCondition, nominating: Nominating, now: string): KubeObject | undefined {
  const status = (pod.status ?? {}) as { conditions?: PodCondition[]; nominatedNodeName?: string };
  const conditions = (status.conditions ?? []).filter(Boolean);
  const i = conditions.findIndex((c) => c.type === cond.type);
  const current = i >= 0 ? conditions[i] : undefined;
  const next: PodCondition = {
    type: cond.type,
    status: cond.status,
    lastProbeTime: null,
    lastTransitionTime: current && current.status === cond.status ? (current.lastTransitionTime ?? null) : now,
    ...(cond.reason ? { reason: cond.reason } : {}),
    ...(cond.message ? { message: cond.message } : {}),
  };
  const conditionChanged =
    !current || current.status !== next.status || (current.reason ?? "") !== (next.reason ?? "") || (current.message ?? "") !== (next.message ?? "") || (current.lastProbeTime ?? null) !== null;
  const nnnChanged = nominating !== undefined && (status.nominatedNodeName ?? "") !== nominating;
  if (!conditionChanged && !nnnChanged) return undefined;
  const out = structuredClone(pod) as KubeObject;
  const outStatus = (out.status ?? (out.status = {})) as Record<string, unknown>;
  if (conditionChanged) {
    const list = [...conditions];
    if (i >= 0) list[i] = next;
    else list.push(next);
    outStatus.conditions = list;
  }
  if (nnnChanged) {
    if (nominating) outStatus.nominatedNodeName = nominating;
    else delete outStatus.nominatedNodeName;
  }
  return out;
}

/** Which node changes may help pods (upstream's node update ActionTypes). */
export function nodeUpdateEvents(old: KubeObject, n: KubeObject): ClusterEvent[] {
  const out: ClusterEvent[] = [];
  const s = (o: unknown) => JSON.stringify(o ?? null);
  const os = (old.status ?? {}) as Record<string, unknown>;
  const ns = (n.status ?? {}) as Record<string, unknown>;
  const ospec = (old.spec ?? {}) as Record<string, unknown>;
  const nspec = (n.spec ?? {}) as Record<string, unknown>;
  if (s(os.allocatable) !== s(ns.allocatable)) out.push("NodeAllocatable");
  if (s(old.metadata.labels) !== s(n.metadata.labels)) out.push("NodeLabel");
  if (s(ospec.taints) !== s(nspec.taints) || !!ospec.unschedulable !== !!nspec.unschedulable) out.push("NodeTaint");
  return out;
}
