import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { KubeObject, OwnerReference } from "../../../src/apimachinery/types.js";
import { printerFor } from "../../../src/registry/printers/index.js";

const now = Date.parse("2025-05-01T12:00:00Z");
const ago = (ms: number) => new Date(now - ms).toISOString().replace(/\.\d{3}Z$/, "Z");
const MIN = 60_000;
const HOUR = 60 * MIN;
const ctx = { now };
const template = { metadata: { labels: { app: "web" } }, spec: { containers: [{ name: "web", image: "nginx:1.27" }, { name: "log", image: "fluent-bit" }] } };
const names = (group: string, kind: string) => printerFor(group, kind).columns.map((c) => (c.priority ? `${c.name}*` : c.name));

describe("apps printers", () => {
  it("Deployment", () => {
    assert.deepEqual(names("apps", "Deployment"), ["Name", "Ready", "Up-to-date", "Available", "Age", "Containers*", "Images*", "Selector*"]);
    const d: KubeObject = {
      metadata: { name: "web", creationTimestamp: ago(3 * HOUR + 5 * MIN) },
      spec: { replicas: 3, selector: { matchLabels: { app: "web", tier: "fe" } }, template },
      status: { replicas: 3, updatedReplicas: 3, readyReplicas: 2, availableReplicas: 2 },
    };
    assert.deepEqual(printerFor("apps", "Deployment").cells(d, ctx), ["web", "2/3", 3, 2, "3h5m", "web,log", "nginx:1.27,fluent-bit", "app=web,tier=fe"]);
    const bare: KubeObject = { metadata: { name: "bare" } };
    assert.deepEqual(printerFor("apps", "Deployment").cells(bare, ctx), ["bare", "0/0", 0, 0, "<unknown>", "", "", ""]);
  });

  it("Deployment selector with expressions, and an invalid one", () => {
    const sel = {
      matchLabels: { app: "web" },
      matchExpressions: [
        { key: "env", operator: "In", values: ["prod", "dev"] },
        { key: "canary", operator: "DoesNotExist" },
        { key: "tier", operator: "Exists" },
        { key: "zone", operator: "NotIn", values: ["b"] },
      ],
    };
    const d = (selector: unknown): KubeObject => ({ metadata: { name: "d" }, spec: { selector } });
    assert.equal(printerFor("apps", "Deployment").cells(d(sel), ctx)[7], "app=web,!canary,env in (dev,prod),tier,zone notin (b)");
    assert.equal(printerFor("apps", "Deployment").cells(d({ matchExpressions: [{ key: "a", operator: "Bogus" }] }), ctx)[7], "<invalid>");
    assert.equal(printerFor("apps", "ReplicaSet").cells(d({ matchExpressions: [{ key: "a", operator: "In", values: [] }] }), ctx)[7], "<error>");
  });

  it("ReplicaSet", () => {
    const rs: KubeObject = {
      metadata: { name: "web-7d4b9c", creationTimestamp: ago(10 * MIN) },
      spec: { replicas: 3, selector: { matchLabels: { app: "web", "pod-template-hash": "7d4b9c" } }, template },
      status: { replicas: 3, readyReplicas: 1 },
    };
    assert.deepEqual(names("apps", "ReplicaSet"), ["Name", "Desired", "Current", "Ready", "Age", "Containers*", "Images*", "Selector*"]);
    assert.deepEqual(printerFor("apps", "ReplicaSet").cells(rs, ctx), ["web-7d4b9c", 3, 3, 1, "10m", "web,log", "nginx:1.27,fluent-bit", "app=web,pod-template-hash=7d4b9c"]);
    assert.equal(printerFor("apps", "ReplicaSet").cells({ metadata: { name: "x" } }, ctx)[7], "<none>");
  });

  it("StatefulSet", () => {
    const ss: KubeObject = { metadata: { name: "db", creationTimestamp: ago(2 * 24 * HOUR) }, spec: { replicas: 3, template }, status: { readyReplicas: 3 } };
    assert.deepEqual(names("apps", "StatefulSet"), ["Name", "Ready", "Age", "Containers*", "Images*"]);
    assert.deepEqual(printerFor("apps", "StatefulSet").cells(ss, ctx), ["db", "3/3", "2d", "web,log", "nginx:1.27,fluent-bit"]);
  });

  it("DaemonSet", () => {
    const ds: KubeObject = {
      metadata: { name: "agent", creationTimestamp: ago(45_000) },
      spec: { selector: { matchLabels: { app: "agent" } }, template: { spec: { nodeSelector: { "kubernetes.io/os": "linux" }, containers: [{ name: "agent", image: "agent:1" }] } } },
      status: { desiredNumberScheduled: 3, currentNumberScheduled: 3, numberReady: 2, updatedNumberScheduled: 3, numberAvailable: 2 },
    };
    assert.deepEqual(names("apps", "DaemonSet"), ["Name", "Desired", "Current", "Ready", "Up-to-date", "Available", "Node Selector", "Age", "Containers*", "Images*", "Selector*"]);
    assert.deepEqual(printerFor("apps", "DaemonSet").cells(ds, ctx), ["agent", 3, 3, 2, 3, 2, "kubernetes.io/os=linux", "45s", "agent", "agent:1", "app=agent"]);
    assert.equal(printerFor("apps", "DaemonSet").cells({ metadata: { name: "x" } }, ctx)[6], "<none>");
  });

  it("ControllerRevision", () => {
    const cr = (owners: OwnerReference[]): KubeObject => ({ metadata: { name: "web-5f6c", creationTimestamp: ago(MIN), ownerReferences: owners }, revision: 2 });
    assert.deepEqual(names("apps", "ControllerRevision"), ["Name", "Controller", "Revision", "Age"]);
    assert.deepEqual(printerFor("apps", "ControllerRevision").cells(cr([{ apiVersion: "apps/v1", kind: "StatefulSet", name: "web", uid: "u", controller: true }]), ctx), ["web-5f6c", "statefulset.apps/web", 2, "60s"]);
    assert.deepEqual(printerFor("apps", "ControllerRevision").cells(cr([{ apiVersion: "v1", kind: "Pod", name: "p", uid: "u" }]), ctx), ["web-5f6c", "<none>", 2, "60s"]);
  });
});

describe("batch printers", () => {
  const job = (spec: Record<string, unknown>, status: Record<string, unknown>, meta: Record<string, unknown> = {}): KubeObject => ({
    metadata: { name: "pi", creationTimestamp: ago(10 * MIN), ...meta },
    spec: { selector: { matchLabels: { "batch.kubernetes.io/controller-uid": "abc" } }, template, ...spec },
    status,
  });

  it("Job columns", () => {
    assert.deepEqual(names("batch", "Job"), ["Name", "Status", "Completions", "Duration", "Age", "Containers*", "Images*", "Selector*"]);
  });

  const cases: { name: string; job: KubeObject; want: unknown[] }[] = [
    {
      name: "running",
      job: job({ completions: 3, parallelism: 1 }, { startTime: ago(5 * MIN), active: 1, succeeded: 1 }),
      want: ["pi", "Running", "1/3", "5m", "10m"],
    },
    {
      name: "complete",
      job: job({ completions: 1 }, {
        startTime: ago(10 * MIN), completionTime: ago(10 * MIN - 47_000), succeeded: 1,
        conditions: [{ type: "SuccessCriteriaMet", status: "True" }, { type: "Complete", status: "True" }],
      }),
      want: ["pi", "Complete", "1/1", "47s", "10m"],
    },
    {
      name: "failed",
      job: job({ completions: 1 }, { startTime: ago(9 * MIN), failed: 6, conditions: [{ type: "FailureTarget", status: "True" }, { type: "Failed", status: "True" }] }),
      want: ["pi", "Failed", "0/1", "9m", "10m"],
    },
    {
      name: "failure target reached",
      job: job({ completions: 1 }, { startTime: ago(9 * MIN), conditions: [{ type: "FailureTarget", status: "True" }] }),
      want: ["pi", "FailureTarget", "0/1", "9m", "10m"],
    },
    {
      name: "suspended, never started",
      job: job({ completions: 2, suspend: true }, { conditions: [{ type: "Suspended", status: "True" }] }),
      want: ["pi", "Suspended", "0/2", "", "10m"],
    },
    {
      name: "terminating",
      job: job({ completions: 1 }, { startTime: ago(MIN) }, { deletionTimestamp: ago(1000) }),
      want: ["pi", "Terminating", "0/1", "60s", "10m"],
    },
    {
      name: "work queue with parallelism",
      job: job({ parallelism: 5 }, { startTime: ago(2 * MIN), succeeded: 2 }),
      want: ["pi", "Running", "2/1 of 5", "2m", "10m"],
    },
    {
      name: "work queue without parallelism",
      job: job({}, {}),
      want: ["pi", "Running", "0/1", "", "10m"],
    },
    {
      name: "a condition that is False does not count",
      job: job({ completions: 1 }, { startTime: ago(MIN), conditions: [{ type: "Suspended", status: "False" }] }),
      want: ["pi", "Running", "0/1", "60s", "10m"],
    },
  ];
  for (const c of cases) {
    it(`Job ${c.name}`, () => {
      const cells = printerFor("batch", "Job").cells(c.job, ctx);
      assert.deepEqual(cells.slice(0, 5), c.want);
      assert.deepEqual(cells.slice(5), ["web,log", "nginx:1.27,fluent-bit", "batch.kubernetes.io/controller-uid=abc"]);
    });
  }

  it("CronJob", () => {
    assert.deepEqual(names("batch", "CronJob"), ["Name", "Schedule", "Timezone", "Suspend", "Active", "Last Schedule", "Age", "Containers*", "Images*", "Selector*"]);
    const cj: KubeObject = {
      metadata: { name: "backup", creationTimestamp: ago(3 * 24 * HOUR + 4 * HOUR) },
      spec: { schedule: "*/5 * * * *", timeZone: "Etc/UTC", suspend: false, jobTemplate: { spec: { template } } },
      status: { active: [{ kind: "Job", name: "backup-1" }], lastScheduleTime: ago(3 * MIN) },
    };
    assert.deepEqual(printerFor("batch", "CronJob").cells(cj, ctx), ["backup", "*/5 * * * *", "Etc/UTC", "False", 1, "3m", "3d4h", "web,log", "nginx:1.27,fluent-bit", "<none>"]);
    const bare: KubeObject = { metadata: { name: "b" }, spec: { schedule: "@hourly", suspend: true } };
    assert.deepEqual(printerFor("batch", "CronJob").cells(bare, ctx), ["b", "@hourly", "<none>", "True", 0, "<none>", "<unknown>", "", "", "<none>"]);
    assert.equal(printerFor("batch", "CronJob").cells({ metadata: { name: "c" } }, ctx)[3], "<unset>");
  });
});
