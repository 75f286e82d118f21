// The garbage collector (upstream pkg/controller/garbagecollector): one informer ("monitor") per
// deletable resource the server serves — taken from discovery, so custom resources join when their
// CRD is established — feeds the dependency graph; workers then
//  - attemptToDelete: delete objects all of whose owners are gone (Background, or what their own
//    finalizers ask for), delete in Foreground dependents of an owner deleting in Foreground, drop
//    dangling references from objects that still have a live owner, and release an owner whose
//    blocking dependents are gone (remove `foregroundDeletion`);
//  - attemptToOrphan: remove the owner's reference from its dependents, then its `orphan` finalizer.
// Owners the graph has not seen are verified with a live GET; every decision is made on the live
// object, never on the cache alone.
import { ApiError } from "../../../apimachinery/errors.js";
import type { KubeObject, OwnerReference } from "../../../apimachinery/types.js";
import type { Client } from "../../../client/interface.js";
import type { SharedInformer } from "../../../client/informers/shared-informer.js";
import type { ControllerContext } from "../../../controlplane/context.js";
import type { PropagationPolicy } from "../../../registry/rest.js";
import { Controller, type Result, type Runnable } from "../../runtime/controller.js";
import type { EventRecorder } from "../../runtime/events.js";
import { apiVersionOfResource, gvrOf, RestMapper, type DiscoveredResource, type ResourceDiscovery } from "../discovery.js";
import {
  absentKey,
  DependencyGraph,
  FOREGROUND_FINALIZER,
  identityString,
  ORPHAN_FINALIZER,
  type GraphEvent,
  type GraphNode,
  type ObjectIdentity,
} from "./graph.js";

/** upstream --concurrent-gc-syncs default. */
const GC_WORKERS = 20;
/** How many dependents are patched at once when orphaning. */
const ORPHAN_PARALLELISM = 64;
const CONFLICT_RETRIES = 5;

/** Resources the collector never watches (upstream DefaultIgnoredResources). */
const IGNORED = new Set(["/events", "events.k8s.io/events"]);

class RestMappingError extends Error {
  constructor(apiVersion: string, kind: string) {
    super(`unable to get REST mapping for ${apiVersion}/${kind}.`);
  }
}
const ENQUEUED_VIRTUAL_DELETE = new Error("enqueued virtual delete event");
const NAMESPACED_OWNER_OF_CLUSTER_SCOPED = new Error("cluster-scoped objects cannot refer to namespaced owners");

const isReason = (err: unknown, reason: string) => err instanceof ApiError && err.reason === reason;

/** Resources the collector monitors: preferred versions that can be listed, watched and deleted. */
export function deletableResources(all: DiscoveredResource[]): DiscoveredResource[] {
  return all.filter(
    (r) => r.preferred && !IGNORED.has(`${r.group}/${r.resource}`) && ["delete", "list", "watch"].every((v) => r.verbs.includes(v)),
  );
}

export class GarbageCollector implements Runnable {
  readonly name = "garbage-collector-controller";
  readonly graph: DependencyGraph;
  private readonly attemptToDelete: Controller;
  private readonly attemptToOrphan: Controller;
  private readonly monitors = new Map<string, SharedInformer>();
  private readonly client: Client;
  private readonly recorder: EventRecorder;
  private mapper: RestMapper | undefined;
  private unsubscribe: (() => void) | undefined;

  constructor(
    private readonly ctx: ControllerContext,
    private readonly discovery: ResourceDiscovery,
  ) {
    this.client = ctx.clientFor("kube-controller-manager");
    this.recorder = ctx.recorder("garbage-collector-controller");
    this.attemptToDelete = new Controller("garbagecollector-attempt-to-delete", (uid) => this.attemptToDeleteWorker(uid), ctx.clock, GC_WORKERS);
    this.attemptToOrphan = new Controller("garbagecollector-attempt-to-orphan", (uid) => this.attemptToOrphanWorker(uid), ctx.clock, GC_WORKERS);
    this.graph = new DependencyGraph({
      attemptToDelete: (node, rateLimited) => (rateLimited ? this.attemptToDelete.queue.addRateLimited(node.identity.uid) : this.attemptToDelete.enqueue(node.identity.uid)),
      attemptToOrphan: (node) => this.attemptToOrphan.enqueue(node.identity.uid),
      invalidNamespaceOwnerRef: (dep, owner) => this.reportInvalidNamespaceOwnerRef(dep, owner),
    });
    this.syncMonitors();
    this.unsubscribe = discovery.onChange(() => {
      this.mapper = undefined;
      this.syncMonitors();
    });
  }

  start(): void {
    this.attemptToDelete.start();
    this.attemptToOrphan.start();
  }

  async stop(): Promise<void> {
    this.unsubscribe?.();
    await Promise.all([this.attemptToDelete.stop(), this.attemptToOrphan.stop()]);
  }

  /** The GVRs being monitored (tests). */
  monitored(): string[] {
    return [...this.monitors.keys()];
  }

  private restMapper(): RestMapper {
    return (this.mapper ??= new RestMapper(this.discovery.resources()));
  }

  /** Starts a monitor for every deletable resource not monitored yet and stops those of resources gone (upstream resyncMonitors). */
  private syncMonitors(): void {
    const current = deletableResources(this.discovery.resources());
    const keys = new Set(current.map((r) => `${r.group}/${r.version}/${r.resource}`));
    for (const key of [...this.monitors.keys()]) {
      if (keys.has(key)) continue;
      this.monitors.delete(key);
      const [group, version, resource] = key.split("/") as [string, string, string];
      void this.ctx.informers.remove({ group, version, resource });
    }
    for (const r of current) {
      const key = `${r.group}/${r.version}/${r.resource}`;
      if (this.monitors.has(key)) continue;
      const informer = this.ctx.informers.informerFor(gvrOf(r));
      this.monitors.set(key, informer);
      const apiVersion = apiVersionOfResource(r);
      const identity = (o: KubeObject): ObjectIdentity => ({
        apiVersion,
        kind: r.kind,
        name: o.metadata.name ?? "",
        uid: o.metadata.uid ?? "",
        namespace: o.metadata.namespace ?? "",
      });
      const event = (type: GraphEvent["type"], o: KubeObject, old?: KubeObject): GraphEvent => ({
        type,
        identity: identity(o),
        owners: o.metadata.ownerReferences ?? [],
        deletionTimestamp: o.metadata.deletionTimestamp,
        finalizers: o.metadata.finalizers ?? [],
        old: old ? { deletionTimestamp: old.metadata.deletionTimestamp, finalizers: old.metadata.finalizers ?? [] } : undefined,
      });
      informer.addEventHandler({
        onAdd: (o) => {
          if (o.metadata.uid) this.graph.process(event("add", o));
        },
        onUpdate: (old, o) => {
          if (!o.metadata.uid) return;
          const ev = event("update", o, old);
          if (!this.graph.isNoop(ev)) this.graph.process(ev);
        },
        onDelete: (o) => {
          if (o.metadata.uid) this.graph.process(event("delete", o));
        },
      });
    }
  }

  private reportInvalidNamespaceOwnerRef(dep: GraphNode, owner: ObjectIdentity): void {
    const id = dep.identity;
    const ref: KubeObject = { apiVersion: id.apiVersion, kind: id.kind, metadata: { name: id.name, uid: id.uid, ...(id.namespace ? { namespace: id.namespace } : {}) } };
    this.recorder.event(ref, "Warning", "OwnerRefInvalidNamespace", `ownerRef ${identityString({ ...owner, namespace: id.namespace })} does not exist in namespace "${id.namespace}"`);
  }

  private mapping(apiVersion: string, kind: string): DiscoveredResource {
    const m = this.restMapper().mapping(apiVersion, kind);
    if (!m) throw new RestMappingError(apiVersion, kind);
    return m;
  }

  /** The live object of a node (upstream getObject through the metadata client). */
  private async getObject(id: ObjectIdentity): Promise<KubeObject> {
    const m = this.mapping(id.apiVersion, id.kind);
    if (m.namespaced && !id.namespace) throw NAMESPACED_OWNER_OF_CLUSTER_SCOPED;
    return this.client.get(gvrOf(m), m.namespaced ? id.namespace : "", id.name);
  }

  private virtualDelete(id: ObjectIdentity): void {
    this.graph.process({ type: "delete", identity: id, owners: [], finalizers: [], virtual: true });
  }

  private async attemptToDeleteWorker(uid: string): Promise<Result | void> {
    const node = this.graph.get(uid);
    if (!node) return;
    try {
      await this.attemptToDeleteItem(node);
    } catch (err) {
      if (err === ENQUEUED_VIRTUAL_DELETE || err === NAMESPACED_OWNER_OF_CLUSTER_SCOPED) return;
      // a kind discovery does not know (yet): retry quietly, as upstream logs it at V(5)
      if (err instanceof RestMappingError) return { requeue: true };
      throw err;
    }
    // a virtual node that exists but has not been seen by an informer yet: look again later
    if (!node.observed) return { requeue: true };
  }

  private async attemptToDeleteItem(item: GraphNode): Promise<void> {
    if (item.beingDeleted && !item.deletingDependents) return;
    let latest: KubeObject;
    try {
      latest = await this.getObject(item.identity);
    } catch (err) {
      if (isReason(err, "NotFound")) {
        this.virtualDelete(item.identity);
        throw ENQUEUED_VIRTUAL_DELETE;
      }
      throw err;
    }
    if (latest.metadata.uid !== item.identity.uid) {
      this.virtualDelete(item.identity);
      throw ENQUEUED_VIRTUAL_DELETE;
    }
    if (item.deletingDependents) return this.processDeletingDependentsItem(item);

    const owners = latest.metadata.ownerReferences ?? [];
    if (owners.length === 0) return;
    const { solid, dangling, waiting } = await this.classifyReferences(item, owners);

    if (solid.length > 0) {
      if (dangling.length === 0 && waiting.length === 0) return;
      // dangling and waiting references go, or waiting owners would wait forever
      const uids = new Set([...dangling, ...waiting].map((r) => r.uid));
      await this.patchOwnerReferences(item, (refs) => refs.filter((r) => !uids.has(r.uid)));
      return;
    }
    if (waiting.length > 0 && item.dependents.size > 0) {
      for (const dep of item.dependents) {
        if (dep.deletingDependents) {
          // a possible cycle: make this item's references non-blocking before it waits in turn
          await this.patchOwnerReferences(item, (refs) => refs.map((r) => (r.blockOwnerDeletion === true ? { ...r, blockOwnerDeletion: false } : r)));
          break;
        }
      }
      await this.deleteObject(item.identity, latest, "Foreground");
      return;
    }
    const finalizers = latest.metadata.finalizers ?? [];
    const policy: PropagationPolicy = finalizers.includes(ORPHAN_FINALIZER) ? "Orphan" : finalizers.includes(FOREGROUND_FINALIZER) ? "Foreground" : "Background";
    await this.deleteObject(item.identity, latest, policy);
  }

  /** solid: the owner exists and is not deleting in Foreground; dangling: gone; waiting: deleting in Foreground. */
  private async classifyReferences(item: GraphNode, refs: OwnerReference[]): Promise<{ solid: OwnerReference[]; dangling: OwnerReference[]; waiting: OwnerReference[] }> {
    const solid: OwnerReference[] = [];
    const dangling: OwnerReference[] = [];
    const waiting: OwnerReference[] = [];
    for (const ref of refs) {
      const owner = await this.liveOwner(ref, item);
      if (!owner) dangling.push(ref);
      else if (owner.metadata.deletionTimestamp && (owner.metadata.finalizers ?? []).includes(FOREGROUND_FINALIZER)) waiting.push(ref);
      else solid.push(ref);
    }
    return { solid, dangling, waiting };
  }

  /** The owner a reference names, or undefined when it dangles (upstream isDangling). */
  private async liveOwner(ref: OwnerReference, item: GraphNode): Promise<KubeObject | undefined> {
    const absent = this.graph.absentOwnerCache;
    if (absent.has(absentKey(ref, "")) || absent.has(absentKey(ref, item.identity.namespace))) return undefined;
    const m = this.mapping(ref.apiVersion, ref.kind);
    const namespace = m.namespaced ? item.identity.namespace : "";
    if (!item.identity.namespace && m.namespaced) throw NAMESPACED_OWNER_OF_CLUSTER_SCOPED;
    let owner: KubeObject;
    try {
      owner = await this.client.get(gvrOf(m), namespace, ref.name);
    } catch (err) {
      if (isReason(err, "NotFound")) {
        absent.add(absentKey(ref, namespace));
        return undefined;
      }
      throw err;
    }
    if (owner.metadata.uid !== ref.uid) {
      absent.add(absentKey(ref, namespace));
      return undefined;
    }
    return owner;
  }

  private async processDeletingDependentsItem(item: GraphNode): Promise<void> {
    const blocking = item.blockingDependents();
    if (blocking.length === 0) {
      await this.removeFinalizer(item, FOREGROUND_FINALIZER);
      return;
    }
    for (const dep of blocking) if (!dep.deletingDependents) this.attemptToDelete.enqueue(dep.identity.uid);
  }

  /** DELETE with the uid and resourceVersion of what was decided on (upstream deleteObject). */
  private async deleteObject(id: ObjectIdentity, latest: KubeObject, policy: PropagationPolicy): Promise<void> {
    const m = this.mapping(id.apiVersion, id.kind);
    const gvr = gvrOf(m);
    const namespace = m.namespaced ? id.namespace : "";
    const del = (resourceVersion: string | undefined) =>
      this.client.delete(gvr, namespace, id.name, { preconditions: { uid: id.uid, ...(resourceVersion ? { resourceVersion } : {}) }, propagationPolicy: policy });
    try {
      await del(latest.metadata.resourceVersion);
    } catch (err) {
      if (!isReason(err, "Conflict") || !latest.metadata.resourceVersion) throw err;
      // changed since: delete anyway unless its owners changed
      let live: KubeObject;
      try {
        live = await this.client.get(gvr, namespace, id.name);
      } catch (getErr) {
        if (isReason(getErr, "NotFound")) return;
        throw getErr;
      }
      if (live.metadata.uid !== id.uid) return;
      if (JSON.stringify(live.metadata.ownerReferences ?? []) !== JSON.stringify(latest.metadata.ownerReferences ?? [])) throw err;
      await del(live.metadata.resourceVersion);
    }
  }

  /** Rewrites a node's ownerReferences on the live object, retrying on conflicts. */
  private async patchOwnerReferences(item: GraphNode, change: (refs: OwnerReference[]) => OwnerReference[]): Promise<void> {
    const m = this.mapping(item.identity.apiVersion, item.identity.kind);
    const gvr = gvrOf(m);
    const namespace = m.namespaced ? item.identity.namespace : "";
    for (let attempt = 0; ; attempt++) {
      let live: KubeObject;
      try {
        live = await this.client.get(gvr, namespace, item.identity.name);
      } catch (err) {
        if (isReason(err, "NotFound")) return;
        throw err;
      }
      if (live.metadata.uid !== item.identity.uid) return;
      const refs = live.metadata.ownerReferences ?? [];
      const next = change(refs);
      if (JSON.stringify(next) === JSON.stringify(refs)) return;
      try {
        await this.client.patch(gvr, namespace, item.identity.name, "merge", {
          metadata: { uid: item.identity.uid, resourceVersion: live.metadata.resourceVersion, ownerReferences: next.length ? next : null },
        });
        return;
      } catch (err) {
        if (isReason(err, "NotFound")) return;
        if (!isReason(err, "Conflict") || attempt >= CONFLICT_RETRIES) throw err;
      }
    }
  }

  /** Removes one finalizer from the live object (upstream removeFinalizer). */
  private async removeFinalizer(owner: GraphNode, finalizer: string): Promise<void> {
    const m = this.mapping(owner.identity.apiVersion, owner.identity.kind);
    const gvr = gvrOf(m);
    const namespace = m.namespaced ? owner.identity.namespace : "";
    for (let attempt = 0; ; attempt++) {
      let live: KubeObject;
      try {
        live = await this.client.get(gvr, namespace, owner.identity.name);
      } catch (err) {
        if (isReason(err, "NotFound")) return;
        throw new Error(`cannot finalize owner ${identityString(owner.identity)}, because cannot get it: ${(err as Error).message}. The garbage collector will retry later`);
      }
      if (live.metadata.uid !== owner.identity.uid) return;
      const finalizers = live.metadata.finalizers ?? [];
      if (!finalizers.includes(finalizer)) return;
      const rest = finalizers.filter((f) => f !== finalizer);
      try {
        await this.client.patch(gvr, namespace, owner.identity.name, "merge", {
          metadata: { resourceVersion: live.metadata.resourceVersion, finalizers: rest.length ? rest : null },
        });
        return;
      } catch (err) {
        if (isReason(err, "NotFound")) return;
        if (!isReason(err, "Conflict") || attempt >= CONFLICT_RETRIES) throw err;
      }
    }
  }

  private async attemptToOrphanWorker(uid: string): Promise<void> {
    const owner = this.graph.get(uid);
    if (!owner) return;
    const dependents = [...owner.dependents];
    const failures: string[] = [];
    for (let i = 0; i < dependents.length; i += ORPHAN_PARALLELISM) {
      await Promise.all(
        dependents.slice(i, i + ORPHAN_PARALLELISM).map(async (dep) => {
          try {
            await this.patchOwnerReferences(dep, (refs) => refs.filter((r) => r.uid !== owner.identity.uid));
          } catch (err) {
            if (!isReason(err, "NotFound")) failures.push(`orphaning ${identityString(dep.identity)} failed, ${(err as Error).message}`);
          }
        }),
      );
    }
    if (failures.length) throw new Error(`failed to orphan dependents of owner ${identityString(owner.identity)}, got errors: ${failures.length === 1 ? failures[0] : `[${failures.join(", ")}]`}`);
    await this.removeFinalizer(owner, ORPHAN_FINALIZER);
  }
}
