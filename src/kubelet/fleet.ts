// All simulated kubelets of the cluster in one component: the node agents (registration, leases,
// node status) and the pods bound to them, whose lifecycle the stage engine runs against the
// simulated runtime. One shared pod informer indexed by spec.nodeName stands in for every
// kubelet's own watch; one delay queue holds every timer; pod statuses are coalesced per pod and
// written in batches as strategic merge patches by each node's kubelet identity.
import { isApiError } from "../apimachinery/errors.js";
import type { KubeObject } from "../apimachinery/types.js";
import type { SharedInformer } from "../client/informers/shared-informer.js";
import { R } from "../client/interface.js";
import type { ControllerContext } from "../controlplane/context.js";
import type { Runnable } from "../controllers/runtime/controller.js";
import type { EventRecorder } from "../controllers/runtime/events.js";
import { Backoff } from "./backoff.js";
import { DelayQueue, type Scheduled } from "./delay-queue.js";
import { formatIPv4, nodeCidr, nodeMaskSize, parseCidr, formatCidr } from "./ip.js";
import { NodeAgent } from "./node-agent.js";
import { kubeletOptionsFrom, nodeName, type KubeletOptions } from "./options.js";
import { POD_STATUS_MERGE_KEYS, statusPatch } from "./patch.js";
import { generatePodStatus } from "./pod-status.js";
import { newerThan } from "./rv.js";
import { adoptPodRuntime, newPodRuntime, randomContainerID, refreshBehaviour, type PodRuntime } from "./runtime.js";
import { DEFAULT_STAGES } from "./stages/default.js";
import { StageEngine } from "./stages/engine.js";
import { loadStagesFile } from "./stages/load.js";
import type { Stage } from "./stages/types.js";

/** Pods by spec.nodeName (the kubelets' view of their pods). */
export const POD_NODE_INDEX = "kubelet:spec.nodeName";

const WRITE_CONCURRENCY = 16;
/** The kubelet's PLEG relist period: how soon runtime changes reach the pod status. */
export const PLEG_RELIST_MS = 1_000;
const REGISTER_CONCURRENCY = 32;
/** Kubelet events sent per turn when the status writer is idle. */
const EVENT_BATCH = 512;
/** Events sent per EVENT_RECHECK_MS while statuses are written, once the oldest waited EVENT_MAX_DELAY_MS. */
const EVENT_TRICKLE = 2;
const EVENT_MAX_DELAY_MS = 5_000;
const EVENT_RECHECK_MS = 10;

async function eachLimited<T>(items: T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) await fn(items[next++]!);
    }),
  );
}

export class KubeletFleet implements Runnable {
  readonly name = "kubelet";
  readonly opts: KubeletOptions;
  readonly queue: DelayQueue;
  readonly engine: StageEngine;
  private readonly agents = new Map<string, NodeAgent>();
  private readonly runtimes = new Map<string, PodRuntime>();
  private readonly podInformer: SharedInformer;
  private readonly nodeInformer: SharedInformer;
  private readonly backoff = { crash: new Backoff(), pull: new Backoff() };
  private readonly timers = new Map<string, Scheduled[]>();
  private readonly dirty = new Set<PodRuntime>();
  /** Pods whose status waits for a PLEG relist tick, by tick. */
  private readonly ticks = new Map<number, Set<PodRuntime>>();
  private readonly tickOf = new Map<PodRuntime, number>();
  /** Pods whose status this kubelet has posted at least once. */
  private readonly written = new WeakSet<PodRuntime>();
  private readonly toDelete = new Set<PodRuntime>();
  private flushing: Promise<void> | undefined;
  private readonly pendingEvents: (() => void)[] = [];
  /** performance.now() when each pending event was emitted (parallel to pendingEvents). */
  private readonly pendingSince: number[] = [];
  private eventPump = false;
  private registering = false;
  private stopped = false;
  private errors = 0;

  constructor(private readonly ctx: ControllerContext) {
    this.opts = kubeletOptionsFrom(ctx.options);
    this.queue = new DelayQueue(ctx.clock);
    const stages: Stage[] = [...(this.opts.stagesFile ? loadStagesFile(this.opts.stagesFile) : []), ...DEFAULT_STAGES];
    this.podInformer = ctx.informers.informerFor(R.pods);
    this.podInformer.addIndexer(POD_NODE_INDEX, (p) => {
      const n = (p.spec as Record<string, unknown> | undefined)?.nodeName;
      return typeof n === "string" && n ? [n] : [];
    });
    this.nodeInformer = ctx.informers.informerFor(R.nodes);
    const fleet = this;
    this.engine = new StageEngine(stages, {
      clock: ctx.clock,
      queue: this.queue,
      timeScale: this.opts.timeScale,
      backoff: this.backoff,
      newContainerID: () => randomContainerID(),
      node: (name) => this.agents.get(name),
      event(rt, type, reason, message, fieldPath) {
        const recorder = fleet.agents.get(rt.nodeName)?.recorder;
        const at = ctx.clock.now();
        if (recorder) fleet.emit(() => recorder.event(rt.pod, type, reason, message, fieldPath, at));
      },
      statusChanged: (rt) => this.statusChanged(rt),
      deletePod: (rt) => {
        this.writeNow(rt);
        this.toDelete.add(rt);
        this.kick();
      },
    });
    this.createAgents();
  }

  private createAgents(): void {
    const n = this.ctx.options.nodes;
    const cluster = parseCidr(this.ctx.options.podCIDR);
    const mask = nodeMaskSize(cluster, n, this.opts.nodeCIDRMaskSize);
    const ipRange = parseCidr(this.opts.nodeIPCIDR);
    for (let i = 1; i <= n; i++) {
      const name = nodeName(this.opts, i);
      const cidr = nodeCidr(cluster, mask, i - 1);
      const id = {
        name,
        index: i,
        ip: formatIPv4(ipRange.base + 1 + i),
        podCIDR: cidr ? formatCidr(cidr) : undefined,
        kubeletVersion: this.ctx.options.kubernetesVersion,
      };
      const client = this.ctx.clientFor("kubelet", { username: `system:node:${name}`, groups: ["system:nodes", "system:authenticated"] });
      const recorder: EventRecorder = this.ctx.recorder("kubelet", name);
      this.agents.set(name, new NodeAgent(id, this.opts, client, recorder, this.ctx.clock, (send) => this.emit(send)));
    }
  }

  // ---- lifecycle -------------------------------------------------------------------------------

  async start(): Promise<void> {
    const agents = [...this.agents.values()];
    // the nodes' first events (Starting, NodeAllocatableEnforced, ...) wait until every node is registered
    this.registering = true;
    try {
      await eachLimited(agents, REGISTER_CONCURRENCY, (a) => a.register());
    } finally {
      this.registering = false;
    }
    const renewMs = (this.opts.leaseDurationSeconds * 1000) / 4;
    agents.forEach((a, i) => {
      const offset = agents.length > 1 ? Math.floor((i * renewMs) / agents.length) : 0;
      this.every(a.name, offset + renewMs, renewMs, () => a.renewLease());
      const statusOffset = agents.length > 1 ? Math.floor((i * this.opts.nodeStatusUpdateFrequencyMs) / agents.length) : 0;
      this.every(a.name, statusOffset + this.opts.nodeStatusUpdateFrequencyMs, this.opts.nodeStatusUpdateFrequencyMs, () => a.syncStatus());
      if (!a.ready) this.later(a.name, this.opts.nodeReadyAfterMs, () => a.becomeReady());
    });
    this.nodeInformer.addEventHandler({
      onAdd: (n) => this.agents.get(n.metadata.name!)?.observe(n),
      onUpdate: (_o, n) => this.agents.get(n.metadata.name!)?.observe(n),
      onDelete: (n) => this.nodeDeleted(n),
    });
    this.podInformer.addEventHandler({
      onAdd: (p) => this.podSeen(p),
      onUpdate: (o, p) => this.podSeen(p, o),
      onDelete: (p) => this.podGone(p),
    });
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.queue.stop();
    await this.flushing;
  }

  private every(node: string, firstMs: number, periodMs: number, fn: () => Promise<void>): void {
    const run = () => {
      if (this.stopped) return;
      fn().catch((err) => this.logError(`node ${node}`, err));
      this.track(node, this.queue.after(periodMs, run));
    };
    this.track(node, this.queue.after(firstMs, run));
  }

  private later(node: string, ms: number, fn: () => Promise<void>): void {
    this.track(
      node,
      this.queue.after(ms, () => {
        if (!this.stopped) fn().catch((err) => this.logError(`node ${node}`, err));
      }),
    );
  }

  private track(node: string, s: Scheduled): void {
    const list = this.timers.get(node) ?? [];
    this.timers.set(
      node,
      list.filter((x) => !x.cancelled),
    );
    this.timers.get(node)!.push(s);
  }

  private logError(what: string, err: unknown): void {
    this.errors++;
    if (this.errors <= 5 || this.errors % 100 === 0) console.error(`kubefacade: kubelet ${what}: ${(err as Error).message}`);
  }

  // ---- test and operator hooks -------------------------------------------------------------------

  /** The simulated node names. */
  nodeNames(): string[] {
    return [...this.agents.keys()];
  }

  agent(name: string): NodeAgent | undefined {
    return this.agents.get(name);
  }

  /** The runtime state of a pod (tests). */
  runtimeOf(namespace: string, name: string): PodRuntime | undefined {
    for (const rt of this.runtimes.values()) if (rt.namespace === namespace && rt.name === name) return rt;
    return undefined;
  }

  /** Simulates a kubelet that died or lost the network: no leases, no status, nothing done to its pods. */
  stopKubelet(name: string): void {
    const a = this.agents.get(name);
    if (!a) throw new Error(`no simulated node ${name}`);
    a.alive = false;
    for (const t of this.timers.get(name) ?? []) t.cancel();
    this.timers.delete(name);
    for (const rt of this.podsOn(name)) this.engine.forget(rt);
  }

  /** The kubelet comes back: heartbeats resume, node status is posted, its pods are synced. */
  async startKubelet(name: string): Promise<void> {
    const a = this.agents.get(name);
    if (!a) throw new Error(`no simulated node ${name}`);
    if (a.alive || a.gone) return;
    a.alive = true;
    const renewMs = (this.opts.leaseDurationSeconds * 1000) / 4;
    await a.renewLease();
    await a.postStatus(true);
    this.every(name, renewMs, renewMs, () => a.renewLease());
    this.every(name, this.opts.nodeStatusUpdateFrequencyMs, this.opts.nodeStatusUpdateFrequencyMs, () => a.syncStatus());
    // the status manager reconciles what others wrote meanwhile (the node controller's Ready=False)
    for (const rt of this.podsOn(name)) {
      this.engine.sync(rt);
      this.dirty.add(rt);
    }
    this.kick();
  }

  /** Resolves once every pending status write, deletion and event has been sent (tests). */
  async idle(): Promise<void> {
    for (let i = 0; i < 100; i++) {
      if (this.flushing) await this.flushing;
      else if (this.dirty.size || this.toDelete.size) this.kick();
      else if (this.ticks.size) {
        for (const rt of [...this.tickOf.keys()]) this.writeNow(rt);
        this.ticks.clear();
        this.kick();
      }
      else break;
    }
    this.pendingSince.length = 0;
    for (const send of this.pendingEvents.splice(0)) send();
    await Promise.all([...this.agents.values()].map((a) => a.recorder.flush()));
  }

  private podsOn(node: string): PodRuntime[] {
    const out: PodRuntime[] = [];
    for (const rt of this.runtimes.values()) if (rt.nodeName === node) out.push(rt);
    return out;
  }

  // ---- nodes -----------------------------------------------------------------------------------

  private nodeDeleted(node: KubeObject): void {
    const a = this.agents.get(node.metadata.name!);
    if (!a) return;
    // a kubelet does not register again while it runs: it stops posting for a node that is gone
    this.stopKubelet(a.name);
    a.gone = true;
  }

  // ---- pods ------------------------------------------------------------------------------------

  private podSeen(pod: KubeObject, old?: KubeObject): void {
    const node = (pod.spec as Record<string, unknown> | undefined)?.nodeName;
    if (typeof node !== "string") return;
    const agent = this.agents.get(node);
    if (!agent || agent.gone) return;
    const uid = pod.metadata.uid!;
    let rt = this.runtimes.get(uid);
    if (!rt) {
      rt = newPodRuntime(pod);
      adoptPodRuntime(rt, agent);
      this.runtimes.set(uid, rt);
      if (agent.alive) this.engine.sync(rt);
      return;
    }
    if (newerThan(pod.metadata.resourceVersion, rt.pod.metadata.resourceVersion) || pod.metadata.resourceVersion === rt.pod.metadata.resourceVersion) {
      if (pod.metadata.generation !== rt.pod.metadata.generation) refreshBehaviour(rt, pod);
      else rt.pod = pod;
    }
    if (!agent.alive) return;
    if (!old || this.needsSync(old, pod)) this.engine.sync(rt);
  }

  /** Whether an update concerns the kubelet (not just a status echo of its own writes). */
  private needsSync(old: KubeObject, pod: KubeObject): boolean {
    const a = old.metadata;
    const b = pod.metadata;
    if (a.deletionTimestamp !== b.deletionTimestamp || a.deletionGracePeriodSeconds !== b.deletionGracePeriodSeconds) return true;
    if (a.generation !== b.generation) return true;
    const gates = (pod.spec as Record<string, unknown> | undefined)?.readinessGates;
    if (Array.isArray(gates) && gates.length) {
      const conds = (o: KubeObject) => JSON.stringify((o.status as Record<string, unknown> | undefined)?.conditions ?? []);
      if (conds(old) !== conds(pod)) return true;
    }
    return false;
  }

  private podGone(pod: KubeObject): void {
    const rt = this.runtimes.get(pod.metadata.uid!);
    if (rt) this.forget(rt);
  }

  private forget(rt: PodRuntime): void {
    this.engine.forget(rt);
    if (rt.sandbox === "ready" && rt.podIP && (rt.pod.spec as Record<string, unknown>)?.hostNetwork !== true) this.agents.get(rt.nodeName)?.releasePodIP(rt.podIP);
    rt.sandbox = "stopped";
    this.runtimes.delete(rt.uid);
    this.dirty.delete(rt);
    this.toDelete.delete(rt);
    const tick = this.tickOf.get(rt);
    if (tick !== undefined) this.ticks.get(tick)?.delete(rt);
    this.tickOf.delete(rt);
  }

  // ---- events ----------------------------------------------------------------------------------

  /**
   * Kubelet events go out through a queue of their own (as the kubelet's event broadcaster sends
   * them asynchronously, stamped with the time they happened), at low priority: they wait while
   * pod statuses are being written — the status is what the control plane acts on — and go out in
   * batches once the status writer is idle. An event never waits much longer than
   * EVENT_MAX_DELAY_MS of real time: past that, a trickle goes out even while statuses are written.
   */
  emit(send: () => void): void {
    this.pendingEvents.push(send);
    this.pendingSince.push(performance.now());
    if (!this.eventPump) this.pumpEvents(false);
  }

  private statusWriterBusy(): boolean {
    return this.registering || this.flushing !== undefined || this.dirty.size > 0;
  }

  private pumpEvents(wait: boolean): void {
    this.eventPump = true;
    const run = () => {
      if (this.stopped) {
        this.eventPump = false;
        return;
      }
      let n = EVENT_BATCH;
      if (this.statusWriterBusy()) n = performance.now() - (this.pendingSince[0] ?? Infinity) > EVENT_MAX_DELAY_MS ? EVENT_TRICKLE : 0;
      const batch = this.pendingEvents.splice(0, n);
      this.pendingSince.splice(0, batch.length);
      for (const send of batch) send();
      if (this.pendingEvents.length) this.pumpEvents(n < EVENT_BATCH);
      else this.eventPump = false;
    };
    // while statuses are being written, look again a little later (real time: the event loop's own pace)
    if (wait) setTimeout(run, EVENT_RECHECK_MS);
    else setImmediate(run);
  }

  // ---- status writes ---------------------------------------------------------------------------

  /**
   * A pod's runtime changed. The first status of a pod goes out at once (the kubelet syncs a pod
   * as soon as it is bound); later changes are noticed at the next PLEG relist (every second) —
   * which also coalesces changes close together into one write, as on a real node.
   */
  private statusChanged(rt: PodRuntime): void {
    if (this.stopped) return;
    const pleg = PLEG_RELIST_MS * this.opts.timeScale;
    if (!this.written.has(rt) || pleg <= 0) {
      this.dirty.add(rt);
      this.kick();
      return;
    }
    if (this.dirty.has(rt) || this.tickOf.has(rt)) return;
    const now = this.ctx.clock.now();
    const tick = Math.ceil(now / pleg) * pleg;
    let set = this.ticks.get(tick);
    if (!set) {
      const batch = (set = new Set());
      this.ticks.set(tick, batch);
      this.queue.at(tick, () => {
        this.ticks.delete(tick);
        for (const r of batch) {
          this.tickOf.delete(r);
          this.dirty.add(r);
        }
        this.kick();
      });
    }
    set.add(rt);
    this.tickOf.set(rt, tick);
  }

  /** Sends a pending status now (before a final delete). */
  private writeNow(rt: PodRuntime): void {
    const tick = this.tickOf.get(rt);
    if (tick !== undefined) {
      this.ticks.get(tick)?.delete(rt);
      this.tickOf.delete(rt);
      this.dirty.add(rt);
    }
  }

  private kick(): void {
    if (this.flushing || this.stopped) return;
    this.flushing = new Promise<void>((resolve) => setImmediate(resolve))
      .then(() => this.flush())
      .catch((err) => this.logError("status writer", err))
      .finally(() => {
        this.flushing = undefined;
        if (!this.stopped && (this.dirty.size || this.toDelete.size)) this.kick();
      });
  }

  private async flush(): Promise<void> {
    while (!this.stopped && (this.dirty.size || this.toDelete.size)) {
      const batch = [...this.dirty];
      this.dirty.clear();
      await eachLimited(batch, WRITE_CONCURRENCY, (rt) => this.writeStatus(rt));
      const deletions = [...this.toDelete].filter((rt) => !this.dirty.has(rt) && !this.tickOf.has(rt));
      for (const rt of deletions) this.toDelete.delete(rt);
      await eachLimited(deletions, WRITE_CONCURRENCY, (rt) => this.deleteFinal(rt));
    }
  }

  private async writeStatus(rt: PodRuntime): Promise<void> {
    const agent = this.agents.get(rt.nodeName);
    if (!agent?.alive || agent.gone || this.runtimes.get(rt.uid) !== rt) return;
    const { status, phase } = generatePodStatus(rt, agent.ip, this.ctx.clock.now());
    rt.phase = phase;
    const patch = statusPatch(rt.pod.status, status, POD_STATUS_MERGE_KEYS, rt.uid);
    this.written.add(rt);
    if (!patch) return;
    try {
      const res = await agent.client.patch(R.pods, rt.namespace, rt.name, "strategic", patch, { subresource: "status" });
      if (newerThan(res.metadata.resourceVersion, rt.pod.metadata.resourceVersion)) rt.pod = res;
    } catch (err) {
      if (isApiError(err) && (err.code === 404 || (err.code === 409 && /UID/i.test(err.message)))) {
        this.forget(rt);
        return;
      }
      this.logError(`status of pod ${rt.key}`, err);
      this.queue.after(1_000, () => this.statusChanged(rt));
    }
  }

  private async deleteFinal(rt: PodRuntime): Promise<void> {
    const agent = this.agents.get(rt.nodeName);
    if (!agent?.alive || agent.gone) return;
    try {
      await agent.client.delete(R.pods, rt.namespace, rt.name, { gracePeriodSeconds: 0, preconditions: { uid: rt.uid } });
    } catch (err) {
      if (isApiError(err) && (err.code === 404 || err.code === 409)) return;
      this.logError(`delete of pod ${rt.key}`, err);
      rt.finalDeleteRequested = false;
      this.queue.after(1_000, () => this.engine.sync(rt));
    }
  }
}
