// The CronJob controller (upstream pkg/controller/cronjob/cronjob_controllerv2.go and utils.go):
// evaluates each CronJob's schedule on the injected Clock (in spec.timeZone), creates the Job of
// the most recent unmet schedule time named <cronjob>-<minutes since the epoch>, applies
// startingDeadlineSeconds, concurrencyPolicy and suspend, keeps status.active,
// lastScheduleTime and lastSuccessfulTime, and deletes finished Jobs beyond the history limits.
import { ApiError } from "../../apimachinery/errors.js";
import type { KubeObject } from "../../apimachinery/types.js";
import type { SharedInformer } from "../../client/informers/shared-informer.js";
import { R, type Client } from "../../client/interface.js";
import type { ControllerContext } from "../../controlplane/context.js";
import { formatTime, type Clock } from "../../util/clock.js";
import { Controller, keyOf, splitKey, type Result, type Runnable } from "../runtime/controller.js";
import type { EventRecorder } from "../runtime/events.js";
import { CronParseError, formatRFC1123Z, formatRFC3339In, loadLocation, next, parseStandard, type Schedule } from "./cron.js";
import { finishedCondition, isJobFinished, isJobSucceeded } from "./job-controller.js";
import { CRONJOB_SCHEDULED_TIMESTAMP, parseTime, type CronJob, type Job, type ObjectReference } from "./types.js";

/** nextScheduleDelta: requeues land 100ms after the schedule time. */
export const NEXT_SCHEDULE_DELTA_MS = 100;
/** ConcurrentCronJobSyncs default. */
const WORKERS = 5;
const OWNER_NAME_INDEX = "batch/cronjob-controller-name";

export type MissedSchedules = "none" | "few" | "many";

export interface MostRecent {
  earliestTime: number;
  mostRecentTime: number | undefined;
  missed: MissedSchedules;
  error?: string;
}

/**
 * mostRecentScheduleTime: the last schedule time (or creation time), the most recent time a Job
 * should have been created (undefined if that is after now), and how many schedules were missed.
 */
export function mostRecentScheduleTime(cj: CronJob, now: number, schedule: Schedule, includeStartingDeadlineSeconds: boolean): MostRecent {
  let earliestTime = parseTime(cj.metadata.creationTimestamp) ?? 0;
  let missed: MissedSchedules = "none";
  const last = parseTime(cj.status?.lastScheduleTime);
  if (last !== undefined) earliestTime = last;
  const sds = cj.spec.startingDeadlineSeconds;
  if (includeStartingDeadlineSeconds && typeof sds === "number") {
    const schedulingDeadline = now - sds * 1000;
    if (schedulingDeadline > earliestTime) earliestTime = schedulingDeadline;
  }
  const t1 = next(schedule, earliestTime);
  const t2 = next(schedule, t1);
  if (now < t1) return { earliestTime, mostRecentTime: undefined, missed };
  if (now < t2) return { earliestTime, mostRecentTime: t1, missed };
  const between = Math.round((t2 - t1) / 1000);
  if (between < 1) return { earliestTime, mostRecentTime: undefined, missed, error: "time difference between two schedules is less than 1 second" };
  const elapsed = Math.trunc((now - t1) / 1000);
  const numberOfMissed = Math.trunc(elapsed / between) + 1;
  let mostRecent: number | undefined;
  const potentialEarliest = t1 + (numberOfMissed - 1 - 1) * between * 1000;
  for (let t = next(schedule, potentialEarliest); !(t > now); t = next(schedule, t)) mostRecent = t;
  if (numberOfMissed > 100) missed = "many";
  else if (numberOfMissed > 0) missed = "few";
  return { earliestTime, mostRecentTime: mostRecent, missed };
}

/** nextScheduleTimeDuration: how long until the next schedule time (plus 100ms). */
export function nextScheduleTimeDuration(cj: CronJob, now: number, schedule: Schedule): number {
  const r = mostRecentScheduleTime(cj, now, schedule, false);
  let mostRecent: number;
  if (r.error) mostRecent = now;
  else if (r.mostRecentTime === undefined) mostRecent = r.missed === "none" ? r.earliestTime : now;
  else mostRecent = r.mostRecentTime;
  return next(schedule, mostRecent) + NEXT_SCHEDULE_DELTA_MS - now;
}

/** The Job name of a schedule time: <cronjob>-<minutes since the epoch>. */
export function jobNameFor(cj: CronJob, scheduledTime: number): string {
  return `${cj.metadata.name}-${Math.floor(Math.floor(scheduledTime / 1000) / 60)}`;
}

/** formatSchedule: a timeZone becomes a TZ= prefix; a schedule that names TZ itself is used as is. */
function formatSchedule(cj: CronJob, warn?: (msg: string) => void): string {
  if (cj.spec.schedule.includes("TZ")) {
    warn?.(`CRON_TZ or TZ used in schedule ${JSON.stringify(cj.spec.schedule)} is not officially supported, see https://kubernetes.io/docs/concepts/workloads/controllers/cron-jobs/ for more details`);
    return cj.spec.schedule;
  }
  if (typeof cj.spec.timeZone === "string") {
    try {
      loadLocation(cj.spec.timeZone);
    } catch {
      return cj.spec.schedule;
    }
    return `TZ=${cj.spec.timeZone} ${cj.spec.schedule}`;
  }
  return cj.spec.schedule;
}

function isNotFound(err: unknown): boolean {
  return err instanceof ApiError && err.code === 404;
}

function jobRef(job: KubeObject): ObjectReference {
  return { kind: "Job", namespace: job.metadata.namespace!, name: job.metadata.name!, uid: job.metadata.uid!, apiVersion: "batch/v1", resourceVersion: job.metadata.resourceVersion! };
}

export class CronJobController implements Runnable {
  readonly name = "cronjob-controller";
  readonly controller: Controller;
  private readonly client: Client;
  private readonly recorder: EventRecorder;
  private readonly clock: Clock;
  private readonly jobs: SharedInformer;
  private readonly cronJobs: SharedInformer;

  constructor(ctx: ControllerContext) {
    this.client = ctx.clientFor("kube-controller-manager");
    this.recorder = ctx.recorder("cronjob-controller");
    this.clock = ctx.clock;
    this.controller = new Controller("cronjob", (key) => this.sync(key), ctx.clock, WORKERS);
    this.jobs = ctx.informers.informerFor(R.jobs);
    this.cronJobs = ctx.informers.informerFor(R.cronjobs);
    this.jobs.addIndexer(OWNER_NAME_INDEX, (o) => {
      const ref = o.metadata.ownerReferences?.find((r) => r.controller === true);
      return ref && o.metadata.namespace ? [`${o.metadata.namespace}/${ref.name}`] : [];
    });
    this.jobs.addEventHandler({
      onAdd: (o) => this.addJob(o as Job),
      onUpdate: (old, cur) => this.updateJob(old as Job, cur as Job),
      onDelete: (o) => this.onJobDeleted(o as Job),
    });
    this.cronJobs.addEventHandler({
      onAdd: (o) => this.controller.enqueue(keyOf(o)),
      onUpdate: (old, cur) => this.updateCronJob(old as CronJob, cur as CronJob),
      onDelete: (o) => this.controller.enqueue(keyOf(o)),
    });
  }

  start(): void {
    this.controller.start();
  }

  async stop(): Promise<void> {
    await this.controller.stop();
    await this.recorder.flush();
  }

  private resolveControllerRef(namespace: string, ref: { kind: string; name: string; uid: string }): CronJob | undefined {
    if (ref.kind !== "CronJob") return undefined;
    const cj = this.cronJobs.get(namespace, ref.name) as CronJob | undefined;
    return cj && cj.metadata.uid === ref.uid ? cj : undefined;
  }

  private addJob(job: Job): void {
    if (job.metadata.deletionTimestamp) {
      this.onJobDeleted(job);
      return;
    }
    const ref = job.metadata.ownerReferences?.find((r) => r.controller === true);
    if (!ref) return;
    const cj = this.resolveControllerRef(job.metadata.namespace!, ref);
    if (cj) this.controller.enqueue(keyOf(cj));
  }

  private updateJob(old: Job, cur: Job): void {
    if (cur.metadata.resourceVersion === old.metadata.resourceVersion) return;
    const curRef = cur.metadata.ownerReferences?.find((r) => r.controller === true);
    const oldRef = old.metadata.ownerReferences?.find((r) => r.controller === true);
    if (oldRef && JSON.stringify(curRef) !== JSON.stringify(oldRef)) {
      const cj = this.resolveControllerRef(old.metadata.namespace!, oldRef);
      if (cj) this.controller.enqueue(keyOf(cj));
    }
    if (curRef) {
      const cj = this.resolveControllerRef(cur.metadata.namespace!, curRef);
      if (cj) this.controller.enqueue(keyOf(cj));
    }
  }

  private onJobDeleted(job: Job): void {
    const ref = job.metadata.ownerReferences?.find((r) => r.controller === true);
    if (!ref) return;
    const cj = this.resolveControllerRef(job.metadata.namespace!, ref);
    if (cj) this.controller.enqueue(keyOf(cj));
  }

  /** A schedule or time zone change requeues for the new next time; anything else syncs now. */
  private updateCronJob(old: CronJob, cur: CronJob): void {
    if (old.spec.schedule !== cur.spec.schedule || (old.spec.timeZone ?? null) !== (cur.spec.timeZone ?? null)) {
      let sched: Schedule;
      try {
        sched = parseStandard(formatSchedule(cur));
      } catch {
        this.recorder.event(cur, "Warning", "UnParseableCronJobSchedule", `unparseable schedule for cronjob: ${cur.spec.schedule}`);
        return;
      }
      this.controller.enqueueAfter(keyOf(cur), nextScheduleTimeDuration(cur, this.clock.now(), sched));
      return;
    }
    this.controller.enqueue(keyOf(cur));
  }

  private async sync(key: string): Promise<Result | void> {
    const { namespace, name } = splitKey(key);
    const shared = this.cronJobs.get(namespace, name) as CronJob | undefined;
    if (!shared) return;
    // every Job whose controller reference names the CronJob (getJobsToBeReconciled)
    const jobs = this.jobs.byIndex(OWNER_NAME_INDEX, `${namespace}/${name}`) as Job[];
    let cj = structuredClone(shared) as CronJob;
    cj.status ??= {};
    const updateAfterCleanup = await this.cleanupFinishedJobs(cj, jobs);
    const r = await this.syncCronJob(cj, jobs);
    cj = r.cronJob;
    if (updateAfterCleanup || r.updateStatus) await this.updateStatus(cj);
    if (r.requeueAfterMs !== undefined) return { requeueAfterMs: r.requeueAfterMs };
    if (r.err) throw r.err;
  }

  private async updateStatus(cj: CronJob): Promise<void> {
    const s = cj.status ?? {};
    const status: CronJob["status"] = {};
    if (s.active && s.active.length) status.active = s.active;
    if (s.lastScheduleTime) status.lastScheduleTime = s.lastScheduleTime;
    if (s.lastSuccessfulTime) status.lastSuccessfulTime = s.lastSuccessfulTime;
    await this.client.update(R.cronjobs, cj.metadata.namespace!, { ...cj, status }, { subresource: "status" });
  }

  private async syncCronJob(cronJob: CronJob, jobs: Job[]): Promise<{ cronJob: CronJob; requeueAfterMs?: number; updateStatus: boolean; err?: unknown }> {
    const now = this.clock.now();
    let updateStatus = false;
    let cj = cronJob;
    const children = new Set<string>();
    for (const j of jobs) {
      children.add(j.metadata.uid!);
      const found = inActiveList(cj, j.metadata.uid!);
      if (!found && !isJobFinished(j)) {
        let fresh: CronJob;
        try {
          fresh = (await this.client.get(R.cronjobs, cj.metadata.namespace!, cj.metadata.name!)) as CronJob;
        } catch (err) {
          return { cronJob: cj, updateStatus, err };
        }
        if (inActiveList(fresh, j.metadata.uid!)) {
          cj = structuredClone(fresh);
          cj.status ??= {};
          continue;
        }
        this.recorder.event(cj, "Warning", "UnexpectedJob", `Saw a job that the controller did not create or forgot: ${j.metadata.name}`);
      } else if (isJobFinished(j)) {
        if (found) {
          deleteFromActiveList(cj, j.metadata.uid!);
          this.recorder.event(cj, "Normal", "SawCompletedJob", `Saw completed job: ${j.metadata.name}, condition: ${finishedCondition(j)}`);
          updateStatus = true;
        }
        if (isJobSucceeded(j)) {
          const completion = j.status?.completionTime ?? undefined;
          if (!cj.status!.lastSuccessfulTime) {
            if (completion) cj.status!.lastSuccessfulTime = completion;
            updateStatus = true;
          }
          const c = parseTime(completion);
          const last = parseTime(cj.status!.lastSuccessfulTime);
          if (c !== undefined && (last === undefined || c > last)) {
            cj.status!.lastSuccessfulTime = completion!;
            updateStatus = true;
          }
        }
      }
    }

    // drop active references to Jobs that no longer exist
    for (const ref of [...(cj.status!.active ?? [])]) {
      if (children.has(ref.uid!)) continue;
      try {
        await this.client.get(R.jobs, ref.namespace ?? cj.metadata.namespace!, ref.name!);
      } catch (err) {
        if (isNotFound(err)) {
          this.recorder.event(cj, "Normal", "MissingJob", `Active job went missing: ${ref.name}`);
          deleteFromActiveList(cj, ref.uid!);
          updateStatus = true;
        } else return { cronJob: cj, updateStatus, err };
      }
    }

    if (cj.metadata.deletionTimestamp) return { cronJob: cj, updateStatus };

    let timeZone = "UTC";
    if (typeof cj.spec.timeZone === "string") {
      try {
        timeZone = loadLocation(cj.spec.timeZone);
      } catch (err) {
        this.recorder.event(cj, "Warning", "UnknownTimeZone", `invalid timeZone: ${JSON.stringify(cj.spec.timeZone)}: ${(err as Error).message}`);
        return { cronJob: cj, updateStatus };
      }
    }
    if (cj.spec.suspend === true) return { cronJob: cj, updateStatus };

    let sched: Schedule;
    try {
      sched = parseStandard(formatSchedule(cj, (msg) => this.recorder.event(cj, "Warning", "UnsupportedSchedule", msg)));
    } catch (err) {
      if (!(err instanceof CronParseError)) throw err;
      this.recorder.event(cj, "Warning", "UnparseableSchedule", `unparseable schedule: ${JSON.stringify(cj.spec.schedule)} : ${err.message}`);
      return { cronJob: cj, updateStatus };
    }

    const mr = mostRecentScheduleTime(cj, now, sched, true);
    let scheduledTime: number | undefined = mr.mostRecentTime === undefined || mr.mostRecentTime > now ? undefined : mr.mostRecentTime;
    if (scheduledTime !== undefined && mr.missed === "many")
      this.recorder.event(cj, "Warning", "TooManyMissedTimes", "too many missed start times. Set or decrease .spec.startingDeadlineSeconds or check clock skew");
    if (mr.error) {
      this.recorder.event(cj, "Warning", "InvalidSchedule", `invalid schedule: ${cj.spec.schedule} : ${mr.error}`);
      return { cronJob: cj, updateStatus };
    }
    const requeue = () => nextScheduleTimeDuration(cj, now, sched);
    if (scheduledTime === undefined) return { cronJob: cj, requeueAfterMs: requeue(), updateStatus };

    const sds = cj.spec.startingDeadlineSeconds;
    if (typeof sds === "number" && scheduledTime + sds * 1000 < now) {
      this.recorder.event(cj, "Warning", "MissSchedule", `Missed scheduled time to start a job: ${formatRFC1123Z(scheduledTime)}`);
      return { cronJob: cj, requeueAfterMs: requeue(), updateStatus };
    }
    const jobName = jobNameFor(cj, scheduledTime);
    const lastSchedule = parseTime(cj.status!.lastScheduleTime);
    if ((cj.status!.active ?? []).some((r) => r.name === jobName && r.namespace === cj.metadata.namespace) || lastSchedule === scheduledTime) {
      return { cronJob: cj, requeueAfterMs: requeue(), updateStatus };
    }
    if (cj.spec.concurrencyPolicy === "Forbid" && (cj.status!.active ?? []).length > 0) {
      this.recorder.event(cj, "Normal", "JobAlreadyActive", "Not starting job because prior execution is running and concurrency policy is Forbid");
      return { cronJob: cj, requeueAfterMs: requeue(), updateStatus };
    }
    if (cj.spec.concurrencyPolicy === "Replace") {
      for (const ref of [...(cj.status!.active ?? [])]) {
        let job: Job;
        try {
          job = (await this.client.get(R.jobs, ref.namespace ?? cj.metadata.namespace!, ref.name!)) as Job;
        } catch (err) {
          this.recorder.event(cj, "Warning", "FailedGet", `Get job: ${(err as Error).message}`);
          return { cronJob: cj, updateStatus, err };
        }
        if (!(await this.deleteJob(cj, job))) return { cronJob: cj, updateStatus, err: new Error(`could not replace job ${job.metadata.namespace}/${job.metadata.name}`) };
        updateStatus = true;
      }
    }

    const jobReq = this.jobFromTemplate(cj, scheduledTime, timeZone);
    let created: Job;
    let alreadyExists = false;
    try {
      created = (await this.client.create(R.jobs, cj.metadata.namespace!, jobReq)) as Job;
    } catch (err) {
      if (err instanceof ApiError && (err.details?.causes ?? []).some((c) => c.reason === "NamespaceTerminating")) return { cronJob: cj, updateStatus, err };
      if (err instanceof ApiError && err.code === 409 && err.reason === "AlreadyExists") {
        alreadyExists = true;
        try {
          created = (await this.client.get(R.jobs, cj.metadata.namespace!, jobReq.metadata.name!)) as Job;
        } catch (e) {
          return { cronJob: cj, updateStatus, err: e };
        }
        const ref = created.metadata.ownerReferences?.find((r) => r.controller === true);
        if (!ref || ref.uid !== cj.metadata.uid) return { cronJob: cj, updateStatus };
        if (inActiveList(cj, created.metadata.uid!)) return { cronJob: cj, updateStatus };
      } else {
        this.recorder.event(cj, "Warning", "FailedCreate", `Error creating job: ${(err as Error).message}`);
        return { cronJob: cj, updateStatus, err };
      }
    }
    if (!alreadyExists) this.recorder.event(cj, "Normal", "SuccessfulCreate", `Created job ${created.metadata.name}`);
    cj.status!.active = [...(cj.status!.active ?? []), jobRef(created)];
    cj.status!.lastScheduleTime = formatTime(scheduledTime);
    updateStatus = true;
    return { cronJob: cj, requeueAfterMs: requeue(), updateStatus };
  }

  /** getJobFromTemplate2. */
  private jobFromTemplate(cj: CronJob, scheduledTime: number, timeZone: string): Job {
    const tmpl = cj.spec.jobTemplate;
    const labels = { ...(tmpl.metadata?.labels ?? {}) };
    const annotations: Record<string, string> = { ...(tmpl.metadata?.annotations ?? {}) };
    annotations[CRONJOB_SCHEDULED_TIMESTAMP] = formatRFC3339In(scheduledTime, timeZone);
    const metadata: KubeObject["metadata"] = { name: jobNameFor(cj, scheduledTime) };
    if (Object.keys(labels).length) metadata.labels = labels;
    metadata.annotations = annotations;
    metadata.ownerReferences = [{ apiVersion: "batch/v1", kind: "CronJob", name: cj.metadata.name!, uid: cj.metadata.uid!, controller: true, blockOwnerDeletion: true }];
    return { apiVersion: "batch/v1", kind: "Job", metadata, spec: structuredClone(tmpl.spec) };
  }

  /** cleanupFinishedJobs: deletes the oldest finished Jobs beyond the history limits. */
  private async cleanupFinishedJobs(cj: CronJob, jobs: Job[]): Promise<boolean> {
    const sLimit = cj.spec.successfulJobsHistoryLimit;
    const fLimit = cj.spec.failedJobsHistoryLimit;
    if (typeof sLimit !== "number" && typeof fLimit !== "number") return false;
    const succeeded: Job[] = [];
    const failed: Job[] = [];
    for (const j of jobs) {
      const c = finishedCondition(j);
      if (c === "Complete") succeeded.push(j);
      else if (c === "Failed") failed.push(j);
    }
    let update = false;
    if (typeof sLimit === "number" && (await this.removeOldestJobs(cj, succeeded, sLimit))) update = true;
    if (typeof fLimit === "number" && (await this.removeOldestJobs(cj, failed, fLimit))) update = true;
    return update;
  }

  private async removeOldestJobs(cj: CronJob, jobs: Job[], max: number): Promise<boolean> {
    const n = jobs.length - max;
    if (n <= 0) return false;
    const sorted = [...jobs].sort(byJobStartTime);
    let update = false;
    for (let i = 0; i < n; i++) if (await this.deleteJob(cj, sorted[i]!)) update = true;
    return update;
  }

  /** deleteJob: deletes the Job (Background propagation) and its active reference. */
  private async deleteJob(cj: CronJob, job: Job): Promise<boolean> {
    try {
      await this.client.delete(R.jobs, job.metadata.namespace!, job.metadata.name!, { propagationPolicy: "Background" });
    } catch (err) {
      this.recorder.event(cj, "Warning", "FailedDelete", `Deleted job: ${(err as Error).message}`);
      return false;
    }
    deleteFromActiveList(cj, job.metadata.uid!);
    this.recorder.event(cj, "Normal", "SuccessfulDelete", `Deleted job ${job.metadata.name}`);
    return true;
  }
}

function inActiveList(cj: CronJob, uid: string): boolean {
  return (cj.status?.active ?? []).some((r) => r.uid === uid);
}

function deleteFromActiveList(cj: CronJob, uid: string): void {
  cj.status ??= {};
  cj.status.active = (cj.status.active ?? []).filter((r) => r.uid !== uid);
}

/** byJobStartTime: by status.startTime (Jobs without one last), then by name. */
function byJobStartTime(a: Job, b: Job): number {
  const sa = parseTime(a.status?.startTime);
  const sb = parseTime(b.status?.startTime);
  if (sa === undefined && sb !== undefined) return 1;
  if (sa !== undefined && sb === undefined) return -1;
  if (sa === sb) return a.metadata.name! < b.metadata.name! ? -1 : a.metadata.name! > b.metadata.name! ? 1 : 0;
  return sa! - sb!;
}
