// Helpers for the batch controller cluster tests: Job and CronJob objects, a stand-in for kubelets
// (pod phases and container exit codes written through the status subresource), and reads.
import type { KubeObject } from "../../../../src/apimachinery/types.js";
import { R } from "../../../../src/client/interface.js";
import { formatTime } from "../../../../src/util/clock.js";
import type { TestCluster } from "../../../helpers/cluster.js";

export const NS = "default";

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Obj = KubeObject & { [field: string]: any };

export function jobObject(name: string, spec: Record<string, unknown> = {}, template: Record<string, unknown> = {}): KubeObject {
  return {
    apiVersion: "batch/v1",
    kind: "Job",
    metadata: { name },
    spec: {
      ...spec,
      template: { spec: { restartPolicy: "Never", containers: [{ name: "main", image: "busybox" }], ...template } },
    },
  };
}

export function cronJobObject(name: string, spec: Record<string, unknown> = {}, jobSpec: Record<string, unknown> = {}): KubeObject {
  return {
    apiVersion: "batch/v1",
    kind: "CronJob",
    metadata: { name },
    spec: {
      schedule: "*/5 * * * *",
      ...spec,
      jobTemplate: { spec: { ...jobSpec, template: { spec: { restartPolicy: "Never", containers: [{ name: "main", image: "busybox" }] } } } },
    },
  };
}

export async function getJob(c: TestCluster, name: string): Promise<Obj> {
  return (await c.client.get(R.jobs, NS, name)) as Obj;
}

/** The Job's pods (by the job-name label), oldest first. */
export async function jobPods(c: TestCluster, job: string, o: { all?: boolean } = {}): Promise<Obj[]> {
  const l = await c.client.list(R.pods, NS, { labelSelector: `batch.kubernetes.io/job-name=${job}` });
  const pods = (l.items as Obj[]).filter((p) => o.all || (!p.metadata.deletionTimestamp && p.status?.phase !== "Succeeded" && p.status?.phase !== "Failed"));
  return pods.sort((a, b) => (a.metadata.creationTimestamp! < b.metadata.creationTimestamp! ? -1 : a.metadata.creationTimestamp! > b.metadata.creationTimestamp! ? 1 : a.metadata.name! < b.metadata.name! ? -1 : 1));
}

/** What a kubelet reports when a pod's only container exits (exit 0 → Succeeded). */
export async function finishPod(c: TestCluster, pod: Obj, exitCode: number, o: { conditions?: { type: string; status: string; reason?: string }[] } = {}): Promise<void> {
  const now = formatTime(c.clock.now());
  const fresh = (await c.client.get(R.pods, NS, pod.metadata.name!)) as Obj;
  await c.client.update(
    R.pods,
    NS,
    {
      ...fresh,
      status: {
        ...(fresh.status ?? {}),
        phase: exitCode === 0 ? "Succeeded" : "Failed",
        conditions: [
          { type: "Ready", status: "False", lastTransitionTime: now, reason: "PodCompleted" },
          ...(o.conditions ?? []).map((x) => ({ ...x, lastTransitionTime: now })),
        ],
        containerStatuses: [
          {
            name: "main",
            image: "busybox",
            imageID: "",
            ready: false,
            restartCount: 0,
            started: false,
            state: { terminated: { exitCode, reason: exitCode === 0 ? "Completed" : "Error", startedAt: now, finishedAt: now } },
          },
        ],
      },
    },
    { subresource: "status" },
  );
}

/** What a kubelet reports when a pod runs and is ready. */
export async function runPod(c: TestCluster, pod: Obj): Promise<void> {
  const now = formatTime(c.clock.now());
  const fresh = (await c.client.get(R.pods, NS, pod.metadata.name!)) as Obj;
  await c.client.update(R.pods, NS, { ...fresh, status: { ...(fresh.status ?? {}), phase: "Running", conditions: [{ type: "Ready", status: "True", lastTransitionTime: now }] } }, { subresource: "status" });
}

export async function events(c: TestCluster, kind: string, name: string): Promise<string[]> {
  const l = await c.client.list(R.events, NS);
  return (l.items as Obj[])
    .filter((e) => e.involvedObject?.kind === kind && e.involvedObject?.name === name)
    .sort((a, b) => (a.metadata.name! < b.metadata.name! ? -1 : 1))
    .map((e) => `${e.type} ${e.reason} ${e.message}`);
}

export function conditionTypes(job: Obj): string[] {
  return (job.status?.conditions ?? []).map((x: { type: string; status: string }) => `${x.type}=${x.status}`);
}

/** Waits until the Job's pods (active, not terminating) number n. */
export async function untilPods(c: TestCluster, job: string, n: number, what = `${n} pods of ${job}`): Promise<Obj[]> {
  return c.until(async () => {
    const p = await jobPods(c, job);
    return p.length === n ? p : undefined;
  }, { what });
}
