// Workload strategies: selector immutability with upstream's message, the StatefulSet spec rule,
// Deployment generation on annotation changes, Job selector generation and batch warnings.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { errors } from "../../../src/apimachinery/errors.js";
import { fieldErrorString } from "../../../src/apimachinery/field-errors.js";
import type { KubeObject } from "../../../src/apimachinery/types.js";
import { daemonsets } from "../../../src/registry/builtin/apps/daemonsets.js";
import { deployments } from "../../../src/registry/builtin/apps/deployments.js";
import { replicasets } from "../../../src/registry/builtin/apps/replicasets.js";
import { statefulsets } from "../../../src/registry/builtin/apps/statefulsets.js";
import { cronjobs } from "../../../src/registry/builtin/batch/cronjobs.js";
import { jobs } from "../../../src/registry/builtin/batch/jobs.js";
import { replicationcontrollers } from "../../../src/registry/builtin/core/replicationcontrollers.js";
import { goLabelSelector, immutableLabelSelector } from "../../../src/registry/builtin/strategy-helpers.js";
import type { ResourceDefinition } from "../../../src/registry/definition.js";
import { testContext } from "./context.js";

const obj = (kind: string, spec: Record<string, unknown>, meta: Partial<KubeObject["metadata"]> = {}): KubeObject => ({
  apiVersion: "apps/v1",
  kind,
  metadata: { name: "web", namespace: "default", generation: 3, ...meta },
  spec,
});

describe("Go rendering of a LabelSelector", () => {
  const cases: [unknown, string][] = [
    [{ matchLabels: { app: "nginx2" } }, 'v1.LabelSelector{MatchLabels:map[string]string{"app":"nginx2"}, MatchExpressions:[]v1.LabelSelectorRequirement(nil)}'],
    [{ matchLabels: { b: "2", a: "1" } }, 'v1.LabelSelector{MatchLabels:map[string]string{"a":"1", "b":"2"}, MatchExpressions:[]v1.LabelSelectorRequirement(nil)}'],
    [
      { matchExpressions: [{ key: "tier", operator: "In", values: ["a", "b"] }, { key: "x", operator: "Exists" }] },
      'v1.LabelSelector{MatchLabels:map[string]string(nil), MatchExpressions:[]v1.LabelSelectorRequirement{v1.LabelSelectorRequirement{Key:"tier", Operator:"In", Values:[]string{"a", "b"}}, v1.LabelSelectorRequirement{Key:"x", Operator:"Exists", Values:[]string(nil)}}}',
    ],
    [{}, "v1.LabelSelector{MatchLabels:map[string]string(nil), MatchExpressions:[]v1.LabelSelectorRequirement(nil)}"],
  ];
  for (const [sel, text] of cases) it(text, () => assert.equal(goLabelSelector(sel), text));
});

describe("selector immutability (apps/v1 workloads, jobs)", () => {
  const table: [string, ResourceDefinition][] = [
    ["Deployment", deployments],
    ["ReplicaSet", replicasets],
    ["DaemonSet", daemonsets],
    ["Job", jobs],
  ];
  for (const [kind, def] of table) {
    describe(kind, () => {
      const validateUpdate = def.strategy!.validateUpdate!;
      const old = obj(kind, { selector: { matchLabels: { app: "nginx" } }, replicas: 1 });
      it("allows updates that keep the selector (nil and empty parts are equal)", () => {
        const next = obj(kind, { selector: { matchLabels: { app: "nginx" }, matchExpressions: [] }, replicas: 5 });
        assert.deepEqual(validateUpdate(testContext(), next, old), []);
      });
      it("rejects a changed selector with upstream's message", () => {
        const next = obj(kind, { selector: { matchLabels: { app: "nginx2" } } });
        const errs = validateUpdate(testContext(), next, old);
        assert.deepEqual(errs.map(fieldErrorString), [
          'spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string{"app":"nginx2"}, MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: field is immutable',
        ]);
        const status = errors.invalid({ group: def.group, kind }, "web", errs).toStatus();
        assert.equal(
          status.message,
          `${def.group ? `${kind}.${def.group}` : kind} "web" is invalid: spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string{"app":"nginx2"}, MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: field is immutable`,
        );
        assert.deepEqual(status.details?.causes, [
          {
            reason: "FieldValueInvalid",
            message: 'Invalid value: v1.LabelSelector{MatchLabels:map[string]string{"app":"nginx2"}, MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: field is immutable',
            field: "spec.selector",
          },
        ]);
      });
      it("rejects removing the selector", () => {
        const errs = validateUpdate(testContext(), obj(kind, {}), old);
        assert.deepEqual(errs.map(fieldErrorString), ['spec.selector: Invalid value: "null": field is immutable']);
      });
    });
  }

  it("leaves ReplicationController selectors mutable", () => {
    assert.equal(replicationcontrollers.strategy!.validateUpdate, undefined);
  });

  it("reports an unchanged nil selector as no error", () => {
    assert.deepEqual(immutableLabelSelector("spec.selector", undefined, undefined), []);
  });
});

describe("StatefulSet updates", () => {
  const v = statefulsets.strategy!.validateUpdate!;
  const base = {
    selector: { matchLabels: { app: "db" } },
    serviceName: "db",
    replicas: 1,
    template: { metadata: { labels: { app: "db" } } },
    volumeClaimTemplates: [{ metadata: { name: "data" }, spec: { resources: { requests: { storage: "1Gi" } } } }],
  };
  const old = obj("StatefulSet", base);
  it("allows replicas, ordinals, template, updateStrategy, revisionHistoryLimit, PVC retention policy and minReadySeconds", () => {
    const next = obj("StatefulSet", {
      ...base,
      replicas: 3,
      ordinals: { start: 1 },
      template: { metadata: { labels: { app: "db", v: "2" } } },
      updateStrategy: { type: "OnDelete" },
      revisionHistoryLimit: 2,
      persistentVolumeClaimRetentionPolicy: { whenDeleted: "Delete" },
      minReadySeconds: 10,
      podManagementPolicy: "OrderedReady",
    });
    assert.deepEqual(v(testContext(), next, old), []);
  });
  for (const [name, change] of Object.entries({
    volumeClaimTemplates: { volumeClaimTemplates: [{ metadata: { name: "data" }, spec: { resources: { requests: { storage: "2Gi" } } } }] },
    selector: { selector: { matchLabels: { app: "db2" } } },
    serviceName: { serviceName: "other" },
    podManagementPolicy: { podManagementPolicy: "Parallel" },
  })) {
    it(`forbids changing ${name}`, () => {
      assert.deepEqual(v(testContext(), obj("StatefulSet", { ...base, ...change }), old).map(fieldErrorString), [
        "spec: Forbidden: updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', 'revisionHistoryLimit', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden",
      ]);
    });
  }
});

describe("Job", () => {
  const job = (spec: Record<string, unknown>): KubeObject => ({
    apiVersion: "batch/v1",
    kind: "Job",
    metadata: { name: "pi", namespace: "default", uid: "1234-uid" },
    spec,
  });

  it("create: generates the selector and template labels from the uid", () => {
    const j = job({ template: { metadata: { labels: { app: "pi" } }, spec: { restartPolicy: "Never", containers: [] } } });
    jobs.strategy!.prepareForCreate!(testContext(), j);
    assert.deepEqual((j.spec as Record<string, unknown>).selector, { matchLabels: { "batch.kubernetes.io/controller-uid": "1234-uid" } });
    assert.deepEqual(((j.spec as { template: { metadata: unknown } }).template.metadata as { labels: unknown }).labels, {
      app: "pi",
      "job-name": "pi",
      "batch.kubernetes.io/job-name": "pi",
      "controller-uid": "1234-uid",
      "batch.kubernetes.io/controller-uid": "1234-uid",
    });
  });

  it("create: keeps labels the user set and a manual selector", () => {
    const j = job({ template: { metadata: { labels: { "job-name": "mine" } } } });
    jobs.strategy!.prepareForCreate!(testContext(), j);
    assert.equal(((j.spec as { template: { metadata: { labels: Record<string, string> } } }).template.metadata.labels)["job-name"], "mine");
    const manual = job({ manualSelector: true, selector: { matchLabels: { x: "y" } }, template: {} });
    jobs.strategy!.prepareForCreate!(testContext(), manual);
    assert.deepEqual(manual.spec, { manualSelector: true, selector: { matchLabels: { x: "y" } }, template: {} });
  });

  it("selects on status.successful", () => {
    assert.equal(jobs.fieldSelectors!["status.successful"]!({ ...job({}), status: { succeeded: 2 } }), "2");
    assert.equal(jobs.fieldSelectors!["status.successful"]!(job({})), "0");
  });

  it("warns on names that are not DNS labels, as CronJobs do", () => {
    const j = job({});
    j.metadata.name = "pi.v2";
    const want = "metadata.name: this is used in Pod names and hostnames, which can result in surprising behavior; a DNS label is recommended: [must not contain dots]";
    assert.deepEqual(jobs.strategy!.warningsOnCreate!(testContext(), j), [want]);
    assert.deepEqual(cronjobs.strategy!.warningsOnCreate!(testContext(), { ...j, kind: "CronJob" }), [want]);
  });

  it("CronJob update warns about TZ in the schedule", () => {
    const cj: KubeObject = { kind: "CronJob", metadata: { name: "c" }, spec: { schedule: "CRON_TZ=UTC 0 * * * *" } };
    assert.equal(cronjobs.strategy!.warningsOnUpdate!(testContext(), cj, cj).length, 1);
    assert.deepEqual(cronjobs.strategy!.warningsOnUpdate!(testContext(), { ...cj, spec: { schedule: "0 * * * *" } }, cj), []);
  });
});
