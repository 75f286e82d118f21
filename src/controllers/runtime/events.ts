// Events as upstream's record.EventRecorder writes them (core/v1 Events): one per object, reason
// and message, repeated occurrences aggregated into count and lastTimestamp. Writes are
// fire-and-forget: an event that cannot be written never fails the caller.
import { randomBytes } from "node:crypto";
import type { KubeObject } from "../../apimachinery/types.js";
import { R, type Client } from "../../client/interface.js";
import { formatTime } from "../../util/clock.js";
import type { Clock } from "../../util/clock.js";

export interface EventSource {
  component: string;
  host?: string;
}

interface Known {
  name: string;
  namespace: string;
  count: number;
}

export class EventRecorder {
  private readonly seen = new Map<string, Known>();
  private chain: Promise<void> = Promise.resolve();

  constructor(
    private readonly client: Client,
    private readonly source: EventSource,
    private readonly clock: Clock,
  ) {}

  event(obj: KubeObject, type: "Normal" | "Warning", reason: string, message: string, fieldPath?: string): void {
    this.chain = this.chain.then(() => this.write(obj, type, reason, message, fieldPath)).catch(() => undefined);
  }

  /** Resolves when every event recorded so far has been written (tests). */
  flush(): Promise<void> {
    return this.chain;
  }

  private async write(obj: KubeObject, type: string, reason: string, message: string, fieldPath?: string): Promise<void> {
    const m = obj.metadata;
    const namespace = m.namespace || "default";
    const key = JSON.stringify([m.uid, m.name, type, reason, message, fieldPath ?? "", this.source.component]);
    const now = formatTime(this.clock.now());
    const known = this.seen.get(key);
    if (known) {
      known.count++;
      try {
        await this.client.patch(R.events, known.namespace, known.name, "merge", { count: known.count, lastTimestamp: now });
        return;
      } catch {
        this.seen.delete(key);
      }
    }
    const name = `${m.name}.${(BigInt(this.clock.now()) * 1_000_000n + BigInt(randomBytes(2).readUInt16BE())).toString(16)}`;
    const involvedObject: Record<string, unknown> = { kind: obj.kind, name: m.name, uid: m.uid, apiVersion: obj.apiVersion, resourceVersion: m.resourceVersion };
    if (m.namespace) involvedObject.namespace = m.namespace;
    if (fieldPath) involvedObject.fieldPath = fieldPath;
    await this.client.create(R.events, namespace, {
      apiVersion: "v1",
      kind: "Event",
      metadata: { name, namespace },
      involvedObject,
      reason,
      message,
      source: { component: this.source.component, ...(this.source.host ? { host: this.source.host } : {}) },
      firstTimestamp: now,
      lastTimestamp: now,
      count: 1,
      type,
      eventTime: null,
      reportingComponent: this.source.component,
      reportingInstance: this.source.host ?? "",
    });
    this.seen.set(key, { name, namespace, count: 1 });
    if (this.seen.size > 4096) this.seen.delete(this.seen.keys().next().value!);
  }
}
