// The StatefulSet controller (upstream pkg/controller/statefulset: stateful_set.go,
// stateful_set_control.go, stateful_pod_control.go): ordinal pods created in order (OrderedReady)
// or in parallel, PersistentVolumeClaims from volumeClaimTemplates created before their pod,
// rolling updates from the highest ordinal down to the partition, OnDelete, ControllerRevision
// history with collision counting and a history limit, status through the status subresource, and
// upstream's events.
import { fromMetaLabelSelector, type LabelSelector } from "../../apimachinery/labels.js";
import type { KubeObject } from "../../apimachinery/types.js";
import type { SharedInformer } from "../../client/informers/shared-informer.js";
import { R, type Client } from "../../client/interface.js";
import type { ControllerContext } from "../../controlplane/context.js";
import type { Clock } from "../../util/clock.js";
import { Controller, keyOf, splitKey, type Result, type Runnable } from "../runtime/controller.js";
import type { EventRecorder } from "../runtime/events.js";
import { Expectations } from "../runtime/expectations.js";
import { controllerRef } from "../runtime/owner-refs.js";
import {
  ORPHAN_PREFIX,
  type Obj,
  availableAt,
  DeletionObserver,
  claimObjects,
  controllerUIDIndex,
  isAlreadyExists,
  isConflict,
  isNotFound,
  isPodReady,
  isTerminating,
} from "./pods.js";
import { equalRevision, nextRevision, revisionNumber, revisionTemplate, sortRevisions } from "./revisions.js";
import {
  type StatefulSetStatusFields,
  applyRevision,
  byOrdinalDescending,
  claimsFor,
  completeRollingUpdate,
  countReplicas,
  encodeStatefulSetStatus,
  endOrdinal,
  hasStalePodRef,
  identityMatches,
  inconsistentStatus,
  isClaimOwnerUpToDate,
  isCreated,
  isFailed,
  isHealthy,
  isMemberOf,
  isPending,
  isRunningAndAvailable,
  isRunningAndReady,
  isSucceeded,
  newStatefulSetRevision,
  newVersionedStatefulSetPod,
  ordinalOf,
  podInOrdinalRange,
  podRevision,
  retentionPolicy,
  setSpec,
  setStatus,
  specReplicas,
  startOrdinal,
  storageMatches,
  updateClaimOwnerRefs,
  updateIdentity,
  updateStorage,
} from "./stateful-set-utils.js";

/** Upstream's MaxBatchSize for parallel pod management. */
export const MAX_BATCH_SIZE = 500;
/** kube-controller-manager's --concurrent-statefulset-syncs default. */
const WORKERS = 5;
const INDEX = "stateful/controllerUID";

type Pod = KubeObject;

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** utilerrors.NewAggregate's message. */
export class AggregatedError extends Error {
  constructor(readonly errors: Error[]) {
    super(errors.length === 1 ? errors[0]!.message : `[${errors.map((e) => e.message).join(", ")}]`);
  }
}

function aggregate(errs: unknown[]): Error | undefined {
  const list = errs.filter(Boolean).map((e) => (e instanceof Error ? e : new Error(String(e))));
  if (list.length === 0) return undefined;
  return list.length === 1 ? list[0] : new AggregatedError(list);
}

/**
 * slowStartBatch: runs fn over [0, remaining) in batches of 1, 2, 4, ... (at most MAX_BATCH_SIZE),
 * stopping after the first batch with an error.
 */
export async function slowStartBatch(initial: number, remaining: number, fn: (i: number) => Promise<unknown>): Promise<{ successes: number; error?: Error }> {
  let successes = 0;
  let j = 0;
  for (let batch = Math.min(remaining, initial); batch > 0; batch = Math.min(2 * batch, remaining, MAX_BATCH_SIZE)) {
    const results = await Promise.allSettled(Array.from({ length: batch }, () => fn(j++)));
    const errs = results.filter((r): r is PromiseRejectedResult => r.status === "rejected").map((r) => r.reason);
    successes += batch - errs.length;
    if (errs.length) return { successes, error: aggregate(errs)! };
    remaining -= batch;
  }
  return { successes };
}

export class StatefulSetController implements Runnable {
  readonly name = "statefulset-controller";
  private readonly controller: Controller;
  private readonly client: Client;
  private readonly recorder: EventRecorder;
  private readonly clock: Clock;
  private readonly sets: SharedInformer;
  private readonly pods: SharedInformer;
  private readonly claims: SharedInformer;
  private readonly revisions: SharedInformer;
  private readonly expectations: Expectations;
  private readonly deletions = new DeletionObserver();

  constructor(ctx: ControllerContext) {
    this.client = ctx.clientFor("kube-controller-manager");
    this.recorder = ctx.recorder("statefulset-controller");
    this.clock = ctx.clock;
    this.expectations = new Expectations(ctx.clock);
    this.controller = new Controller(this.name, (key) => this.sync(key), ctx.clock, WORKERS);
    this.sets = ctx.informers.informerFor(R.statefulsets);
    this.pods = ctx.informers.informerFor(R.pods);
    this.claims = ctx.informers.informerFor(R.persistentvolumeclaims);
    this.revisions = ctx.informers.informerFor(R.controllerrevisions);
    this.pods.addIndexer(INDEX, controllerUIDIndex);
    this.revisions.addIndexer(INDEX, controllerUIDIndex);

    this.sets.addEventHandler({
      onAdd: (s) => this.controller.enqueue(keyOf(s)),
      onUpdate: (_o, s) => this.controller.enqueue(keyOf(s)),
      onDelete: (s) => {
        this.expectations.delete(keyOf(s));
        this.controller.enqueue(keyOf(s));
      },
    });
    this.pods.addEventHandler({
      onAdd: (p) => this.podAdded(p),
      onUpdate: (o, p) => this.podUpdated(o, p),
      onDelete: (p) => this.podDeleted(p),
    });
    // orphaned revisions matching a set are adopted on its next sync
    this.revisions.addEventHandler({
      onAdd: (r) => {
        if (!controllerRef(r)) for (const s of this.setsSelecting(r)) this.controller.enqueue(keyOf(s));
      },
    });
  }

  start(): void {
    this.controller.start();
  }

  stop(): Promise<void> {
    return this.controller.stop();
  }

  // ---- event handlers ----

  private resolve(namespace: string, ref: { kind: string; name: string; uid: string }): KubeObject | undefined {
    if (ref.kind !== "StatefulSet") return undefined;
    const set = this.sets.get(namespace, ref.name);
    return set && set.metadata.uid === ref.uid ? set : undefined;
  }

  private setsSelecting(obj: KubeObject): KubeObject[] {
    const out: KubeObject[] = [];
    for (const set of this.sets.list(obj.metadata.namespace)) {
      try {
        const sel = fromMetaLabelSelector(setSpec(set).selector);
        if (!sel.empty && sel.matches(obj.metadata.labels)) out.push(set);
      } catch {
        // an invalid selector selects nothing
      }
    }
    return out;
  }

  private podAdded(pod: Pod): void {
    const ref = controllerRef(pod);
    if (ref) {
      const set = this.resolve(pod.metadata.namespace ?? "", ref);
      if (!set) return;
      const key = keyOf(set);
      // a pod first seen already terminating (after a restart) is not a creation
      if (!pod.metadata.deletionTimestamp) this.expectations.creationObserved(key);
      else if (this.deletions.observe(pod, false)) this.expectations.deletionObserved(key);
      this.controller.enqueue(key);
      return;
    }
    if (pod.metadata.deletionTimestamp) return;
    for (const set of this.setsSelecting(pod)) this.controller.enqueue(keyOf(set));
  }

  private podUpdated(old: Pod, cur: Pod): void {
    if (old.metadata.resourceVersion === cur.metadata.resourceVersion) return;
    const curRef = controllerRef(cur);
    const oldRef = controllerRef(old);
    const refChanged = JSON.stringify(curRef ?? null) !== JSON.stringify(oldRef ?? null);
    if (refChanged && oldRef) {
      const set = this.resolve(old.metadata.namespace ?? "", oldRef);
      if (set) this.controller.enqueue(keyOf(set));
    }
    if (curRef) {
      const set = this.resolve(cur.metadata.namespace ?? "", curRef);
      if (!set) return;
      const key = keyOf(set);
      if (this.deletions.observe(cur, false)) this.expectations.deletionObserved(key);
      this.controller.enqueue(key);
      const minReady = (setSpec(set).minReadySeconds as number | undefined) ?? 0;
      if (!isPodReady(old) && isPodReady(cur) && minReady > 0) this.controller.enqueueAfter(key, minReady * 1000 + 1000);
      return;
    }
    const labelsChanged = JSON.stringify(cur.metadata.labels ?? {}) !== JSON.stringify(old.metadata.labels ?? {});
    if (labelsChanged || refChanged) for (const set of this.setsSelecting(cur)) this.controller.enqueue(keyOf(set));
  }

  private podDeleted(pod: Pod): void {
    const ref = controllerRef(pod);
    if (!ref) return;
    const set = this.resolve(pod.metadata.namespace ?? "", ref);
    if (!set) return;
    const key = keyOf(set);
    if (this.deletions.observe(pod, true)) this.expectations.deletionObserved(key);
    this.controller.enqueue(key);
  }

  // ---- sync ----

  private async sync(key: string): Promise<Result | void> {
    const { namespace, name } = splitKey(key);
    const set = this.sets.get(namespace, name);
    if (!set) {
      this.expectations.delete(key);
      return;
    }
    // wait until the cache has seen this controller's own creates and deletes
    if (!this.expectations.satisfied(key)) return;
    this.expectations.expect(key, 0, 0);
    let selector: LabelSelector;
    try {
      selector = fromMetaLabelSelector(setSpec(set).selector);
    } catch {
      return; // a non-transient error: not retried
    }
    await this.adoptOrphanRevisions(set, selector);
    const pods = await this.podsForSet(set, selector);
    const status = await this.updateStatefulSet(set, pods);
    const minReady = (setSpec(set).minReadySeconds as number | undefined) ?? 0;
    if (status && minReady > 0 && status.availableReplicas !== specReplicas(set)) {
      // requeue when the next ready pod becomes available
      const now = this.clock.now();
      let next = Infinity;
      for (const p of pods) {
        const at = availableAt(p, minReady);
        if (at !== undefined && at >= now) next = Math.min(next, at - now + 1000);
      }
      return { requeueAfterMs: Number.isFinite(next) ? next : minReady * 1000 };
    }
  }

  private canAdopt(set: KubeObject): () => Promise<boolean> {
    return async () => {
      try {
        const fresh = await this.client.get(R.statefulsets, set.metadata.namespace ?? "", set.metadata.name!);
        return fresh.metadata.uid === set.metadata.uid && !fresh.metadata.deletionTimestamp;
      } catch {
        return false;
      }
    };
  }

  private podsForSet(set: KubeObject, selector: LabelSelector): Promise<Pod[]> {
    const candidates = [...this.pods.byIndex(INDEX, set.metadata.uid!), ...this.pods.byIndex(INDEX, ORPHAN_PREFIX + (set.metadata.namespace ?? ""))];
    return claimObjects({
      client: this.client,
      gvr: R.pods,
      owner: set,
      selector,
      candidates,
      filter: (p) => isMemberOf(set, p),
      canAdopt: this.canAdopt(set),
    });
  }

  /** ListRevisions: revisions selected by the set that it controls or nobody does. */
  private listRevisions(set: KubeObject, selector: LabelSelector): KubeObject[] {
    const ns = set.metadata.namespace ?? "";
    return [...this.revisions.byIndex(INDEX, set.metadata.uid!), ...this.revisions.byIndex(INDEX, ORPHAN_PREFIX + ns)].filter(
      (r) => r.metadata.namespace === ns && selector.matches(r.metadata.labels),
    );
  }

  private async adoptOrphanRevisions(set: KubeObject, selector: LabelSelector): Promise<void> {
    const orphans = this.listRevisions(set, selector).filter((r) => !controllerRef(r));
    if (orphans.length === 0) return;
    if (!(await this.canAdopt(set)())) throw new Error(`can't adopt ControllerRevisions: StatefulSet ${set.metadata.namespace}/${set.metadata.name} is being deleted`);
    for (const r of orphans) {
      await this.client.patch(R.controllerrevisions, r.metadata.namespace ?? "", r.metadata.name!, "strategic", {
        metadata: {
          ownerReferences: [{ apiVersion: "apps/v1", kind: "StatefulSet", name: set.metadata.name, uid: set.metadata.uid, controller: true, blockOwnerDeletion: true }],
          uid: r.metadata.uid,
        },
      });
    }
  }

  /** UpdateStatefulSet: revisions, the update itself, the status, and the history limit. */
  private async updateStatefulSet(set: KubeObject, pods: Pod[]): Promise<StatefulSetStatusFields | undefined> {
    const selector = fromMetaLabelSelector(setSpec(set).selector);
    const revisions = sortRevisions(this.listRevisions(set, selector).slice());
    let current: KubeObject | undefined;
    let update: KubeObject | undefined;
    let status: StatefulSetStatusFields | undefined;
    let failure: unknown;
    try {
      const r = await this.getStatefulSetRevisions(set, revisions);
      current = r.current;
      update = r.update;
      const res = await this.updatePods(set, current, update, r.collisionCount, pods);
      status = res.status;
      let statusErr: unknown;
      try {
        await this.updateStatefulSetStatus(set, status);
      } catch (err) {
        statusErr = err;
      }
      failure = res.error ?? statusErr;
    } catch (err) {
      failure = err;
    }
    let historyErr: unknown;
    try {
      await this.truncateHistory(set, pods, revisions, current, update);
    } catch (err) {
      historyErr = err;
    }
    const err = aggregate([failure, historyErr]);
    if (err) throw err;
    return status;
  }

  /** getStatefulSetRevisions: the current and update revisions, creating or renumbering as needed. */
  private async getStatefulSetRevisions(set: KubeObject, revisions: KubeObject[]): Promise<{ current: KubeObject; update: KubeObject; collisionCount: number }> {
    let collisionCount = (setStatus(set).collisionCount as number | undefined) ?? 0;
    const candidate = newStatefulSetRevision(set, nextRevision(revisions), collisionCount);
    const equal = revisions.filter((r) => equalRevision(r, candidate));
    let update: KubeObject;
    if (equal.length > 0 && equalRevision(revisions[revisions.length - 1], equal[equal.length - 1])) {
      update = revisions[revisions.length - 1]!;
    } else if (equal.length > 0) {
      update = await this.renumberRevision(equal[equal.length - 1]!, revisionNumber(candidate));
    } else {
      const created = await this.createRevision(set, candidate, collisionCount);
      update = created.revision;
      collisionCount = created.collisionCount;
    }
    const currentName = setStatus(set).currentRevision as string | undefined;
    const current = revisions.find((r) => r.metadata.name === currentName) ?? update;
    return { current, update, collisionCount };
  }

  /** CreateControllerRevision: retries under a new name while the name is taken by other data. */
  private async createRevision(set: KubeObject, revision: KubeObject, collisionCount: number): Promise<{ revision: KubeObject; collisionCount: number }> {
    const ns = set.metadata.namespace ?? "";
    for (;;) {
      const attempt = newStatefulSetRevision(set, revisionNumber(revision), collisionCount);
      try {
        return { revision: await this.client.create(R.controllerrevisions, ns, attempt), collisionCount };
      } catch (err) {
        if (!isAlreadyExists(err)) throw err;
        const existing = await this.client.get(R.controllerrevisions, ns, attempt.metadata.name!);
        if (equalRevision(existing, attempt)) return { revision: existing, collisionCount };
        collisionCount++;
      }
    }
  }

  /** UpdateControllerRevision: gives an earlier, equal revision the next number (a rollback). */
  private async renumberRevision(revision: KubeObject, newRevision: number): Promise<KubeObject> {
    let clone = structuredClone(revision) as KubeObject;
    for (let i = 0; ; i++) {
      if (revisionNumber(clone) === newRevision) return clone;
      clone.revision = newRevision;
      try {
        return await this.client.update(R.controllerrevisions, clone.metadata.namespace ?? "", clone);
      } catch (err) {
        if (!isConflict(err) || i >= 4) throw err;
        clone = structuredClone(await this.client.get(R.controllerrevisions, clone.metadata.namespace ?? "", clone.metadata.name!)) as KubeObject;
      }
    }
  }

  /** truncateHistory: deletes the oldest revisions no pod or status refers to beyond the limit. */
  private async truncateHistory(set: KubeObject, pods: Pod[], revisions: KubeObject[], current?: KubeObject, update?: KubeObject): Promise<void> {
    const live = new Set<string>();
    if (current) live.add(current.metadata.name!);
    if (update) live.add(update.metadata.name!);
    for (const p of pods) live.add(podRevision(p));
    const history = revisions.filter((r) => !live.has(r.metadata.name!));
    const limit = (setSpec(set).revisionHistoryLimit as number | undefined) ?? 10;
    if (limit < 0 || history.length <= limit) return;
    for (const r of history.slice(0, history.length - limit)) {
      try {
        await this.client.delete(R.controllerrevisions, r.metadata.namespace ?? "", r.metadata.name!);
      } catch (err) {
        if (!isNotFound(err)) throw err;
      }
    }
  }

  /** updateStatefulSet (the control loop proper): returns the status to record and any error. */
  private async updatePods(
    set: KubeObject,
    currentRevision: KubeObject,
    updateRevision: KubeObject,
    collisionCount: number,
    pods: Pod[],
  ): Promise<{ status: StatefulSetStatusFields; error?: unknown }> {
    const currentSet = applyRevision(set, revisionTemplate(currentRevision));
    const updateSet = applyRevision(set, revisionTemplate(updateRevision));
    const minReady = (setSpec(set).minReadySeconds as number | undefined) ?? 0;
    const now = () => this.clock.now();
    const cur = currentRevision.metadata.name!;
    const upd = updateRevision.metadata.name!;
    const status: StatefulSetStatusFields = {
      observedGeneration: set.metadata.generation ?? 0,
      replicas: 0,
      readyReplicas: 0,
      currentReplicas: 0,
      updatedReplicas: 0,
      availableReplicas: 0,
      currentRevision: cur,
      updateRevision: upd,
      collisionCount,
    };
    countReplicas(status, minReady, now(), cur, upd, pods);

    const start = startOrdinal(set);
    const replicaCount = specReplicas(set);
    const replicas: Pod[] = new Array(replicaCount);
    const condemned: Pod[] = [];
    for (const pod of pods) {
      if (podInOrdinalRange(pod, set)) replicas[ordinalOf(pod) - start] = pod;
      else if (ordinalOf(pod) >= 0) condemned.push(pod);
    }
    for (let ord = start; ord <= endOrdinal(set); ord++) {
      if (!replicas[ord - start]) replicas[ord - start] = newVersionedStatefulSetPod(currentSet, updateSet, cur, upd, ord);
    }
    condemned.sort(byOrdinalDescending);

    let firstUnhealthy: Pod | undefined;
    for (const p of replicas)
      if (!isHealthy(p)) {
        firstUnhealthy ??= p;
      }
    for (let i = condemned.length - 1; i >= 0; i--)
      if (!isHealthy(condemned[i]!)) {
        firstUnhealthy ??= condemned[i];
      }

    if (set.metadata.deletionTimestamp) return { status };

    const monotonic = setSpec(set).podManagementPolicy !== "Parallel";
    const recount = () => countReplicas(status, minReady, now(), cur, upd, replicas, condemned);

    try {
      if (await this.runForAll(replicas, (i) => this.processReplica(set, updateSet, monotonic, replicas, i, minReady), monotonic)) {
        recount();
        return { status };
      }
      const fixClaim = async (i: number) => {
        if (!(await this.claimsMatchRetentionPolicy(updateSet, condemned[i]!))) await this.updatePodClaimForRetentionPolicy(updateSet, condemned[i]!);
        return false;
      };
      if (await this.runForAll(condemned, fixClaim, monotonic)) {
        recount();
        return { status };
      }
      const processCondemned = async (i: number) => {
        const pod = condemned[i]!;
        if (isTerminating(pod)) return monotonic;
        if (monotonic && pod !== firstUnhealthy && !isRunningAndReady(pod)) return true;
        if (monotonic && pod !== firstUnhealthy && !isRunningAndAvailable(pod, minReady, now())) return true;
        await this.deleteStatefulPod(set, pod);
        return true;
      };
      if (await this.runForAll(condemned, processCondemned, monotonic)) {
        recount();
        return { status };
      }
    } catch (error) {
      recount();
      return { status, error };
    }
    recount();

    const strategy = (setSpec(set).updateStrategy ?? {}) as Obj;
    if (strategy.type === "OnDelete") return { status };

    // RollingUpdate: replace the highest ordinal not at the update revision, one at a time
    const updateMin = strategy.rollingUpdate ? ((strategy.rollingUpdate.partition as number | undefined) ?? 0) : 0;
    for (let target = replicas.length - 1; target >= updateMin; target--) {
      const pod = replicas[target]!;
      if (podRevision(pod) !== upd && !isTerminating(pod)) {
        try {
          await this.deleteStatefulPod(set, pod);
        } catch (error) {
          if (!isNotFound(error)) return { status, error };
        }
        status.currentReplicas--;
        return { status };
      }
      if (!isHealthy(pod)) return { status };
    }
    return { status };
  }

  /** runForAll: in order, stopping at the first blocking pod (monotonic), or in slow-start batches. */
  private async runForAll(pods: Pod[], fn: (i: number) => Promise<boolean>, monotonic: boolean): Promise<boolean> {
    if (monotonic) {
      for (let i = 0; i < pods.length; i++) if (await fn(i)) return true;
      return false;
    }
    const r = await slowStartBatch(1, pods.length, fn);
    if (r.error) throw r.error;
    return false;
  }

  private async processReplica(set: KubeObject, updateSet: KubeObject, monotonic: boolean, replicas: Pod[], i: number, minReady: number): Promise<boolean> {
    const pod = replicas[i]!;
    // failed or succeeded pods are deleted and recreated on a later sync
    if (isFailed(pod) || isSucceeded(pod)) {
      if (!pod.metadata.deletionTimestamp) await this.deleteStatefulPod(set, pod);
      return true;
    }
    if (!isCreated(pod)) {
      if (await this.podClaimIsStale(set, pod)) return true;
      await this.createStatefulPod(set, pod);
      if (monotonic) return true;
    }
    if (isPending(pod)) await this.createMissingPersistentVolumeClaims(set, pod);
    if (isTerminating(pod) && monotonic) return true;
    if (!isRunningAndReady(pod) && monotonic) return true;
    if (!isRunningAndAvailable(pod, minReady, this.clock.now()) && monotonic) return true;
    let retentionMatch = true;
    try {
      retentionMatch = await this.claimsMatchRetentionPolicy(updateSet, pod);
    } catch {
      retentionMatch = true;
    }
    if (identityMatches(set, pod) && storageMatches(set, pod) && retentionMatch) return false;
    await this.updateStatefulPod(updateSet, structuredClone(pod) as Pod);
    return false;
  }

  // ---- pod control (StatefulPodControl) ----

  private recordPodEvent(verb: string, set: KubeObject, pod: Pod, err?: unknown): void {
    const title = verb[0]!.toUpperCase() + verb.slice(1);
    if (!err) this.recorder.event(set, "Normal", `Successful${title}`, `${verb} Pod ${pod.metadata.name} in StatefulSet ${set.metadata.name} successful`);
    else this.recorder.event(set, "Warning", `Failed${title}`, `${verb} Pod ${pod.metadata.name} in StatefulSet ${set.metadata.name} failed error: ${errorText(err)}`);
  }

  private recordClaimEvent(verb: string, set: KubeObject, pod: Pod, claim: KubeObject, err?: unknown): void {
    const title = verb[0]!.toUpperCase() + verb.slice(1);
    if (!err)
      this.recorder.event(set, "Normal", `Successful${title}`, `${verb} Claim ${claim.metadata.name} Pod ${pod.metadata.name} in StatefulSet ${set.metadata.name} success`);
    else
      this.recorder.event(
        set,
        "Warning",
        `Failed${title}`,
        `${verb} Claim ${claim.metadata.name} for Pod ${pod.metadata.name} in StatefulSet ${set.metadata.name} failed error: ${errorText(err)}`,
      );
  }

  private async createStatefulPod(set: KubeObject, pod: Pod): Promise<void> {
    try {
      await this.createPersistentVolumeClaims(set, pod);
    } catch (err) {
      this.recordPodEvent("create", set, pod, err);
      throw err;
    }
    const key = keyOf(set);
    this.expectations.lowerExpectations(key, -1, 0);
    try {
      await this.client.create(R.pods, set.metadata.namespace ?? "", pod);
    } catch (err) {
      this.expectations.lowerExpectations(key, 1, 0);
      if (isAlreadyExists(err)) throw err;
      this.recordPodEvent("create", set, pod, err);
      throw err;
    }
    try {
      await this.updatePodClaimForRetentionPolicy(set, pod);
    } catch (err) {
      this.recordPodEvent("update", set, pod, err);
      throw err;
    }
    this.recordPodEvent("create", set, pod);
  }

  private async deleteStatefulPod(set: KubeObject, pod: Pod): Promise<void> {
    const key = keyOf(set);
    this.expectations.lowerExpectations(key, 0, -1);
    try {
      await this.client.delete(R.pods, pod.metadata.namespace ?? "", pod.metadata.name!);
    } catch (err) {
      this.expectations.lowerExpectations(key, 0, 1);
      this.recordPodEvent("delete", set, pod, err);
      throw err;
    }
    this.recordPodEvent("delete", set, pod);
  }

  private async updateStatefulPod(set: KubeObject, pod: Pod): Promise<void> {
    let attempted = false;
    let lastErr: unknown;
    for (let attempt = 0; attempt < 5; attempt++) {
      let consistent = true;
      if (!identityMatches(set, pod)) {
        updateIdentity(set, pod);
        consistent = false;
      }
      if (!storageMatches(set, pod)) {
        updateStorage(set, pod);
        consistent = false;
        try {
          await this.createPersistentVolumeClaims(set, pod);
        } catch (err) {
          this.recordPodEvent("update", set, pod, err);
          throw err;
        }
      }
      let match: boolean;
      try {
        match = await this.claimsMatchRetentionPolicy(set, pod);
      } catch (err) {
        this.recordPodEvent("update", set, pod, err);
        throw err;
      }
      if (!match) {
        try {
          await this.updatePodClaimForRetentionPolicy(set, pod);
        } catch (err) {
          this.recordPodEvent("update", set, pod, err);
          throw err;
        }
        consistent = false;
      }
      if (consistent) return;
      attempted = true;
      try {
        await this.client.update(R.pods, pod.metadata.namespace ?? "", pod);
        lastErr = undefined;
        break;
      } catch (err) {
        lastErr = err;
        if (!isConflict(err)) break;
        try {
          pod = structuredClone(await this.client.get(R.pods, set.metadata.namespace ?? "", pod.metadata.name!)) as Pod;
        } catch {
          break;
        }
      }
    }
    if (attempted) this.recordPodEvent("update", set, pod, lastErr);
    if (lastErr) throw lastErr;
  }

  private claimFor(namespace: string, name: string): KubeObject | undefined {
    return this.claims.get(namespace, name);
  }

  /** ClaimsMatchRetentionPolicy. */
  private async claimsMatchRetentionPolicy(set: KubeObject, pod: Pod): Promise<boolean> {
    for (const claim of claimsFor(set, ordinalOf(pod)).values()) {
      const existing = this.claimFor(claim.metadata.namespace ?? "", claim.metadata.name!);
      if (existing && !isClaimOwnerUpToDate(existing, set, pod)) return false;
    }
    return true;
  }

  /** UpdatePodClaimForRetentionPolicy. */
  private async updatePodClaimForRetentionPolicy(set: KubeObject, pod: Pod): Promise<void> {
    for (const claim of claimsFor(set, ordinalOf(pod)).values()) {
      const existing = this.claimFor(claim.metadata.namespace ?? "", claim.metadata.name!);
      if (!existing || isClaimOwnerUpToDate(existing, set, pod)) continue;
      const copy = structuredClone(existing) as KubeObject;
      updateClaimOwnerRefs(copy, set, pod);
      try {
        await this.client.update(R.persistentvolumeclaims, copy.metadata.namespace ?? "", copy);
      } catch (err) {
        throw new Error(`Could not update claim ${claim.metadata.name} for delete policy ownerRefs: ${errorText(err)}`);
      }
    }
  }

  /** PodClaimIsStale: with whenScaled=Delete, a claim still owned by an earlier pod blocks creation. */
  private async podClaimIsStale(set: KubeObject, pod: Pod): Promise<boolean> {
    if (retentionPolicy(set).whenScaled === "Retain") return false;
    for (const claim of claimsFor(set, ordinalOf(pod)).values()) {
      const existing = this.claimFor(claim.metadata.namespace ?? "", claim.metadata.name!);
      if (existing && hasStalePodRef(existing, pod)) return true;
    }
    return false;
  }

  private async createMissingPersistentVolumeClaims(set: KubeObject, pod: Pod): Promise<void> {
    await this.createPersistentVolumeClaims(set, pod);
    try {
      await this.updatePodClaimForRetentionPolicy(set, pod);
    } catch (err) {
      this.recordPodEvent("update", set, pod, err);
      throw err;
    }
  }

  /** createPersistentVolumeClaims: the pod's missing claims, with an event for each. */
  private async createPersistentVolumeClaims(set: KubeObject, pod: Pod): Promise<void> {
    const errs: Error[] = [];
    for (const claim of claimsFor(set, ordinalOf(pod)).values()) {
      const ns = claim.metadata.namespace ?? "";
      let existing = this.claimFor(ns, claim.metadata.name!);
      if (!existing) {
        try {
          await this.client.create(R.persistentvolumeclaims, ns, claim);
          this.recordClaimEvent("create", set, pod, claim);
          continue;
        } catch (err) {
          if (!isAlreadyExists(err)) {
            errs.push(new Error(`failed to create PVC ${claim.metadata.name}: ${errorText(err)}`));
            this.recordClaimEvent("create", set, pod, claim, err);
            continue;
          }
          // created earlier and not yet in the cache
          try {
            existing = await this.client.get(R.persistentvolumeclaims, ns, claim.metadata.name!);
          } catch (getErr) {
            errs.push(new Error(`failed to retrieve PVC ${claim.metadata.name}: ${errorText(getErr)}`));
            continue;
          }
        }
      }
      if (existing.metadata.deletionTimestamp) errs.push(new Error(`pvc ${claim.metadata.name} is being deleted`));
    }
    const err = aggregate(errs);
    if (err) throw err;
  }

  // ---- status ----

  private async updateStatefulSetStatus(set: KubeObject, status: StatefulSetStatusFields): Promise<void> {
    completeRollingUpdate(set, status);
    if (!inconsistentStatus(set, status)) return;
    let cur = set;
    for (let attempt = 0; ; attempt++) {
      const obj = { ...(structuredClone(cur) as KubeObject), status: encodeStatefulSetStatus(status) };
      try {
        await this.client.update(R.statefulsets, set.metadata.namespace ?? "", obj, { subresource: "status" });
        return;
      } catch (err) {
        if (!isConflict(err) || attempt >= 10) throw err;
        cur = await this.client.get(R.statefulsets, set.metadata.namespace ?? "", set.metadata.name!);
        if (cur.metadata.uid !== set.metadata.uid) return;
      }
    }
  }
}
