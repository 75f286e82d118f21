// A memory backend with a started Cacher and ObjectStore on a FakeClock, plus configmap fixtures,
// for the watch cache / cacher / object store unit tests.
import assert from "node:assert/strict";
import { parseLabelSelector } from "../../../src/apimachinery/labels.js";
import type { KubeObject } from "../../../src/apimachinery/types.js";
import { MemoryBackend } from "../../../src/storage/backends/memory-backend.js";
import { Cacher, type CacheFilter, type CacherOptions } from "../../../src/storage/cacher/cacher.js";
import { encodeObject } from "../../../src/storage/codec.js";
import { ObjectStore } from "../../../src/storage/object-store.js";
import { FakeClock } from "../../../src/util/clock.js";

export const PREFIX = "/registry/core/configmaps/";

export const everything: CacheFilter = { empty: true, matches: () => true };

/** A filter from a label selector string (e.g. "app=web"). */
export function labelFilter(selector: string): CacheFilter {
  const sel = parseLabelSelector(selector);
  return { empty: sel.empty, matches: (obj) => sel.matches(obj.metadata.labels) };
}

export function configMap(name: string, opts: { ns?: string; labels?: Record<string, string>; data?: Record<string, string> } = {}): KubeObject {
  const obj: KubeObject = { apiVersion: "v1", kind: "ConfigMap", metadata: { name, namespace: opts.ns ?? "default" } };
  if (opts.labels) obj.metadata.labels = opts.labels;
  if (opts.data) obj["data"] = opts.data;
  return obj;
}

export const keyOf = (name: string, ns = "default") => `${PREFIX}${ns}/${name}`;

export interface CacherFixture {
  clock: FakeClock;
  backend: MemoryBackend;
  cacher: Cacher;
  store: ObjectStore;
  opts: CacherOptions;
  /** Creates or replaces a configmap directly in the backend; returns the write's revision. */
  write(name: string, opts?: { ns?: string; labels?: Record<string, string>; data?: Record<string, string> }): Promise<number>;
  /** Deletes a configmap directly in the backend; returns the delete's revision. */
  remove(name: string, ns?: string): Promise<number>;
  revision(): Promise<number>;
  stop(): void;
}

export async function startCacher(overrides: Partial<CacherOptions> = {}): Promise<CacherFixture> {
  const clock = new FakeClock();
  const backend = new MemoryBackend(() => clock.now());
  await backend.open();
  const opts: CacherOptions = {
    history: { minEvents: 100, minAgeMs: 60_000, maxEvents: 1_000 },
    maxWatcherQueue: 100,
    bookmarkIntervalMs: 60_000,
    futureRevisionWaitMs: 3_000,
    clock,
    ...overrides,
  };
  const cacher = new Cacher(backend, PREFIX, opts);
  await cacher.start();
  const store = new ObjectStore(backend, cacher);
  return {
    clock,
    backend,
    cacher,
    store,
    opts,
    async write(name, o = {}) {
      const key = keyOf(name, o.ns);
      const cur = (await backend.get(key)).kv;
      const r = await backend.optimisticPut(key, encodeObject(configMap(name, o)), cur?.modRevision ?? 0);
      assert.ok(r.ok, `write ${key}`);
      return r.revision;
    },
    async remove(name, ns) {
      const key = keyOf(name, ns);
      const cur = (await backend.get(key)).kv;
      assert.ok(cur, `remove ${key}: missing`);
      const r = await backend.optimisticDelete(key, cur.modRevision);
      assert.ok(r.ok, `remove ${key}`);
      return r.revision;
    },
    revision: () => backend.currentRevision(),
    stop: () => cacher.stop(),
  };
}

/** "name=value" summaries of objects, for compact assertions. */
export const summary = (objs: KubeObject[]) =>
  objs.map((o) => `${o.metadata.name}@${o.metadata.resourceVersion}${o["data"] ? `:${JSON.stringify(o["data"])}` : ""}`);
export const names = (objs: KubeObject[]) => objs.map((o) => o.metadata.name);
