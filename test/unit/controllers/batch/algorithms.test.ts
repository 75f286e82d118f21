// Pure algorithms of the batch controllers: indexed bookkeeping (intervals, pending indexes,
// duplicates), pod failure backoff, pod failure policy and success policy matching, and the
// CronJob schedule arithmetic (most recent unmet time, requeue delay, Job names).
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { parseStandard } from "../../../../src/controllers/batch/cron.js";
import { jobNameFor, mostRecentScheduleTime, nextScheduleTimeDuration } from "../../../../src/controllers/batch/cronjob-controller.js";
import { completionIndex, duplicatedIndexPodsForRemoval, firstPendingIndexes, OrderedIntervals, parseIndexes, podGenerateNameWithIndex } from "../../../../src/controllers/batch/indexed.js";
import { isPodFailed, normalizeJobStatus } from "../../../../src/controllers/batch/job-controller.js";
import { backoffDelay, matchPodFailurePolicy, matchSuccessPolicy, newBackoffRecord, remainingTimeForFailures } from "../../../../src/controllers/batch/policies.js";
import type { CronJob, Job, Pod, PodFailurePolicy } from "../../../../src/controllers/batch/types.js";

function pod(name: string, o: { index?: number; phase?: string; exit?: number; container?: string; conditions?: { type: string; status: string }[]; deleted?: boolean; finishedAt?: string; node?: string; ready?: boolean } = {}): Pod {
  return {
    metadata: {
      name,
      namespace: "ns",
      uid: `uid-${name}`,
      creationTimestamp: "2026-01-01T00:00:00Z",
      ...(o.index !== undefined ? { annotations: { "batch.kubernetes.io/job-completion-index": String(o.index) } } : {}),
      ...(o.deleted ? { deletionTimestamp: "2026-01-01T00:01:00Z" } : {}),
    },
    spec: { ...(o.node ? { nodeName: o.node } : {}) },
    status: {
      phase: o.phase ?? "Running",
      conditions: [...(o.conditions ?? []), ...(o.ready ? [{ type: "Ready", status: "True" }] : [])],
      ...(o.exit !== undefined
        ? { containerStatuses: [{ name: o.container ?? "main", state: { terminated: { exitCode: o.exit, finishedAt: o.finishedAt ?? "2026-01-01T00:00:30Z" } } }] }
        : {}),
    },
  };
}

const ids = (o: OrderedIntervals) => o.toString();

describe("indexed Jobs", () => {
  test("interval text form: pairs with a comma, runs with a dash", () => {
    assert.equal(ids(new OrderedIntervals().withOrderedIndexes([0, 1, 3, 4, 5, 7, 9, 10])), "0,1,3-5,7,9,10");
    assert.equal(ids(parseIndexes("0,1,3-5,7", 10).withOrderedIndexes([2, 6])), "0-7");
    assert.equal(parseIndexes("1-3,5", 10).total(), 4);
  });
  test("parsing drops indexes beyond completions and skips corrupt parts", () => {
    assert.equal(ids(parseIndexes("0-2,x,4-9", 6)), "0-2,4,5");
    assert.equal(ids(parseIndexes("7-9", 5)), "");
    assert.equal(ids(parseIndexes("1,2,3", 10)), "1-3");
  });
  test("has()", () => {
    const iv = parseIndexes("1-3,7", 10);
    assert.deepEqual([0, 1, 3, 4, 7, 8].map((i) => iv.has(i)), [false, true, true, false, true, false]);
  });
  test("first pending indexes skip succeeded, active, failed and (Failed policy) terminating ones", () => {
    const active = [pod("a", { index: 1 })];
    const terminating = pod("t", { index: 2, deleted: true });
    const base = { activePods: active, pods: [...active, terminating], succeededIndexes: parseIndexes("0,4", 10), failedIndexes: parseIndexes("5", 10) };
    assert.deepEqual(firstPendingIndexes({ ...base, onlyReplaceFailed: false }, 3, 8), [2, 3, 6]);
    assert.deepEqual(firstPendingIndexes({ ...base, onlyReplaceFailed: true }, 5, 8), [3, 6, 7]);
    assert.deepEqual(firstPendingIndexes({ ...base, onlyReplaceFailed: false }, 0, 8), []);
  });
  test("duplicated, missing and out-of-range indexes are removed", () => {
    const pods = [pod("a", { index: 0 }), pod("b", { index: 0, node: "n1", ready: true }), pod("c"), pod("d", { index: 9 }), pod("e", { index: 1 })];
    const { rm, left } = duplicatedIndexPodsForRemoval(pods, 5);
    assert.deepEqual(rm.map((p) => p.metadata.name).sort(), ["a", "c", "d"]);
    assert.deepEqual(left.map((p) => p.metadata.name).sort(), ["b", "e"]);
  });
  test("completion index annotation parsing", () => {
    assert.equal(completionIndex(pod("x", { index: 3 })), 3);
    assert.equal(completionIndex(pod("x")), -1);
    assert.equal(completionIndex({ metadata: { annotations: { "batch.kubernetes.io/job-completion-index": "-1" } } }), -1);
  });
  test("generateName with index, shortened to 58 characters", () => {
    assert.equal(podGenerateNameWithIndex("work", 3), "work-3-");
    const long = podGenerateNameWithIndex("a".repeat(60), 12);
    assert.equal(long.length, 58);
    assert.ok(long.endsWith("a-12-"));
  });
});

describe("pod failure backoff", () => {
  test("10s doubling, capped at 10 minutes", () => {
    assert.deepEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 20].map((n) => backoffDelay(n) / 1000), [0, 10, 20, 40, 80, 160, 320, 600, 600, 600]);
  });
  test("remaining time counts from the last failure", () => {
    const t0 = Date.parse("2026-01-01T00:00:30Z");
    assert.equal(remainingTimeForFailures(t0 + 5000, 2, t0), 15_000);
    assert.equal(remainingTimeForFailures(t0 + 25_000, 2, t0), 0);
    assert.equal(remainingTimeForFailures(t0, 0, undefined), 0);
  });
  test("consecutive failures after the last success", () => {
    const r1 = newBackoffRecord(undefined, "k", [], [pod("f1", { phase: "Failed", exit: 1, finishedAt: "2026-01-01T00:00:10Z" })]);
    assert.deepEqual(r1, { key: "k", failuresAfterLastSuccess: 1, lastFailureTime: Date.parse("2026-01-01T00:00:10Z") });
    const r2 = newBackoffRecord(r1, "k", [], [pod("f2", { phase: "Failed", exit: 1, finishedAt: "2026-01-01T00:00:20Z" })]);
    assert.equal(r2.failuresAfterLastSuccess, 2);
    const r3 = newBackoffRecord(
      r2,
      "k",
      [pod("s", { phase: "Succeeded", exit: 0, finishedAt: "2026-01-01T00:00:25Z" })],
      [pod("f3", { phase: "Failed", exit: 1, finishedAt: "2026-01-01T00:00:24Z" }), pod("f4", { phase: "Failed", exit: 1, finishedAt: "2026-01-01T00:00:40Z" })],
    );
    assert.deepEqual(r3, { key: "k", failuresAfterLastSuccess: 1, lastFailureTime: Date.parse("2026-01-01T00:00:40Z") });
  });
});

describe("pod failure policy", () => {
  const policy: PodFailurePolicy = {
    rules: [
      { action: "Ignore", onPodConditions: [{ type: "DisruptionTarget", status: "True" }] },
      { action: "FailJob", onExitCodes: { containerName: "main", operator: "In", values: [42] } },
      { action: "Count", onExitCodes: { operator: "NotIn", values: [1, 2] } },
      { action: "FailIndex", onExitCodes: { operator: "In", values: [2] } },
    ],
  };
  const cases: [string, Pod, ReturnType<typeof matchPodFailurePolicy>][] = [
    ["disruption is ignored", pod("p", { phase: "Failed", exit: 42, conditions: [{ type: "DisruptionTarget", status: "True" }] }), { countFailed: false, action: "Ignore" }],
    [
      "exit code 42 fails the Job",
      pod("p", { phase: "Failed", exit: 42 }),
      { countFailed: true, action: "FailJob", failJobMessage: "Container main for pod ns/p failed with exit code 42 matching FailJob rule at index 1" },
    ],
    ["exit code 42 of another container does not match the named rule", pod("p", { phase: "Failed", exit: 42, container: "side" }), { countFailed: true, action: "Count" }],
    ["exit code 3 is counted (NotIn)", pod("p", { phase: "Failed", exit: 3 }), { countFailed: true, action: "Count" }],
    ["exit code 2 fails the index", pod("p", { phase: "Failed", exit: 2 }), { countFailed: true, action: "FailIndex" }],
    ["exit code 1 matches nothing", pod("p", { phase: "Failed", exit: 1 }), { countFailed: true }],
    ["exit code 0 never matches", pod("p", { phase: "Failed", exit: 0 }), { countFailed: true }],
  ];
  for (const [name, p, want] of cases) test(name, () => assert.deepEqual(matchPodFailurePolicy(policy, p), want));
  test("FailJob on a pod condition", () => {
    const m = matchPodFailurePolicy({ rules: [{ action: "FailJob", onPodConditions: [{ type: "ConfigIssue", status: "True" }] }] }, pod("p", { phase: "Failed", conditions: [{ type: "ConfigIssue", status: "True" }] }));
    assert.equal(m.failJobMessage, "Pod ns/p has condition ConfigIssue matching FailJob rule at index 0");
  });
  test("no policy counts every failure", () => assert.deepEqual(matchPodFailurePolicy(undefined, pod("p")), { countFailed: true }));
  test("isPodFailed: deleted pods count unless only failed pods are replaced", () => {
    const job = (spec: Partial<Job["spec"]>) => ({ metadata: {}, spec: { template: {}, ...spec } }) as Job;
    const deleted = pod("d", { deleted: true });
    assert.equal(isPodFailed(deleted, job({ podReplacementPolicy: "TerminatingOrFailed" })), true);
    assert.equal(isPodFailed(deleted, job({ podReplacementPolicy: "Failed" })), false);
    assert.equal(isPodFailed(pod("f", { phase: "Failed" }), job({ podReplacementPolicy: "Failed" })), true);
    assert.equal(isPodFailed(pod("s", { phase: "Succeeded", deleted: true }), job({})), false);
  });
});

describe("success policy", () => {
  const succeeded = parseIndexes("0-2,5", 10);
  test("succeededIndexes fully covered", () => assert.equal(matchSuccessPolicy({ rules: [{ succeededIndexes: "0,1" }] }, 10, succeeded), "Matched rules at index 0"));
  test("succeededIndexes with succeededCount", () => {
    assert.equal(matchSuccessPolicy({ rules: [{ succeededIndexes: "4-9" }, { succeededIndexes: "2-6", succeededCount: 2 }] }, 10, succeeded), "Matched rules at index 1");
    assert.equal(matchSuccessPolicy({ rules: [{ succeededIndexes: "2-6", succeededCount: 3 }] }, 10, succeeded), undefined);
  });
  test("succeededCount alone", () => {
    assert.equal(matchSuccessPolicy({ rules: [{ succeededCount: 4 }] }, 10, succeeded), "Matched rules at index 0");
    assert.equal(matchSuccessPolicy({ rules: [{ succeededCount: 5 }] }, 10, succeeded), undefined);
  });
  test("nothing succeeded yet", () => assert.equal(matchSuccessPolicy({ rules: [{ succeededCount: 0 }] }, 10, new OrderedIntervals()), undefined));
});

describe("Job status shape", () => {
  test("omitempty counters and Go field order", () => {
    const s = normalizeJobStatus({ ready: 0, uncountedTerminatedPods: { succeeded: [], failed: [] }, terminating: 0, succeeded: 1, active: 0, startTime: "t", completedIndexes: "" });
    assert.deepEqual(Object.keys(s), ["startTime", "succeeded", "terminating", "uncountedTerminatedPods", "ready"]);
    assert.deepEqual(s.uncountedTerminatedPods, {});
  });
});

describe("CronJob schedule arithmetic", () => {
  const cj = (o: { created: string; last?: string; deadline?: number; schedule?: string }): CronJob => ({
    metadata: { name: "cj", namespace: "ns", creationTimestamp: o.created },
    spec: { schedule: o.schedule ?? "*/5 * * * *", ...(o.deadline !== undefined ? { startingDeadlineSeconds: o.deadline } : {}), jobTemplate: { spec: { template: {} } } },
    status: o.last ? { lastScheduleTime: o.last } : {},
  });
  const t = (s: string) => Date.parse(s);
  const sched = parseStandard("*/5 * * * *");
  test("nothing due before the first schedule time", () => {
    const r = mostRecentScheduleTime(cj({ created: "2026-01-01T00:01:00Z" }), t("2026-01-01T00:04:59Z"), sched, true);
    assert.equal(r.mostRecentTime, undefined);
    assert.equal(r.missed, "none");
  });
  test("one due", () => {
    const r = mostRecentScheduleTime(cj({ created: "2026-01-01T00:01:00Z" }), t("2026-01-01T00:06:00Z"), sched, true);
    assert.equal(r.mostRecentTime, t("2026-01-01T00:05:00Z"));
  });
  test("several missed: the most recent one", () => {
    const r = mostRecentScheduleTime(cj({ created: "2026-01-01T00:01:00Z", last: "2026-01-01T00:05:00Z" }), t("2026-01-01T00:32:00Z"), sched, true);
    assert.equal(r.mostRecentTime, t("2026-01-01T00:30:00Z"));
    assert.equal(r.missed, "few");
  });
  test("more than 100 missed", () => {
    const r = mostRecentScheduleTime(cj({ created: "2026-01-01T00:00:00Z" }), t("2026-01-02T00:02:00Z"), sched, true);
    assert.equal(r.missed, "many");
    assert.equal(r.mostRecentTime, t("2026-01-02T00:00:00Z"));
  });
  test("startingDeadlineSeconds moves the earliest time", () => {
    const r = mostRecentScheduleTime(cj({ created: "2026-01-01T00:00:00Z", deadline: 60 }), t("2026-01-02T00:02:00Z"), sched, true);
    assert.equal(r.mostRecentTime, undefined);
    assert.equal(r.earliestTime, t("2026-01-02T00:01:00Z"));
  });
  test("requeue 100ms after the next schedule time", () => {
    assert.equal(nextScheduleTimeDuration(cj({ created: "2026-01-01T00:01:00Z" }), t("2026-01-01T00:02:00Z"), sched), 3 * 60_000 + 100);
    assert.equal(nextScheduleTimeDuration(cj({ created: "2026-01-01T00:01:00Z", last: "2026-01-01T00:05:00Z" }), t("2026-01-01T00:05:00.500Z"), sched), 5 * 60_000 - 400);
  });
  test("an impossible schedule is an error", () => {
    const r = mostRecentScheduleTime(cj({ created: "2026-01-01T00:00:00Z" }), t("2026-01-02T00:00:00Z"), parseStandard("59 23 31 2 *"), true);
    assert.equal(r.error, "time difference between two schedules is less than 1 second");
  });
  test("Job names carry the schedule time in minutes since the epoch", () => {
    assert.equal(jobNameFor(cj({ created: "2026-01-01T00:00:00Z" }), t("2026-01-01T00:05:00Z")), `cj-${t("2026-01-01T00:05:00Z") / 60_000}`);
    assert.equal(jobNameFor(cj({ created: "2026-01-01T00:00:00Z" }), t("2026-01-01T00:05:00Z")), "cj-29453765");
  });
});
