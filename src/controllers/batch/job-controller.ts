// The Job controller (upstream pkg/controller/job/job_controller.go, Kubernetes 1.33): creates a
// Job's pods from its template, tracks them with the batch.kubernetes.io/job-tracking finalizer
// (counting each finished pod exactly once through status.uncountedTerminatedPods), applies
// completions and parallelism, Indexed completion, backoffLimit with exponential backoff of
// replacements, backoffLimitPerIndex, activeDeadlineSeconds, suspend, podFailurePolicy,
// successPolicy and podReplacementPolicy, and writes the Job's status and conditions:
// SuccessCriteriaMet then Complete, FailureTarget then Failed (the terminal condition waits until
// no pod is terminating, as with JobManagedBy and JobPodReplacementPolicy on).
import { ApiError } from "../../apimachinery/errors.js";
import { fromMetaLabelSelector, type LabelSelector } from "../../apimachinery/labels.js";
import type { KubeObject, OwnerReference } from "../../apimachinery/types.js";
import type { SharedInformer } from "../../client/informers/shared-informer.js";
import { R, type Client } from "../../client/interface.js";
import type { ControllerContext } from "../../controlplane/context.js";
import { formatTime, type Clock } from "../../util/clock.js";
import { Controller, keyOf, splitKey, type Result, type Runnable } from "../runtime/controller.js";
import type { EventRecorder } from "../runtime/events.js";
import { Expectations } from "../runtime/expectations.js";
import {
  completionIndex,
  duplicatedIndexPodsForRemoval,
  firstPendingIndexes,
  indexAbsoluteFailureCount,
  indexesOf,
  indexFailureCount,
  indexIgnoredFailureCount,
  OrderedIntervals,
  parseIndexes,
  podGenerateNameWithIndex,
  UNKNOWN_INDEX,
} from "./indexed.js";
import { hasFinalizer, isActive, isPodReady, isTerminating, podFinishedTime, sortActivePods } from "./pod-util.js";
import { matchPodFailurePolicy, matchSuccessPolicy, newBackoffRecord, remainingTimeForFailures, remainingTimePerIndex, type BackoffRecord } from "./policies.js";
import {
  JOB_COMPLETION_INDEX,
  JOB_CONTROLLER_NAME,
  JOB_INDEX_FAILURE_COUNT,
  JOB_INDEX_IGNORED_FAILURE_COUNT,
  JOB_TRACKING_FINALIZER,
  parseTime,
  type Job,
  type JobCondition,
  type JobStatus,
  type Pod,
  type PodTemplate,
} from "./types.js";

/** syncJobBatchPeriod: pod events and status-only Job updates are batched for a second. */
export const SYNC_JOB_BATCH_PERIOD_MS = 1000;
/** MaxUncountedPods and MaxPodCreateDeletePerSync. */
export const MAX_UNCOUNTED_PODS = 500;
export const MAX_POD_CREATE_DELETE_PER_SYNC = 500;
/** controller.SlowStartInitialBatchSize. */
const SLOW_START_INITIAL_BATCH_SIZE = 1;
/** ConcurrentJobSyncs default. */
const WORKERS = 5;

const OWNER_INDEX = "batch/job-controller-uid";
const ORPHAN_INDEX = "batch/job-orphan-namespace";

const COMPLETION_INDEX_ENV = "JOB_COMPLETION_INDEX";

// ---- Job helpers shared with the CronJob and TTL-after-finished controllers (pkg/controller/job/util) ----

export function finishedCondition(job: Job): "Complete" | "Failed" | undefined {
  for (const c of job.status?.conditions ?? []) {
    if ((c.type === "Complete" || c.type === "Failed") && c.status === "True") return c.type;
  }
  return undefined;
}

export function isJobFinished(job: Job): boolean {
  return finishedCondition(job) !== undefined;
}

export function isJobSucceeded(job: Job): boolean {
  return (job.status?.conditions ?? []).some((c) => c.type === "Complete" && c.status === "True");
}

function isIndexed(job: Job): boolean {
  return job.spec.completionMode === "Indexed";
}

function hasBackoffLimitPerIndex(job: Job): boolean {
  return typeof job.spec.backoffLimitPerIndex === "number";
}

function isSuspended(job: Job): boolean {
  return job.spec.suspend === true;
}

/** onlyReplaceFailedPods: podReplacementPolicy Failed, or a pod failure policy. */
function onlyReplaceFailedPods(job: Job): boolean {
  return job.spec.podReplacementPolicy === "Failed" || !!job.spec.podFailurePolicy;
}

/** isPodFailed: Failed phase, or (unless only failed pods are replaced) deleted before succeeding. */
export function isPodFailed(p: Pod, job: Job): boolean {
  if (p.status?.phase === "Failed") return true;
  if (onlyReplaceFailedPods(job)) return false;
  return !!p.metadata.deletionTimestamp && p.status?.phase !== "Succeeded";
}

function findCondition(list: JobCondition[] | undefined, type: string): JobCondition | undefined {
  return list?.find((c) => c.type === type);
}

function newCondition(type: string, status: string, reason: string, message: string, now: number): JobCondition {
  const t = formatTime(now);
  const c: JobCondition = { type, status, lastProbeTime: t, lastTransitionTime: t };
  if (reason) c.reason = reason;
  if (message) c.message = message;
  return c;
}

/** ensureJobConditionStatus: appends or updates a condition; a False condition is never appended. */
function ensureConditionStatus(list: JobCondition[], type: string, status: string, reason: string, message: string, now: number): { list: JobCondition[]; changed: boolean } {
  const i = list.findIndex((c) => c.type === type);
  if (i >= 0) {
    const c = list[i]!;
    if (c.status !== status || (c.reason ?? "") !== reason || (c.message ?? "") !== message) {
      list[i] = newCondition(type, status, reason, message, now);
      return { list, changed: true };
    }
    return { list, changed: false };
  }
  if (status !== "False") return { list: [...list, newCondition(type, status, reason, message, now)], changed: true };
  return { list, changed: false };
}

function successCriteriaMetCondition(job: Job): JobCondition | undefined {
  const c = findCondition(job.status?.conditions, "SuccessCriteriaMet");
  return c && c.status === "True" ? c : undefined;
}

function isSuccessCriteriaMet(c: JobCondition | undefined): boolean {
  return !!c && c.type === "SuccessCriteriaMet" && c.status === "True";
}

/** A Job status in the API's shape: Go's field order, zero counters and empty strings omitted as omitempty does. */
export function normalizeJobStatus(s: JobStatus): JobStatus {
  const out: JobStatus = {};
  if (s.conditions && s.conditions.length) out.conditions = s.conditions;
  if (s.startTime) out.startTime = s.startTime;
  if (s.completionTime) out.completionTime = s.completionTime;
  if (s.active) out.active = s.active;
  if (s.succeeded) out.succeeded = s.succeeded;
  if (s.failed) out.failed = s.failed;
  if (typeof s.terminating === "number") out.terminating = s.terminating;
  if (s.completedIndexes) out.completedIndexes = s.completedIndexes;
  if (typeof s.failedIndexes === "string") out.failedIndexes = s.failedIndexes;
  if (s.uncountedTerminatedPods) {
    const u: { succeeded?: string[]; failed?: string[] } = {};
    if (s.uncountedTerminatedPods.succeeded?.length) u.succeeded = s.uncountedTerminatedPods.succeeded;
    if (s.uncountedTerminatedPods.failed?.length) u.failed = s.uncountedTerminatedPods.failed;
    out.uncountedTerminatedPods = u;
  }
  if (typeof s.ready === "number") out.ready = s.ready;
  return out;
}

function jobControllerRef(job: Job): OwnerReference {
  return { apiVersion: "batch/v1", kind: "Job", name: job.metadata.name!, uid: job.metadata.uid!, controller: true, blockOwnerDeletion: true };
}

function controllerRefOf(obj: KubeObject): OwnerReference | undefined {
  return obj.metadata.ownerReferences?.find((r) => r.controller === true);
}

const selectorCache = new WeakMap<object, LabelSelector>();

/** The Job's selector (LabelSelectorAsSelector); undefined when it cannot be converted. */
export function jobSelector(job: Job): LabelSelector | undefined {
  const sel = job.spec.selector;
  if (!sel) return fromMetaLabelSelector(undefined);
  let s = selectorCache.get(sel);
  if (!s) {
    try {
      s = fromMetaLabelSelector(sel);
    } catch {
      return undefined;
    }
    selectorCache.set(sel, s);
  }
  return s;
}

function isNotFound(err: unknown): boolean {
  return err instanceof ApiError && err.code === 404;
}

function isNamespaceTerminating(err: unknown): boolean {
  return err instanceof ApiError && (err.details?.causes ?? []).some((c) => c.reason === "NamespaceTerminating");
}

/** The patch that drops the tracking finalizer (removeTrackingFinalizerPatch). */
const REMOVE_FINALIZER_PATCH = { metadata: { [`$deleteFromPrimitiveList/finalizers`]: [JOB_TRACKING_FINALIZER] } };

interface SyncCtx {
  job: Job;
  pods: Pod[];
  finishedCondition: JobCondition | undefined;
  activePods: Pod[];
  succeeded: number;
  failed: number;
  prevSucceededIndexes: OrderedIntervals;
  succeededIndexes: OrderedIntervals;
  failedIndexes: OrderedIntervals | undefined;
  newBackoffRecord: BackoffRecord;
  expectedRmFinalizers: Set<string>;
  uncounted: { succeeded: Set<string>; failed: Set<string> };
  podsWithDelayedDeletionPerIndex: Map<number, Pod>;
  terminating: number;
  ready: number;
}

export class JobController implements Runnable {
  readonly name = "job-controller";
  readonly controller: Controller;
  private readonly orphanController: Controller;
  private readonly client: Client;
  private readonly recorder: EventRecorder;
  private readonly clock: Clock;
  private readonly jobs: SharedInformer;
  private readonly pods: SharedInformer;
  private readonly expectations: Expectations;
  /** Pod UIDs whose finalizer removal the controller waits to observe, by Job key. */
  private readonly finalizerExpectations = new Map<string, Set<string>>();
  private readonly backoffStore = new Map<string, BackoffRecord>();

  constructor(ctx: ControllerContext) {
    this.client = ctx.clientFor("kube-controller-manager");
    this.recorder = ctx.recorder("job-controller");
    this.clock = ctx.clock;
    this.expectations = new Expectations(ctx.clock);
    this.controller = new Controller("job", (key) => this.syncJob(key), ctx.clock, WORKERS);
    this.orphanController = new Controller("job_orphan_pod", (key) => this.syncOrphanPod(key), ctx.clock, 1);
    this.jobs = ctx.informers.informerFor(R.jobs);
    this.pods = ctx.informers.informerFor(R.pods);
    this.pods.addIndexer(OWNER_INDEX, (o) => {
      const ref = controllerRefOf(o);
      return ref && ref.kind === "Job" ? [ref.uid] : [];
    });
    this.pods.addIndexer(ORPHAN_INDEX, (o) => (controllerRefOf(o) || !o.metadata.namespace ? [] : [o.metadata.namespace]));
    this.jobs.addEventHandler({
      onAdd: (o) => this.controller.enqueue(keyOf(o)),
      onUpdate: (old, cur) => this.updateJob(old as Job, cur as Job),
      onDelete: (o) => {
        this.controller.enqueue(keyOf(o));
        this.cleanupPodFinalizers(o as Job);
      },
    });
    this.pods.addEventHandler({
      onAdd: (o) => this.addPod(o as Pod),
      onUpdate: (old, cur) => this.updatePod(old as Pod, cur as Pod),
      onDelete: (o) => this.deletePod(o as Pod, true),
    });
  }

  start(): void {
    this.controller.start();
    this.orphanController.start();
  }

  async stop(): Promise<void> {
    await Promise.all([this.controller.stop(), this.orphanController.stop()]);
    await this.recorder.flush();
  }

  // ---- event handlers ----

  private enqueueBatched(job: KubeObject): void {
    this.controller.enqueueAfter(keyOf(job), SYNC_JOB_BATCH_PERIOD_MS);
  }

  private enqueueWithDelay(job: KubeObject, delayMs: number): void {
    this.controller.enqueueAfter(keyOf(job), Math.max(delayMs, SYNC_JOB_BATCH_PERIOD_MS));
  }

  private enqueueOrphan(pod: Pod): void {
    this.orphanController.enqueue(keyOf(pod));
  }

  private resolveControllerRef(namespace: string, ref: OwnerReference): Job | undefined {
    if (ref.kind !== "Job") return undefined;
    const job = this.jobs.get(namespace, ref.name) as Job | undefined;
    return job && job.metadata.uid === ref.uid ? job : undefined;
  }

  /** Jobs whose selector matches an orphan pod (GetPodJobs). */
  private podJobs(pod: Pod): Job[] {
    const out: Job[] = [];
    for (const j of this.jobs.list(pod.metadata.namespace) as Job[]) {
      const sel = jobSelector(j);
      if (!sel || sel.empty) continue;
      if (sel.matches(pod.metadata.labels)) out.push(j);
    }
    return out;
  }

  private updateJob(old: Job, cur: Job): void {
    const key = keyOf(cur);
    if (cur.metadata.generation === old.metadata.generation) this.enqueueBatched(cur);
    else this.controller.enqueue(key);
    if (isJobFinished(cur)) this.cleanupPodFinalizers(cur);
    const start = parseTime(cur.status?.startTime);
    const ads = cur.spec.activeDeadlineSeconds;
    if (start !== undefined && typeof ads === "number") {
      const oldAds = old.spec.activeDeadlineSeconds;
      if (typeof oldAds !== "number" || oldAds !== ads) this.controller.enqueueAfter(key, ads * 1000 - (this.clock.now() - start));
    }
  }

  private addPod(pod: Pod): void {
    if (pod.metadata.deletionTimestamp) {
      this.deletePod(pod, false);
      return;
    }
    const ref = controllerRefOf(pod);
    if (ref) {
      const job = this.resolveControllerRef(pod.metadata.namespace!, ref);
      if (!job) return;
      this.expectations.creationObserved(keyOf(job));
      this.enqueueBatched(job);
      return;
    }
    if (hasFinalizer(pod, JOB_TRACKING_FINALIZER)) this.enqueueOrphan(pod);
    for (const job of this.podJobs(pod)) this.enqueueBatched(job);
  }

  private updatePod(old: Pod, cur: Pod): void {
    if (cur.metadata.resourceVersion === old.metadata.resourceVersion) return;
    if (cur.metadata.deletionTimestamp) {
      this.deletePod(cur, false);
      return;
    }
    const curRef = controllerRefOf(cur);
    const oldRef = controllerRefOf(old);
    // the common case on a busy cluster: a pod of another controller kind, same owner as before
    if (curRef && oldRef && curRef.kind !== "Job" && oldRef.kind !== "Job" && curRef.uid === oldRef.uid) return;
    const finalizerRemoved = !hasFinalizer(cur, JOB_TRACKING_FINALIZER);
    const refChanged = JSON.stringify(curRef) !== JSON.stringify(oldRef);
    if (refChanged && oldRef) {
      const job = this.resolveControllerRef(old.metadata.namespace!, oldRef);
      if (job) {
        if (finalizerRemoved) this.finalizerRemovalObserved(keyOf(job), cur.metadata.uid!);
        this.enqueueBatched(job);
      }
    }
    if (curRef) {
      const job = this.resolveControllerRef(cur.metadata.namespace!, curRef);
      if (!job) return;
      if (finalizerRemoved) this.finalizerRemovalObserved(keyOf(job), cur.metadata.uid!);
      this.enqueueBatched(job);
      return;
    }
    if (hasFinalizer(cur, JOB_TRACKING_FINALIZER)) this.enqueueOrphan(cur);
    const labelsChanged = JSON.stringify(cur.metadata.labels ?? {}) !== JSON.stringify(old.metadata.labels ?? {});
    if (labelsChanged || refChanged) for (const job of this.podJobs(cur)) this.enqueueBatched(job);
  }

  private deletePod(pod: Pod, final: boolean): void {
    const ref = controllerRefOf(pod);
    const withFinalizer = hasFinalizer(pod, JOB_TRACKING_FINALIZER);
    if (!ref) {
      if (withFinalizer) this.enqueueOrphan(pod);
      return;
    }
    const job = this.resolveControllerRef(pod.metadata.namespace!, ref);
    if (!job || isJobFinished(job)) {
      if (withFinalizer) this.enqueueOrphan(pod);
      return;
    }
    const key = keyOf(job);
    this.expectations.deletionObserved(key);
    if (final || !withFinalizer) this.finalizerRemovalObserved(key, pod.metadata.uid!);
    this.enqueueBatched(job);
  }

  /** Pods of a finished or deleted Job that still carry the finalizer go to the orphan queue. */
  private cleanupPodFinalizers(job: Job): void {
    const sel = jobSelector(job);
    if (!sel) return;
    for (const p of this.pods.byIndex(OWNER_INDEX, job.metadata.uid!) as Pod[]) {
      if (p.metadata.namespace === job.metadata.namespace && sel.matches(p.metadata.labels) && hasFinalizer(p, JOB_TRACKING_FINALIZER)) this.enqueueOrphan(p);
    }
  }

  // ---- finalizer expectations (tracking_utils.go) ----

  private expectFinalizersRemoved(key: string, uids: string[]): void {
    let set = this.finalizerExpectations.get(key);
    if (!set) this.finalizerExpectations.set(key, (set = new Set()));
    for (const u of uids) set.add(u);
  }

  private finalizerRemovalObserved(key: string, uid: string): void {
    this.finalizerExpectations.get(key)?.delete(uid);
  }

  // ---- orphan pods ----

  private async syncOrphanPod(key: string): Promise<void> {
    const { namespace, name } = splitKey(key);
    const pod = this.pods.get(namespace, name) as Pod | undefined;
    if (!pod) return;
    const ref = controllerRefOf(pod);
    if (ref) {
      if (ref.kind !== "Job" || ref.apiVersion !== "batch/v1") return;
      const job = this.resolveControllerRef(namespace, ref);
      if (job && job.spec.managedBy !== undefined && job.spec.managedBy !== JOB_CONTROLLER_NAME) return;
      if (job && !isJobFinished(job)) return;
    }
    if (!hasFinalizer(pod, JOB_TRACKING_FINALIZER)) return;
    try {
      await this.client.patch(R.pods, namespace, name, "strategic", REMOVE_FINALIZER_PATCH);
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
  }

  // ---- pods of a Job ----

  /** getPodsForJob: the Job's pods, adopting matching orphans (with the finalizer) and releasing owned pods that stopped matching. */
  private async getPodsForJob(job: Job): Promise<Pod[]> {
    const sel = jobSelector(job);
    if (!sel) throw new Error(`couldn't convert Job selector: invalid selector`);
    const ns = job.metadata.namespace!;
    const owned = (this.pods.byIndex(OWNER_INDEX, job.metadata.uid!) as Pod[]).filter((p) => p.metadata.namespace === ns);
    const orphans = this.pods.byIndex(ORPHAN_INDEX, ns) as Pod[];
    const claimed: Pod[] = [];
    const errs: unknown[] = [];
    let canAdopt: Promise<void> | undefined;
    const recheck = () =>
      (canAdopt ??= (async () => {
        const fresh = await this.client.get(R.jobs, ns, job.metadata.name!);
        if (fresh.metadata.uid !== job.metadata.uid) throw new Error(`original Job ${ns}/${job.metadata.name} is gone: got uid ${fresh.metadata.uid}, wanted ${job.metadata.uid}`);
        if (fresh.metadata.deletionTimestamp) throw new Error(`${ns}/${job.metadata.name} has just been deleted at ${fresh.metadata.deletionTimestamp}`);
      })());
    for (const p of owned) {
      if (sel.matches(p.metadata.labels)) {
        claimed.push(p);
        continue;
      }
      if (job.metadata.deletionTimestamp) continue;
      try {
        await this.client.patch(R.pods, ns, p.metadata.name!, "strategic", {
          metadata: { ownerReferences: [{ $patch: "delete", uid: job.metadata.uid }], uid: p.metadata.uid },
        });
      } catch (err) {
        if (!isNotFound(err) && !(err instanceof ApiError && err.code === 422)) errs.push(err);
      }
    }
    if (!job.metadata.deletionTimestamp && !sel.empty) {
      for (const p of orphans) {
        if (p.metadata.deletionTimestamp || !sel.matches(p.metadata.labels)) continue;
        try {
          await recheck();
          await this.client.patch(R.pods, ns, p.metadata.name!, "strategic", {
            metadata: { ownerReferences: [jobControllerRef(job)], uid: p.metadata.uid, finalizers: [JOB_TRACKING_FINALIZER] },
          });
          // the finalizer counts as present for the rest of this sync
          claimed.push(hasFinalizer(p, JOB_TRACKING_FINALIZER) ? p : { ...p, metadata: { ...p.metadata, finalizers: [...(p.metadata.finalizers ?? []), JOB_TRACKING_FINALIZER] } });
        } catch (err) {
          if (!isNotFound(err)) errs.push(err);
        }
      }
    }
    if (errs.length) throw errs[0];
    return claimed;
  }

  // ---- sync ----

  private async syncJob(key: string): Promise<Result | void> {
    const { namespace, name } = splitKey(key);
    if (!namespace || !name) throw new Error(`invalid job key ${JSON.stringify(key)}: either namespace or name is missing`);
    const shared = this.jobs.get(namespace, name) as Job | undefined;
    if (!shared) {
      this.expectations.delete(key);
      this.finalizerExpectations.delete(key);
      this.backoffStore.delete(key);
      return;
    }
    if (shared.spec.managedBy !== undefined && shared.spec.managedBy !== null && shared.spec.managedBy !== JOB_CONTROLLER_NAME) return;
    const job = structuredClone(shared) as Job;
    if (isJobFinished(job)) {
      this.backoffStore.delete(key);
      return;
    }
    const mode = job.spec.completionMode;
    if (mode !== undefined && mode !== null && mode !== "NonIndexed" && mode !== "Indexed") {
      this.recorder.event(job, "Warning", "UnknownCompletionMode", "Skipped Job sync because completion mode is unknown");
      return;
    }
    job.status ??= {};
    const status = job.status;
    status.uncountedTerminatedPods ??= {};

    const satisfiedExpectations = this.expectations.satisfied(key);
    const pods = await this.getPodsForJob(job);
    const activePods = pods.filter(isActive);
    const uncountedIn = status.uncountedTerminatedPods;
    const jc: SyncCtx = {
      job,
      pods,
      finishedCondition: undefined,
      activePods,
      succeeded: 0,
      failed: 0,
      prevSucceededIndexes: new OrderedIntervals(),
      succeededIndexes: new OrderedIntervals(),
      failedIndexes: undefined,
      newBackoffRecord: { key, failuresAfterLastSuccess: 0 },
      expectedRmFinalizers: new Set(this.finalizerExpectations.get(key) ?? []),
      uncounted: { succeeded: new Set(uncountedIn.succeeded ?? []), failed: new Set(uncountedIn.failed ?? []) },
      podsWithDelayedDeletionPerIndex: new Map(),
      terminating: pods.filter(isTerminating).length,
      ready: activePods.filter(isPodReady).length,
    };
    let active = activePods.length;
    const newSucceededPods = this.validPodsWithFilter(jc, jc.uncounted.succeeded, (p) => p.status?.phase === "Succeeded");
    const newFailedPods = this.validPodsWithFilter(jc, jc.uncounted.failed, (p) => isPodFailed(p, job));
    jc.succeeded = (status.succeeded ?? 0) + newSucceededPods.length + jc.uncounted.succeeded.size;
    const nonIgnoredFailed = job.spec.podFailurePolicy ? newFailedPods.filter((p) => matchPodFailurePolicy(job.spec.podFailurePolicy, p).countFailed).length : newFailedPods.length;
    jc.failed = (status.failed ?? 0) + nonIgnoredFailed + jc.uncounted.failed.size;

    const now = this.clock.now();
    if (!status.startTime && !isSuspended(job)) status.startTime = formatTime(now);

    jc.newBackoffRecord = newBackoffRecord(this.backoffStore.get(key), key, newSucceededPods, newFailedPods);

    let manageJobErr: unknown;
    const exceedsBackoffLimit = jc.failed > (job.spec.backoffLimit ?? 6);
    jc.finishedCondition = successCriteriaMetCondition(job);
    if (!jc.finishedCondition) {
      const failureTarget = findCondition(status.conditions, "FailureTarget");
      if (failureTarget && failureTarget.status === "True") {
        jc.finishedCondition = newCondition("Failed", "True", failureTarget.reason ?? "", failureTarget.message ?? "", now);
      } else {
        const msg = this.failJobMessage(job, pods);
        if (msg !== undefined) jc.finishedCondition = newCondition("FailureTarget", "True", "PodFailurePolicy", msg, now);
      }
    }
    let requeueAfterMs: number | undefined;
    if (!jc.finishedCondition) {
      if (exceedsBackoffLimit || this.pastBackoffLimitOnFailure(job, pods)) {
        jc.finishedCondition = newCondition("FailureTarget", "True", "BackoffLimitExceeded", "Job has reached the specified backoff limit", now);
      } else if (this.pastActiveDeadline(job)) {
        jc.finishedCondition = newCondition("FailureTarget", "True", "DeadlineExceeded", "Job was active longer than specified deadline", now);
      } else if (typeof job.spec.activeDeadlineSeconds === "number" && !isSuspended(job)) {
        const start = parseTime(status.startTime) ?? now;
        this.controller.enqueueAfter(key, job.spec.activeDeadlineSeconds * 1000 - (now - start));
      }
    }

    if (isIndexed(job)) {
      const completions = job.spec.completions ?? 0;
      jc.prevSucceededIndexes = parseIndexes(status.completedIndexes, completions);
      const newSucceeded = new Set<number>();
      for (const p of pods) {
        const ix = completionIndex(p);
        if (p.status?.phase === "Succeeded" && ix !== UNKNOWN_INDEX && ix < completions && hasFinalizer(p, JOB_TRACKING_FINALIZER)) newSucceeded.add(ix);
      }
      jc.succeededIndexes = jc.prevSucceededIndexes.withOrderedIndexes([...newSucceeded].sort((a, b) => a - b));
      jc.succeeded = jc.succeededIndexes.total();
      if (hasBackoffLimitPerIndex(job)) {
        jc.failedIndexes = this.calculateFailedIndexes(job, pods);
        if (!jc.finishedCondition) {
          if (typeof job.spec.maxFailedIndexes === "number" && jc.failedIndexes.total() > job.spec.maxFailedIndexes) {
            jc.finishedCondition = newCondition("FailureTarget", "True", "MaxFailedIndexesExceeded", "Job has exceeded the specified maximal number of failed indexes", now);
          } else if (jc.failedIndexes.total() > 0 && jc.failedIndexes.total() + jc.succeededIndexes.total() >= completions) {
            jc.finishedCondition = newCondition("FailureTarget", "True", "FailedIndexes", "Job has failed indexes", now);
          }
        }
        jc.podsWithDelayedDeletionPerIndex = this.podsWithDelayedDeletionPerIndex(jc);
      }
      if (!jc.finishedCondition) {
        const msg = matchSuccessPolicy(job.spec.successPolicy, completions, jc.succeededIndexes);
        if (msg !== undefined) jc.finishedCondition = newCondition("SuccessCriteriaMet", "True", "SuccessPolicy", msg, now);
      }
    }

    let suspendCondChanged = false;
    if (jc.finishedCondition) {
      const { deletedReady, deleted, err } = await this.deleteActivePods(job, jc.activePods);
      if (deleted !== active || !satisfiedExpectations) jc.finishedCondition = undefined;
      active -= deleted;
      jc.terminating += deleted;
      jc.ready -= deletedReady;
      manageJobErr = err;
    } else {
      let manageJobCalled = false;
      if (satisfiedExpectations && !job.metadata.deletionTimestamp) {
        const r = await this.manageJob(job, jc, key);
        active = r.active;
        manageJobErr = r.err;
        if (r.requeueAfterMs !== undefined) requeueAfterMs = r.requeueAfterMs;
        manageJobCalled = true;
      }
      const completions = job.spec.completions;
      const complete = typeof completions !== "number" ? jc.succeeded > 0 && active === 0 : jc.succeeded >= completions && active === 0;
      if (complete) {
        jc.finishedCondition = newCondition("SuccessCriteriaMet", "True", "CompletionsReached", "Reached expected number of succeeded pods", now);
      } else if (manageJobCalled) {
        if (isSuspended(job)) {
          const r = ensureConditionStatus(status.conditions ?? [], "Suspended", "True", "JobSuspended", "Job suspended", now);
          status.conditions = r.list;
          if (r.changed) {
            suspendCondChanged = true;
            this.recorder.event(job, "Normal", "Suspended", "Job suspended");
          }
        } else {
          const r = ensureConditionStatus(status.conditions ?? [], "Suspended", "False", "JobResumed", "Job resumed", now);
          status.conditions = r.list;
          if (r.changed) {
            suspendCondChanged = true;
            this.recorder.event(job, "Normal", "Resumed", "Job resumed");
            // ActiveDeadlineSeconds counts the time the Job is continuously active
            status.startTime = formatTime(now);
          }
        }
      }
    }

    let needsStatusUpdate = suspendCondChanged || active !== (status.active ?? 0) || jc.ready !== status.ready;
    needsStatusUpdate ||= status.terminating !== jc.terminating;
    status.active = active;
    status.ready = jc.ready;
    status.terminating = jc.terminating;
    try {
      await this.trackJobStatusAndRemoveFinalizers(jc, needsStatusUpdate);
    } catch (err) {
      throw new Error(`tracking status: ${(err as Error).message}`, { cause: err });
    }
    if (manageJobErr) throw manageJobErr;
    return requeueAfterMs !== undefined ? { requeueAfterMs } : undefined;
  }

  /** getValidPodsWithFilter: pods with the finalizer, not counted yet, and (Indexed) with a valid index. */
  private validPodsWithFilter(jc: SyncCtx, uncounted: Set<string> | undefined, filter: (p: Pod) => boolean): Pod[] {
    const out: Pod[] = [];
    const completions = jc.job.spec.completions ?? 0;
    for (const p of jc.pods) {
      const uid = p.metadata.uid!;
      if (!hasFinalizer(p, JOB_TRACKING_FINALIZER) || uncounted?.has(uid) || jc.expectedRmFinalizers.has(uid)) continue;
      if (isIndexed(jc.job)) {
        const ix = completionIndex(p);
        if (ix === UNKNOWN_INDEX || ix >= completions) continue;
      }
      if (filter(p)) out.push(p);
    }
    return out;
  }

  private failJobMessage(job: Job, pods: Pod[]): string | undefined {
    if (!job.spec.podFailurePolicy) return undefined;
    for (const p of pods) {
      if (!isPodFailed(p, job)) continue;
      const m = matchPodFailurePolicy(job.spec.podFailurePolicy, p);
      if (m.failJobMessage !== undefined) return m.failJobMessage;
    }
    return undefined;
  }

  /** pastBackoffLimitOnFailure: container restarts of running and pending pods (restartPolicy OnFailure). */
  private pastBackoffLimitOnFailure(job: Job, pods: Pod[]): boolean {
    if (job.spec.template.spec?.restartPolicy !== "OnFailure") return false;
    let restarts = 0;
    for (const p of pods) {
      if (p.status?.phase !== "Running" && p.status?.phase !== "Pending") continue;
      for (const s of p.status?.initContainerStatuses ?? []) restarts += s.restartCount ?? 0;
      for (const s of p.status?.containerStatuses ?? []) restarts += s.restartCount ?? 0;
    }
    const limit = job.spec.backoffLimit ?? 6;
    return limit === 0 ? restarts > 0 : restarts >= limit;
  }

  private pastActiveDeadline(job: Job): boolean {
    const start = parseTime(job.status?.startTime);
    if (typeof job.spec.activeDeadlineSeconds !== "number" || start === undefined || isSuspended(job)) return false;
    return this.clock.now() - start >= job.spec.activeDeadlineSeconds * 1000;
  }

  private isIndexFailed(job: Job, pod: Pod): boolean {
    let counted = false;
    if (isPodFailed(pod, job)) {
      if (job.spec.podFailurePolicy) {
        const m = matchPodFailurePolicy(job.spec.podFailurePolicy, pod);
        if (m.action === "FailIndex") return true;
        counted = m.countFailed;
      } else counted = true;
    }
    return counted && indexFailureCount(pod) >= (job.spec.backoffLimitPerIndex ?? 0);
  }

  private calculateFailedIndexes(job: Job, pods: Pod[]): OrderedIntervals {
    const completions = job.spec.completions ?? 0;
    const prev = typeof job.status?.failedIndexes === "string" ? parseIndexes(job.status.failedIndexes, completions) : new OrderedIntervals();
    const failed = new Set<number>();
    for (const p of pods) {
      const ix = completionIndex(p);
      if (ix !== UNKNOWN_INDEX && ix < completions && hasFinalizer(p, JOB_TRACKING_FINALIZER) && this.isIndexFailed(job, p)) failed.add(ix);
    }
    return prev.withOrderedIndexes([...failed].sort((a, b) => a - b));
  }

  /** getPodsWithDelayedDeletionPerIndex: the last failed pod of each index awaiting its replacement. */
  private podsWithDelayedDeletionPerIndex(jc: SyncCtx): Map<number, Pod> {
    const activeIndexes = indexesOf(jc.activePods);
    const out = new Map<number, Pod>();
    const completions = jc.job.spec.completions ?? 0;
    this.validPodsWithFilter(jc, undefined, (p) => {
      if (!isPodFailed(p, jc.job)) return false;
      const ix = completionIndex(p);
      if (ix === UNKNOWN_INDEX || ix >= completions) return false;
      if (jc.succeededIndexes.has(ix) || jc.failedIndexes?.has(ix) || activeIndexes.has(ix)) return false;
      const last = out.get(ix);
      if (last) {
        if (indexAbsoluteFailureCount(last) <= indexAbsoluteFailureCount(p) && !(podFinishedTime(p) < podFinishedTime(last))) out.set(ix, p);
      } else out.set(ix, p);
      return false;
    });
    return out;
  }

  // ---- pod writes ----

  /** deleteActivePods: DELETE calls that keep the finalizers (removed once the pods are counted). */
  private async deleteActivePods(job: Job, pods: Pod[]): Promise<{ deletedReady: number; deleted: number; err?: unknown }> {
    let deleted = pods.length;
    let deletedReady = 0;
    let err: unknown;
    await Promise.all(
      pods.map(async (p) => {
        try {
          await this.deletePodRecorded(job, p.metadata.name!);
        } catch (e) {
          if (!isNotFound(e)) {
            deleted--;
            err ??= e;
          }
        }
        if (isPodReady(p)) deletedReady++;
      }),
    );
    return { deletedReady, deleted, err };
  }

  /** RealPodControl.DeletePod with its events. */
  private async deletePodRecorded(job: Job, name: string): Promise<void> {
    try {
      await this.client.delete(R.pods, job.metadata.namespace!, name, {});
    } catch (err) {
      if (isNotFound(err)) throw err;
      this.recorder.event(job, "Warning", "FailedDelete", `Error deleting: ${(err as Error).message}`);
      throw new Error(`unable to delete pods: ${(err as Error).message}`, { cause: err });
    }
    this.recorder.event(job, "Normal", "SuccessfulDelete", `Deleted pod: ${name}`);
  }

  /** deleteJobPods: remove the finalizer, then delete (suspended Jobs and excess pods). */
  private async deleteJobPods(job: Job, key: string, pods: Pod[]): Promise<{ deletedReady: number; deleted: number; err?: unknown }> {
    let deleted = pods.length;
    let deletedReady = 0;
    let err: unknown;
    const fail = (e: unknown, cause: unknown = e) => {
      this.expectations.deletionObserved(key);
      if (!isNotFound(cause)) {
        deleted--;
        err ??= e;
      }
    };
    await Promise.all(
      pods.map(async (p) => {
        if (hasFinalizer(p, JOB_TRACKING_FINALIZER)) {
          try {
            await this.client.patch(R.pods, p.metadata.namespace!, p.metadata.name!, "strategic", REMOVE_FINALIZER_PATCH);
          } catch (e) {
            fail(new Error(`removing completion finalizer: ${(e as Error).message}`, { cause: e }), e);
            return;
          }
        }
        try {
          await this.deletePodRecorded(job, p.metadata.name!);
        } catch (e) {
          fail(e);
        }
        if (isPodReady(p)) deletedReady++;
      }),
    );
    return { deletedReady, deleted, err };
  }

  /** activePodsForRemoval: duplicated or invalid indexes first, then in ActivePods order. */
  private activePodsForRemoval(job: Job, pods: Pod[], rmAtLeast: number): Pod[] {
    let rm: Pod[] = [];
    let left: Pod[];
    if (isIndexed(job)) ({ rm, left } = duplicatedIndexPodsForRemoval(pods, job.spec.completions ?? 0));
    else left = [...pods];
    if (rm.length < rmAtLeast) {
      sortActivePods(left);
      rm = rm.concat(left.slice(0, rmAtLeast - rm.length));
    }
    return rm;
  }

  /** manageJob: deletes or creates pods towards the wanted number of active pods, respecting backoff. */
  private async manageJob(job: Job, jc: SyncCtx, key: string): Promise<{ active: number; err?: unknown; requeueAfterMs?: number }> {
    let active = jc.activePods.length;
    const parallelism = job.spec.parallelism ?? 1;
    if (isSuspended(job)) {
      const toDelete = this.activePodsForRemoval(job, jc.activePods, active);
      this.expectations.expect(key, 0, toDelete.length);
      const r = await this.deleteJobPods(job, key, toDelete);
      active -= r.deleted;
      jc.terminating += r.deleted;
      jc.ready -= r.deletedReady;
      return { active, err: r.err };
    }
    let wantActive: number;
    if (typeof job.spec.completions !== "number") wantActive = jc.succeeded > 0 ? active : parallelism;
    else wantActive = Math.max(0, Math.min(job.spec.completions - jc.succeeded, parallelism));

    const rmAtLeast = Math.max(0, active - wantActive);
    let toDelete = this.activePodsForRemoval(job, jc.activePods, rmAtLeast);
    if (toDelete.length > MAX_POD_CREATE_DELETE_PER_SYNC) toDelete = toDelete.slice(0, MAX_POD_CREATE_DELETE_PER_SYNC);
    if (toDelete.length > 0) {
      this.expectations.expect(key, 0, toDelete.length);
      const r = await this.deleteJobPods(job, key, toDelete);
      active -= r.deleted;
      jc.terminating += r.deleted;
      jc.ready -= r.deletedReady;
      return { active, err: r.err };
    }

    const terminating = onlyReplaceFailedPods(job) ? jc.terminating : 0;
    let diff = wantActive - terminating - active;
    if (diff <= 0) return { active };
    const now = this.clock.now();
    let remaining = 0;
    if (!hasBackoffLimitPerIndex(job)) remaining = remainingTimeForFailures(now, jc.newBackoffRecord.failuresAfterLastSuccess, jc.newBackoffRecord.lastFailureTime);
    if (remaining > 0) {
      this.enqueueWithDelay(job, remaining);
      return { active: 0 };
    }
    diff = Math.min(diff, MAX_POD_CREATE_DELETE_PER_SYNC);
    let indexesToAdd: number[] = [];
    if (isIndexed(job)) {
      indexesToAdd = firstPendingIndexes(
        { activePods: jc.activePods, pods: jc.pods, succeededIndexes: jc.succeededIndexes, ...(jc.failedIndexes ? { failedIndexes: jc.failedIndexes } : {}), onlyReplaceFailed: onlyReplaceFailedPods(job) },
        diff,
        job.spec.completions ?? 0,
      );
      if (hasBackoffLimitPerIndex(job)) {
        const now2 = now;
        const ready: number[] = [];
        let minRemaining: number | undefined;
        for (const ix of indexesToAdd) {
          const r = remainingTimePerIndex(now2, jc.podsWithDelayedDeletionPerIndex.get(ix));
          if (r === 0) ready.push(ix);
          else if (minRemaining === undefined || r < minRemaining) minRemaining = r;
        }
        if (ready.length === 0 && (minRemaining ?? 0) > 0) {
          this.enqueueWithDelay(job, minRemaining!);
          return { active: 0 };
        }
        indexesToAdd = ready;
      }
      diff = indexesToAdd.length;
    }
    if (diff === 0) return { active };

    this.expectations.expect(key, diff, 0);
    active += diff;
    const template = structuredClone(job.spec.template) as PodTemplate;
    template.metadata ??= {};
    template.spec ??= {};
    if (isIndexed(job)) addCompletionIndexEnvVariables(template);
    const fins = template.metadata.finalizers ?? [];
    if (!fins.includes(JOB_TRACKING_FINALIZER)) template.metadata.finalizers = [...fins, JOB_TRACKING_FINALIZER];

    let err: unknown;
    let errorCount = 0;
    let remainingToCreate = diff;
    for (let batch = Math.min(diff, SLOW_START_INITIAL_BATCH_SIZE); remainingToCreate > 0; batch = Math.min(2 * batch, remainingToCreate)) {
      const before = errorCount;
      const jobs: Promise<void>[] = [];
      for (let i = 0; i < batch; i++) {
        const ix = indexesToAdd.length > 0 ? indexesToAdd.shift()! : UNKNOWN_INDEX;
        jobs.push(
          (async () => {
            let t = template;
            let generateName = "";
            if (ix !== UNKNOWN_INDEX) {
              t = structuredClone(template);
              t.metadata!.annotations = { ...(t.metadata!.annotations ?? {}), [JOB_COMPLETION_INDEX]: String(ix) };
              t.metadata!.labels = { ...(t.metadata!.labels ?? {}), [JOB_COMPLETION_INDEX]: String(ix) };
              t.spec!.hostname = `${job.metadata.name}-${ix}`;
              generateName = podGenerateNameWithIndex(job.metadata.name!, ix);
              if (hasBackoffLimitPerIndex(job)) this.addIndexFailureCountAnnotation(t, job, jc.podsWithDelayedDeletionPerIndex.get(ix));
            }
            try {
              await this.createPod(job, t, generateName);
            } catch (e) {
              if (isNamespaceTerminating(e)) return;
              this.expectations.creationObserved(key);
              active--;
              errorCount++;
              err ??= e;
            }
          })(),
        );
      }
      await Promise.all(jobs);
      const skipped = remainingToCreate - batch;
      if (errorCount > before && skipped > 0) {
        active -= skipped;
        for (let i = 0; i < skipped; i++) this.expectations.creationObserved(key);
        break;
      }
      remainingToCreate -= batch;
    }
    return { active, err };
  }

  private addIndexFailureCountAnnotation(t: PodTemplate, job: Job, replaced: Pod | undefined): void {
    let failures = 0;
    let ignored = 0;
    if (replaced) {
      failures = indexFailureCount(replaced);
      ignored = indexIgnoredFailureCount(replaced);
      if (job.spec.podFailurePolicy) {
        if (matchPodFailurePolicy(job.spec.podFailurePolicy, replaced).countFailed) failures++;
        else ignored++;
      } else failures++;
    }
    t.metadata!.annotations![JOB_INDEX_FAILURE_COUNT] = String(failures);
    if (ignored > 0) t.metadata!.annotations![JOB_INDEX_IGNORED_FAILURE_COUNT] = String(ignored);
  }

  /** RealPodControl.CreatePodsWithGenerateName (GetPodFromTemplate) with its events. */
  private async createPod(job: Job, t: PodTemplate, generateName: string): Promise<void> {
    const meta = t.metadata ?? {};
    const labels = { ...(meta.labels ?? {}) };
    const annotations = { ...(meta.annotations ?? {}) };
    const metadata: KubeObject["metadata"] = {};
    if (Object.keys(labels).length) metadata.labels = labels;
    if (Object.keys(annotations).length) metadata.annotations = annotations;
    metadata.generateName = generateName || `${job.metadata.name}-`;
    if (meta.finalizers?.length) metadata.finalizers = [...meta.finalizers];
    metadata.ownerReferences = [jobControllerRef(job)];
    if (!metadata.labels) throw new Error("unable to create pods, no labels");
    const pod: KubeObject = { apiVersion: "v1", kind: "Pod", metadata, spec: structuredClone(t.spec ?? {}) };
    let created: KubeObject;
    try {
      created = await this.client.create(R.pods, job.metadata.namespace!, pod);
    } catch (err) {
      if (!isNamespaceTerminating(err)) this.recorder.event(job, "Warning", "FailedCreate", `Error creating: ${(err as Error).message}`);
      throw err;
    }
    this.recorder.event(job, "Normal", "SuccessfulCreate", `Created pod: ${created.metadata.name}`);
  }

  // ---- status tracking ----

  /** canRemoveFinalizer: the Job is terminating or finished, the pod succeeded, or it failed (unless held for its index's replacement). */
  private canRemoveFinalizer(jc: SyncCtx, pod: Pod, considerFailed: boolean): boolean {
    if (jc.job.metadata.deletionTimestamp || jc.finishedCondition || pod.status?.phase === "Succeeded") return true;
    if (!considerFailed) return false;
    if (hasBackoffLimitPerIndex(jc.job)) {
      const ix = completionIndex(pod);
      if (ix !== UNKNOWN_INDEX && jc.podsWithDelayedDeletionPerIndex.get(ix)?.metadata.uid === pod.metadata.uid) return false;
    }
    return true;
  }

  /**
   * trackJobStatusAndRemoveFinalizers: records finished pods in uncountedTerminatedPods, removes
   * their finalizers, moves them to the counters, and adds the terminal condition once nothing is
   * uncounted or terminating.
   */
  private async trackJobStatusAndRemoveFinalizers(jc: SyncCtx, needsFlush: boolean): Promise<void> {
    const job = jc.job;
    const status = job.status!;
    const indexed = isIndexed(job);
    const completions = job.spec.completions ?? 0;
    if (indexed) jc.pods.sort((a, b) => completionIndex(a) - completionIndex(b));
    const uidsWithFinalizer = new Set<string>();
    for (const p of jc.pods) {
      if (hasFinalizer(p, JOB_TRACKING_FINALIZER) && !jc.expectedRmFinalizers.has(p.metadata.uid!)) uidsWithFinalizer.add(p.metadata.uid!);
    }
    if (cleanUncountedPodsWithoutFinalizers(status, uidsWithFinalizer)) needsFlush = true;
    const uncounted = status.uncountedTerminatedPods!;
    uncounted.succeeded ??= [];
    uncounted.failed ??= [];
    const toRemoveFinalizer: Pod[] = [];
    const newSucceededIndexes: number[] = [];
    let reachedMax = false;
    for (const pod of jc.pods) {
      const uid = pod.metadata.uid!;
      if (!hasFinalizer(pod, JOB_TRACKING_FINALIZER) || jc.expectedRmFinalizers.has(uid)) continue;
      const considerFailed = isPodFailed(pod, job);
      if (!this.canRemoveFinalizer(jc, pod, considerFailed)) continue;
      toRemoveFinalizer.push(pod);
      if (pod.status?.phase === "Succeeded" && !jc.uncounted.failed.has(uid)) {
        if (indexed) {
          const ix = completionIndex(pod);
          if (ix !== UNKNOWN_INDEX && ix < completions && !jc.prevSucceededIndexes.has(ix)) {
            newSucceededIndexes.push(ix);
            needsFlush = true;
          }
        } else if (!jc.uncounted.succeeded.has(uid)) {
          needsFlush = true;
          uncounted.succeeded.push(uid);
        }
      } else if (considerFailed || (jc.finishedCondition && !isSuccessCriteriaMet(jc.finishedCondition))) {
        const ix = completionIndex(pod);
        if (!jc.uncounted.failed.has(uid) && (!indexed || (ix !== UNKNOWN_INDEX && ix < completions))) {
          if (job.spec.podFailurePolicy) {
            if (matchPodFailurePolicy(job.spec.podFailurePolicy, pod).countFailed) {
              needsFlush = true;
              uncounted.failed.push(uid);
            }
          } else {
            needsFlush = true;
            uncounted.failed.push(uid);
          }
        }
      }
      if (newSucceededIndexes.length + uncounted.succeeded.length + uncounted.failed.length >= MAX_UNCOUNTED_PODS) {
        reachedMax = true;
        break;
      }
    }
    if (indexed) {
      jc.succeededIndexes = jc.succeededIndexes.withOrderedIndexes(newSucceededIndexes.sort((a, b) => a - b));
      const str = jc.succeededIndexes.toString();
      if (str !== (status.completedIndexes ?? "")) needsFlush = true;
      status.succeeded = jc.succeededIndexes.total();
      status.completedIndexes = str;
      const failedStr = jc.failedIndexes ? jc.failedIndexes.toString() : undefined;
      const prevFailed = typeof status.failedIndexes === "string" ? status.failedIndexes : undefined;
      if (prevFailed !== failedStr) {
        if (failedStr === undefined) delete status.failedIndexes;
        else status.failedIndexes = failedStr;
        needsFlush = true;
      }
    }
    const now = this.clock.now();
    if (jc.finishedCondition?.type === "FailureTarget") {
      status.conditions = [...(status.conditions ?? []), jc.finishedCondition];
      needsFlush = true;
      jc.finishedCondition = newCondition("Failed", "True", jc.finishedCondition.reason ?? "", jc.finishedCondition.message ?? "", now);
    }
    if (isSuccessCriteriaMet(jc.finishedCondition)) {
      if (!successCriteriaMetCondition(job)) {
        status.conditions = [...(status.conditions ?? []), jc.finishedCondition!];
        needsFlush = true;
      }
      jc.finishedCondition = newCondition("Complete", "True", jc.finishedCondition!.reason ?? "", jc.finishedCondition!.message ?? "", now);
    }
    needsFlush = await this.flushUncountedAndRemoveFinalizers(jc, toRemoveFinalizer, uidsWithFinalizer, needsFlush);
    const finished = !reachedMax && this.enactJobFinished(jc);
    if (finished) needsFlush = true;
    if (needsFlush) {
      try {
        jc.job = await this.updateStatus(jc.job);
      } catch (err) {
        throw new Error(`removing uncounted pods from status: ${(err as Error).message}`, { cause: err });
      }
      if (finished) this.recordJobFinished(jc.job, jc.finishedCondition!);
    }
  }

  private async flushUncountedAndRemoveFinalizers(jc: SyncCtx, toRemove: Pod[], uidsWithFinalizer: Set<string>, needsFlush: boolean): Promise<boolean> {
    const key = keyOf(jc.job);
    if (needsFlush) {
      try {
        jc.job = await this.updateStatus(jc.job);
      } catch (err) {
        throw new Error(`adding uncounted pods to status: ${(err as Error).message}`, { cause: err });
      }
      this.backoffStore.set(key, jc.newBackoffRecord);
      needsFlush = false;
    }
    let rmErr: unknown;
    if (toRemove.length > 0) {
      this.expectFinalizersRemoved(key, toRemove.map((p) => p.metadata.uid!));
      await Promise.all(
        toRemove.map(async (p) => {
          try {
            await this.client.patch(R.pods, p.metadata.namespace!, p.metadata.name!, "strategic", REMOVE_FINALIZER_PATCH);
          } catch (err) {
            this.finalizerRemovalObserved(key, p.metadata.uid!);
            if (!isNotFound(err)) {
              rmErr ??= err;
              return;
            }
          }
          uidsWithFinalizer.delete(p.metadata.uid!);
        }),
      );
    }
    if (cleanUncountedPodsWithoutFinalizers(jc.job.status!, uidsWithFinalizer)) needsFlush = true;
    if (rmErr && needsFlush) {
      try {
        jc.job = await this.updateStatus(jc.job);
      } catch (err) {
        throw new Error(`removing uncounted pods from status: ${(err as Error).message}`, { cause: err });
      }
    }
    if (rmErr) throw rmErr;
    return needsFlush;
  }

  /** enactJobFinished: the terminal condition, once nothing is uncounted and no pod is terminating. */
  private enactJobFinished(jc: SyncCtx): boolean {
    const cond = jc.finishedCondition;
    if (!cond) return false;
    const status = jc.job.status!;
    const u = status.uncountedTerminatedPods;
    if ((u?.succeeded?.length ?? 0) + (u?.failed?.length ?? 0) > 0) return false;
    if (jc.terminating > 0) return false;
    const now = this.clock.now();
    status.conditions = ensureConditionStatus(status.conditions ?? [], cond.type, cond.status, cond.reason ?? "", cond.message ?? "", now).list;
    if (cond.type === "Complete") status.completionTime = cond.lastTransitionTime ?? formatTime(now);
    return true;
  }

  private recordJobFinished(job: Job, cond: JobCondition): void {
    if (cond.type === "Complete") {
      const completions = job.spec.completions;
      if (typeof completions === "number" && (job.status?.succeeded ?? 0) > completions)
        this.recorder.event(job, "Warning", "TooManySucceededPods", "Too many succeeded pods running after completion count reached");
      this.recorder.event(job, "Normal", "Completed", "Job completed");
    } else this.recorder.event(job, "Warning", cond.reason ?? "", cond.message ?? "");
  }

  private async updateStatus(job: Job): Promise<Job> {
    const obj: Job = { ...job, status: normalizeJobStatus(job.status ?? {}) };
    const updated = (await this.client.update(R.jobs, job.metadata.namespace!, obj, { subresource: "status" })) as Job;
    // keep working on the written object, with the in-memory shapes the sync expects
    const copy = structuredClone(updated) as Job;
    copy.status ??= {};
    copy.status.uncountedTerminatedPods ??= {};
    return copy;
  }
}

/** cleanUncountedPodsWithoutFinalizers: uncounted pods whose finalizer is gone move to the counters. */
function cleanUncountedPodsWithoutFinalizers(status: JobStatus, uidsWithFinalizer: Set<string>): boolean {
  let updated = false;
  const u = (status.uncountedTerminatedPods ??= {});
  const succ = (u.succeeded ?? []).filter((uid) => uidsWithFinalizer.has(uid));
  if (succ.length !== (u.succeeded ?? []).length) {
    updated = true;
    status.succeeded = (status.succeeded ?? 0) + (u.succeeded!.length - succ.length);
    u.succeeded = succ;
  }
  const fail = (u.failed ?? []).filter((uid) => uidsWithFinalizer.has(uid));
  if (fail.length !== (u.failed ?? []).length) {
    updated = true;
    status.failed = (status.failed ?? 0) + (u.failed!.length - fail.length);
    u.failed = fail;
  }
  return updated;
}

/** addCompletionIndexEnvVariables: JOB_COMPLETION_INDEX from the pod's completion-index label (PodIndexLabel). */
function addCompletionIndexEnvVariables(t: PodTemplate): void {
  for (const list of [t.spec?.initContainers, t.spec?.containers]) {
    for (const c of list ?? []) {
      const env = (c.env as { name: string }[] | undefined) ?? [];
      if (env.some((e) => e.name === COMPLETION_INDEX_ENV)) continue;
      c.env = [...env, { name: COMPLETION_INDEX_ENV, valueFrom: { fieldRef: { fieldPath: `metadata.labels['${JOB_COMPLETION_INDEX}']` } } }];
    }
  }
}
