// Events as upstream's record.EventRecorder writes them (core/v1 Events), with its EventCorrelator
// (client-go tools/record/events_cache.go): similar events (same source, object, type and reason)
// with more than 10 different messages within 10 minutes are combined into one "(combined from
// similar events): …" event; a repeated event is a patch of count, lastTimestamp and message; and
// a per source-and-object token bucket (burst 25, one token per 5 minutes) drops the rest, so a
// ReplicaSet of 10,000 pods writes a few dozen events, not 10,000. Writes are fire-and-forget: an
// event that cannot be written never fails the caller.
import type { KubeObject } from "../../apimachinery/types.js";
import { R, type Client } from "../../client/interface.js";
import { formatTime } from "../../util/clock.js";
import type { Clock } from "../../util/clock.js";

export interface EventSource {
  component: string;
  host?: string;
}

const AGGREGATE_MAX_EVENTS = 10;
const AGGREGATE_INTERVAL_MS = 600_000;
const SPAM_BURST = 25;
const SPAM_REFILL_MS = 300_000;
const CACHE_ENTRIES = 4096;
const COMBINED_PREFIX = "(combined from similar events): ";

/** A Map that forgets its oldest entries beyond a size (upstream's LRU caches, without touch-on-read). */
class BoundedMap<K, V> extends Map<K, V> {
  override set(key: K, value: V): this {
    this.delete(key);
    super.set(key, value);
    if (this.size > CACHE_ENTRIES) this.delete(this.keys().next().value!);
    return this;
  }
}

interface Observation {
  name: string;
  namespace: string;
  count: number;
  firstTimestamp: string;
}

interface AggregateRecord {
  messages: Set<string>;
  lastMs: number;
}

interface TokenBucket {
  tokens: number;
  lastMs: number;
}

/** Event names are `<object>.<nanoseconds in hex>`; a counter keeps them unique within a millisecond. */
let lastNanos = 0n;
function eventNanos(nowMs: number): bigint {
  const n = BigInt(nowMs) * 1_000_000n;
  lastNanos = n > lastNanos ? n : lastNanos + 1n;
  return lastNanos;
}

export class EventRecorder {
  private readonly observed = new BoundedMap<string, Observation>();
  private readonly aggregates = new BoundedMap<string, AggregateRecord>();
  private readonly buckets = new BoundedMap<string, TokenBucket>();
  private chain: Promise<void> = Promise.resolve();

  constructor(
    private readonly client: Client,
    private readonly source: EventSource,
    private readonly clock: Clock,
  ) {}

  /** Records an event; `at` is when it happened (default now), for callers that send events later. */
  event(obj: KubeObject, type: "Normal" | "Warning", reason: string, message: string, fieldPath?: string, at?: number): void {
    const write = this.correlate(obj, type, reason, message, fieldPath, at);
    if (write) this.chain = this.chain.then(write).catch(() => undefined);
  }

  /** Resolves when every event recorded so far has been written (tests). */
  flush(): Promise<void> {
    return this.chain;
  }

  /** Upstream's EventCorrelate: aggregate, observe, then the spam filter; returns the write to make, if any. */
  private correlate(obj: KubeObject, type: string, reason: string, message: string, fieldPath?: string, at?: number): (() => Promise<void>) | undefined {
    const m = obj.metadata;
    const nowMs = at ?? this.clock.now();
    const involvedObject: Record<string, unknown> = { kind: obj.kind, namespace: m.namespace, name: m.name, uid: m.uid, apiVersion: obj.apiVersion, resourceVersion: m.resourceVersion };
    if (!m.namespace) delete involvedObject.namespace;
    if (fieldPath) involvedObject.fieldPath = fieldPath;
    const { component, host = "" } = this.source;
    const objectKey = [component, host, obj.kind, m.namespace ?? "", m.name, m.uid ?? "", obj.apiVersion].join("\u0000");

    // aggregation: by source, object, type and reason; the message is the local key
    const aggregateKey = [objectKey, type, reason, component, host].join("\u0000");
    let record = this.aggregates.get(aggregateKey);
    if (!record || nowMs - record.lastMs > AGGREGATE_INTERVAL_MS) record = { messages: new Set(), lastMs: nowMs };
    record.messages.add(message);
    record.lastMs = nowMs;
    this.aggregates.set(aggregateKey, record);
    let key = [objectKey, fieldPath ?? "", type, reason, message].join("\u0000");
    let eventMessage = message;
    if (record.messages.size >= AGGREGATE_MAX_EVENTS) {
      record.messages.delete(record.messages.values().next().value!);
      key = aggregateKey;
      eventMessage = COMBINED_PREFIX + message;
      delete involvedObject.fieldPath;
    }

    // observation: a repeat of a known event becomes a patch of it
    const now = formatTime(nowMs);
    const last = this.observed.get(key);
    const observation: Observation = last
      ? { ...last, count: last.count + 1 }
      : { name: `${m.name}.${eventNanos(nowMs).toString(16)}`, namespace: m.namespace || "default", count: 1, firstTimestamp: now };
    this.observed.set(key, observation);

    // spam filter: per source and object, whatever the reason
    let bucket = this.buckets.get(objectKey);
    if (!bucket) bucket = { tokens: SPAM_BURST, lastMs: nowMs };
    bucket.tokens = Math.min(SPAM_BURST, bucket.tokens + Math.max(0, nowMs - bucket.lastMs) / SPAM_REFILL_MS);
    bucket.lastMs = Math.max(bucket.lastMs, nowMs);
    this.buckets.set(objectKey, bucket);
    if (bucket.tokens < 1) return undefined;
    bucket.tokens -= 1;

    const source = { component, ...(host ? { host } : {}) };
    const create = async () => {
      await this.client.create(R.events, observation.namespace, {
        apiVersion: "v1",
        kind: "Event",
        metadata: { name: observation.name, namespace: observation.namespace },
        involvedObject,
        reason,
        message: eventMessage,
        source,
        firstTimestamp: observation.firstTimestamp,
        lastTimestamp: now,
        count: observation.count,
        type,
        eventTime: null,
        reportingComponent: component,
        reportingInstance: host,
      });
    };
    if (!last) return create;
    return async () => {
      try {
        await this.client.patch(R.events, observation.namespace, observation.name, "strategic", {
          count: observation.count,
          lastTimestamp: now,
          message: eventMessage,
        });
      } catch {
        // gone (expired or deleted): write it again, as upstream's recorder does on a failed patch
        await create().catch(() => undefined);
      }
    };
  }
}
