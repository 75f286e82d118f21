// The CronJob controller (with the Job controller) on an in-memory cluster with a FakeClock that
// starts at 2026-01-01T00:00:00Z.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { R } from "../../../../src/client/interface.js";
import { startCluster, type TestCluster } from "../../../helpers/cluster.js";
import { cronJobObject, events, finishPod, jobPods, NS, untilPods, type Obj } from "./helpers.js";

const minutes = (iso: string) => Date.parse(iso) / 60_000;

async function getCJ(c: TestCluster, name: string): Promise<Obj> {
  return (await c.client.get(R.cronjobs, NS, name)) as Obj;
}

async function jobsOf(c: TestCluster, cj: string): Promise<Obj[]> {
  const l = await c.client.list(R.jobs, NS);
  return (l.items as Obj[]).filter((j) => j.metadata.ownerReferences?.some((r) => r.kind === "CronJob" && r.name === cj) && !j.metadata.deletionTimestamp).sort((a, b) => (a.metadata.name! < b.metadata.name! ? -1 : 1));
}

async function untilJobs(c: TestCluster, cj: string, n: number, what = `${n} jobs of ${cj}`): Promise<Obj[]> {
  return c.until(async () => {
    const j = await jobsOf(c, cj);
    return j.length === n ? j : undefined;
  }, { what, stepMs: 5000, maxFakeMs: 30 * 60_000 });
}

/** Runs a CronJob's Job to completion: its pod succeeds. */
async function completeJob(c: TestCluster, job: string, exitCode = 0): Promise<void> {
  const [p] = await untilPods(c, job, 1);
  await finishPod(c, p!, exitCode);
  await c.until(async () => {
    const j = (await c.client.get(R.jobs, NS, job).catch(() => undefined)) as Obj | undefined;
    if (!j) return true; // already deleted by a history limit
    return (j.status?.conditions ?? []).some((x: Obj) => (x.type === "Complete" || x.type === "Failed") && x.status === "True");
  }, { what: `${job} finished`, maxFakeMs: 60_000 });
}

describe("CronJob controller", () => {
  let c: TestCluster;
  before(async () => {
    c = await startCluster({ groups: ["batch"] });
  });
  after(async () => {
    await c.stop();
  });

  test("creates the Job of each schedule time, named by its minute, and tracks it in status", async () => {
    const cj = await c.client.create(R.cronjobs, NS, { ...cronJobObject("tick"), spec: { ...(cronJobObject("tick") as Obj).spec, jobTemplate: { metadata: { labels: { team: "a" }, annotations: { note: "x" } }, spec: (cronJobObject("tick") as Obj).spec.jobTemplate.spec } } });
    const [job] = await untilJobs(c, "tick", 1);
    assert.equal(c.clock.now() >= Date.parse("2026-01-01T00:05:00Z"), true);
    assert.equal(job!.metadata.name, `tick-${minutes("2026-01-01T00:05:00Z")}`);
    assert.deepEqual(job!.metadata.labels, { team: "a" });
    assert.deepEqual(job!.metadata.annotations, { note: "x", "batch.kubernetes.io/cronjob-scheduled-timestamp": "2026-01-01T00:05:00Z" });
    assert.deepEqual(job!.metadata.ownerReferences, [{ apiVersion: "batch/v1", kind: "CronJob", name: "tick", uid: cj.metadata.uid, controller: true, blockOwnerDeletion: true }]);
    let s = await c.until(async () => {
      const x = await getCJ(c, "tick");
      return x.status?.active?.length ? x.status : undefined;
    });
    assert.equal(s.lastScheduleTime, "2026-01-01T00:05:00Z");
    assert.deepEqual(s.active, [{ kind: "Job", namespace: NS, name: job!.metadata.name, uid: job!.metadata.uid, apiVersion: "batch/v1", resourceVersion: s.active[0].resourceVersion }]);
    await completeJob(c, job!.metadata.name!);
    s = await c.until(async () => {
      const x = await getCJ(c, "tick");
      return x.status?.lastSuccessfulTime ? x.status : undefined;
    });
    assert.equal(s.active, undefined);
    const ev = await events(c, "CronJob", "tick");
    assert.ok(ev.includes(`Normal SuccessfulCreate Created job ${job!.metadata.name}`));
    assert.ok(ev.includes(`Normal SawCompletedJob Saw completed job: ${job!.metadata.name}, condition: Complete`));
    const e = ((await c.client.list(R.events, NS)).items as Obj[]).find((x) => x.involvedObject.name === "tick");
    assert.equal(e!.source.component, "cronjob-controller");
    await c.client.delete(R.cronjobs, NS, "tick", { propagationPolicy: "Background" });
  });

  test("successful and failed history limits", async () => {
    await c.client.create(R.cronjobs, NS, cronJobObject("hist", { schedule: "* * * * *", successfulJobsHistoryLimit: 1, failedJobsHistoryLimit: 0, concurrencyPolicy: "Forbid" }, { backoffLimit: 0 }));
    const [j1] = await untilJobs(c, "hist", 1);
    await completeJob(c, j1!.metadata.name!);
    const j2 = await c.until(async () => (await jobsOf(c, "hist")).find((j) => j.metadata.name !== j1!.metadata.name), { what: "second job", stepMs: 5000 });
    await completeJob(c, j2.metadata.name!);
    await c.until(async () => (await jobsOf(c, "hist")).every((j) => j.metadata.name !== j1!.metadata.name), { what: "oldest successful job deleted", stepMs: 1000 });
    const j3 = await c.until(async () => (await jobsOf(c, "hist")).find((j) => j.metadata.name !== j2.metadata.name), { what: "third job", stepMs: 5000 });
    await completeJob(c, j3.metadata.name!, 1);
    await c.until(async () => (await jobsOf(c, "hist")).every((j) => j.metadata.name !== j3.metadata.name), { what: "failed job deleted", stepMs: 1000 });
    const ev = await events(c, "CronJob", "hist");
    assert.ok(ev.includes(`Normal SuccessfulDelete Deleted job ${j1!.metadata.name}`));
    assert.ok(ev.includes(`Normal SuccessfulDelete Deleted job ${j3.metadata.name}`));
    assert.ok((await jobsOf(c, "hist")).some((j) => j.metadata.name === j2.metadata.name), "the newest successful job is kept");
    await c.client.patch(R.cronjobs, NS, "hist", "merge", { spec: { suspend: true } });
  });

  test("concurrencyPolicy Forbid skips a schedule while a Job runs", async () => {
    await c.client.create(R.cronjobs, NS, cronJobObject("solo", { schedule: "* * * * *", concurrencyPolicy: "Forbid" }));
    const [j1] = await untilJobs(c, "solo", 1);
    const t = c.clock.now();
    await c.until(async () => c.clock.now() - t > 130_000, { stepMs: 10_000 });
    assert.equal((await jobsOf(c, "solo")).length, 1);
    assert.ok((await events(c, "CronJob", "solo")).includes("Normal JobAlreadyActive Not starting job because prior execution is running and concurrency policy is Forbid"));
    await completeJob(c, j1!.metadata.name!);
    await untilJobs(c, "solo", 2, "the next schedule once the first finished");
    await c.client.patch(R.cronjobs, NS, "solo", "merge", { spec: { suspend: true } });
  });

  test("concurrencyPolicy Replace deletes the running Job", async () => {
    await c.client.create(R.cronjobs, NS, cronJobObject("swap", { schedule: "* * * * *", concurrencyPolicy: "Replace" }));
    const [j1] = await untilJobs(c, "swap", 1);
    const [j2] = await c.until(async () => {
      const l = await jobsOf(c, "swap");
      return l.length === 1 && l[0]!.metadata.name !== j1!.metadata.name ? l : undefined;
    }, { what: "replacement", stepMs: 5000 });
    const cj = await getCJ(c, "swap");
    assert.deepEqual(cj.status.active.map((r: Obj) => r.name), [j2!.metadata.name]);
    assert.ok((await events(c, "CronJob", "swap")).includes(`Normal SuccessfulDelete Deleted job ${j1!.metadata.name}`));
    await c.client.patch(R.cronjobs, NS, "swap", "merge", { spec: { suspend: true } });
  });

  test("suspend stops new Jobs", async () => {
    await c.client.create(R.cronjobs, NS, cronJobObject("paused", { schedule: "* * * * *", suspend: true }));
    const t = c.clock.now();
    await c.until(async () => c.clock.now() - t > 180_000, { stepMs: 20_000 });
    assert.equal((await jobsOf(c, "paused")).length, 0);
    assert.equal((await getCJ(c, "paused")).status?.lastScheduleTime, undefined);
  });

  test("timeZone: the schedule runs in the zone and the annotation carries its offset", async () => {
    // 09:00 in Tokyo is 00:00 UTC: the next one after now
    await c.client.create(R.cronjobs, NS, cronJobObject("tokyo", { schedule: "0 9 * * *", timeZone: "Asia/Tokyo" }));
    const now = c.clock.now();
    const nextMidnightUTC = Math.ceil((now + 1) / 86_400_000) * 86_400_000;
    const [job] = await c.until(async () => {
      const l = await jobsOf(c, "tokyo");
      return l.length === 1 ? l : undefined;
    }, { what: "the Tokyo job", stepMs: 15 * 60_000, maxFakeMs: 25 * 3_600_000 });
    assert.equal(job!.metadata.name, `tokyo-${nextMidnightUTC / 60_000}`);
    assert.match(job!.metadata.annotations!["batch.kubernetes.io/cronjob-scheduled-timestamp"]!, /T09:00:00\+09:00$/);
    await c.client.patch(R.cronjobs, NS, "tokyo", "merge", { spec: { suspend: true } });
  });

  test("a Job created from the CronJob by hand is reported as unexpected, as upstream", async () => {
    const cj = await c.client.create(R.cronjobs, NS, cronJobObject("manual", { schedule: "0 0 1 1 *" }));
    await c.client.create(R.jobs, NS, {
      apiVersion: "batch/v1",
      kind: "Job",
      metadata: { name: "manual-run", annotations: { "cronjob.kubernetes.io/instantiate": "manual" }, ownerReferences: [{ apiVersion: "batch/v1", kind: "CronJob", name: "manual", uid: cj.metadata.uid!, controller: true }] },
      spec: (cj as Obj).spec.jobTemplate.spec,
    });
    await c.until(async () => (await events(c, "CronJob", "manual")).includes("Warning UnexpectedJob Saw a job that the controller did not create or forgot: manual-run"), { what: "UnexpectedJob" });
    await untilPods(c, "manual-run", 1);
    assert.equal((await getCJ(c, "manual")).status?.active, undefined);
    await completeJob(c, "manual-run");
    const s = await c.until(async () => (await getCJ(c, "manual")).status?.lastSuccessfulTime, { what: "lastSuccessfulTime" });
    assert.ok(s);
    assert.equal((await jobPods(c, "manual-run", { all: true })).length, 1);
  });

  test("startingDeadlineSeconds: a schedule missed by more than the deadline is not started", async () => {
    const t0 = c.clock.now();
    await c.client.create(R.cronjobs, NS, cronJobObject("late", { schedule: "* * * * *", startingDeadlineSeconds: 10, suspend: true }));
    const nextMinute = Math.ceil((t0 + 1) / 60_000) * 60_000;
    c.clock.advance(nextMinute + 30_000 - t0);
    await c.client.patch(R.cronjobs, NS, "late", "merge", { spec: { suspend: false } });
    await c.settle();
    c.clock.advance(1000);
    await c.settle();
    assert.equal((await jobsOf(c, "late")).length, 0, "30s late with a 10s deadline");
    const [job] = await untilJobs(c, "late", 1, "the next schedule on time");
    assert.equal(job!.metadata.name, `late-${nextMinute / 60_000 + 1}`);
    await c.client.patch(R.cronjobs, NS, "late", "merge", { spec: { suspend: true } });
  });

  test("more than 100 missed schedules: TooManyMissedTimes, and the most recent one runs", async () => {
    await c.client.create(R.cronjobs, NS, cronJobObject("behind", { schedule: "* * * * *", suspend: true }));
    c.clock.advance(3 * 3_600_000);
    await c.client.patch(R.cronjobs, NS, "behind", "merge", { spec: { suspend: false } });
    const [job] = await untilJobs(c, "behind", 1);
    assert.equal(job!.metadata.name, `behind-${Math.floor(c.clock.now() / 60_000)}`);
    assert.ok((await events(c, "CronJob", "behind")).includes("Warning TooManyMissedTimes too many missed start times. Set or decrease .spec.startingDeadlineSeconds or check clock skew"));
    await c.client.patch(R.cronjobs, NS, "behind", "merge", { spec: { suspend: true } });
  });
});
