// A shared informer (client-go tools/cache): lists, then watches from the list's
// resourceVersion, keeping an indexed cache and calling handlers for every change. It resumes the
// watch from the last seen resourceVersion when a stream ends and relists after a 410. Cached
// objects are frozen: consumers must copy before changing them.
import type { KubeObject } from "../../apimachinery/types.js";
import { ApiError } from "../../apimachinery/errors.js";
import type { Clock, Timer } from "../../util/clock.js";
import type { Client, ClientListOptions, GroupVersionResourceRef } from "../interface.js";
import type { Watch } from "../../registry/rest.js";

export interface ResourceEventHandler {
  onAdd?(obj: KubeObject): void;
  onUpdate?(oldObj: KubeObject, obj: KubeObject): void;
  onDelete?(obj: KubeObject): void;
}

export type IndexFunc = (obj: KubeObject) => string[];

export function objectKey(obj: KubeObject): string {
  const m = obj.metadata;
  return m.namespace ? `${m.namespace}/${m.name}` : m.name!;
}

export interface InformerOptions extends Pick<ClientListOptions, "labelSelector" | "fieldSelector"> {
  namespace?: string;
}

export class SharedInformer {
  private readonly items = new Map<string, KubeObject>();
  private readonly handlers: ResourceEventHandler[] = [];
  private readonly indexers = new Map<string, IndexFunc>();
  private readonly indices = new Map<string, Map<string, Set<string>>>();
  private resourceVersion = "";
  private synced = false;
  private syncWaiters: (() => void)[] = [];
  private stopped = true;
  private watch: Watch | undefined;
  private retryTimer: Timer | undefined;
  /** Ends the wait before a retry early (stop). */
  private wake: (() => void) | undefined;
  private running: Promise<void> | undefined;
  private failures = 0;

  constructor(
    private readonly client: Client,
    readonly gvr: GroupVersionResourceRef,
    private readonly opts: InformerOptions,
    private readonly clock: Clock,
  ) {
    this.addIndexer("namespace", (o) => (o.metadata.namespace ? [o.metadata.namespace] : []));
  }

  addEventHandler(h: ResourceEventHandler): void {
    this.handlers.push(h);
    // a handler added late sees the current state as adds, as client-go's do
    for (const obj of this.items.values()) h.onAdd?.(obj);
  }

  /** Adds an index; a name already indexed keeps its first function (components share well-known indexes). */
  addIndexer(name: string, fn: IndexFunc): void {
    if (this.indexers.has(name)) return;
    this.indexers.set(name, fn);
    const index = new Map<string, Set<string>>();
    this.indices.set(name, index);
    for (const [key, obj] of this.items) for (const v of fn(obj)) this.indexAdd(index, v, key);
  }

  get hasSynced(): boolean {
    return this.synced;
  }

  get lastSyncResourceVersion(): string {
    return this.resourceVersion;
  }

  waitForSync(): Promise<void> {
    if (this.synced) return Promise.resolve();
    return new Promise((resolve) => this.syncWaiters.push(resolve));
  }

  get(namespace: string, name: string): KubeObject | undefined {
    return this.items.get(namespace ? `${namespace}/${name}` : name);
  }

  getByKey(key: string): KubeObject | undefined {
    return this.items.get(key);
  }

  list(namespace?: string): KubeObject[] {
    if (namespace) return this.byIndex("namespace", namespace);
    return [...this.items.values()];
  }

  byIndex(name: string, value: string): KubeObject[] {
    const keys = this.indices.get(name)?.get(value);
    return keys ? [...keys].map((k) => this.items.get(k)!).filter(Boolean) : [];
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.running = this.run();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.retryTimer?.cancel();
    // a cancelled timer never fires: let a run waiting to retry see that it is stopped
    this.wake?.();
    this.watch?.stop();
    await this.running;
  }

  private indexAdd(index: Map<string, Set<string>>, value: string, key: string): void {
    let set = index.get(value);
    if (!set) index.set(value, (set = new Set()));
    set.add(key);
  }

  private store(key: string, obj: KubeObject | undefined): void {
    const old = this.items.get(key);
    for (const [name, fn] of this.indexers) {
      const index = this.indices.get(name)!;
      if (old) for (const v of fn(old)) index.get(v)?.delete(key);
      if (obj) for (const v of fn(obj)) this.indexAdd(index, v, key);
    }
    if (obj) this.items.set(key, obj);
    else this.items.delete(key);
  }

  private emit(kind: "add" | "update" | "delete", obj: KubeObject, old?: KubeObject): void {
    for (const h of this.handlers) {
      try {
        if (kind === "add") h.onAdd?.(obj);
        else if (kind === "update") h.onUpdate?.(old!, obj);
        else h.onDelete?.(obj);
      } catch (err) {
        console.error(`kubefacade: informer handler for ${this.gvr.resource} failed:`, err);
      }
    }
  }

  private apply(type: string, obj: KubeObject): void {
    const key = objectKey(obj);
    const old = this.items.get(key);
    if (type === "DELETED") {
      this.store(key, undefined);
      this.emit("delete", obj);
    } else {
      this.store(key, obj);
      if (old) this.emit("update", obj, old);
      else this.emit("add", obj);
    }
  }

  private async relist(): Promise<void> {
    const list = await this.client.list(this.gvr, this.opts.namespace ?? "", {
      ...(this.opts.labelSelector ? { labelSelector: this.opts.labelSelector } : {}),
      ...(this.opts.fieldSelector ? { fieldSelector: this.opts.fieldSelector } : {}),
    });
    const seen = new Set<string>();
    for (const item of list.items) {
      const obj = item.kind ? item : { ...item, kind: list.kind.replace(/List$/, ""), apiVersion: list.apiVersion };
      seen.add(objectKey(obj));
      const old = this.items.get(objectKey(obj));
      if (!old || old.metadata.resourceVersion !== obj.metadata.resourceVersion) this.apply("ADDED", obj);
    }
    for (const [key, obj] of [...this.items]) if (!seen.has(key)) this.apply("DELETED", obj);
    this.resourceVersion = list.metadata.resourceVersion ?? "";
    if (!this.synced) {
      this.synced = true;
      for (const w of this.syncWaiters.splice(0)) w();
    }
  }

  private async run(): Promise<void> {
    while (!this.stopped) {
      try {
        if (!this.resourceVersion) await this.relist();
        if (this.stopped) break;
        await this.watchOnce();
        this.failures = 0;
      } catch (err) {
        if (err instanceof ApiError && err.code === 410) {
          this.resourceVersion = "";
          continue;
        }
        if (this.stopped) break;
        this.failures++;
        if (this.failures <= 3 || this.failures % 20 === 0) console.error(`kubefacade: informer ${this.gvr.resource}: ${(err as Error).message}`);
        await new Promise<void>((resolve) => {
          this.wake = resolve;
          this.retryTimer = this.clock.setTimer(Math.min(30_000, 200 * 2 ** Math.min(this.failures, 8)), resolve);
        });
        this.wake = undefined;
      }
    }
  }

  private async watchOnce(): Promise<void> {
    const w = await this.client.watch(this.gvr, this.opts.namespace ?? "", {
      resourceVersion: this.resourceVersion,
      allowWatchBookmarks: true,
      ...(this.opts.labelSelector ? { labelSelector: this.opts.labelSelector } : {}),
      ...(this.opts.fieldSelector ? { fieldSelector: this.opts.fieldSelector } : {}),
    });
    this.watch = w;
    try {
      for await (const ev of w) {
        if (this.stopped) break;
        if (ev.type === "ERROR") {
          const status = ev.object as unknown as { code?: number; message?: string };
          if (status.code === 410) this.resourceVersion = "";
          return;
        }
        if (ev.type !== "BOOKMARK") this.apply(ev.type, ev.object);
        if (ev.object.metadata?.resourceVersion) this.resourceVersion = ev.object.metadata.resourceVersion;
      }
    } finally {
      w.stop();
      this.watch = undefined;
    }
  }
}
