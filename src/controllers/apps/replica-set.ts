// The ReplicaSet controller (upstream pkg/controller/replicaset) — and, over a different resource
// with map selectors, the ReplicationController manager (pkg/controller/replication). It claims
// the pods its selector matches, creates pods from its template in slow-start batches of at most
// 500 per sync, deletes the pods ranked first for deletion, and reports replicas, fully labeled,
// ready and available replicas, observedGeneration and the ReplicaFailure condition.
import { isApiError } from "../../apimachinery/errors.js";
import { fromLabelMap, fromMetaLabelSelector, type LabelSelector, type MetaLabelSelector } from "../../apimachinery/labels.js";
import type { KubeObject, OwnerReference } from "../../apimachinery/types.js";
import type { SharedInformer } from "../../client/informers/shared-informer.js";
import { R, type Client, type GroupVersionResourceRef } from "../../client/interface.js";
import type { ControllerContext } from "../../controlplane/context.js";
import { formatTime } from "../../util/clock.js";
import { deepEqual } from "../../util/deep-equal.js";
import { Controller, keyOf, splitKey, type Runnable } from "../runtime/controller.js";
import type { EventRecorder } from "../runtime/events.js";
import { controllerRef } from "../runtime/owner-refs.js";
import { claimObjects, recheckOwner } from "./claim.js";
import { PodExpectations } from "./expectations.js";
import { PodTracker } from "./pod-tracker.js";
import { POD_CONTROLLER_INDEX, podControllerIndex } from "./indexes.js";
import { hasTemplateLabelsCached, isPodReady, matchesCached, podFacts, podKey, podsToDelete, type Pod } from "./pod-util.js";
import { slowStartBatch, SLOW_START_INITIAL_BATCH_SIZE } from "./slow-start.js";

/** upstream BurstReplicas: at most this many creates or deletes per sync. */
export const BURST_REPLICAS = 500;
/**
 * Status writes that only move the counts are at most this often per controller; anything else
 * (a new generation, a condition) is written at once.
 */
export const STATUS_COALESCE_MS = 50;
/** upstream --concurrent-replicaset-syncs / --concurrent-rc-syncs default. */
const WORKERS = 5;

export interface ReplicaSetCondition {
  type: string;
  status: string;
  lastTransitionTime?: string;
  reason?: string;
  message?: string;
}

export interface ReplicaSetStatus {
  replicas: number;
  fullyLabeledReplicas?: number;
  readyReplicas?: number;
  availableReplicas?: number;
  observedGeneration?: number;
  conditions?: ReplicaSetCondition[];
}

export interface PodTemplateSpec {
  metadata?: { labels?: Record<string, string>; annotations?: Record<string, string>; finalizers?: string[]; [k: string]: unknown };
  spec?: Record<string, unknown>;
}

export interface ReplicaSetLike extends KubeObject {
  spec?: {
    replicas?: number;
    minReadySeconds?: number;
    selector?: MetaLabelSelector | Record<string, string> | null;
    template?: PodTemplateSpec;
    [k: string]: unknown;
  };
  status?: ReplicaSetStatus;
}

/** What differs between ReplicaSets and ReplicationControllers. */
export interface ReplicaKind {
  kind: "ReplicaSet" | "ReplicationController";
  apiVersion: string;
  gvr: GroupVersionResourceRef;
  /** The event source component. */
  component: string;
  selector(obj: ReplicaSetLike): LabelSelector;
}

export const REPLICA_SET_KIND: ReplicaKind = {
  kind: "ReplicaSet",
  apiVersion: "apps/v1",
  gvr: R.replicasets,
  component: "replicaset-controller",
  selector: (rs) => fromMetaLabelSelector(rs.spec?.selector as MetaLabelSelector | undefined),
};

export const REPLICATION_CONTROLLER_KIND: ReplicaKind = {
  kind: "ReplicationController",
  apiVersion: "v1",
  gvr: R.replicationcontrollers,
  component: "replication-controller",
  // an RC's selector is a map; defaulting copies the template labels into an empty one
  selector: (rc) => fromLabelMap(rc.spec?.selector as Record<string, string> | undefined),
};

export function specReplicas(obj: { spec?: { replicas?: number } }): number {
  return obj.spec?.replicas ?? 1;
}

/** The pod a controller creates from its template (upstream GetPodFromTemplate). */
export function podFromTemplate(template: PodTemplateSpec, ownerName: string, ref: OwnerReference): Pod {
  const meta: Pod["metadata"] = {};
  // upstream getPodsPrefix: "<name>-" unless that is not a valid pod name prefix
  meta.generateName = /^[a-z0-9]([-a-z0-9.]*)?-$/.test(`${ownerName}-`) ? `${ownerName}-` : ownerName;
  const labels = template.metadata?.labels;
  if (labels && Object.keys(labels).length) meta.labels = { ...labels };
  const annotations = template.metadata?.annotations;
  if (annotations && Object.keys(annotations).length) meta.annotations = { ...annotations };
  meta.ownerReferences = [{ ...ref }];
  const finalizers = template.metadata?.finalizers;
  if (finalizers?.length) meta.finalizers = [...finalizers];
  return { apiVersion: "v1", kind: "Pod", metadata: meta, spec: structuredClone(template.spec ?? {}) };
}

export interface ReplicaCounts {
  replicas: number;
  fully: number;
  ready: number;
  available: number;
}

/** upstream calculateStatus for ReplicaSets/ReplicationControllers, over its active pods. */
export function calculateReplicaSetStatus(rs: ReplicaSetLike, activePods: Pod[], manageErr: unknown, now: number): ReplicaSetStatus {
  const templateLabels = rs.spec?.template?.metadata?.labels;
  const tplKey = JSON.stringify(templateLabels ?? {});
  const minReadyMs = (rs.spec?.minReadySeconds ?? 0) * 1000;
  const counts: ReplicaCounts = { replicas: activePods.length, fully: 0, ready: 0, available: 0 };
  for (const pod of activePods) {
    if (hasTemplateLabelsCached(pod, templateLabels, tplKey)) counts.fully++;
    const f = podFacts(pod);
    if (f.ready) {
      counts.ready++;
      // upstream IsPodAvailable: ready for longer than minReadySeconds
      if (minReadyMs === 0 || (f.readySince !== undefined && f.readySince + minReadyMs < now)) counts.available++;
    }
  }
  return replicaSetStatusFrom(rs, counts, manageErr, now);
}

/** The status for the given counts: the counts, the ReplicaFailure condition set or cleared. */
export function replicaSetStatusFrom(rs: ReplicaSetLike, counts: ReplicaCounts, manageErr: unknown, now: number): ReplicaSetStatus {
  let conditions = rs.status?.conditions ? structuredClone(rs.status.conditions) : undefined;
  const failure = conditions?.find((c) => c.type === "ReplicaFailure");
  if (manageErr && !failure) {
    const diff = counts.replicas - specReplicas(rs);
    const reason = diff < 0 ? "FailedCreate" : diff > 0 ? "FailedDelete" : "";
    const cond: ReplicaSetCondition = { type: "ReplicaFailure", status: "True", lastTransitionTime: formatTime(now) };
    if (reason) cond.reason = reason;
    cond.message = errorMessage(manageErr);
    conditions = [...(conditions ?? []).filter((c) => c.type !== "ReplicaFailure"), cond];
  } else if (!manageErr && failure) {
    conditions = conditions!.filter((c) => c.type !== "ReplicaFailure");
  }
  // upstream's JSON shape: replicas always, the other counts omitted when zero
  const status: ReplicaSetStatus = { replicas: counts.replicas };
  if (counts.fully) status.fullyLabeledReplicas = counts.fully;
  if (counts.ready) status.readyReplicas = counts.ready;
  if (counts.available) status.availableReplicas = counts.available;
  if (rs.status?.observedGeneration) status.observedGeneration = rs.status.observedGeneration;
  if (conditions?.length) status.conditions = conditions;
  return status;
}

function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

function sameStatus(rs: ReplicaSetLike, s: ReplicaSetStatus): boolean {
  const cur = rs.status ?? { replicas: 0 };
  return (
    (cur.replicas ?? 0) === s.replicas &&
    (cur.fullyLabeledReplicas ?? 0) === (s.fullyLabeledReplicas ?? 0) &&
    (cur.readyReplicas ?? 0) === (s.readyReplicas ?? 0) &&
    (cur.availableReplicas ?? 0) === (s.availableReplicas ?? 0) &&
    (rs.metadata.generation ?? 0) === (cur.observedGeneration ?? 0) &&
    deepEqual(cur.conditions ?? [], s.conditions ?? [])
  );
}

export class ReplicaSetController implements Runnable {
  readonly name: string;
  readonly controller: Controller;
  readonly expectations: PodExpectations;
  private readonly client: Client;
  private readonly recorder: EventRecorder;
  private readonly rsInformer: SharedInformer;
  private readonly podInformer: SharedInformer;
  private readonly tracker: PodTracker;
  /** When each controller's status was last written (clock ms). */
  private readonly lastStatusWrite = new Map<string, number>();

  constructor(
    private readonly ctx: ControllerContext,
    private readonly k: ReplicaKind,
  ) {
    this.name = k.component;
    this.client = ctx.clientFor("kube-controller-manager");
    this.recorder = ctx.recorder(k.component);
    this.expectations = new PodExpectations(ctx.clock);
    this.controller = new Controller(k.component, (key) => this.sync(key), ctx.clock, WORKERS);
    this.rsInformer = ctx.informers.informerFor(k.gvr);
    this.podInformer = ctx.informers.informerFor(R.pods);
    this.podInformer.addIndexer(POD_CONTROLLER_INDEX, podControllerIndex);
    this.tracker = new PodTracker(this.podInformer, k.kind);
    this.rsInformer.addEventHandler({
      onAdd: (rs) => this.controller.enqueue(keyOf(rs)),
      onUpdate: (old, cur) => {
        if (old.metadata.uid !== cur.metadata.uid) this.expectations.delete(keyOf(old));
        this.controller.enqueue(keyOf(cur));
      },
      onDelete: (rs) => {
        this.expectations.delete(keyOf(rs));
        this.lastStatusWrite.delete(keyOf(rs));
        this.tracker.forget(rs.metadata.uid!);
        this.controller.enqueue(keyOf(rs));
      },
    });
    this.podInformer.addEventHandler({
      onAdd: (pod) => {
        this.tracker.observe(undefined, pod as Pod);
        this.addPod(pod as Pod);
      },
      onUpdate: (old, cur) => {
        this.tracker.observe(old as Pod, cur as Pod);
        this.updatePod(old as Pod, cur as Pod);
      },
      onDelete: (pod) => {
        this.tracker.observe(pod as Pod, undefined);
        this.deletePod(pod as Pod);
      },
    });
  }

  start(): void {
    this.controller.start();
  }

  stop(): Promise<void> {
    return this.controller.stop();
  }

  private resolve(namespace: string, ref: OwnerReference | undefined): ReplicaSetLike | undefined {
    if (!ref || ref.kind !== this.k.kind) return undefined;
    const rs = this.rsInformer.get(namespace, ref.name) as ReplicaSetLike | undefined;
    return rs && rs.metadata.uid === ref.uid ? rs : undefined;
  }

  /** Controllers of this kind whose selector matches an orphan pod. */
  private matching(pod: Pod): ReplicaSetLike[] {
    const out: ReplicaSetLike[] = [];
    if (!pod.metadata.labels) return out;
    for (const rs of this.rsInformer.list(pod.metadata.namespace) as ReplicaSetLike[]) {
      let sel: LabelSelector;
      try {
        sel = this.k.selector(rs);
      } catch {
        continue;
      }
      if (!sel.empty && sel.matches(pod.metadata.labels)) out.push(rs);
    }
    return out;
  }

  private addPod(pod: Pod): void {
    if (pod.metadata.deletionTimestamp) {
      // a pod that shows up already being deleted must not count as an observed creation
      this.deletePod(pod);
      return;
    }
    const ref = controllerRef(pod);
    if (ref) {
      const rs = this.resolve(pod.metadata.namespace ?? "", ref);
      if (!rs) return;
      const key = keyOf(rs);
      this.expectations.creationObserved(key);
      this.controller.enqueue(key);
      return;
    }
    for (const rs of this.matching(pod)) this.controller.enqueue(keyOf(rs));
  }

  private updatePod(old: Pod, cur: Pod): void {
    if (old.metadata.resourceVersion === cur.metadata.resourceVersion) return;
    const labelChanged = !deepEqual(old.metadata.labels ?? {}, cur.metadata.labels ?? {});
    if (cur.metadata.deletionTimestamp) {
      this.deletePod(cur);
      if (labelChanged) this.deletePod(old);
      return;
    }
    const curRef = controllerRef(cur);
    const oldRef = controllerRef(old);
    const refChanged = !deepEqual(curRef ?? null, oldRef ?? null);
    if (refChanged && oldRef) {
      const rs = this.resolve(old.metadata.namespace ?? "", oldRef);
      if (rs) this.controller.enqueue(keyOf(rs));
    }
    if (curRef) {
      const rs = this.resolve(cur.metadata.namespace ?? "", curRef);
      if (!rs) return;
      this.controller.enqueue(keyOf(rs));
      // a pod that just became ready becomes available minReadySeconds later: look again then
      const minReady = rs.spec?.minReadySeconds ?? 0;
      if (minReady > 0 && !isPodReady(old) && isPodReady(cur)) this.controller.enqueueAfter(keyOf(rs), minReady * 1000 + 1000);
      return;
    }
    if (labelChanged || refChanged) for (const rs of this.matching(cur)) this.controller.enqueue(keyOf(rs));
  }

  private deletePod(pod: Pod): void {
    const ref = controllerRef(pod);
    if (!ref) return;
    const rs = this.resolve(pod.metadata.namespace ?? "", ref);
    if (!rs) return;
    const key = keyOf(rs);
    this.expectations.deletionObserved(key, podKey(pod));
    this.controller.enqueue(key);
  }

  async sync(key: string): Promise<void> {
    const { namespace, name } = splitKey(key);
    const rs = this.rsInformer.get(namespace, name) as ReplicaSetLike | undefined;
    if (!rs) {
      this.expectations.delete(key);
      return;
    }
    const needsSync = this.expectations.satisfied(key);
    let selector: LabelSelector;
    try {
      selector = this.k.selector(rs);
    } catch {
      return; // an invalid selector cannot be fixed by retrying
    }
    const selKey = selector.toString();
    const uid = rs.metadata.uid!;
    const tpl = rs.spec?.template?.metadata?.labels;
    const minReady = rs.spec?.minReadySeconds ?? 0;
    // a snapshot of the pods, as upstream's list: owned and matching (counted), owned but no longer
    // matching (to release), and orphans (to adopt)
    const counts = this.tracker.counts(uid, selector, selKey, tpl);
    const available = this.tracker.available(uid, selector, selKey, tpl, minReady, this.ctx.clock.now());
    const candidates: Pod[] = [];
    for (const k of counts.mismatched) {
      const p = this.podInformer.getByKey(k) as Pod | undefined;
      if (p) candidates.push(p);
    }
    for (const p of this.podInformer.byIndex(POD_CONTROLLER_INDEX, `orphan/${namespace}`) as Pod[]) if (podFacts(p).active) candidates.push(p);

    const ownerRef: OwnerReference = {
      apiVersion: this.k.apiVersion,
      kind: this.k.kind,
      name: rs.metadata.name!,
      uid,
      controller: true,
      blockOwnerDeletion: true,
    };
    let adopted: Pod[] = [];
    if (candidates.length) {
      adopted = await claimObjects(candidates, {
        client: this.client,
        gvr: R.pods,
        owner: rs,
        ownerRef,
        selector,
        matches: (p) => matchesCached(p as Pod, selector, selKey),
        controllerUID: (p) => podFacts(p as Pod).controllerUID,
        recheck: recheckOwner(this.client, this.k.gvr, rs),
      });
    }
    const now = this.ctx.clock.now();
    const extra = calculateReplicaSetStatus(rs, adopted, undefined, now);
    const total: ReplicaCounts = {
      replicas: counts.active + adopted.length,
      fully: counts.fully + (extra.fullyLabeledReplicas ?? 0),
      ready: counts.ready + (extra.readyReplicas ?? 0),
      available: available + (extra.availableReplicas ?? 0),
    };
    let manageErr: unknown;
    if (needsSync && !rs.metadata.deletionTimestamp) {
      try {
        await this.manageReplicas(key, rs, total.replicas, () => this.ownedPods(uid, adopted), ownerRef);
      } catch (err) {
        manageErr = err;
      }
    }
    const status = replicaSetStatusFrom(rs, total, manageErr, this.ctx.clock.now());
    const updated = await this.updateStatus(key, rs, status);
    const spec = specReplicas(updated);
    if (!manageErr && minReady > 0 && (updated.status?.readyReplicas ?? 0) === spec && (updated.status?.availableReplicas ?? 0) !== spec) {
      this.controller.enqueueAfter(key, minReady * 1000);
    }
    if (manageErr) throw manageErr;
  }

  /** The active pods the controller owns (and those it just adopted), for choosing deletions. */
  private ownedPods(uid: string, adopted: Pod[]): Pod[] {
    const out = this.tracker.pods(uid);
    const seen = new Set(out.map(podKey));
    for (const p of adopted) if (!seen.has(podKey(p))) out.push(p);
    return out;
  }

  private async updateStatus(key: string, rs: ReplicaSetLike, status: ReplicaSetStatus): Promise<ReplicaSetLike> {
    if (sameStatus(rs, status)) return rs;
    // Only the counts moved (generation observed, conditions unchanged) and the status was written
    // moments ago: write once the window has passed, so a burst of pod events makes one write
    // rather than one per pod.
    const countsOnly = (rs.metadata.generation ?? 0) === (rs.status?.observedGeneration ?? 0) && deepEqual(rs.status?.conditions ?? [], status.conditions ?? []);
    const now = this.ctx.clock.now();
    const last = this.lastStatusWrite.get(key);
    if (countsOnly && last !== undefined && now - last < STATUS_COALESCE_MS) {
      this.controller.enqueueAfter(key, STATUS_COALESCE_MS - (now - last));
      return rs;
    }
    this.lastStatusWrite.set(key, now);
    // record the generation acted on
    if (rs.metadata.generation) status.observedGeneration = rs.metadata.generation;
    else delete status.observedGeneration;
    const ordered = orderStatus(status);
    let base: ReplicaSetLike = rs;
    for (let attempt = 0; ; attempt++) {
      const next: ReplicaSetLike = { ...base, metadata: { ...base.metadata }, status: ordered };
      try {
        return (await this.client.update(this.k.gvr, rs.metadata.namespace ?? "", next, { subresource: "status" })) as ReplicaSetLike;
      } catch (err) {
        // upstream statusUpdateRetries = 1: one more try on the latest version
        if (attempt >= 1) throw err;
        base = (await this.client.get(this.k.gvr, rs.metadata.namespace ?? "", rs.metadata.name!)) as ReplicaSetLike;
      }
    }
  }

  private async manageReplicas(key: string, rs: ReplicaSetLike, count: number, pods: () => Pod[], ownerRef: OwnerReference): Promise<void> {
    let diff = count - specReplicas(rs);
    const namespace = rs.metadata.namespace ?? "";
    if (diff < 0) {
      diff = Math.min(-diff, BURST_REPLICAS);
      this.expectations.expectCreations(key, diff);
      const template = rs.spec?.template ?? {};
      const pod = podFromTemplate(template, rs.metadata.name!, ownerRef);
      const { successes, error } = await slowStartBatch(diff, SLOW_START_INITIAL_BATCH_SIZE, async () => {
        try {
          await this.createPod(rs, namespace, pod);
        } catch (err) {
          // a terminating namespace refuses every create: nothing to do
          if (namespaceTerminating(err)) return;
          throw err;
        }
      });
      // creates never attempted will not be observed
      for (let i = successes; i < diff; i++) this.expectations.creationObserved(key);
      if (error) throw error;
      return;
    }
    if (diff > 0) {
      diff = Math.min(diff, BURST_REPLICAS);
      const related = this.relatedPods(rs);
      const victims = podsToDelete(pods(), related, diff, this.ctx.clock.now());
      this.expectations.expectDeletions(key, victims.map(podKey));
      const errs: unknown[] = [];
      await Promise.all(
        victims.map(async (p) => {
          try {
            await this.client.delete(R.pods, namespace, p.metadata.name!);
            this.recorder.event(rs, "Normal", "SuccessfulDelete", `Deleted pod: ${p.metadata.name}`);
          } catch (err) {
            this.expectations.deletionObserved(key, podKey(p));
            if (isApiError(err) && err.code === 404) return;
            this.recorder.event(rs, "Warning", "FailedDelete", `Error deleting: ${errorMessage(err)}`);
            errs.push(new Error(`unable to delete pods: ${errorMessage(err)}`));
          }
        }),
      );
      if (errs.length) throw errs[0];
    }
  }

  private async createPod(rs: ReplicaSetLike, namespace: string, pod: Pod): Promise<void> {
    if (!pod.metadata.labels || Object.keys(pod.metadata.labels).length === 0) throw new Error("unable to create pods, no labels");
    try {
      const created = await this.client.create(R.pods, namespace, pod);
      this.recorder.event(rs, "Normal", "SuccessfulCreate", `Created pod: ${created.metadata.name}`);
    } catch (err) {
      if (!namespaceTerminating(err)) this.recorder.event(rs, "Warning", "FailedCreate", `Error creating: ${errorMessage(err)}`);
      throw err;
    }
  }

  /**
   * Pods of every controller sharing this one's owner (upstream getIndirectlyRelatedPods): the
   * ReplicaSets of one Deployment count each other's pods when ranking by co-location.
   */
  private relatedPods(rs: ReplicaSetLike): Pod[] {
    const owner = controllerRef(rs);
    if (!owner) return [];
    const out: Pod[] = [];
    for (const other of this.rsInformer.list(rs.metadata.namespace) as ReplicaSetLike[]) {
      if (controllerRef(other)?.uid !== owner.uid) continue;
      out.push(...(this.podInformer.byIndex(POD_CONTROLLER_INDEX, other.metadata.uid!) as Pod[]));
    }
    return out;
  }
}

function namespaceTerminating(err: unknown): boolean {
  return isApiError(err) && !!err.details?.causes?.some((c) => c.reason === "NamespaceTerminating");
}

/** Status fields in upstream's order (replicas, fullyLabeledReplicas, ready, available, observedGeneration, conditions). */
function orderStatus(s: ReplicaSetStatus): ReplicaSetStatus {
  const out: ReplicaSetStatus = { replicas: s.replicas };
  if (s.fullyLabeledReplicas) out.fullyLabeledReplicas = s.fullyLabeledReplicas;
  if (s.readyReplicas) out.readyReplicas = s.readyReplicas;
  if (s.availableReplicas) out.availableReplicas = s.availableReplicas;
  if (s.observedGeneration) out.observedGeneration = s.observedGeneration;
  if (s.conditions?.length) out.conditions = s.conditions;
  return out;
}
