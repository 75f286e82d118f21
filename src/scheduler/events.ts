// The scheduler's event recorder: events.k8s.io/v1 Events, as upstream's kube-scheduler writes
// them (client-go tools/events): reportingController default-scheduler, reportingInstance
// default-scheduler-<host>, an action, a note; an isomorphic repeat becomes a series (count 2
// written at once, later counts written by the 30-minute heartbeat, the series finished after 6
// minutes without repeats). Fire-and-forget: a failed write never fails the caller.
import { randomBytes } from "node:crypto";
import type { KubeObject } from "../apimachinery/types.js";
import type { Client, GroupVersionResourceRef } from "../client/interface.js";
import { formatMicroTime, type Clock, type Timer } from "../util/clock.js";

export const EVENTS_V1: GroupVersionResourceRef = { group: "events.k8s.io", version: "v1", resource: "events" };

const REFRESH_MS = 30 * 60_000;
const FINISH_MS = 6 * 60_000;
/** An event deferred while the scheduler is busy waits at most this long (real time). */
const MAX_DEFER_MS = 5_000;
const RECHECK_MS = 10;

interface Cached {
  name: string;
  namespace: string;
  eventTime: number;
  series?: { count: number; lastObservedTime: number };
  /** The event as created (recreated with its series when it is gone). */
  body: KubeObject;
}

export function objectReference(obj: KubeObject): Record<string, unknown> {
  const m = obj.metadata;
  const ref: Record<string, unknown> = { kind: obj.kind ?? "Pod" };
  if (m.namespace) ref.namespace = m.namespace;
  ref.name = m.name;
  if (m.uid) ref.uid = m.uid;
  ref.apiVersion = obj.apiVersion ?? "v1";
  if (m.resourceVersion) ref.resourceVersion = m.resourceVersion;
  return ref;
}

export class EventsV1Recorder {
  private readonly cache = new Map<string, Cached>();
  private chain: Promise<void> = Promise.resolve();
  private timers: Timer[] = [];
  private stopped = false;
  private busy: (() => boolean) | undefined;
  private forcing = 0;

  constructor(
    private readonly client: Client,
    readonly reportingController: string,
    readonly reportingInstance: string,
    private readonly clock: Clock,
  ) {}

  start(): void {
    const every = (ms: number, fn: () => void) => {
      const tick = () => {
        if (this.stopped) return;
        fn();
        this.timers = [this.clock.setTimer(ms, tick), ...this.timers.slice(0, 3)];
      };
      this.timers.push(this.clock.setTimer(ms, tick));
    };
    every(REFRESH_MS, () => this.enqueue(() => this.refreshSeries()));
    every(FINISH_MS, () => this.enqueue(() => this.finishSeries()));
  }

  stop(): Promise<void> {
    this.stopped = true;
    for (const t of this.timers) t.cancel();
    return this.chain;
  }

  /** Resolves once every event recorded so far is written (tests): deferred ones go out at once. */
  async flush(): Promise<void> {
    const chain = this.chain;
    this.forcing++;
    try {
      await chain;
    } finally {
      this.forcing--;
    }
  }

  /**
   * New events wait while busy() holds (the scheduler has pods waiting to be placed):
   * scheduling and binding come first, the events follow — at most MAX_DEFER_MS later.
   */
  deferWhile(busy: () => boolean): void {
    this.busy = busy;
  }

  /** While busy: wait until idle, or until the event is MAX_DEFER_MS old (then one per RECHECK_MS). */
  private whenIdle(since: number): Promise<void> | undefined {
    const busy = () => this.busy !== undefined && this.forcing === 0 && !this.stopped && this.busy();
    if (!busy()) return undefined;
    return new Promise((resolve) => {
      const check = () => (busy() && performance.now() - since < MAX_DEFER_MS ? setTimeout(check, RECHECK_MS) : resolve());
      setTimeout(check, RECHECK_MS);
    });
  }

  private enqueue(fn: () => Promise<void>): void {
    this.chain = this.chain.then(fn).catch(() => undefined);
  }

  event(regarding: KubeObject, related: KubeObject | undefined, type: "Normal" | "Warning", reason: string, action: string, note: string): void {
    if (this.stopped) return;
    const now = this.clock.now();
    const reg = objectReference(regarding);
    const rel = related ? objectReference(related) : undefined;
    const key = JSON.stringify([action, reason, this.reportingController, reg, rel ?? null, note]);
    const known = this.cache.get(key);
    if (known) {
      if (known.series) {
        known.series.count++;
        known.series.lastObservedTime = now;
        return;
      }
      known.series = { count: 2, lastObservedTime: now };
      this.enqueue(() => this.writeSeries(known));
      return;
    }
    const namespace = regarding.metadata.namespace || "default";
    const name = `${regarding.metadata.name}.${(BigInt(now) * 1_000_000n + BigInt(randomBytes(2).readUInt16BE())).toString(16)}`;
    const body: KubeObject = {
      apiVersion: "events.k8s.io/v1",
      kind: "Event",
      metadata: { name, namespace },
      eventTime: formatMicroTime(now),
      reportingController: this.reportingController,
      reportingInstance: this.reportingInstance,
      action,
      reason,
      regarding: reg,
      ...(rel ? { related: rel } : {}),
      note,
      type,
    };
    const entry: Cached = { name, namespace, eventTime: now, body };
    this.cache.set(key, entry);
    if (this.cache.size > 8192) this.cache.delete(this.cache.keys().next().value!);
    const since = performance.now();
    this.enqueue(async () => {
      await this.whenIdle(since);
      await this.client.create(EVENTS_V1, namespace, body);
    });
  }

  private seriesOf(c: Cached) {
    return { count: c.series!.count, lastObservedTime: formatMicroTime(c.series!.lastObservedTime) };
  }

  private async writeSeries(c: Cached): Promise<void> {
    try {
      await this.client.patch(EVENTS_V1, c.namespace, c.name, "merge", { series: this.seriesOf(c) });
    } catch (err) {
      if ((err as { code?: number }).code !== 404) throw err;
      await this.client.create(EVENTS_V1, c.namespace, { ...c.body, series: this.seriesOf(c) });
    }
  }

  private async refreshSeries(): Promise<void> {
    for (const c of this.cache.values()) if (c.series) await this.writeSeries(c).catch(() => undefined);
  }

  private async finishSeries(): Promise<void> {
    const cutoff = this.clock.now() - FINISH_MS;
    for (const [key, c] of [...this.cache]) {
      if (c.series) {
        if (c.series.lastObservedTime < cutoff) {
          await this.writeSeries(c).catch(() => undefined);
          this.cache.delete(key);
        }
      } else if (c.eventTime < cutoff) this.cache.delete(key);
    }
  }
}
