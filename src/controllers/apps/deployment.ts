// The Deployment controller (upstream pkg/controller/deployment: deployment_controller.go,
// sync.go, rolling.go, recreate.go, rollback.go, progress.go). A Deployment owns one ReplicaSet
// per pod template, named <deployment>-<pod-template-hash>; the controller rolls from the old
// ones to the new one (RollingUpdate within maxSurge/maxUnavailable, or Recreate), scales them
// proportionally, keeps revisions in annotations, honours pause and the deprecated rollbackTo
// annotation, cleans up beyond revisionHistoryLimit and reports status and the Available,
// Progressing and ReplicaFailure conditions.
import { isApiError } from "../../apimachinery/errors.js";
import { fromMetaLabelSelector, type LabelSelector } from "../../apimachinery/labels.js";
import type { KubeObject, OwnerReference } from "../../apimachinery/types.js";
import type { SharedInformer } from "../../client/informers/shared-informer.js";
import { R, type Client } from "../../client/interface.js";
import type { ControllerContext } from "../../controlplane/context.js";
import { formatTime } from "../../util/clock.js";
import { deepEqual } from "../../util/deep-equal.js";
import { Controller, keyOf, splitKey, type Runnable } from "../runtime/controller.js";
import type { EventRecorder } from "../runtime/events.js";
import { controllerRef } from "../runtime/owner-refs.js";
import { claimObjects, recheckOwner } from "./claim.js";
import {
  actualReplicaCount,
  availableReplicaCount,
  byCreationTimestamp,
  byRevision,
  bySizeNewer,
  bySizeOlder,
  DEFAULT_DEPLOYMENT_UNIQUE_LABEL_KEY,
  DEPRECATED_ROLLBACK_TO,
  deploymentComplete,
  deploymentProgressing,
  deploymentTimedOut,
  desiredReplicasAnnotation,
  equalIgnoreHash,
  FAILED_RS_CREATE_REASON,
  filterActiveReplicaSets,
  findActiveOrLatest,
  findNewReplicaSet,
  findOldReplicaSets,
  FOUND_NEW_RS_REASON,
  getCondition,
  getProportion,
  hasProgressDeadline,
  hasRevisionHistoryLimit,
  isRollingUpdate,
  isSaturated,
  lastRevision,
  maxRevision,
  maxSurge,
  maxUnavailable,
  MINIMUM_REPLICAS_AVAILABLE,
  MINIMUM_REPLICAS_UNAVAILABLE,
  NEW_REPLICA_SET_REASON,
  NEW_RS_AVAILABLE_REASON,
  newCondition,
  newRSNewReplicas,
  PAUSED_DEPLOY_REASON,
  readyReplicaCount,
  removeCondition,
  REPLICA_SET_UPDATED_REASON,
  replicaCount,
  replicasAnnotationsNeedUpdate,
  replicasOf,
  RESUMED_DEPLOY_REASON,
  REVISION_ANNOTATION,
  revisionOf,
  ROLLBACK_DONE,
  ROLLBACK_REVISION_NOT_FOUND,
  ROLLBACK_TEMPLATE_UNCHANGED,
  setCondition,
  setDeploymentAnnotationsTo,
  setDeploymentRevision,
  setNewReplicaSetAnnotations,
  setReplicasAnnotations,
  TIMED_OUT_REASON,
  type Deployment,
  type DeploymentStatus,
  type RS,
} from "./deployment-util.js";
import { computeHash } from "./hash.js";
import { POD_CONTROLLER_INDEX, podControllerIndex, RS_CONTROLLER_INDEX, rsControllerIndex } from "./indexes.js";
import type { Pod } from "./pod-util.js";

/** upstream --concurrent-deployment-syncs default. */
const WORKERS = 5;
const COMPONENT = "deployment-controller";

interface SyncState {
  d: Deployment;
  /** The deployment's ReplicaSets; entries are replaced as this sync writes them. */
  rsList: RS[];
}

function isEmptySelector(sel: Deployment["spec"]["selector"]): boolean {
  if (!sel) return false;
  return Object.keys(sel.matchLabels ?? {}).length === 0 && (sel.matchExpressions ?? []).length === 0;
}

/** Deployment status in upstream's JSON shape: zero counts omitted, collisionCount when set. */
function orderStatus(s: DeploymentStatus): DeploymentStatus {
  const out: DeploymentStatus = {};
  if (s.observedGeneration) out.observedGeneration = s.observedGeneration;
  if (s.replicas) out.replicas = s.replicas;
  if (s.updatedReplicas) out.updatedReplicas = s.updatedReplicas;
  if (s.readyReplicas) out.readyReplicas = s.readyReplicas;
  if (s.availableReplicas) out.availableReplicas = s.availableReplicas;
  if (s.unavailableReplicas) out.unavailableReplicas = s.unavailableReplicas;
  if (s.conditions?.length) out.conditions = s.conditions;
  if (s.collisionCount !== undefined && s.collisionCount !== null) out.collisionCount = s.collisionCount;
  return out;
}

function statusEqual(a: DeploymentStatus | undefined, b: DeploymentStatus): boolean {
  return deepEqual(orderStatus(a ?? {}), orderStatus(b));
}

function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

export class DeploymentController implements Runnable {
  readonly name = COMPONENT;
  readonly controller: Controller;
  private readonly client: Client;
  private readonly recorder: EventRecorder;
  private readonly dInformer: SharedInformer;
  private readonly rsInformer: SharedInformer;
  private readonly podInformer: SharedInformer;

  constructor(private readonly ctx: ControllerContext) {
    this.client = ctx.clientFor("kube-controller-manager");
    this.recorder = ctx.recorder(COMPONENT);
    this.controller = new Controller(COMPONENT, (key) => this.sync(key), ctx.clock, WORKERS);
    this.dInformer = ctx.informers.informerFor(R.deployments);
    this.rsInformer = ctx.informers.informerFor(R.replicasets);
    this.rsInformer.addIndexer(RS_CONTROLLER_INDEX, rsControllerIndex);
    this.podInformer = ctx.informers.informerFor(R.pods);
    this.podInformer.addIndexer(POD_CONTROLLER_INDEX, podControllerIndex);

    this.dInformer.addEventHandler({
      onAdd: (d) => this.enqueue(d),
      onUpdate: (_old, cur) => this.enqueue(cur),
      onDelete: (d) => this.enqueue(d),
    });
    this.rsInformer.addEventHandler({
      onAdd: (rs) => this.addReplicaSet(rs as RS),
      onUpdate: (old, cur) => this.updateReplicaSet(old as RS, cur as RS),
      onDelete: (rs) => this.deleteReplicaSet(rs as RS),
    });
    this.podInformer.addEventHandler({ onDelete: (pod) => this.deletePod(pod as Pod) });
  }

  start(): void {
    this.controller.start();
  }

  stop(): Promise<void> {
    return this.controller.stop();
  }

  private enqueue(d: KubeObject): void {
    this.controller.enqueue(keyOf(d));
  }

  // ---- event handlers ----

  private resolve(namespace: string, ref: OwnerReference | undefined): Deployment | undefined {
    if (!ref || ref.kind !== "Deployment") return undefined;
    const d = this.dInformer.get(namespace, ref.name) as Deployment | undefined;
    return d && d.metadata.uid === ref.uid ? d : undefined;
  }

  /** Deployments whose selector matches an orphan ReplicaSet. */
  private deploymentsFor(rs: RS): Deployment[] {
    const out: Deployment[] = [];
    if (!rs.metadata.labels) return out;
    for (const d of this.dInformer.list(rs.metadata.namespace) as Deployment[]) {
      let sel: LabelSelector;
      try {
        sel = fromMetaLabelSelector(d.spec?.selector);
      } catch {
        continue;
      }
      if (!sel.empty && sel.matches(rs.metadata.labels)) out.push(d);
    }
    return out;
  }

  private addReplicaSet(rs: RS): void {
    if (rs.metadata.deletionTimestamp) {
      this.deleteReplicaSet(rs);
      return;
    }
    const ref = controllerRef(rs);
    if (ref) {
      const d = this.resolve(rs.metadata.namespace ?? "", ref);
      if (d) this.enqueue(d);
      return;
    }
    for (const d of this.deploymentsFor(rs)) this.enqueue(d);
  }

  private updateReplicaSet(old: RS, cur: RS): void {
    if (old.metadata.resourceVersion === cur.metadata.resourceVersion) return;
    const curRef = controllerRef(cur);
    const oldRef = controllerRef(old);
    const refChanged = !deepEqual(curRef ?? null, oldRef ?? null);
    if (refChanged && oldRef) {
      const d = this.resolve(old.metadata.namespace ?? "", oldRef);
      if (d) this.enqueue(d);
    }
    if (curRef) {
      const d = this.resolve(cur.metadata.namespace ?? "", curRef);
      if (d) this.enqueue(d);
      return;
    }
    const labelChanged = !deepEqual(old.metadata.labels ?? {}, cur.metadata.labels ?? {});
    if (labelChanged || refChanged) for (const d of this.deploymentsFor(cur)) this.enqueue(d);
  }

  private deleteReplicaSet(rs: RS): void {
    const d = this.resolve(rs.metadata.namespace ?? "", controllerRef(rs));
    if (d) this.enqueue(d);
  }

  /** A Recreate deployment waits for its old pods to be gone: wake it when the last one goes. */
  private deletePod(pod: Pod): void {
    const ref = controllerRef(pod);
    if (!ref || ref.kind !== "ReplicaSet") return;
    const ns = pod.metadata.namespace ?? "";
    const rs = this.rsInformer.get(ns, ref.name) as RS | undefined;
    if (!rs || rs.metadata.uid !== ref.uid) return;
    const d = this.resolve(ns, controllerRef(rs));
    if (!d || d.spec?.strategy?.type !== "Recreate") return;
    const rsList = this.rsInformer.byIndex(RS_CONTROLLER_INDEX, d.metadata.uid!) as RS[];
    const podMap = this.podMap(d, rsList);
    let n = 0;
    for (const pods of podMap.values()) n += pods.length;
    if (n === 0) this.enqueue(d);
  }

  /** The deployment's pods (active or not) grouped by the ReplicaSet that controls them. */
  private podMap(d: Deployment, rsList: RS[]): Map<string, Pod[]> {
    const map = new Map<string, Pod[]>();
    let sel: LabelSelector;
    try {
      sel = fromMetaLabelSelector(d.spec.selector);
    } catch {
      return map;
    }
    for (const rs of rsList) {
      const pods = (this.podInformer.byIndex(POD_CONTROLLER_INDEX, rs.metadata.uid!) as Pod[]).filter(
        (p) => p.metadata.namespace === d.metadata.namespace && sel.matches(p.metadata.labels),
      );
      map.set(rs.metadata.uid!, pods);
    }
    return map;
  }

  // ---- sync ----

  async sync(key: string): Promise<{ requeueAfterMs?: number } | void> {
    const { namespace, name } = splitKey(key);
    const cached = this.dInformer.get(namespace, name) as Deployment | undefined;
    if (!cached) return;
    // a copy whose annotations, spec and status top levels this sync may change (nested values are
    // replaced, never changed in place: the cached object is frozen)
    const d: Deployment = {
      ...cached,
      metadata: { ...cached.metadata, ...(cached.metadata.annotations ? { annotations: { ...cached.metadata.annotations } } : {}) },
      spec: { ...cached.spec },
      ...(cached.status ? { status: { ...cached.status } } : {}),
    };
    d.apiVersion ??= "apps/v1";
    d.kind ??= "Deployment";

    if (isEmptySelector(d.spec.selector)) {
      this.recorder.event(d, "Warning", "SelectingAll", "This deployment is selecting all pods. A non-empty selector is required.");
      if ((d.status?.observedGeneration ?? 0) < (d.metadata.generation ?? 0)) {
        d.status = { ...(d.status ?? {}), observedGeneration: d.metadata.generation! };
        await this.updateDeploymentStatus(d);
      }
      return;
    }

    const rsList = await this.getReplicaSetsForDeployment(d);
    const st: SyncState = { d, rsList };

    if (d.metadata.deletionTimestamp) {
      await this.syncStatusOnly(st);
      return;
    }
    await this.checkPausedConditions(d);
    if (d.spec.paused) {
      await this.syncScale(st);
      return;
    }
    if (rollbackTo(d) !== undefined) {
      await this.rollback(st);
      return;
    }
    if (await this.isScalingEvent(st)) {
      await this.syncScale(st);
      return;
    }
    switch (d.spec.strategy?.type) {
      case "Recreate":
        return this.rolloutRecreate(st);
      case "RollingUpdate":
        return this.rolloutRolling(st);
    }
    throw new Error(`unexpected deployment strategy type: ${d.spec.strategy?.type}`);
  }

  private async getReplicaSetsForDeployment(d: Deployment): Promise<RS[]> {
    let selector: LabelSelector;
    try {
      selector = fromMetaLabelSelector(d.spec.selector);
    } catch (err) {
      throw new Error(`deployment ${d.metadata.namespace}/${d.metadata.name} has invalid label selector: ${errorMessage(err)}`);
    }
    const ns = d.metadata.namespace ?? "";
    const candidates = [
      ...(this.rsInformer.byIndex(RS_CONTROLLER_INDEX, d.metadata.uid!) as RS[]),
      ...(this.rsInformer.byIndex(RS_CONTROLLER_INDEX, `orphan/${ns}`) as RS[]),
    ];
    const ownerRef: OwnerReference = {
      apiVersion: "apps/v1",
      kind: "Deployment",
      name: d.metadata.name!,
      uid: d.metadata.uid!,
      controller: true,
      blockOwnerDeletion: true,
    };
    return claimObjects(candidates, { client: this.client, gvr: R.replicasets, owner: d, ownerRef, selector, recheck: recheckOwner(this.client, R.deployments, d) });
  }

  private now(): string {
    return formatTime(this.ctx.clock.now());
  }

  private async updateDeploymentStatus(d: Deployment): Promise<void> {
    const body: Deployment = { ...d, status: orderStatus(d.status ?? {}) };
    const updated = await this.client.update(R.deployments, d.metadata.namespace ?? "", body, { subresource: "status" });
    // carry on from the version just written, so later writes in this sync do not conflict
    d.metadata.resourceVersion = updated.metadata.resourceVersion;
  }

  private replaceRS(st: SyncState, rs: RS): void {
    const i = st.rsList.findIndex((r) => r.metadata.uid === rs.metadata.uid);
    if (i >= 0) st.rsList[i] = rs;
  }

  private async updateRS(st: SyncState, rs: RS): Promise<RS> {
    const updated = (await this.client.update(R.replicasets, rs.metadata.namespace ?? "", rs)) as RS;
    this.replaceRS(st, updated);
    return updated;
  }

  /** upstream getAllReplicaSetsAndSyncRevision. */
  private async allReplicaSetsAndSyncRevision(st: SyncState, create: boolean): Promise<{ newRS: RS | undefined; oldRSs: RS[] }> {
    const { all } = findOldReplicaSets(st.d, st.rsList);
    const newRS = await this.getNewReplicaSet(st, all, create);
    return { newRS, oldRSs: all };
  }

  /** upstream getNewReplicaSet: syncs the new ReplicaSet's annotations, or creates it. */
  private async getNewReplicaSet(st: SyncState, oldRSs: RS[], create: boolean): Promise<RS | undefined> {
    const d = st.d;
    const existing = findNewReplicaSet(d, st.rsList);
    const newRevision = String(maxRevision(oldRSs) + 1);

    if (existing) {
      const copy = shallowCopyRS(existing);
      const annotationsUpdated = setNewReplicaSetAnnotations(d, copy, newRevision, true);
      const minReady = d.spec.minReadySeconds ?? 0;
      if (annotationsUpdated || (copy.spec?.minReadySeconds ?? 0) !== minReady) {
        copy.spec = { ...(copy.spec ?? {}) };
        if (minReady) copy.spec.minReadySeconds = minReady;
        else delete copy.spec.minReadySeconds;
        return this.updateRS(st, copy);
      }
      let needsUpdate = setDeploymentRevision(d, copy.metadata.annotations?.[REVISION_ANNOTATION] ?? "");
      if (hasProgressDeadline(d) && !getCondition(d.status, "Progressing")) {
        d.status ??= {};
        setCondition(d.status, newCondition("Progressing", "True", FOUND_NEW_RS_REASON, `Found new replica set "${copy.metadata.name}"`, this.now()));
        needsUpdate = true;
      }
      if (needsUpdate) await this.updateDeploymentStatus(d);
      return existing;
    }
    if (!create) return undefined;

    const template = structuredClone(d.spec.template ?? {});
    const hash = computeHash(template, d.status?.collisionCount);
    template.metadata = { ...(template.metadata ?? {}), labels: { ...(template.metadata?.labels ?? {}), [DEFAULT_DEPLOYMENT_UNIQUE_LABEL_KEY]: hash } };
    const selector = structuredClone(d.spec.selector ?? {});
    selector.matchLabels = { ...(selector.matchLabels ?? {}), [DEFAULT_DEPLOYMENT_UNIQUE_LABEL_KEY]: hash };
    const rsName = `${d.metadata.name}-${hash}`;
    const newRS: RS = {
      apiVersion: "apps/v1",
      kind: "ReplicaSet",
      metadata: {
        name: rsName,
        namespace: d.metadata.namespace!,
        labels: { ...template.metadata.labels! },
        annotations: {},
        ownerReferences: [{ apiVersion: "apps/v1", kind: "Deployment", name: d.metadata.name!, uid: d.metadata.uid!, controller: true, blockOwnerDeletion: true }],
      },
      spec: { replicas: 0, ...(d.spec.minReadySeconds ? { minReadySeconds: d.spec.minReadySeconds } : {}), selector, template },
    };
    const count = newRSNewReplicas(d, [...oldRSs, newRS], newRS);
    newRS.spec!.replicas = count;
    setNewReplicaSetAnnotations(d, newRS, newRevision, false);

    let created: RS;
    let alreadyExists = false;
    try {
      created = (await this.client.create(R.replicasets, d.metadata.namespace ?? "", newRS)) as RS;
    } catch (err) {
      if (isApiError(err) && err.code === 409 && err.reason === "AlreadyExists") {
        alreadyExists = true;
        const rs = this.rsInformer.get(d.metadata.namespace ?? "", rsName) as RS | undefined;
        if (!rs) throw err;
        if (controllerRef(rs)?.uid === d.metadata.uid && equalIgnoreHash(d.spec.template, rs.spec?.template)) {
          created = rs;
        } else {
          // a hash collision: bump collisionCount and try again with a different name
          d.status ??= {};
          d.status.collisionCount = (d.status.collisionCount ?? 0) + 1;
          await this.updateDeploymentStatus(d).catch(() => undefined);
          throw err;
        }
      } else if (isApiError(err) && err.details?.causes?.some((c) => c.reason === "NamespaceTerminating")) {
        throw err;
      } else {
        const msg = `Failed to create new replica set "${rsName}": ${errorMessage(err)}`;
        if (hasProgressDeadline(d)) {
          d.status ??= {};
          setCondition(d.status, newCondition("Progressing", "False", FAILED_RS_CREATE_REASON, msg, this.now()));
          await this.updateDeploymentStatus(d).catch(() => undefined);
        }
        this.recorder.event(d, "Warning", FAILED_RS_CREATE_REASON, msg);
        throw err;
      }
    }
    st.rsList.push(created);
    if (!alreadyExists && count > 0) this.recorder.event(d, "Normal", "ScalingReplicaSet", `Scaled up replica set ${created.metadata.name} from 0 to ${count}`);
    let needsUpdate = setDeploymentRevision(d, newRevision);
    if (!alreadyExists && hasProgressDeadline(d)) {
      d.status ??= {};
      setCondition(d.status, newCondition("Progressing", "True", NEW_REPLICA_SET_REASON, `Created new replica set "${created.metadata.name}"`, this.now()));
      needsUpdate = true;
    }
    if (needsUpdate) await this.updateDeploymentStatus(d);
    return created;
  }

  // ---- scaling (sync.go) ----

  private async scaleReplicaSet(st: SyncState, rs: RS, newScale: number): Promise<{ scaled: boolean; rs: RS }> {
    const d = st.d;
    const sizeNeedsUpdate = replicasOf(rs) !== newScale;
    const desired = replicasOf(d);
    const max = desired + maxSurge(d);
    if (!sizeNeedsUpdate && !replicasAnnotationsNeedUpdate(rs, desired, max)) return { scaled: false, rs };
    const oldScale = replicasOf(rs);
    const copy = shallowCopyRS(rs);
    copy.spec = { ...(copy.spec ?? {}), replicas: newScale };
    setReplicasAnnotations(copy, desired, max);
    const updated = await this.updateRS(st, copy);
    if (sizeNeedsUpdate) {
      const op = oldScale < newScale ? "up" : "down";
      this.recorder.event(d, "Normal", "ScalingReplicaSet", `Scaled ${op} replica set ${updated.metadata.name} from ${oldScale} to ${newScale}`);
    }
    return { scaled: sizeNeedsUpdate, rs: updated };
  }

  private async scaleAndRecord(st: SyncState, rs: RS, newScale: number): Promise<{ scaled: boolean; rs: RS }> {
    if (replicasOf(rs) === newScale) return { scaled: false, rs };
    return this.scaleReplicaSet(st, rs, newScale);
  }

  /** upstream scale: a scaling event, or a paused deployment, spreads replicas proportionally. */
  private async scale(st: SyncState, newRS: RS | undefined, oldRSs: RS[]): Promise<void> {
    const d = st.d;
    const desired = replicasOf(d);
    const activeOrLatest = findActiveOrLatest(newRS, oldRSs);
    if (activeOrLatest) {
      if (replicasOf(activeOrLatest) === desired) return;
      await this.scaleAndRecord(st, activeOrLatest, desired);
      return;
    }
    if (isSaturated(d, newRS)) {
      for (const old of filterActiveReplicaSets(oldRSs)) await this.scaleAndRecord(st, old, 0);
      return;
    }
    if (!isRollingUpdate(d)) return;
    const all = filterActiveReplicaSets([...oldRSs, newRS]);
    const allReplicas = replicaCount(all);
    const allowed = desired > 0 ? desired + maxSurge(d) : 0;
    const toAdd = allowed - allReplicas;
    if (toAdd > 0) all.sort(bySizeNewer);
    else if (toAdd < 0) all.sort(bySizeOlder);
    let added = 0;
    const sizes = new Map<string, number>();
    for (const rs of all) {
      if (toAdd !== 0) {
        const p = getProportion(rs, d, toAdd, added);
        sizes.set(rs.metadata.name!, replicasOf(rs) + p);
        added += p;
      } else sizes.set(rs.metadata.name!, replicasOf(rs));
    }
    for (let i = 0; i < all.length; i++) {
      const rs = all[i]!;
      if (i === 0 && toAdd !== 0) {
        const leftover = toAdd - added;
        sizes.set(rs.metadata.name!, Math.max(0, sizes.get(rs.metadata.name!)! + leftover));
      }
      await this.scaleReplicaSet(st, rs, sizes.get(rs.metadata.name!)!);
    }
  }

  private async syncScale(st: SyncState): Promise<void> {
    const { newRS, oldRSs } = await this.allReplicaSetsAndSyncRevision(st, false);
    await this.scale(st, newRS, oldRSs);
    if (st.d.spec.paused && rollbackTo(st.d) === undefined) await this.cleanupDeployment(st, oldRSs);
    await this.syncDeploymentStatus(st, [...this.fresh(st, oldRSs), this.freshOne(st, newRS)], this.freshOne(st, newRS));
  }

  private async syncStatusOnly(st: SyncState): Promise<void> {
    const { newRS, oldRSs } = await this.allReplicaSetsAndSyncRevision(st, false);
    await this.syncDeploymentStatus(st, [...oldRSs, newRS], newRS);
  }

  /** The latest version of ReplicaSets this sync may have written. */
  private fresh(st: SyncState, rss: RS[]): RS[] {
    return rss.map((rs) => this.freshOne(st, rs)!);
  }

  private freshOne(st: SyncState, rs: RS | undefined): RS | undefined {
    if (!rs) return undefined;
    return st.rsList.find((r) => r.metadata.uid === rs.metadata.uid) ?? rs;
  }

  private async isScalingEvent(st: SyncState): Promise<boolean> {
    const { newRS, oldRSs } = await this.allReplicaSetsAndSyncRevision(st, false);
    for (const rs of filterActiveReplicaSets([...oldRSs, newRS])) {
      const desired = desiredReplicasAnnotation(rs);
      if (desired === undefined) continue;
      if (desired !== replicasOf(st.d)) return true;
    }
    return false;
  }

  /** Keeps the newest revisionHistoryLimit old ReplicaSets; deletes older ones that are scaled to 0. */
  private async cleanupDeployment(st: SyncState, oldRSs: RS[]): Promise<void> {
    const d = st.d;
    if (!hasRevisionHistoryLimit(d)) return;
    const cleanable = this.fresh(st, oldRSs).filter((rs) => rs && !rs.metadata.deletionTimestamp);
    const diff = cleanable.length - d.spec.revisionHistoryLimit!;
    if (diff <= 0) return;
    cleanable.sort(byRevision);
    for (let i = 0; i < diff; i++) {
      const rs = cleanable[i]!;
      if ((rs.status?.replicas ?? 0) !== 0 || replicasOf(rs) !== 0 || (rs.metadata.generation ?? 0) > (rs.status?.observedGeneration ?? 0) || rs.metadata.deletionTimestamp) continue;
      try {
        await this.client.delete(R.replicasets, rs.metadata.namespace ?? "", rs.metadata.name!);
      } catch (err) {
        if (!(isApiError(err) && err.code === 404)) throw err;
      }
    }
  }

  // ---- status (sync.go, progress.go) ----

  calculateStatus(allRSs: (RS | undefined)[], newRS: RS | undefined, d: Deployment): DeploymentStatus {
    const available = availableReplicaCount(allRSs);
    const total = replicaCount(allRSs);
    const status: DeploymentStatus = {
      observedGeneration: d.metadata.generation ?? 0,
      replicas: actualReplicaCount(allRSs),
      updatedReplicas: actualReplicaCount([newRS]),
      readyReplicas: readyReplicaCount(allRSs),
      availableReplicas: available,
      unavailableReplicas: Math.max(0, total - available),
    };
    if (d.status?.collisionCount !== undefined && d.status.collisionCount !== null) status.collisionCount = d.status.collisionCount;
    if (d.status?.conditions?.length) status.conditions = d.status.conditions.map((c) => ({ ...c }));
    if (available >= replicasOf(d) - maxUnavailable(d)) {
      setCondition(status, newCondition("Available", "True", MINIMUM_REPLICAS_AVAILABLE, "Deployment has minimum availability.", this.now()));
    } else {
      setCondition(status, newCondition("Available", "False", MINIMUM_REPLICAS_UNAVAILABLE, "Deployment does not have minimum availability.", this.now()));
    }
    return status;
  }

  private async syncDeploymentStatus(st: SyncState, allRSs: (RS | undefined)[], newRS: RS | undefined): Promise<void> {
    const status = this.calculateStatus(allRSs, newRS, st.d);
    if (statusEqual(st.d.status, status)) return;
    st.d.status = status;
    await this.updateDeploymentStatus(st.d);
  }

  /** upstream syncRolloutStatus: status plus the Progressing and ReplicaFailure conditions. */
  private async syncRolloutStatus(st: SyncState, allRSs: (RS | undefined)[], newRS: RS | undefined): Promise<{ requeueAfterMs?: number } | void> {
    const d = st.d;
    const status = this.calculateStatus(allRSs, newRS, d);
    if (!hasProgressDeadline(d)) removeCondition(status, "Progressing");
    const current = getCondition(d.status, "Progressing");
    const isComplete = (status.replicas ?? 0) === (status.updatedReplicas ?? 0) && current?.reason === NEW_RS_AVAILABLE_REASON;
    if (hasProgressDeadline(d) && !isComplete) {
      const now = this.now();
      if (deploymentComplete(d, status)) {
        const msg = newRS ? `ReplicaSet "${newRS.metadata.name}" has successfully progressed.` : `Deployment "${d.metadata.name}" has successfully progressed.`;
        setCondition(status, newCondition("Progressing", "True", NEW_RS_AVAILABLE_REASON, msg, now));
      } else if (deploymentProgressing(d, status)) {
        const msg = newRS ? `ReplicaSet "${newRS.metadata.name}" is progressing.` : `Deployment "${d.metadata.name}" is progressing.`;
        const cond = newCondition("Progressing", "True", REPLICA_SET_UPDATED_REASON, msg, now);
        if (current) {
          if (current.status === "True" && current.lastTransitionTime) cond.lastTransitionTime = current.lastTransitionTime;
          removeCondition(status, "Progressing");
        }
        setCondition(status, cond);
      } else if (deploymentTimedOut(d, status, this.ctx.clock.now())) {
        const msg = newRS ? `ReplicaSet "${newRS.metadata.name}" has timed out progressing.` : `Deployment "${d.metadata.name}" has timed out progressing.`;
        setCondition(status, newCondition("Progressing", "False", TIMED_OUT_REASON, msg, now));
      }
    }
    const failures = replicaFailures(allRSs, newRS);
    if (failures.length) setCondition(status, failures[0]!);
    else removeCondition(status, "ReplicaFailure");

    if (statusEqual(d.status, status)) return this.requeueStuckDeployment(d, status);
    d.status = status;
    await this.updateDeploymentStatus(d);
  }

  /** A rollout without progress is looked at again when its deadline passes (upstream requeueStuckDeployment). */
  private requeueStuckDeployment(d: Deployment, status: DeploymentStatus): { requeueAfterMs?: number } | void {
    const cond = getCondition(d.status, "Progressing");
    if (!hasProgressDeadline(d) || !cond) return;
    if (deploymentComplete(d, status) || cond.reason === TIMED_OUT_REASON) return;
    const last = cond.lastUpdateTime ? Date.parse(cond.lastUpdateTime) : 0;
    const after = last + d.spec.progressDeadlineSeconds! * 1000 - this.ctx.clock.now();
    if (after < 1000) {
      this.controller.queue.addRateLimited(keyOf(d));
      return;
    }
    // a second more, against millisecond skew (as upstream)
    return { requeueAfterMs: after + 1000 };
  }

  /** Sets the Progressing condition to DeploymentPaused/DeploymentResumed as the deployment is paused or resumed. */
  private async checkPausedConditions(d: Deployment): Promise<void> {
    if (!hasProgressDeadline(d)) return;
    const cond = getCondition(d.status, "Progressing");
    if (cond?.reason === TIMED_OUT_REASON) return;
    const pausedCondExists = cond?.reason === PAUSED_DEPLOY_REASON;
    let needsUpdate = false;
    d.status ??= {};
    if (d.spec.paused && !pausedCondExists) {
      setCondition(d.status, newCondition("Progressing", "Unknown", PAUSED_DEPLOY_REASON, "Deployment is paused", this.now()));
      needsUpdate = true;
    } else if (!d.spec.paused && pausedCondExists) {
      setCondition(d.status, newCondition("Progressing", "Unknown", RESUMED_DEPLOY_REASON, "Deployment is resumed", this.now()));
      needsUpdate = true;
    }
    if (needsUpdate) await this.updateDeploymentStatus(d);
  }

  // ---- rolling.go ----

  private async rolloutRolling(st: SyncState): Promise<{ requeueAfterMs?: number } | void> {
    const { newRS, oldRSs } = await this.allReplicaSetsAndSyncRevision(st, true);
    const all = [...oldRSs, newRS!];
    if (await this.reconcileNewReplicaSet(st, all, newRS!)) return this.syncRolloutStatus(st, all, newRS);
    if (await this.reconcileOldReplicaSets(st, all, filterActiveReplicaSets(oldRSs), newRS!)) return this.syncRolloutStatus(st, all, newRS);
    if (deploymentComplete(st.d, st.d.status ?? {})) await this.cleanupDeployment(st, oldRSs);
    return this.syncRolloutStatus(st, all, newRS);
  }

  private async reconcileNewReplicaSet(st: SyncState, allRSs: RS[], newRS: RS): Promise<boolean> {
    const desired = replicasOf(st.d);
    if (replicasOf(newRS) === desired) return false;
    if (replicasOf(newRS) > desired) return (await this.scaleAndRecord(st, newRS, desired)).scaled;
    const count = newRSNewReplicas(st.d, allRSs, newRS);
    return (await this.scaleAndRecord(st, newRS, count)).scaled;
  }

  private async reconcileOldReplicaSets(st: SyncState, allRSs: RS[], oldRSs: RS[], newRS: RS): Promise<boolean> {
    const d = st.d;
    const oldPods = replicaCount(oldRSs);
    if (oldPods === 0) return false;
    const allPods = replicaCount(allRSs);
    const minAvail = replicasOf(d) - maxUnavailable(d);
    const newUnavailable = replicasOf(newRS) - (newRS.status?.availableReplicas ?? 0);
    const maxScaledDown = allPods - minAvail - newUnavailable;
    if (maxScaledDown <= 0) return false;
    let cleaned: { oldRSs: RS[]; count: number };
    try {
      cleaned = await this.cleanupUnhealthyReplicas(st, oldRSs, maxScaledDown);
    } catch {
      return false;
    }
    let scaledDown: number;
    try {
      scaledDown = await this.scaleDownOldReplicaSetsForRollingUpdate(st, [...cleaned.oldRSs, newRS], cleaned.oldRSs);
    } catch {
      return false;
    }
    return cleaned.count + scaledDown > 0;
  }

  /** Scales old ReplicaSets down by their unavailable replicas first: deleting those costs no availability. */
  private async cleanupUnhealthyReplicas(st: SyncState, oldRSs: RS[], maxCleanup: number): Promise<{ oldRSs: RS[]; count: number }> {
    const sorted = [...oldRSs].sort(byCreationTimestamp);
    let total = 0;
    for (let i = 0; i < sorted.length; i++) {
      if (total >= maxCleanup) break;
      const rs = sorted[i]!;
      const replicas = replicasOf(rs);
      if (replicas === 0) continue;
      const available = rs.status?.availableReplicas ?? 0;
      if (replicas === available) continue;
      const down = Math.min(maxCleanup - total, replicas - available);
      const next = replicas - down;
      if (next > replicas) throw new Error(`when cleaning up unhealthy replicas, got invalid request to scale down ${rs.metadata.namespace}/${rs.metadata.name} ${replicas} -> ${next}`);
      const res = await this.scaleAndRecord(st, rs, next);
      total += down;
      sorted[i] = res.rs;
    }
    return { oldRSs: sorted, count: total };
  }

  private async scaleDownOldReplicaSetsForRollingUpdate(st: SyncState, allRSs: RS[], oldRSs: RS[]): Promise<number> {
    const d = st.d;
    const minAvail = replicasOf(d) - maxUnavailable(d);
    const available = availableReplicaCount(allRSs);
    if (available <= minAvail) return 0;
    const sorted = [...oldRSs].sort(byCreationTimestamp);
    let total = 0;
    const toScaleDown = available - minAvail;
    for (const rs of sorted) {
      if (total >= toScaleDown) break;
      const replicas = replicasOf(rs);
      if (replicas === 0) continue;
      const down = Math.min(replicas, toScaleDown - total);
      await this.scaleAndRecord(st, rs, replicas - down);
      total += down;
    }
    return total;
  }

  // ---- recreate.go ----

  private async rolloutRecreate(st: SyncState): Promise<{ requeueAfterMs?: number } | void> {
    let { newRS, oldRSs } = await this.allReplicaSetsAndSyncRevision(st, false);
    let all: (RS | undefined)[] = [...oldRSs, newRS];
    const activeOld = filterActiveReplicaSets(oldRSs);
    let scaledDown = false;
    for (const rs of activeOld) {
      if (replicasOf(rs) === 0) continue;
      if ((await this.scaleAndRecord(st, rs, 0)).scaled) scaledDown = true;
    }
    if (scaledDown) return this.syncRolloutStatus(st, all, newRS);
    if (this.oldPodsRunning(st, newRS, oldRSs)) return this.syncRolloutStatus(st, all, newRS);
    if (!newRS) {
      ({ newRS, oldRSs } = await this.allReplicaSetsAndSyncRevision(st, true));
      all = [...oldRSs, newRS];
    }
    await this.scaleAndRecord(st, newRS!, replicasOf(st.d));
    if (deploymentComplete(st.d, st.d.status ?? {})) await this.cleanupDeployment(st, oldRSs);
    return this.syncRolloutStatus(st, all, newRS);
  }

  /** Old ReplicaSets still report replicas, or old pods not yet terminal exist. */
  private oldPodsRunning(st: SyncState, newRS: RS | undefined, oldRSs: RS[]): boolean {
    if (actualReplicaCount(oldRSs) > 0) return true;
    for (const [uid, pods] of this.podMap(st.d, st.rsList)) {
      if (newRS && newRS.metadata.uid === uid) continue;
      for (const pod of pods) {
        const phase = pod.status?.phase;
        if (phase === "Failed" || phase === "Succeeded") continue;
        return true;
      }
    }
    return false;
  }

  // ---- rollback.go ----

  private async rollback(st: SyncState): Promise<void> {
    const d = st.d;
    const { newRS, oldRSs } = await this.allReplicaSetsAndSyncRevision(st, true);
    const all = [...oldRSs, newRS].filter((rs): rs is RS => !!rs);
    let revision = rollbackTo(d)!;
    if (revision === 0) {
      revision = lastRevision(all);
      if (revision === 0) {
        this.recorder.event(d, "Warning", ROLLBACK_REVISION_NOT_FOUND, "Unable to find last revision.");
        await this.updateDeploymentAndClearRollbackTo(d);
        return;
      }
    }
    for (const rs of all) {
      if (revisionOf(rs) !== revision) continue;
      if (!equalIgnoreHash(d.spec.template, rs.spec?.template)) {
        // copy the template back (without the hash label) and the ReplicaSet's annotations
        const template = structuredClone(rs.spec?.template ?? {});
        if (template.metadata?.labels) delete template.metadata.labels[DEFAULT_DEPLOYMENT_UNIQUE_LABEL_KEY];
        d.spec.template = template;
        setDeploymentAnnotationsTo(d, rs);
        await this.updateDeploymentAndClearRollbackTo(d);
        this.recorder.event(d, "Normal", ROLLBACK_DONE, `Rolled back deployment "${d.metadata.name}" to revision ${revision}`);
      } else {
        this.recorder.event(d, "Warning", ROLLBACK_TEMPLATE_UNCHANGED, `The rollback revision contains the same template as current deployment "${d.metadata.name}"`);
        await this.updateDeploymentAndClearRollbackTo(d);
      }
      return;
    }
    this.recorder.event(d, "Warning", ROLLBACK_REVISION_NOT_FOUND, "Unable to find the revision to rollback to.");
    await this.updateDeploymentAndClearRollbackTo(d);
  }

  private async updateDeploymentAndClearRollbackTo(d: Deployment): Promise<void> {
    if (d.metadata.annotations) delete d.metadata.annotations[DEPRECATED_ROLLBACK_TO];
    const updated = await this.client.update(R.deployments, d.metadata.namespace ?? "", d);
    d.metadata.resourceVersion = updated.metadata.resourceVersion;
  }
}

/** A copy of a cached ReplicaSet whose annotations and spec top level may be changed. */
function shallowCopyRS(rs: RS): RS {
  return { ...rs, metadata: { ...rs.metadata, annotations: { ...(rs.metadata.annotations ?? {}) } }, spec: { ...(rs.spec ?? {}) } };
}

/** The deprecated spec.rollbackTo, round-tripped through an annotation on apps/v1. */
function rollbackTo(d: Deployment): number | undefined {
  const v = d.metadata.annotations?.[DEPRECATED_ROLLBACK_TO];
  if (!v || !/^[+-]?\d+$/.test(v)) return undefined;
  return Number(v);
}

/** ReplicaFailure conditions of the new ReplicaSet, else of any ReplicaSet, as deployment conditions. */
function replicaFailures(allRSs: (RS | undefined)[], newRS: RS | undefined): ReturnType<typeof newCondition>[] {
  const convert = (rs: RS) =>
    (rs.status?.conditions ?? [])
      .filter((c) => c.type === "ReplicaFailure")
      .map((c) => ({
        type: c.type,
        status: c.status,
        ...(c.lastTransitionTime ? { lastUpdateTime: c.lastTransitionTime, lastTransitionTime: c.lastTransitionTime } : {}),
        ...(c.reason ? { reason: c.reason } : {}),
        ...(c.message ? { message: c.message } : {}),
      }));
  if (newRS) {
    const c = convert(newRS);
    if (c.length) return c;
  }
  const out: ReturnType<typeof newCondition>[] = [];
  for (const rs of allRSs) if (rs) out.push(...convert(rs));
  return out;
}
