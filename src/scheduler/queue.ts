// The scheduling queue (upstream pkg/scheduler/backend/queue PriorityQueue): activeQ ordered by
// priority then queue time, backoffQ ordered by backoff expiry (1 s doubling to 10 s per attempt),
// unschedulable pods parked until a cluster event that may help them (by the plugins that
// rejected them) or for 5 minutes at most, pods gated by schedulingGates kept aside, and the
// nominator of pods that preempted others. All timing runs on the injected Clock.
import type { Clock, Timer } from "../util/clock.js";
import type { ClusterEvent } from "./framework.js";
import type { PodInfo } from "./types.js";

export interface QueuedPodInfo {
  podInfo: PodInfo;
  /** When the pod last entered the queue (upstream Timestamp). */
  timestamp: number;
  initialAttemptTimestamp: number | undefined;
  attempts: number;
  /** Plugins that rejected the pod in its last attempt (none: any event may help). */
  unschedulablePlugins: Set<string>;
  gated: boolean;
  where: "active" | "backoff" | "unschedulable" | "inflight";
  /** Scheduling cycle in which it was popped. */
  popCycle: number;
  heapIndex: number;
}

class Heap<T extends { heapIndex: number }> {
  private readonly items: T[] = [];
  constructor(private readonly less: (a: T, b: T) => boolean) {}

  get size(): number {
    return this.items.length;
  }

  peek(): T | undefined {
    return this.items[0];
  }

  push(x: T): void {
    x.heapIndex = this.items.length;
    this.items.push(x);
    this.up(x.heapIndex);
  }

  pop(): T | undefined {
    if (this.items.length === 0) return undefined;
    const top = this.items[0]!;
    this.removeAt(0);
    return top;
  }

  remove(x: T): void {
    const i = x.heapIndex;
    if (i >= 0 && i < this.items.length && this.items[i] === x) this.removeAt(i);
  }

  fix(x: T): void {
    const i = x.heapIndex;
    if (this.items[i] !== x) return;
    if (!this.down(i)) this.up(i);
  }

  values(): readonly T[] {
    return this.items;
  }

  private removeAt(i: number): void {
    const last = this.items.pop()!;
    const removed = this.items[i];
    if (i < this.items.length) {
      this.items[i] = last;
      last.heapIndex = i;
      if (!this.down(i)) this.up(i);
    }
    if (removed) removed.heapIndex = -1;
    else last.heapIndex = -1;
  }

  private swap(i: number, j: number): void {
    const a = this.items[i]!;
    const b = this.items[j]!;
    this.items[i] = b;
    this.items[j] = a;
    a.heapIndex = j;
    b.heapIndex = i;
  }

  private up(i: number): void {
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!this.less(this.items[i]!, this.items[p]!)) break;
      this.swap(i, p);
      i = p;
    }
  }

  private down(i0: number): boolean {
    let i = i0;
    const n = this.items.length;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= n) break;
      let j = l;
      if (l + 1 < n && this.less(this.items[l + 1]!, this.items[l]!)) j = l + 1;
      if (!this.less(this.items[j]!, this.items[i]!)) break;
      this.swap(i, j);
      i = j;
    }
    return i > i0;
  }
}

const NONE: PodInfo[] = [];

/** Pods nominated to run on a node after preempting others (upstream nominator). */
export class Nominator {
  private readonly byNode = new Map<string, Map<string, PodInfo>>();
  private readonly nodeOf = new Map<string, string>();

  add(p: PodInfo, node: string | undefined): void {
    this.remove(p.uid);
    if (!node) return;
    let m = this.byNode.get(node);
    if (!m) this.byNode.set(node, (m = new Map()));
    m.set(p.uid, p);
    this.nodeOf.set(p.uid, node);
  }

  remove(uid: string): void {
    const node = this.nodeOf.get(uid);
    if (node === undefined) return;
    this.nodeOf.delete(uid);
    const m = this.byNode.get(node);
    m?.delete(uid);
    if (m && m.size === 0) this.byNode.delete(node);
  }

  podsOn(node: string): PodInfo[] {
    if (this.byNode.size === 0) return NONE;
    const m = this.byNode.get(node);
    return m ? [...m.values()] : NONE;
  }

  nodeOfPod(uid: string): string | undefined {
    return this.nodeOf.get(uid);
  }
}

export interface QueueOptions {
  initialBackoffMs?: number;
  maxBackoffMs?: number;
  /** How long a pod may stay unschedulable before it is retried anyway (upstream podMaxInUnschedulablePodsDuration). */
  maxInUnschedulableMs?: number;
  /** The events each plugin registered (upstream EventsToRegister). */
  pluginEvents: Map<string, Set<ClusterEvent>>;
}

export const nominatedNodeOf = (p: PodInfo): string => ((p.pod.status as { nominatedNodeName?: string } | undefined)?.nominatedNodeName ?? "");
const isGated = (p: PodInfo) => Array.isArray(p.spec.schedulingGates) && p.spec.schedulingGates.length > 0;

export class SchedulingQueue {
  readonly nominator = new Nominator();
  private readonly active = new Heap<QueuedPodInfo>((a, b) => a.podInfo.priority > b.podInfo.priority || (a.podInfo.priority === b.podInfo.priority && a.timestamp < b.timestamp));
  private readonly backoff = new Heap<QueuedPodInfo>((a, b) => this.backoffExpiry(a) < this.backoffExpiry(b));
  private readonly unschedulable = new Map<string, QueuedPodInfo>();
  private readonly pods = new Map<string, QueuedPodInfo>();
  private waiters: ((q: QueuedPodInfo | undefined) => void)[] = [];
  private timers: Timer[] = [];
  private closed = false;
  /** Incremented by every pop (upstream schedulingCycle). */
  schedulingCycle = 0;
  /** The cycle of the last move request: pods failing after it go to backoff, not unschedulable. */
  private moveRequestCycle = -1;
  private readonly initialBackoff: number;
  private readonly maxBackoff: number;
  private readonly maxInUnschedulable: number;

  constructor(
    private readonly clock: Clock,
    private readonly opts: QueueOptions,
  ) {
    this.initialBackoff = opts.initialBackoffMs ?? 1000;
    this.maxBackoff = opts.maxBackoffMs ?? 10_000;
    this.maxInUnschedulable = opts.maxInUnschedulableMs ?? 5 * 60_000;
  }

  /** Starts the periodic flushes: completed backoffs every second, leftover unschedulable pods every 30 s. */
  run(): void {
    const every = (ms: number, fn: () => void) => {
      const tick = () => {
        if (this.closed) return;
        fn();
        this.timers.push(this.clock.setTimer(ms, tick));
        if (this.timers.length > 8) this.timers = this.timers.slice(-4);
      };
      this.timers.push(this.clock.setTimer(ms, tick));
    };
    every(1000, () => this.flushBackoffCompleted());
    every(30_000, () => this.flushUnschedulableLeftover());
  }

  close(): void {
    this.closed = true;
    for (const t of this.timers) t.cancel();
    for (const w of this.waiters.splice(0)) w(undefined);
  }

  /** Upstream calculateBackoffDuration: initial doubling per attempt, capped. */
  backoffDuration(attempts: number): number {
    if (attempts === 0) return 0;
    let d = this.initialBackoff;
    for (let i = 1; i < attempts; i++) {
      if (d > this.maxBackoff - d) return this.maxBackoff;
      d += d;
    }
    return Math.min(d, this.maxBackoff);
  }

  backoffExpiry(q: QueuedPodInfo): number {
    return q.timestamp + this.backoffDuration(q.attempts);
  }

  private isBackingOff(q: QueuedPodInfo): boolean {
    return this.backoffExpiry(q) > this.clock.now();
  }

  private toActive(q: QueuedPodInfo): void {
    q.where = "active";
    const w = this.waiters.shift();
    if (w) {
      this.markInFlight(q);
      w(q);
      return;
    }
    this.active.push(q);
  }

  private toBackoffOrActive(q: QueuedPodInfo): void {
    if (this.isBackingOff(q)) {
      q.where = "backoff";
      this.backoff.push(q);
    } else this.toActive(q);
  }

  private detach(q: QueuedPodInfo): void {
    if (q.where === "active") this.active.remove(q);
    else if (q.where === "backoff") this.backoff.remove(q);
    else if (q.where === "unschedulable") this.unschedulable.delete(q.podInfo.uid);
  }

  /** Pods waiting in activeQ (ready to be scheduled now). */
  get activeCount(): number {
    return this.active.size;
  }

  has(uid: string): boolean {
    return this.pods.has(uid);
  }

  get(uid: string): QueuedPodInfo | undefined {
    return this.pods.get(uid);
  }

  /** A new pending pod (upstream Add): to activeQ, or aside while scheduling gates hold it. */
  add(p: PodInfo): void {
    if (this.pods.has(p.uid)) {
      this.update(p);
      return;
    }
    const now = this.clock.now();
    const q: QueuedPodInfo = {
      podInfo: p,
      timestamp: now,
      initialAttemptTimestamp: undefined,
      attempts: 0,
      unschedulablePlugins: new Set(),
      gated: isGated(p),
      where: "active",
      popCycle: -1,
      heapIndex: -1,
    };
    this.pods.set(p.uid, q);
    this.nominator.add(p, nominatedNodeOf(p));
    if (q.gated) {
      q.where = "unschedulable";
      this.unschedulable.set(p.uid, q);
    } else this.toActive(q);
  }

  /** A newer version of a pending pod (upstream Update). */
  update(p: PodInfo): void {
    const q = this.pods.get(p.uid);
    if (!q) {
      this.add(p);
      return;
    }
    const old = q.podInfo;
    q.podInfo = p;
    // a nomination made in memory survives an update that does not carry it yet (upstream updateNominatedPod)
    const keep = !nominatedNodeOf(old) && !nominatedNodeOf(p) ? this.nominator.nodeOfPod(p.uid) : undefined;
    this.nominator.add(p, keep ?? nominatedNodeOf(p));
    switch (q.where) {
      case "active":
        this.active.fix(q);
        return;
      case "backoff":
        this.backoff.fix(q);
        return;
      case "inflight":
        return;
      case "unschedulable":
        if (q.gated) {
          if (isGated(p)) return;
          q.gated = false;
          this.unschedulable.delete(p.uid);
          this.toBackoffOrActive(q);
          return;
        }
        if (podSpecChanged(old, p)) {
          this.unschedulable.delete(p.uid);
          this.toBackoffOrActive(q);
        }
    }
  }

  delete(uid: string): void {
    const q = this.pods.get(uid);
    this.nominator.remove(uid);
    if (!q) return;
    this.detach(q);
    this.pods.delete(uid);
  }

  private markInFlight(q: QueuedPodInfo): void {
    q.where = "inflight";
    q.attempts++;
    q.popCycle = ++this.schedulingCycle;
    if (q.initialAttemptTimestamp === undefined) q.initialAttemptTimestamp = this.clock.now();
  }

  /** The next pod to schedule; waits while activeQ is empty (undefined once closed). */
  pop(): Promise<QueuedPodInfo | undefined> {
    const q = this.popNow();
    if (q || this.closed) return Promise.resolve(q);
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  popNow(): QueuedPodInfo | undefined {
    const q = this.active.pop();
    if (q) this.markInFlight(q);
    return q;
  }

  /** The scheduling attempt of a pod is over (scheduled, or dropped). */
  done(uid: string): void {
    const q = this.pods.get(uid);
    if (q && q.where === "inflight") this.pods.delete(uid);
  }

  /**
   * A failed attempt (upstream AddUnschedulableIfNotPresent): rejected pods wait for an event in
   * unschedulablePods unless one came while they were being scheduled; errors retry after backoff.
   */
  addUnschedulable(q: QueuedPodInfo, rejected: boolean): void {
    if (q.where !== "inflight" || this.pods.get(q.podInfo.uid) !== q) return;
    q.timestamp = this.clock.now();
    if (!rejected || this.moveRequestCycle >= q.popCycle) {
      this.toBackoffOrActive(q);
      return;
    }
    q.where = "unschedulable";
    this.unschedulable.set(q.podInfo.uid, q);
  }

  /** A cluster event: unschedulable pods it may help go to backoffQ or activeQ (upstream MoveAllToActiveOrBackoffQueue). */
  moveAll(event: ClusterEvent, filter?: (q: QueuedPodInfo) => boolean): void {
    this.moveRequestCycle = this.schedulingCycle;
    if (this.unschedulable.size === 0) return;
    for (const q of [...this.unschedulable.values()]) {
      if (q.gated) continue;
      if (filter && !filter(q)) continue;
      if (!this.relevant(q, event)) continue;
      this.unschedulable.delete(q.podInfo.uid);
      this.toBackoffOrActive(q);
    }
  }

  private relevant(q: QueuedPodInfo, event: ClusterEvent): boolean {
    if (q.unschedulablePlugins.size === 0) return true;
    for (const p of q.unschedulablePlugins) if (this.opts.pluginEvents.get(p)?.has(event)) return true;
    return false;
  }

  flushBackoffCompleted(): void {
    const now = this.clock.now();
    for (;;) {
      const q = this.backoff.peek();
      if (!q || this.backoffExpiry(q) > now) return;
      this.backoff.pop();
      this.toActive(q);
    }
  }

  flushUnschedulableLeftover(): void {
    const now = this.clock.now();
    for (const q of [...this.unschedulable.values()]) {
      if (q.gated || now - q.timestamp <= this.maxInUnschedulable) continue;
      this.unschedulable.delete(q.podInfo.uid);
      this.toBackoffOrActive(q);
    }
  }

  /** Counts by queue (tests and metrics). */
  stats(): { active: number; backoff: number; unschedulable: number; gated: number; inflight: number } {
    let gated = 0;
    for (const q of this.unschedulable.values()) if (q.gated) gated++;
    let inflight = 0;
    for (const q of this.pods.values()) if (q.where === "inflight") inflight++;
    return { active: this.active.size, backoff: this.backoff.size, unschedulable: this.unschedulable.size - gated, gated, inflight };
  }

  /** Unschedulable pods (for tests). */
  whereIs(uid: string): QueuedPodInfo["where"] | undefined {
    return this.pods.get(uid)?.where;
  }
}

/** Upstream isPodUpdated: anything but status, resourceVersion, generation and managedFields changed. */
function podSpecChanged(a: PodInfo, b: PodInfo): boolean {
  const strip = (p: PodInfo) => {
    const { resourceVersion: _rv, generation: _g, managedFields: _m, ...meta } = p.pod.metadata;
    return JSON.stringify([meta, p.pod.spec]);
  };
  return strip(a) !== strip(b);
}
