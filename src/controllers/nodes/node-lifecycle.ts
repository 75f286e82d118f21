// The node lifecycle controller (upstream pkg/controller/nodelifecycle): watches node health
// signals (the node Lease renewals and the Ready condition's heartbeats). A node silent for the
// grace period gets Ready (and the pressure conditions) Unknown, "Kubelet stopped posting node
// status."; its pods are marked not ready. Node conditions are mirrored into NoSchedule taints
// (TaintNodesByCondition) and, rate limited per zone, into the NoExecute taints not-ready /
// unreachable that the taint eviction controller acts on — with upstream's zone disruption rules
// (no evictions when a whole zone is down). Nodes it sees first get a RegisteredNode event.
import { isApiError } from "../../apimachinery/errors.js";
import type { KubeObject } from "../../apimachinery/types.js";
import type { SharedInformer } from "../../client/informers/shared-informer.js";
import { R, type Client } from "../../client/interface.js";
import type { ControllerContext } from "../../controlplane/context.js";
import { formatTime, type Timer } from "../../util/clock.js";
import { Controller, type Runnable } from "../runtime/controller.js";
import type { EventRecorder } from "../runtime/events.js";
import {
  swapNodeTaints,
  TAINT_DISK_PRESSURE,
  TAINT_MEMORY_PRESSURE,
  TAINT_NETWORK_UNAVAILABLE,
  TAINT_NOT_READY,
  TAINT_PID_PRESSURE,
  TAINT_UNREACHABLE,
  TAINT_UNSCHEDULABLE,
  taintExists,
  taintsOf,
  type Taint,
} from "./taints.js";

export interface NodeLifecycleOptions {
  /** --node-monitor-period */
  nodeMonitorPeriodMs: number;
  /** --node-monitor-grace-period (50 s since Kubernetes 1.32) */
  nodeMonitorGracePeriodMs: number;
  /** --node-startup-grace-period */
  nodeStartupGracePeriodMs: number;
  /** --node-eviction-rate, --secondary-node-eviction-rate (nodes tainted per second per zone) */
  evictionLimiterQPS: number;
  secondaryEvictionLimiterQPS: number;
  /** --large-cluster-size-threshold, --unhealthy-zone-threshold */
  largeClusterThreshold: number;
  unhealthyZoneThreshold: number;
}

export const DEFAULT_NODE_LIFECYCLE_OPTIONS: NodeLifecycleOptions = {
  nodeMonitorPeriodMs: 5_000,
  nodeMonitorGracePeriodMs: 50_000,
  nodeStartupGracePeriodMs: 60_000,
  evictionLimiterQPS: 0.1,
  secondaryEvictionLimiterQPS: 0.01,
  largeClusterThreshold: 50,
  unhealthyZoneThreshold: 0.55,
};

/** upstream scheduler.NodeEvictionPeriod: how often the NoExecute tainting queue is worked. */
const NODE_EVICTION_PERIOD_MS = 100;
export const NODE_LEASE_NAMESPACE = "kube-node-lease";
export const POD_NODE_NAME_INDEX = "nodelifecycle:spec.nodeName";

type Obj = Record<string, unknown>;
type Condition = Record<string, string | undefined>;
type ZoneState = "Initial" | "Normal" | "FullDisruption" | "PartialDisruption";

/** Condition → the taint key of a NoSchedule taint (upstream nodeConditionToTaintKeyStatusMap). */
const CONDITION_TAINTS: Record<string, Record<string, string>> = {
  Ready: { False: TAINT_NOT_READY, Unknown: TAINT_UNREACHABLE },
  MemoryPressure: { True: TAINT_MEMORY_PRESSURE },
  DiskPressure: { True: TAINT_DISK_PRESSURE },
  NetworkUnavailable: { True: TAINT_NETWORK_UNAVAILABLE },
  PIDPressure: { True: TAINT_PID_PRESSURE },
};
const CONDITION_TAINT_KEYS = new Set([...Object.values(CONDITION_TAINTS).flatMap((m) => Object.values(m))]);

const UNREACHABLE_NOEXECUTE: Taint = { key: TAINT_UNREACHABLE, effect: "NoExecute" };
const NOT_READY_NOEXECUTE: Taint = { key: TAINT_NOT_READY, effect: "NoExecute" };

export function conditionsOf(node: KubeObject): Condition[] {
  const c = (node.status as Obj | undefined)?.conditions;
  return Array.isArray(c) ? (c as Condition[]) : [];
}

export function readyCondition(node: KubeObject): Condition | undefined {
  return conditionsOf(node).find((c) => c.type === "Ready");
}

/** upstream nodetopology.GetZoneKey: region and zone labels; "" for nodes without them. */
export function zoneKey(node: KubeObject): string {
  const l = node.metadata.labels ?? {};
  const region = l["topology.kubernetes.io/region"] ?? l["failure-domain.beta.kubernetes.io/region"] ?? "";
  const zone = l["topology.kubernetes.io/zone"] ?? l["failure-domain.beta.kubernetes.io/zone"] ?? "";
  return region || zone ? `${region}:\x00:${zone}` : "";
}

/** upstream ComputeZoneState. */
export function computeZoneState(ready: (Condition | undefined)[], unhealthyThreshold: number): { unhealthy: number; state: ZoneState } {
  let readyNodes = 0;
  let notReadyNodes = 0;
  for (const c of ready) {
    if (c && c.status === "True") readyNodes++;
    else notReadyNodes++;
  }
  if (readyNodes === 0 && notReadyNodes > 0) return { unhealthy: notReadyNodes, state: "FullDisruption" };
  if (notReadyNodes > 2 && notReadyNodes / (notReadyNodes + readyNodes) >= unhealthyThreshold) return { unhealthy: notReadyNodes, state: "PartialDisruption" };
  return { unhealthy: notReadyNodes, state: "Normal" };
}

interface Health {
  probeTimestamp: number;
  readyTransitionTimestamp: number;
  ready: Condition | undefined;
  leaseRenewTime: number | undefined;
}

/** Token bucket rate limiter (flowcontrol.NewTokenBucketRateLimiter) on the controller's clock. */
class TokenBucket {
  private tokens: number;
  private last: number;

  constructor(
    private qps: number,
    private readonly burst: number,
    now: number,
  ) {
    this.tokens = burst;
    this.last = now;
  }

  setQPS(qps: number, now: number): void {
    this.refill(now);
    this.qps = qps;
  }

  private refill(now: number): void {
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.last) / 1000) * this.qps);
    this.last = now;
  }

  tryAccept(now: number): boolean {
    if (this.qps <= 0) return false;
    this.refill(now);
    if (this.tokens >= 1) {
      this.tokens -= 1;
      return true;
    }
    return false;
  }
}

export class NodeLifecycleController implements Runnable {
  readonly name = "node-lifecycle-controller";
  readonly opts: NodeLifecycleOptions;
  private readonly client: Client;
  private readonly recorder: EventRecorder;
  private readonly nodes: SharedInformer;
  private readonly leases: SharedInformer;
  private readonly pods: SharedInformer;
  private readonly noSchedule: Controller;
  private readonly podUpdates: Controller;
  private readonly health = new Map<string, Health>();
  private readonly known = new Map<string, KubeObject>();
  private readonly retry = new Set<string>();
  private readonly zoneStates = new Map<string, ZoneState>();
  private readonly tainters = new Map<string, { queue: string[]; limiter: TokenBucket }>();
  private monitorTimer: Timer | undefined;
  private taintTimer: Timer | undefined;
  private monitoring: Promise<void> | undefined;
  private stopped = false;

  constructor(private readonly ctx: ControllerContext) {
    const overrides = (ctx.options as { nodeLifecycle?: Partial<NodeLifecycleOptions> }).nodeLifecycle ?? {};
    this.opts = { ...DEFAULT_NODE_LIFECYCLE_OPTIONS, ...overrides };
    this.client = ctx.clientFor("kube-controller-manager");
    this.recorder = ctx.recorder("node-controller");
    this.nodes = ctx.informers.informerFor(R.nodes);
    this.leases = ctx.informers.informerFor(R.leases, { namespace: NODE_LEASE_NAMESPACE });
    this.pods = ctx.informers.informerFor(R.pods);
    this.pods.addIndexer(POD_NODE_NAME_INDEX, (p) => {
      const n = (p.spec as Obj | undefined)?.nodeName;
      return typeof n === "string" && n ? [n] : [];
    });
    this.noSchedule = new Controller("node-lifecycle-noschedule-taints", (key) => this.noScheduleTaintingPass(key), ctx.clock, 4);
    this.podUpdates = new Controller("node-lifecycle-pods", (key) => this.processPod(key), ctx.clock, 2);
  }

  start(): void {
    this.nodes.addEventHandler({
      onAdd: (n) => this.noSchedule.enqueue(n.metadata.name!),
      onUpdate: (_o, n) => this.noSchedule.enqueue(n.metadata.name!),
    });
    this.pods.addEventHandler({
      onAdd: (p) => this.podUpdated(undefined, p),
      onUpdate: (o, p) => this.podUpdated(o, p),
    });
    this.noSchedule.start();
    this.podUpdates.start();
    this.scheduleMonitor(0);
    this.scheduleTaintPass();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.monitorTimer?.cancel();
    this.taintTimer?.cancel();
    await this.monitoring;
    await this.noSchedule.stop();
    await this.podUpdates.stop();
  }

  private scheduleMonitor(ms: number): void {
    if (this.stopped) return;
    this.monitorTimer = this.ctx.clock.setTimer(ms, () => {
      this.monitoring = this.monitorNodeHealth()
        .catch((err) => console.error(`kubefacade: node-lifecycle-controller: ${(err as Error).message}`))
        .finally(() => {
          this.monitoring = undefined;
          this.scheduleMonitor(this.opts.nodeMonitorPeriodMs);
        });
    });
  }

  private scheduleTaintPass(): void {
    if (this.stopped) return;
    this.taintTimer = this.ctx.clock.setTimer(NODE_EVICTION_PERIOD_MS, () => {
      void this.noExecuteTaintingPass()
        .catch((err) => console.error(`kubefacade: node-lifecycle-controller: ${(err as Error).message}`))
        .finally(() => this.scheduleTaintPass());
    });
  }

  private now(): number {
    return this.ctx.clock.now();
  }

  private nodeEvent(node: KubeObject, reason: string, message: string): void {
    const ref: KubeObject = { apiVersion: "v1", kind: "Node", metadata: { name: node.metadata.name, uid: node.metadata.uid } };
    this.recorder.event(ref, "Normal", reason, message);
  }

  // ---- NoSchedule taints from conditions ---------------------------------------------------------

  private async noScheduleTaintingPass(name: string): Promise<void> {
    const node = this.nodes.get("", name);
    if (!node) return;
    const want: Taint[] = [];
    for (const c of conditionsOf(node)) {
      const key = CONDITION_TAINTS[c.type ?? ""]?.[c.status ?? ""];
      if (key) want.push({ key, effect: "NoSchedule" });
    }
    if ((node.spec as Obj | undefined)?.unschedulable === true) want.push({ key: TAINT_UNSCHEDULABLE, effect: "NoSchedule" });
    const have = taintsOf(node).filter((t) => t.effect === "NoSchedule" && (t.key === TAINT_UNSCHEDULABLE || CONDITION_TAINT_KEYS.has(t.key)));
    const add = want.filter((w) => !taintExists(have, w));
    const remove = have.filter((h) => !taintExists(want, h));
    if (add.length || remove.length) await swapNodeTaints(this.client, node, add, remove, formatTime(this.now()));
    await this.reconcileLabels(node);
  }

  /** Beta OS/arch labels follow the stable ones (upstream reconcileNodeLabels). */
  private async reconcileLabels(node: KubeObject): Promise<void> {
    const labels = node.metadata.labels ?? {};
    const patch: Record<string, string> = {};
    for (const [stable, beta] of [
      ["kubernetes.io/os", "beta.kubernetes.io/os"],
      ["kubernetes.io/arch", "beta.kubernetes.io/arch"],
    ] as const) {
      if (labels[stable] !== undefined && labels[beta] !== labels[stable]) patch[beta] = labels[stable]!;
    }
    if (Object.keys(patch).length) await this.client.patch(R.nodes, "", node.metadata.name!, "strategic", { metadata: { labels: patch } });
  }

  // ---- health ----------------------------------------------------------------------------------

  private async monitorNodeHealth(): Promise<void> {
    const nodes = this.nodes.list();
    const names = new Set(nodes.map((n) => n.metadata.name!));
    for (const node of nodes) {
      const name = node.metadata.name!;
      if (this.known.has(name)) continue;
      this.nodeEvent(node, "RegisteredNode", `Node ${name} event: Registered Node ${name} in Controller`);
      this.known.set(name, node);
      this.tainter(zoneKey(node));
      await this.markNodeAsReachable(node);
    }
    for (const [name, node] of [...this.known]) {
      if (names.has(name)) continue;
      this.nodeEvent(node, "RemovingNode", `Node ${name} event: Removing Node ${name} from Controller`);
      this.known.delete(name);
      this.health.delete(name);
      this.retry.delete(name);
    }
    const zoneConditions = new Map<string, (Condition | undefined)[]>();
    for (const original of nodes) {
      if (this.stopped) return;
      let result: { observed: Condition; current: Condition | undefined; node: KubeObject } | undefined;
      let node: KubeObject | undefined = original;
      for (let attempt = 0; attempt < 5 && node; attempt++) {
        try {
          result = await this.tryUpdateNodeHealth(node);
          break;
        } catch (err) {
          if (!isApiError(err) || err.code !== 409) {
            console.error(`kubefacade: node-lifecycle-controller: updating health of node ${original.metadata.name}: ${(err as Error).message}`);
            break;
          }
          node = await this.client.get(R.nodes, "", original.metadata.name!).catch(() => undefined);
        }
      }
      if (!result) continue;
      const { observed, current } = result;
      node = result.node;
      if (node.metadata.labels?.["node.kubernetes.io/exclude-disruption"] === undefined) {
        const z = zoneKey(node);
        zoneConditions.set(z, [...(zoneConditions.get(z) ?? []), current]);
      }
      if (!current) continue;
      await this.processTaintBasedEviction(node, observed);
      const name = node.metadata.name!;
      const becameNotReady = current.status !== "True" && observed.status === "True";
      if (becameNotReady) this.nodeEvent(node, "NodeNotReady", `Node ${name} status is now: NodeNotReady`);
      if (becameNotReady || (this.retry.has(name) && observed.status !== "True")) {
        try {
          await this.markPodsNotReady(this.pods.byIndex(POD_NODE_NAME_INDEX, name), name);
          this.retry.delete(name);
        } catch {
          this.retry.add(name);
        }
      } else this.retry.delete(name);
    }
    await this.handleDisruption(zoneConditions, nodes);
  }

  /** upstream tryUpdateNodeHealth: the probe timestamps, and Unknown conditions past the grace period. */
  private async tryUpdateNodeHealth(node: KubeObject): Promise<{ observed: Condition; current: Condition | undefined; node: KubeObject }> {
    const name = node.metadata.name!;
    const now = this.now();
    const created = Date.parse(node.metadata.creationTimestamp ?? "") || now;
    let health = this.health.get(name);
    const currentReady = readyCondition(node);
    let observed: Condition;
    let grace: number;
    if (!currentReady) {
      observed = { type: "Ready", status: "Unknown", lastHeartbeatTime: node.metadata.creationTimestamp ?? undefined, lastTransitionTime: node.metadata.creationTimestamp ?? undefined };
      grace = this.opts.nodeStartupGracePeriodMs;
      health = health ? { ...health, ready: undefined } : { probeTimestamp: created, readyTransitionTimestamp: created, ready: undefined, leaseRenewTime: undefined };
    } else {
      observed = { ...currentReady };
      grace = this.opts.nodeMonitorGracePeriodMs;
    }
    const saved = health?.ready;
    if (!health) health = { probeTimestamp: now, readyTransitionTimestamp: now, ready: currentReady, leaseRenewTime: undefined };
    else if (!saved && currentReady) health = { ...health, probeTimestamp: now, readyTransitionTimestamp: now, ready: currentReady };
    else if (saved && currentReady && saved.lastHeartbeatTime !== currentReady.lastHeartbeatTime) {
      const transition = saved.lastTransitionTime !== currentReady.lastTransitionTime ? now : health.readyTransitionTimestamp;
      health = { ...health, probeTimestamp: now, readyTransitionTimestamp: transition, ready: currentReady };
    }
    const lease = this.leases.get(NODE_LEASE_NAMESPACE, name);
    const renew = Date.parse(String((lease?.spec as Obj | undefined)?.renewTime ?? ""));
    if (lease && Number.isFinite(renew) && (health.leaseRenewTime === undefined || health.leaseRenewTime < renew)) {
      health = { ...health, leaseRenewTime: renew, probeTimestamp: now };
    }
    this.health.set(name, health);

    if (now > health.probeTimestamp + grace) {
      const copy = structuredClone(node) as KubeObject;
      const status = ((copy.status as Obj | undefined) ?? (copy.status = {})) as Obj;
      const conditions = ((status.conditions as Condition[] | undefined) ?? (status.conditions = [])) as Condition[];
      const at = formatTime(now);
      for (const type of ["Ready", "MemoryPressure", "DiskPressure", "PIDPressure"]) {
        const c = conditions.find((x) => x.type === type);
        if (!c) {
          conditions.push({
            type,
            status: "Unknown",
            reason: "NodeStatusNeverUpdated",
            message: "Kubelet never posted node status.",
            lastHeartbeatTime: node.metadata.creationTimestamp ?? at,
            lastTransitionTime: at,
          });
        } else if (c.status !== "Unknown") {
          c.status = "Unknown";
          c.reason = "NodeStatusUnknown";
          c.message = "Kubelet stopped posting node status.";
          c.lastTransitionTime = at;
        }
      }
      const nextReady = conditions.find((c) => c.type === "Ready");
      if (JSON.stringify(nextReady) !== JSON.stringify(currentReady ?? observed)) {
        const updated = await this.client.update(R.nodes, "", copy, { subresource: "status" });
        this.health.set(name, { ...health, readyTransitionTimestamp: now, ready: readyCondition(updated) });
        return { observed, current: readyCondition(updated), node: updated };
      }
    }
    return { observed, current: currentReady, node };
  }

  /** upstream MarkPodsNotReady: Ready=False on each pod of the node, with a NodeNotReady event. */
  private async markPodsNotReady(pods: KubeObject[], nodeName: string): Promise<void> {
    let failed: unknown;
    for (const pod of pods) {
      if ((pod.spec as Obj | undefined)?.nodeName !== nodeName) continue;
      const conditions = ((pod.status as Obj | undefined)?.conditions ?? []) as Condition[];
      const i = conditions.findIndex((c) => c.type === "Ready");
      if (i < 0 || conditions[i]!.status === "False") continue;
      const copy = structuredClone(pod) as KubeObject;
      const cond = ((copy.status as Obj).conditions as Condition[])[i]!;
      cond.status = "False";
      cond.lastTransitionTime = formatTime(this.now());
      try {
        await this.client.update(R.pods, pod.metadata.namespace!, copy, { subresource: "status" });
        this.recorder.event(pod, "Warning", "NodeNotReady", "Node is not ready");
      } catch (err) {
        if (isApiError(err) && err.code === 404) continue;
        failed = err;
      }
    }
    if (failed) throw failed;
  }

  private podUpdated(old: KubeObject | undefined, pod: KubeObject): void {
    const node = (pod.spec as Obj | undefined)?.nodeName;
    if (typeof node !== "string" || !node) return;
    if (old && (old.spec as Obj | undefined)?.nodeName === node) return;
    this.podUpdates.enqueue(`${pod.metadata.namespace}/${pod.metadata.name}`);
  }

  /** A pod bound to a node that is not ready is marked not ready too. */
  private async processPod(key: string): Promise<void> {
    const i = key.indexOf("/");
    const pod = this.pods.get(key.slice(0, i), key.slice(i + 1));
    if (!pod) return;
    const nodeName = String((pod.spec as Obj).nodeName);
    const health = this.health.get(nodeName);
    if (!health?.ready || !this.nodes.get("", nodeName)) return;
    if (health.ready.status !== "True") await this.markPodsNotReady([pod], nodeName);
  }

  // ---- NoExecute taints, rate limited per zone -------------------------------------------------

  private tainter(zone: string): { queue: string[]; limiter: TokenBucket } {
    let t = this.tainters.get(zone);
    if (!t) {
      t = { queue: [], limiter: new TokenBucket(this.opts.evictionLimiterQPS, 1, this.now()) };
      this.tainters.set(zone, t);
      this.zoneStates.set(zone, "Initial");
    }
    return t;
  }

  private markNodeForTainting(node: KubeObject): void {
    const t = this.tainter(zoneKey(node));
    if (!t.queue.includes(node.metadata.name!)) t.queue.push(node.metadata.name!);
  }

  private async markNodeAsReachable(node: KubeObject): Promise<boolean> {
    const t = this.tainter(zoneKey(node));
    t.queue = t.queue.filter((n) => n !== node.metadata.name);
    const taints = taintsOf(node);
    const remove = [UNREACHABLE_NOEXECUTE, NOT_READY_NOEXECUTE].filter((x) => taintExists(taints, x));
    if (!remove.length) return false;
    await swapNodeTaints(this.client, node, [], remove, formatTime(this.now()));
    return true;
  }

  private async processTaintBasedEviction(node: KubeObject, observed: Condition): Promise<void> {
    const taints = taintsOf(node);
    const now = formatTime(this.now());
    if (observed.status === "False") {
      if (taintExists(taints, UNREACHABLE_NOEXECUTE)) await swapNodeTaints(this.client, node, [NOT_READY_NOEXECUTE], [UNREACHABLE_NOEXECUTE], now);
      else if (!taintExists(taints, NOT_READY_NOEXECUTE)) this.markNodeForTainting(node);
    } else if (observed.status === "Unknown") {
      if (taintExists(taints, NOT_READY_NOEXECUTE)) await swapNodeTaints(this.client, node, [UNREACHABLE_NOEXECUTE], [NOT_READY_NOEXECUTE], now);
      else if (!taintExists(taints, UNREACHABLE_NOEXECUTE)) this.markNodeForTainting(node);
    } else if (observed.status === "True") {
      await this.markNodeAsReachable(node);
    }
  }

  private async noExecuteTaintingPass(): Promise<void> {
    const now = this.now();
    for (const t of this.tainters.values()) {
      while (t.queue.length && t.limiter.tryAccept(now)) {
        const name = t.queue.shift()!;
        const node = this.nodes.get("", name);
        if (!node) continue;
        const ready = readyCondition(node);
        let add: Taint;
        let opposite: Taint;
        if (ready?.status === "False") {
          add = NOT_READY_NOEXECUTE;
          opposite = UNREACHABLE_NOEXECUTE;
        } else if (ready?.status === "Unknown") {
          add = UNREACHABLE_NOEXECUTE;
          opposite = NOT_READY_NOEXECUTE;
        } else continue;
        try {
          await swapNodeTaints(this.client, node, [add], [opposite], formatTime(now));
        } catch {
          t.queue.push(name);
        }
      }
    }
  }

  private limiterQPS(state: ZoneState, zoneSize: number): number {
    if (state === "Normal") return this.opts.evictionLimiterQPS;
    if (state === "PartialDisruption") return zoneSize <= this.opts.largeClusterThreshold ? 0 : this.opts.secondaryEvictionLimiterQPS;
    if (state === "FullDisruption") return this.opts.evictionLimiterQPS;
    return this.opts.evictionLimiterQPS;
  }

  /** upstream handleDisruption: per-zone eviction rates, and none at all when every zone is down. */
  private async handleDisruption(zoneConditions: Map<string, (Condition | undefined)[]>, nodes: KubeObject[]): Promise<void> {
    const newStates = new Map<string, ZoneState>();
    let allAreFullyDisrupted = true;
    for (const [zone, conds] of zoneConditions) {
      const { state } = computeZoneState(conds, this.opts.unhealthyZoneThreshold);
      if (state !== "FullDisruption") allAreFullyDisrupted = false;
      newStates.set(zone, state);
      if (!this.zoneStates.has(zone)) this.zoneStates.set(zone, "Initial");
    }
    let allWasFullyDisrupted = true;
    for (const [zone, state] of [...this.zoneStates]) {
      if (!zoneConditions.has(zone)) {
        this.zoneStates.delete(zone);
        continue;
      }
      if (state !== "FullDisruption") {
        allWasFullyDisrupted = false;
        break;
      }
    }
    if (allAreFullyDisrupted && allWasFullyDisrupted) return;
    const now = this.now();
    if (allAreFullyDisrupted) {
      for (const n of nodes) await this.markNodeAsReachable(this.nodes.get("", n.metadata.name!) ?? n).catch(() => undefined);
      for (const zone of this.zoneStates.keys()) {
        this.tainter(zone).limiter.setQPS(0, now);
        this.zoneStates.set(zone, "FullDisruption");
      }
      return;
    }
    if (allWasFullyDisrupted) {
      for (const n of nodes) {
        const h = this.health.get(n.metadata.name!);
        if (h) this.health.set(n.metadata.name!, { ...h, probeTimestamp: now, readyTransitionTimestamp: now });
      }
      for (const zone of this.zoneStates.keys()) {
        const state = newStates.get(zone) ?? "Normal";
        this.tainter(zone).limiter.setQPS(this.limiterQPS(state, zoneConditions.get(zone)?.length ?? 0), now);
        this.zoneStates.set(zone, state);
      }
      return;
    }
    for (const [zone, state] of [...this.zoneStates]) {
      const next = newStates.get(zone) ?? state;
      if (next === state) continue;
      this.tainter(zone).limiter.setQPS(this.limiterQPS(next, zoneConditions.get(zone)?.length ?? 0), now);
      this.zoneStates.set(zone, next);
    }
  }
}
