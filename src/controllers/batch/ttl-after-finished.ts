// The TTL-after-finished controller (upstream pkg/controller/ttlafterfinished): deletes a finished
// Job spec.ttlSecondsAfterFinished seconds after its Complete or Failed condition's transition,
// re-checking a fresh copy first, with Foreground propagation and a UID precondition.
import { ApiError } from "../../apimachinery/errors.js";
import type { SharedInformer } from "../../client/informers/shared-informer.js";
import { R, type Client } from "../../client/interface.js";
import type { ControllerContext } from "../../controlplane/context.js";
import type { Clock } from "../../util/clock.js";
import { Controller, keyOf, splitKey, type Runnable } from "../runtime/controller.js";
import { isJobFinished } from "./job-controller.js";
import { parseTime, type Job } from "./types.js";

/** ConcurrentTTLSyncs default. */
const WORKERS = 5;

export function needsCleanup(job: Job): boolean {
  return typeof job.spec.ttlSecondsAfterFinished === "number" && isJobFinished(job);
}

/** When the Job finished: the lastTransitionTime of its Complete or Failed condition. */
export function jobFinishTime(job: Job): number {
  for (const c of job.status?.conditions ?? []) {
    if ((c.type === "Complete" || c.type === "Failed") && c.status === "True") {
      const t = parseTime(c.lastTransitionTime ?? undefined);
      if (t === undefined) throw new Error(`unable to find the time when the Job ${job.metadata.namespace}/${job.metadata.name} finished`);
      return t;
    }
  }
  throw new Error(`unable to find the status of the finished Job ${job.metadata.namespace}/${job.metadata.name}`);
}

export class TTLAfterFinishedController implements Runnable {
  readonly name = "ttl-after-finished-controller";
  readonly controller: Controller;
  private readonly client: Client;
  private readonly clock: Clock;
  private readonly jobs: SharedInformer;

  constructor(ctx: ControllerContext) {
    this.client = ctx.clientFor("kube-controller-manager");
    this.clock = ctx.clock;
    this.controller = new Controller("ttl_jobs_to_delete", (key) => this.processJob(key), ctx.clock, WORKERS);
    this.jobs = ctx.informers.informerFor(R.jobs);
    const maybe = (o: Job) => {
      if (!o.metadata.deletionTimestamp && needsCleanup(o)) this.controller.enqueue(keyOf(o));
    };
    this.jobs.addEventHandler({ onAdd: (o) => maybe(o as Job), onUpdate: (_old, cur) => maybe(cur as Job) });
  }

  start(): void {
    this.controller.start();
  }

  stop(): Promise<void> {
    return this.controller.stop();
  }

  /** processTTL: the expiry if the TTL has passed; otherwise requeues for when it will. */
  private processTTL(job: Job): number | undefined {
    if (job.metadata.deletionTimestamp || !needsCleanup(job)) return undefined;
    const expireAt = jobFinishTime(job) + job.spec.ttlSecondsAfterFinished! * 1000;
    const remaining = expireAt - this.clock.now();
    if (remaining <= 0) return expireAt;
    this.controller.enqueueAfter(keyOf(job), remaining);
    return undefined;
  }

  private async processJob(key: string): Promise<void> {
    const { namespace, name } = splitKey(key);
    const job = this.jobs.get(namespace, name) as Job | undefined;
    if (!job) return;
    if (this.processTTL(job) === undefined) return;
    // the cached TTL may be stale: decide on a fresh copy
    let fresh: Job;
    try {
      fresh = (await this.client.get(R.jobs, namespace, name)) as Job;
    } catch (err) {
      if (err instanceof ApiError && err.code === 404) return;
      throw err;
    }
    if (this.processTTL(fresh) === undefined) return;
    await this.client.delete(R.jobs, namespace, name, { propagationPolicy: "Foreground", preconditions: { uid: fresh.metadata.uid! } });
  }
}
