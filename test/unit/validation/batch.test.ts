// batch/v1 Jobs and CronJobs (upstream pkg/apis/batch/validation), including the cron parser's errors.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { cronScheduleError } from "../../../src/registry/validation/cron.js";
import { table } from "./helpers.js";

const labels = { "batch.kubernetes.io/controller-uid": "u1", "controller-uid": "u1", "batch.kubernetes.io/job-name": "pi", "job-name": "pi" };
const podSpec = { restartPolicy: "Never", dnsPolicy: "ClusterFirst", terminationGracePeriodSeconds: 30, containers: [{ name: "pi", image: "perl", imagePullPolicy: "Always", terminationMessagePolicy: "File" }] };
const job = {
  apiVersion: "batch/v1",
  kind: "Job",
  metadata: { name: "pi", namespace: "default", uid: "u1" },
  spec: { parallelism: 1, completions: 1, backoffLimit: 6, completionMode: "NonIndexed", selector: { matchLabels: { "batch.kubernetes.io/controller-uid": "u1" } }, template: { metadata: { labels }, spec: podSpec } },
};

describe("Job validation", () =>
  table("batch", "Job", job, [
    {
      name: "restartPolicy Always",
      mutate: (o) => (o.spec.template.spec.restartPolicy = "Always"),
      want: ['spec.template.spec.restartPolicy: Required value: valid values: "OnFailure", "Never"'],
    },
    { name: "negative backoffLimit", mutate: (o) => (o.spec.backoffLimit = -1), want: ["spec.backoffLimit: Invalid value: -1: must be greater than or equal to 0"] },
    { name: "negative parallelism", mutate: (o) => (o.spec.parallelism = -1), want: ["spec.parallelism: Invalid value: -1: must be greater than or equal to 0"] },
    { name: "negative completions", mutate: (o) => (o.spec.completions = -1), want: ["spec.completions: Invalid value: -1: must be greater than or equal to 0"] },
    {
      name: "Indexed without completions",
      mutate: (o) => {
        o.spec.completionMode = "Indexed";
        delete o.spec.completions;
      },
      want: ["spec.completions: Required value: when completion mode is Indexed"],
    },
    {
      name: "backoffLimitPerIndex needs Indexed",
      mutate: (o) => (o.spec.backoffLimitPerIndex = 1),
      want: ["spec.backoffLimitPerIndex: Invalid value: 1: requires indexed completion mode"],
    },
    {
      name: "generated label overwritten",
      mutate: (o) => (o.spec.template.metadata.labels["job-name"] = "other"),
      want: [
        'spec.template.metadata.labels[job-name]: Invalid value: map[string]string{"batch.kubernetes.io/controller-uid":"u1", "batch.kubernetes.io/job-name":"pi", "controller-uid":"u1", "job-name":"other"}: must be \'pi\'',
      ],
    },
    {
      name: "template is immutable",
      update: true,
      mutate: (o) => (o.spec.template.spec.containers[0].image = "perl:5"),
      want: ["spec.template: Invalid value: core.PodTemplateSpec{...}: field is immutable"],
    },
    { name: "completions are immutable", update: true, mutate: (o) => (o.spec.completions = 2), want: ["spec.completions: Invalid value: 2: field is immutable"] },
    { name: "parallelism may change", update: true, mutate: (o) => (o.spec.parallelism = 4), want: [] },
  ]));

const cronjob = {
  apiVersion: "batch/v1",
  kind: "CronJob",
  metadata: { name: "hello", namespace: "default" },
  spec: { schedule: "*/5 * * * *", concurrencyPolicy: "Allow", suspend: false, successfulJobsHistoryLimit: 3, failedJobsHistoryLimit: 1, jobTemplate: { spec: { backoffLimit: 6, template: { spec: podSpec } } } },
};

describe("CronJob validation", () =>
  table("batch", "CronJob", cronjob, [
    { name: "schedule required", mutate: (o) => (o.spec.schedule = ""), want: ["spec.schedule: Required value"] },
    { name: "too few fields", mutate: (o) => (o.spec.schedule = "* * * *"), want: ['spec.schedule: Invalid value: "* * * *": expected exactly 5 fields, found 4: [* * * *]'] },
    { name: "minute out of range", mutate: (o) => (o.spec.schedule = "61 * * * *"), want: ['spec.schedule: Invalid value: "61 * * * *": end of range (61) above maximum (59): 61'] },
    {
      name: "not a number",
      mutate: (o) => (o.spec.schedule = "x * * * *"),
      want: ['spec.schedule: Invalid value: "x * * * *": failed to parse int from x: strconv.Atoi: parsing "x": invalid syntax'],
    },
    {
      name: "TZ in the schedule",
      mutate: (o) => (o.spec.schedule = "TZ=UTC 0 * * * *"),
      want: ['spec.schedule: Invalid value: "TZ=UTC 0 * * * *": cannot use TZ or CRON_TZ in schedule, use timeZone field instead'],
    },
    { name: "unknown time zone", mutate: (o) => (o.spec.timeZone = "Mars/Olympus"), want: ['spec.timeZone: Invalid value: "Mars/Olympus": unknown time zone Mars/Olympus'] },
    { name: "empty time zone", mutate: (o) => (o.spec.timeZone = ""), want: ['spec.timeZone: Invalid value: "": timeZone must be nil or non-empty string'] },
    { name: "valid time zone", mutate: (o) => (o.spec.timeZone = "Europe/Paris"), want: [] },
    {
      name: "concurrencyPolicy enum",
      mutate: (o) => (o.spec.concurrencyPolicy = "Sometimes"),
      want: ['spec.concurrencyPolicy: Unsupported value: "Sometimes": supported values: "Allow", "Forbid", "Replace"'],
    },
    {
      name: "job template restartPolicy",
      mutate: (o) => (o.spec.jobTemplate.spec.template.spec.restartPolicy = "Always"),
      want: ['spec.jobTemplate.spec.template.spec.restartPolicy: Required value: valid values: "OnFailure", "Never"'],
    },
    {
      name: "name longer than 52 characters",
      mutate: (o) => (o.metadata.name = "a".repeat(53)),
      want: [`metadata.name: Invalid value: "${"a".repeat(53)}": must be no more than 52 characters`],
    },
  ]));

describe("cron schedule parser errors", () => {
  const rows: [string, string | undefined][] = [
    ["@hourly", undefined],
    ["@every 1h30m", undefined],
    ["@often", "unrecognized descriptor: @often"],
    ["0 0 * * MON-FRI", undefined],
    ["0 0 1 JAN *", undefined],
    ["0 0 0 * *", "beginning of range (0) below minimum (1): 0"],
    ["0 0 * * 7", "end of range (7) above maximum (6): 7"],
    ["5-1 * * * *", "beginning of range (5) beyond end of range (1): 5-1"],
    ["*/0 * * * *", "step of range should be a positive number: */0"],
    ["1-2-3 * * * *", "too many hyphens: 1-2-3"],
    ["*/1/2 * * * *", "too many slashes: */1/2"],
    ["0 0 * * * *", "expected exactly 5 fields, found 6: [0 0 * * * *]"],
  ];
  for (const [spec, want] of rows) it(JSON.stringify(spec), () => assert.equal(cronScheduleError(spec), want));
});
