// The garbage collector's dependency graph (upstream pkg/controller/garbagecollector graph.go and
// graph_builder.go): one node per object that owns or is owned, keyed by uid, with edges from
// owners to dependents built from ownerReferences. Owners not seen yet are "virtual" nodes whose
// existence the collector verifies with a live GET. Informer events change the graph here,
// synchronously and in arrival order (upstream's single graphChanges worker), and tell the
// collector which nodes to look at: attemptToDelete and attemptToOrphan.
import type { OwnerReference } from "../../../apimachinery/types.js";

export const ORPHAN_FINALIZER = "orphan";
export const FOREGROUND_FINALIZER = "foregroundDeletion";

/** The coordinates of an object as the graph knows it. */
export interface ObjectIdentity {
  apiVersion: string;
  kind: string;
  name: string;
  uid: string;
  /** The object's namespace; for a virtual owner, the namespace of the dependent that named it. */
  namespace: string;
}

/** upstream objectReference.String(). */
export function identityString(id: ObjectIdentity): string {
  return `[${id.apiVersion}/${id.kind}, namespace: ${id.namespace}, name: ${id.name}, uid: ${id.uid}]`;
}

export class GraphNode {
  readonly dependents = new Set<GraphNode>();
  owners: OwnerReference[] = [];
  /** Has deletionTimestamp. */
  beingDeleted = false;
  /** Has deletionTimestamp and the foregroundDeletion finalizer. */
  deletingDependents = false;
  /** Seen through an informer; false for a "virtual" node only named by dependents. */
  observed: boolean;

  constructor(
    public identity: ObjectIdentity,
    virtual: boolean,
  ) {
    this.observed = !virtual;
  }

  /** Dependents whose reference to this node has blockOwnerDeletion. */
  blockingDependents(): GraphNode[] {
    const out: GraphNode[] = [];
    for (const dep of this.dependents) if (dep.owners.some((o) => o.uid === this.identity.uid && o.blockOwnerDeletion === true)) out.push(dep);
    return out;
  }
}

/** What an informer (or the collector, for a virtual delete) reports about one object. */
export interface GraphEvent {
  type: "add" | "update" | "delete";
  identity: ObjectIdentity;
  owners: OwnerReference[];
  deletionTimestamp?: string | undefined;
  finalizers: string[];
  /** The previous state of an update. */
  old?: { deletionTimestamp?: string | undefined; finalizers: string[] } | undefined;
  /** A delete the collector inferred from a 404 (or uid mismatch) of a live GET. */
  virtual?: boolean;
}

/** Where the graph sends nodes to look at (the collector's two queues, keyed by uid). */
export interface GraphSink {
  attemptToDelete(node: GraphNode, rateLimited?: boolean): void;
  attemptToOrphan(node: GraphNode): void;
  /** A dependent names an owner that does not exist in its namespace (event OwnerRefInvalidNamespace). */
  invalidNamespaceOwnerRef(dependent: GraphNode, owner: ObjectIdentity): void;
}

/** A bounded set with least-recently-used eviction (upstream ReferenceCache, 500 entries). */
export class LruSet {
  private readonly items = new Map<string, true>();

  constructor(private readonly capacity = 500) {}

  add(key: string): void {
    this.items.delete(key);
    this.items.set(key, true);
    if (this.items.size > this.capacity) this.items.delete(this.items.keys().next().value!);
  }

  has(key: string): boolean {
    if (!this.items.has(key)) return false;
    this.items.delete(key);
    this.items.set(key, true);
    return true;
  }
}

export function absentKey(ref: { apiVersion: string; kind: string; name: string; uid: string }, namespace: string): string {
  return JSON.stringify([ref.apiVersion, ref.kind, ref.name, ref.uid, namespace]);
}

const hasFinalizer = (finalizers: string[] | undefined, f: string) => (finalizers ?? []).includes(f);

function deletionStartsWithFinalizer(ev: GraphEvent, finalizer: string): boolean {
  if (!ev.deletionTimestamp || !hasFinalizer(ev.finalizers, finalizer)) return false;
  if (!ev.old) return true;
  return !ev.old.deletionTimestamp || !hasFinalizer(ev.old.finalizers, finalizer);
}

const refMatches = (ref: OwnerReference, id: ObjectIdentity) =>
  ref.uid === id.uid && ref.name === id.name && ref.kind === id.kind && ref.apiVersion === id.apiVersion;

/** upstream referencesDiffs: owners added, removed, and changed (same uid, other fields). */
export function referencesDiffs(old: OwnerReference[], next: OwnerReference[]): { added: OwnerReference[]; removed: OwnerReference[]; changed: { old: OwnerReference; next: OwnerReference }[] } {
  const oldByUid = new Map(old.map((r) => [r.uid, r]));
  const added: OwnerReference[] = [];
  const changed: { old: OwnerReference; next: OwnerReference }[] = [];
  for (const r of next) {
    const o = oldByUid.get(r.uid);
    if (!o) added.push(r);
    else {
      oldByUid.delete(r.uid);
      if (o.apiVersion !== r.apiVersion || o.kind !== r.kind || o.name !== r.name || o.controller !== r.controller || o.blockOwnerDeletion !== r.blockOwnerDeletion)
        changed.push({ old: o, next: r });
    }
  }
  return { added, removed: [...oldByUid.values()], changed };
}

const sameOwners = (a: OwnerReference[], b: OwnerReference[]) => {
  if (a.length !== b.length) return false;
  const d = referencesDiffs(a, b);
  return d.added.length === 0 && d.removed.length === 0 && d.changed.length === 0;
};

export class DependencyGraph {
  private readonly uidToNode = new Map<string, GraphNode>();
  readonly absentOwnerCache = new LruSet(500);

  constructor(private readonly sink: GraphSink) {}

  get(uid: string): GraphNode | undefined {
    return this.uidToNode.get(uid);
  }

  get size(): number {
    return this.uidToNode.size;
  }

  /** upstream processGraphChanges for one event. */
  process(ev: GraphEvent): void {
    const uid = ev.identity.uid;
    let existing = this.uidToNode.get(uid);
    if (existing && !ev.virtual && !existing.observed) {
      // a virtual node becomes real; its dependents may have named it by other coordinates
      const observed = ev.identity;
      if (!sameIdentity(observed, existing.identity)) {
        const { nonmatching } = partitionDependents([...existing.dependents], observed);
        for (const dep of nonmatching) {
          if (observed.namespace && dep.identity.namespace !== observed.namespace) this.sink.invalidNamespaceOwnerRef(dep, observed);
          this.sink.attemptToDelete(dep);
        }
        existing.identity = observed;
      }
      existing.observed = true;
    }

    if (ev.type !== "delete") {
      if (!existing) {
        const node = new GraphNode(ev.identity, false);
        node.owners = ev.owners;
        node.beingDeleted = !!ev.deletionTimestamp;
        node.deletingDependents = node.beingDeleted && hasFinalizer(ev.finalizers, FOREGROUND_FINALIZER);
        this.uidToNode.set(uid, node);
        this.addDependentToOwners(node, node.owners);
        this.processTransitions(ev, node);
        return;
      }
      const { added, removed, changed } = referencesDiffs(existing.owners, ev.owners);
      if (added.length || removed.length || changed.length) {
        this.addUnblockedOwnersToDeleteQueue(removed, changed);
        existing.owners = ev.owners;
        this.addDependentToOwners(existing, added);
        this.removeDependentFromOwners(existing, removed);
      }
      if (ev.deletionTimestamp) existing.beingDeleted = true;
      this.processTransitions(ev, existing);
      return;
    }

    if (!existing) return;
    let removeExisting = true;
    if (ev.virtual) {
      const deleted = ev.identity;
      if (!existing.observed) {
        const { matching, nonmatching } = partitionDependents([...existing.dependents], deleted);
        if (nonmatching.length > 0) {
          // some dependents name this owner by other coordinates: keep the node for them
          removeExisting = false;
          if (matching.length > 0) {
            this.absentOwnerCache.add(absentKey(deleted, deleted.namespace));
            for (const dep of matching) this.sink.attemptToDelete(dep);
          }
          if (sameIdentity(existing.identity, deleted)) {
            const replacement = alternateOwnerIdentity(nonmatching, deleted);
            if (replacement) {
              existing.identity = replacement;
              this.sink.attemptToDelete(existing, true);
            }
          }
        }
      } else if (!sameIdentity(existing.identity, deleted)) {
        // a real node is never removed by a virtual delete naming other coordinates
        removeExisting = false;
        const { matching } = partitionDependents([...existing.dependents], deleted);
        if (matching.length > 0) {
          this.absentOwnerCache.add(absentKey(deleted, deleted.namespace));
          for (const dep of matching) this.sink.attemptToDelete(dep);
        }
      }
    }
    if (!removeExisting) return;
    this.removeNode(existing);
    if (existing.dependents.size > 0) this.absentOwnerCache.add(absentKey(ev.identity, ev.identity.namespace));
    for (const dep of existing.dependents) this.sink.attemptToDelete(dep);
    for (const owner of existing.owners) {
      const ownerNode = this.uidToNode.get(owner.uid);
      if (ownerNode?.deletingDependents) this.sink.attemptToDelete(ownerNode);
    }
  }

  /** True when an update changes nothing the graph tracks (most status updates). */
  isNoop(ev: GraphEvent): boolean {
    if (ev.type !== "update" || !ev.old) return false;
    const node = this.uidToNode.get(ev.identity.uid);
    if (!node || !node.observed || !sameIdentity(node.identity, ev.identity)) return false;
    if (!!ev.deletionTimestamp !== !!ev.old.deletionTimestamp) return false;
    const a = ev.finalizers;
    const b = ev.old.finalizers;
    if (a.length !== b.length || a.some((f, i) => f !== b[i])) return false;
    return sameOwners(node.owners, ev.owners);
  }

  private processTransitions(ev: GraphEvent, node: GraphNode): void {
    if (deletionStartsWithFinalizer(ev, ORPHAN_FINALIZER)) {
      this.sink.attemptToOrphan(node);
      return;
    }
    if (deletionStartsWithFinalizer(ev, FOREGROUND_FINALIZER)) {
      node.deletingDependents = true;
      node.beingDeleted = true;
      for (const dep of node.dependents) this.sink.attemptToDelete(dep);
      this.sink.attemptToDelete(node);
    }
  }

  private addDependentToOwners(node: GraphNode, owners: OwnerReference[]): void {
    let potentiallyInvalid = false;
    for (const owner of owners) {
      let ownerNode = this.uidToNode.get(owner.uid);
      if (!ownerNode) {
        ownerNode = new GraphNode({ apiVersion: owner.apiVersion, kind: owner.kind, name: owner.name, uid: owner.uid, namespace: node.identity.namespace }, true);
        this.uidToNode.set(owner.uid, ownerNode);
        ownerNode.dependents.add(node);
        // the collector verifies with a live GET whether the owner exists
        this.sink.attemptToDelete(ownerNode);
        continue;
      }
      ownerNode.dependents.add(node);
      if (potentiallyInvalid) continue;
      const ownerNamespaced = ownerNode.identity.namespace !== "";
      if (ownerNamespaced && ownerNode.identity.namespace !== node.identity.namespace) {
        if (ownerNode.observed) this.sink.invalidNamespaceOwnerRef(node, { ...ownerNode.identity, namespace: node.identity.namespace });
        potentiallyInvalid = true;
      } else if (!refMatches(owner, ownerNode.identity)) {
        potentiallyInvalid = true;
      } else if (!ownerNamespaced && ownerNode.identity.namespace !== node.identity.namespace && !ownerNode.observed) {
        potentiallyInvalid = true;
      }
    }
    // the collector checks whether those owner references dangle
    if (potentiallyInvalid) this.sink.attemptToDelete(node);
  }

  private removeDependentFromOwners(node: GraphNode, owners: OwnerReference[]): void {
    for (const owner of owners) this.uidToNode.get(owner.uid)?.dependents.delete(node);
  }

  private removeNode(node: GraphNode): void {
    this.uidToNode.delete(node.identity.uid);
    this.removeDependentFromOwners(node, node.owners);
  }

  /** Owners waiting for their dependents' deletion whose blocking reference went away. */
  private addUnblockedOwnersToDeleteQueue(removed: OwnerReference[], changed: { old: OwnerReference; next: OwnerReference }[]): void {
    for (const ref of removed) {
      if (ref.blockOwnerDeletion !== true) continue;
      const owner = this.uidToNode.get(ref.uid);
      if (owner?.deletingDependents) this.sink.attemptToDelete(owner);
    }
    for (const c of changed) {
      if (c.old.blockOwnerDeletion === true && c.next.blockOwnerDeletion !== true) {
        const owner = this.uidToNode.get(c.next.uid);
        if (owner?.deletingDependents) this.sink.attemptToDelete(owner);
      }
    }
  }
}

export function sameIdentity(a: ObjectIdentity, b: ObjectIdentity): boolean {
  return a.uid === b.uid && a.name === b.name && a.kind === b.kind && a.apiVersion === b.apiVersion && a.namespace === b.namespace;
}

/** Dependents whose reference to `owner` matches its coordinates (and namespace), and the rest. */
export function partitionDependents(dependents: GraphNode[], owner: ObjectIdentity): { matching: GraphNode[]; nonmatching: GraphNode[] } {
  const matching: GraphNode[] = [];
  const nonmatching: GraphNode[] = [];
  for (const dep of dependents) {
    const ref = dep.owners.find((o) => o.uid === owner.uid);
    if (!ref) continue;
    if (owner.namespace && dep.identity.namespace !== owner.namespace) nonmatching.push(dep);
    else if (refMatches(ref, owner)) matching.push(dep);
    else nonmatching.push(dep);
  }
  return { matching, nonmatching };
}

/** Another identity the dependents use for an owner whose named identity was verified absent. */
function alternateOwnerIdentity(deps: GraphNode[], verifiedAbsent: ObjectIdentity): ObjectIdentity | undefined {
  const candidates: ObjectIdentity[] = [];
  for (const dep of deps) {
    for (const ref of dep.owners) {
      if (ref.uid !== verifiedAbsent.uid) continue;
      const id: ObjectIdentity = { apiVersion: ref.apiVersion, kind: ref.kind, name: ref.name, uid: ref.uid, namespace: dep.identity.namespace };
      if (!sameIdentity(id, verifiedAbsent)) candidates.push(id);
    }
  }
  if (candidates.length === 0) return undefined;
  // a stable choice: the lowest coordinates after the absent one, else the lowest overall
  const key = (i: ObjectIdentity) => JSON.stringify([i.apiVersion, i.kind, i.name, i.namespace]);
  candidates.sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
  const after = candidates.find((c) => key(c) > key(verifiedAbsent));
  return after ?? candidates[0];
}
