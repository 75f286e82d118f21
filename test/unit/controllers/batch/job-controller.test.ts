// The Job controller on an in-memory cluster with a FakeClock; pod phases and exit codes are
// written by the tests in place of kubelets.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { R } from "../../../../src/client/interface.js";
import { startCluster, type TestCluster } from "../../../helpers/cluster.js";
import { conditionTypes, events, finishPod, getJob, jobObject, jobPods, NS, runPod, untilPods, type Obj } from "./helpers.js";

const hasCondition = (j: Obj, type: string) => (j.status?.conditions ?? []).some((x: { type: string; status: string }) => x.type === type && x.status === "True");

async function untilCondition(c: TestCluster, name: string, type: string, maxFakeMs?: number): Promise<Obj> {
  return c.until(
    async () => {
      const j = await getJob(c, name);
      return hasCondition(j, type) ? j : undefined;
    },
    { what: `${type} on ${name}`, ...(maxFakeMs ? { maxFakeMs } : {}) },
  );
}

describe("Job controller", () => {
  let c: TestCluster;
  before(async () => {
    c = await startCluster({ groups: ["batch"] });
  });
  after(async () => {
    await c.stop();
  });

  test("completions and parallelism: pods from the template, tracked with the finalizer, then Complete", async () => {
    const job = await c.client.create(R.jobs, NS, jobObject("work", { completions: 3, parallelism: 2 }));
    const uid = job.metadata.uid!;
    let pods = await untilPods(c, "work", 2);
    for (const p of pods) {
      assert.equal(p.metadata.generateName, "work-");
      assert.match(p.metadata.name!, /^work-[a-z0-9]{5}$/);
      assert.deepEqual(p.metadata.labels, { "batch.kubernetes.io/controller-uid": uid, "batch.kubernetes.io/job-name": "work", "controller-uid": uid, "job-name": "work" });
      assert.deepEqual(p.metadata.finalizers, ["batch.kubernetes.io/job-tracking"]);
      assert.deepEqual(p.metadata.ownerReferences, [{ apiVersion: "batch/v1", kind: "Job", name: "work", uid, controller: true, blockOwnerDeletion: true }]);
      assert.equal(p.metadata.managedFields?.[0]?.manager, "kube-controller-manager");
    }
    let j = await c.until(async () => {
      const x = await getJob(c, "work");
      return x.status?.active === 2 ? x : undefined;
    });
    assert.deepEqual(j.status, { startTime: "2026-01-01T00:00:00Z", active: 2, terminating: 0, uncountedTerminatedPods: {}, ready: 0 });
    await runPod(c, pods[0]!);
    await c.until(async () => (await getJob(c, "work")).status?.ready === 1, { what: "ready 1" });
    await finishPod(c, pods[0]!, 0);
    pods = await c.until(async () => {
      const p = await jobPods(c, "work");
      return p.length === 2 && p.every((x) => x.metadata.name !== pods[0]!.metadata.name) ? p : undefined;
    }, { what: "replacement of the succeeded pod" });
    j = await c.until(async () => {
      const x = await getJob(c, "work");
      return x.status?.succeeded === 1 ? x : undefined;
    });
    const first = (await c.client.get(R.pods, NS, (await jobPods(c, "work", { all: true })).find((p) => p.status?.phase === "Succeeded")!.metadata.name!)) as Obj;
    assert.ok(!first.metadata.finalizers?.length, "the counted pod's finalizer is removed");
    for (const p of pods) await finishPod(c, p, 0);
    j = await untilCondition(c, "work", "Complete");
    assert.deepEqual(conditionTypes(j), ["SuccessCriteriaMet=True", "Complete=True"]);
    for (const cond of j.status.conditions) {
      assert.equal(cond.reason, "CompletionsReached");
      assert.equal(cond.message, "Reached expected number of succeeded pods");
    }
    assert.equal(j.status.succeeded, 3);
    assert.equal(j.status.active, undefined);
    assert.ok(j.status.completionTime);
    assert.deepEqual(j.status.uncountedTerminatedPods, {});
    const ev = await events(c, "Job", "work");
    assert.equal(ev.filter((e) => e.startsWith("Normal SuccessfulCreate Created pod: work-")).length, 3);
    assert.ok(ev.includes("Normal Completed Job completed"));
    const e = ((await c.client.list(R.events, NS)).items as Obj[]).find((x) => x.involvedObject.name === "work");
    assert.equal(e!.source.component, "job-controller");
  });

  test("Indexed: completion index annotation and label, hostname, generateName, env; completedIndexes", async () => {
    await c.client.create(R.jobs, NS, jobObject("idx", { completions: 3, parallelism: 3, completionMode: "Indexed" }));
    const pods = await untilPods(c, "idx", 3);
    const byIndex = new Map(pods.map((p) => [p.metadata.annotations!["batch.kubernetes.io/job-completion-index"], p]));
    assert.deepEqual([...byIndex.keys()].sort(), ["0", "1", "2"]);
    for (const [ix, p] of byIndex) {
      assert.equal(p.metadata.labels!["batch.kubernetes.io/job-completion-index"], ix);
      assert.equal(p.spec.hostname, `idx-${ix}`);
      assert.equal(p.metadata.generateName, `idx-${ix}-`);
      assert.deepEqual(p.spec.containers[0].env, [
        { name: "JOB_COMPLETION_INDEX", valueFrom: { fieldRef: { apiVersion: "v1", fieldPath: "metadata.labels['batch.kubernetes.io/job-completion-index']" } } },
      ]);
    }
    await finishPod(c, byIndex.get("1")!, 0);
    await c.until(async () => (await getJob(c, "idx")).status?.completedIndexes === "1", { what: "completedIndexes 1" });
    // a failed index is recreated with the same index
    await finishPod(c, byIndex.get("0")!, 1);
    const again = await c.until(async () => {
      const p = await jobPods(c, "idx");
      return p.length === 2 && p.some((x) => x.metadata.annotations!["batch.kubernetes.io/job-completion-index"] === "0") ? p : undefined;
    }, { what: "index 0 recreated", maxFakeMs: 60_000 });
    for (const p of again) await finishPod(c, p, 0);
    const j = await untilCondition(c, "idx", "Complete");
    assert.equal(j.status.completedIndexes, "0-2");
    assert.equal(j.status.succeeded, 3);
    assert.equal(j.status.failed, 1);
  });

  test("backoffLimit: replacements after an exponential backoff, then BackoffLimitExceeded", async () => {
    await c.client.create(R.jobs, NS, jobObject("flaky", { backoffLimit: 1 }));
    const [p1] = await untilPods(c, "flaky", 1);
    const failedAt = c.clock.now();
    await finishPod(c, p1!, 1);
    const [p2] = await untilPods(c, "flaky", 1, "the replacement");
    const delay = c.clock.now() - failedAt;
    assert.ok(delay >= 10_000 && delay < 12_000, `replacement after the 10s backoff (was ${delay}ms)`);
    await finishPod(c, p2!, 1);
    const j = await untilCondition(c, "flaky", "Failed");
    assert.deepEqual(conditionTypes(j), ["FailureTarget=True", "Failed=True"]);
    for (const cond of j.status.conditions) {
      assert.equal(cond.reason, "BackoffLimitExceeded");
      assert.equal(cond.message, "Job has reached the specified backoff limit");
    }
    assert.equal(j.status.failed, 2);
    assert.equal(j.status.completionTime, undefined);
    assert.ok((await events(c, "Job", "flaky")).includes("Warning BackoffLimitExceeded Job has reached the specified backoff limit"));
  });

  test("activeDeadlineSeconds: active pods are deleted and the Job fails with DeadlineExceeded", async () => {
    await c.client.create(R.jobs, NS, jobObject("slow", { activeDeadlineSeconds: 30, parallelism: 2, completions: 2 }));
    await untilPods(c, "slow", 2);
    const start = c.clock.now();
    const j = await untilCondition(c, "slow", "Failed");
    assert.ok(c.clock.now() - start >= 30_000);
    assert.deepEqual(conditionTypes(j), ["FailureTarget=True", "Failed=True"]);
    assert.equal(j.status.conditions[1].reason, "DeadlineExceeded");
    assert.equal(j.status.conditions[1].message, "Job was active longer than specified deadline");
    assert.equal(j.status.failed, 2);
    assert.equal((await jobPods(c, "slow", { all: true })).length, 0, "pods deleted once their finalizers went");
    const ev = await events(c, "Job", "slow");
    assert.ok(ev.includes("Warning DeadlineExceeded Job was active longer than specified deadline"));
    assert.equal(ev.filter((e) => e.startsWith("Normal SuccessfulDelete Deleted pod: slow-")).length, 2);
  });

  test("suspend and resume", async () => {
    await c.client.create(R.jobs, NS, jobObject("later", { suspend: true, completions: 2, parallelism: 2 }));
    let j = await untilCondition(c, "later", "Suspended");
    assert.equal(j.status.startTime, undefined);
    assert.deepEqual(j.status.conditions.map((x: Obj) => [x.type, x.status, x.reason, x.message]), [["Suspended", "True", "JobSuspended", "Job suspended"]]);
    assert.equal((await jobPods(c, "later")).length, 0);
    await c.client.patch(R.jobs, NS, "later", "merge", { spec: { suspend: false } });
    await untilPods(c, "later", 2);
    j = await c.until(async () => {
      const x = await getJob(c, "later");
      return x.status?.conditions?.[0]?.status === "False" ? x : undefined;
    });
    assert.deepEqual(j.status.conditions.map((x: Obj) => [x.type, x.status, x.reason, x.message]), [["Suspended", "False", "JobResumed", "Job resumed"]]);
    assert.ok(j.status.startTime);
    // suspending a running Job deletes its pods without counting them as failures
    await c.client.patch(R.jobs, NS, "later", "merge", { spec: { suspend: true } });
    await c.until(async () => (await jobPods(c, "later", { all: true })).length === 0, { what: "pods deleted" });
    j = await untilCondition(c, "later", "Suspended");
    assert.equal(j.status.failed, undefined);
    assert.equal(j.status.active, undefined);
    const ev = await events(c, "Job", "later");
    assert.ok(ev.includes("Normal Suspended Job suspended"));
    assert.ok(ev.includes("Normal Resumed Job resumed"));
  });

  test("podFailurePolicy: Ignore does not count, FailJob fails the Job", async () => {
    await c.client.create(
      R.jobs,
      NS,
      jobObject("pfp", {
        backoffLimit: 0,
        podFailurePolicy: {
          rules: [
            { action: "Ignore", onExitCodes: { operator: "In", values: [3] } },
            { action: "FailJob", onExitCodes: { containerName: "main", operator: "In", values: [42] } },
          ],
        },
      }),
    );
    const [p1] = await untilPods(c, "pfp", 1);
    await finishPod(c, p1!, 3);
    const [p2] = await c.until(async () => {
      const p = await jobPods(c, "pfp");
      return p.length === 1 && p[0]!.metadata.name !== p1!.metadata.name ? p : undefined;
    }, { what: "replacement of the ignored failure" });
    let j = await getJob(c, "pfp");
    assert.equal(j.status.failed, undefined, "an ignored failure is not counted");
    await finishPod(c, p2!, 42);
    j = await untilCondition(c, "pfp", "Failed");
    assert.deepEqual(conditionTypes(j), ["FailureTarget=True", "Failed=True"]);
    assert.equal(j.status.conditions[1].reason, "PodFailurePolicy");
    assert.equal(j.status.conditions[1].message, `Container main for pod ${NS}/${p2!.metadata.name} failed with exit code 42 matching FailJob rule at index 1`);
    assert.equal(j.status.failed, 1);
  });

  test("backoffLimitPerIndex: a failed index fails the Job once the others finish", async () => {
    await c.client.create(R.jobs, NS, jobObject("perindex", { completions: 2, parallelism: 2, completionMode: "Indexed", backoffLimitPerIndex: 0 }));
    const pods = await untilPods(c, "perindex", 2);
    for (const p of pods) assert.equal(p.metadata.annotations!["batch.kubernetes.io/job-index-failure-count"], "0");
    const byIx = (ix: string) => pods.find((p) => p.metadata.annotations!["batch.kubernetes.io/job-completion-index"] === ix)!;
    await finishPod(c, byIx("0"), 1);
    await c.until(async () => (await getJob(c, "perindex")).status?.failedIndexes === "0", { what: "failedIndexes 0" });
    await finishPod(c, byIx("1"), 0);
    const j = await untilCondition(c, "perindex", "Failed");
    assert.equal(j.status.conditions.at(-1).reason, "FailedIndexes");
    assert.equal(j.status.conditions.at(-1).message, "Job has failed indexes");
    assert.equal(j.status.completedIndexes, "1");
  });

  test("successPolicy: the Job succeeds once the rule matches; the rest are deleted", async () => {
    await c.client.create(R.jobs, NS, jobObject("leader", { completions: 3, parallelism: 3, completionMode: "Indexed", successPolicy: { rules: [{ succeededIndexes: "0" }] } }));
    const pods = await untilPods(c, "leader", 3);
    await finishPod(c, pods.find((p) => p.metadata.annotations!["batch.kubernetes.io/job-completion-index"] === "0")!, 0);
    const j = await untilCondition(c, "leader", "Complete");
    assert.deepEqual(conditionTypes(j), ["SuccessCriteriaMet=True", "Complete=True"]);
    assert.equal(j.status.conditions[1].reason, "SuccessPolicy");
    assert.equal(j.status.conditions[1].message, "Matched rules at index 0");
    assert.equal(j.status.completedIndexes, "0");
    assert.equal((await jobPods(c, "leader", { all: true })).filter((p) => p.status.phase !== "Succeeded").length, 0);
  });

  test("Jobs without completions finish once any pod succeeded and none is active", async () => {
    await c.client.create(R.jobs, NS, { ...jobObject("queue", { parallelism: 2 }), spec: { ...(jobObject("queue", {}) as Obj).spec, parallelism: 2, completions: null } });
    const pods = await untilPods(c, "queue", 2);
    await finishPod(c, pods[0]!, 0);
    await c.settle();
    c.clock.advance(5000);
    assert.equal((await jobPods(c, "queue")).length, 1, "no new pod after a success");
    await finishPod(c, pods[1]!, 0);
    const j = await untilCondition(c, "queue", "Complete");
    assert.equal(j.status.succeeded, 2);
  });

  test("podReplacementPolicy: Failed waits for a terminating pod; TerminatingOrFailed replaces it at once", async () => {
    await c.client.create(R.jobs, NS, jobObject("patient", { podReplacementPolicy: "Failed" }));
    const [p1] = await untilPods(c, "patient", 1);
    await c.client.delete(R.pods, NS, p1!.metadata.name!, {});
    let j = await c.until(async () => {
      const x = await getJob(c, "patient");
      return x.status?.terminating === 1 ? x : undefined;
    }, { what: "terminating 1" });
    c.clock.advance(5000);
    await c.settle();
    assert.equal((await jobPods(c, "patient")).length, 0, "no replacement while the pod terminates");
    assert.equal(j.status.active, undefined);
    await finishPod(c, p1!, 137);
    await untilPods(c, "patient", 1, "replacement once Failed");
    j = await c.until(async () => {
      const x = await getJob(c, "patient");
      return x.status?.failed === 1 && x.status?.terminating === 0 ? x : undefined;
    }, { what: "failed 1" });

    await c.client.create(R.jobs, NS, jobObject("eager", {}));
    const [e1] = await untilPods(c, "eager", 1);
    await c.client.delete(R.pods, NS, e1!.metadata.name!, {});
    await c.until(async () => {
      const p = await jobPods(c, "eager");
      return p.length === 1 && p[0]!.metadata.name !== e1!.metadata.name;
    }, { what: "immediate replacement", maxFakeMs: 15_000 });
    await c.until(async () => (await getJob(c, "eager")).status?.failed === 1, { what: "the deleted pod counted as failed" });
  });

  test("lowering parallelism deletes the excess pods", async () => {
    await c.client.create(R.jobs, NS, { ...jobObject("wide"), spec: { ...(jobObject("wide") as Obj).spec, parallelism: 3, completions: null } });
    await untilPods(c, "wide", 3);
    await c.client.patch(R.jobs, NS, "wide", "merge", { spec: { parallelism: 1 } });
    await untilPods(c, "wide", 1);
    await c.until(async () => (await jobPods(c, "wide", { all: true })).length === 1, { what: "excess pods gone (finalizer removed first)" });
    const j = await c.until(async () => {
      const x = await getJob(c, "wide");
      return x.status?.active === 1 ? x : undefined;
    });
    assert.equal(j.status.failed, undefined, "excess pods lose the finalizer before deletion, so they are not counted");
    assert.equal((await events(c, "Job", "wide")).filter((e) => e.startsWith("Normal SuccessfulDelete Deleted pod: wide-")).length, 2);
  });

  test("deleting a Job releases its pods' tracking finalizers", async () => {
    await c.client.create(R.jobs, NS, jobObject("gone", { parallelism: 2, completions: 2 }));
    const pods = await untilPods(c, "gone", 2);
    await c.client.delete(R.jobs, NS, "gone", { propagationPolicy: "Orphan" });
    await c.until(async () => {
      for (const p of pods) {
        const x = (await c.client.get(R.pods, NS, p.metadata.name!).catch(() => undefined)) as Obj | undefined;
        if (x?.metadata.finalizers?.includes("batch.kubernetes.io/job-tracking")) return false;
      }
      return true;
    }, { what: "finalizers removed by the orphan worker" });
  });

  test("orphan pods matching the selector are adopted with the finalizer", async () => {
    const job = await c.client.create(R.jobs, NS, jobObject("adopt", { suspend: true }));
    const labels = (job as Obj).spec.template.metadata.labels;
    await c.client.create(R.pods, NS, { apiVersion: "v1", kind: "Pod", metadata: { name: "stray", labels }, spec: { restartPolicy: "Never", containers: [{ name: "main", image: "busybox" }] } });
    await c.client.patch(R.jobs, NS, "adopt", "merge", { spec: { suspend: false } });
    const stray = await c.until(async () => {
      const p = (await c.client.get(R.pods, NS, "stray")) as Obj;
      return p.metadata.ownerReferences?.length ? p : undefined;
    }, { what: "adoption" });
    assert.deepEqual(stray.metadata.ownerReferences, [{ apiVersion: "batch/v1", kind: "Job", name: "adopt", uid: job.metadata.uid, controller: true, blockOwnerDeletion: true }]);
    assert.deepEqual(stray.metadata.finalizers, ["batch.kubernetes.io/job-tracking"]);
    await finishPod(c, stray, 0);
    await untilCondition(c, "adopt", "Complete");
    assert.equal((await getJob(c, "adopt")).status.succeeded, 1);
  });
});

describe("TTL-after-finished controller", () => {
  let c: TestCluster;
  before(async () => {
    c = await startCluster({ groups: ["batch"] });
  });
  after(async () => {
    await c.stop();
  });

  test("deletes a finished Job ttlSecondsAfterFinished after it finished", async () => {
    await c.client.create(R.jobs, NS, jobObject("short", { ttlSecondsAfterFinished: 60 }));
    const [p] = await untilPods(c, "short", 1);
    await finishPod(c, p!, 0);
    const done = await untilCondition(c, "short", "Complete");
    const finishedAt = Date.parse(done.status.conditions[1].lastTransitionTime);
    await c.until(
      async () => {
        try {
          const j = await getJob(c, "short");
          return !!j.metadata.deletionTimestamp;
        } catch {
          return true;
        }
      },
      { what: "TTL deletion", stepMs: 1000 },
    );
    assert.ok(c.clock.now() - finishedAt >= 60_000, "not before the TTL");
    assert.ok(c.clock.now() - finishedAt < 63_000, "soon after the TTL");
  });

  test("Jobs without a TTL stay", async () => {
    await c.client.create(R.jobs, NS, jobObject("keep", {}));
    const [p] = await untilPods(c, "keep", 1);
    await finishPod(c, p!, 0);
    await untilCondition(c, "keep", "Complete");
    c.clock.advance(3_600_000);
    await c.settle();
    assert.ok(!(await getJob(c, "keep")).metadata.deletionTimestamp);
  });
});
