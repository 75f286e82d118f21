// Priority admission: priority and preemptionPolicy from the PriorityClass, the global default or
// 0/PreemptLowerPriority; upstream's messages for a missing class and for conflicting values; one
// global default.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { Priority } from "../../../src/admission/plugins/priority.js";
import { admit, attrs, fakeDeps, pod, rejection, type Obj } from "./helpers.js";

const pc = (name: string, value: number, extra: Obj = {}): Obj => ({
  apiVersion: "scheduling.k8s.io/v1",
  kind: "PriorityClass",
  metadata: { name, creationTimestamp: "2026-01-01T00:00:00Z" },
  value,
  preemptionPolicy: "PreemptLowerPriority",
  ...extra,
});
const SYSTEM = [pc("system-node-critical", 2000001000), pc("system-cluster-critical", 2000000000)];

describe("Priority admission", () => {
  const cases: { name: string; classes: Obj[]; spec: Obj; want?: Obj; message?: string }[] = [
    { name: "no class and no default: 0 and PreemptLowerPriority", classes: SYSTEM, spec: {}, want: { priority: 0, preemptionPolicy: "PreemptLowerPriority" } },
    {
      name: "system-node-critical",
      classes: SYSTEM,
      spec: { priorityClassName: "system-node-critical" },
      want: { priority: 2000001000, preemptionPolicy: "PreemptLowerPriority", priorityClassName: "system-node-critical" },
    },
    {
      name: "system-cluster-critical",
      classes: SYSTEM,
      spec: { priorityClassName: "system-cluster-critical" },
      want: { priority: 2000000000, preemptionPolicy: "PreemptLowerPriority", priorityClassName: "system-cluster-critical" },
    },
    {
      name: "a class with preemptionPolicy Never",
      classes: [pc("batch", 100, { preemptionPolicy: "Never" })],
      spec: { priorityClassName: "batch" },
      want: { priority: 100, preemptionPolicy: "Never", priorityClassName: "batch" },
    },
    {
      name: "the global default names itself on the pod",
      classes: [...SYSTEM, pc("normal", 1000, { globalDefault: true })],
      spec: {},
      want: { priority: 1000, preemptionPolicy: "PreemptLowerPriority", priorityClassName: "normal" },
    },
    {
      name: "of two global defaults the lower value wins",
      classes: [pc("high", 1000, { globalDefault: true }), pc("low", 10, { globalDefault: true })],
      spec: {},
      want: { priority: 10, priorityClassName: "low" },
    },
    { name: "a missing class", classes: SYSTEM, spec: { priorityClassName: "nope" }, message: 'pods "p" is forbidden: no PriorityClass with name nope was found' },
    {
      name: "a stated priority that differs",
      classes: SYSTEM,
      spec: { priority: 5 },
      message: 'pods "p" is forbidden: the integer value of priority (5) must not be provided in pod spec; priority admission controller computed 0 from the given PriorityClass name',
    },
    { name: "a stated priority that agrees", classes: SYSTEM, spec: { priority: 0 }, want: { priority: 0 } },
    {
      name: "a stated preemptionPolicy that differs",
      classes: [pc("batch", 100, { preemptionPolicy: "Never" })],
      spec: { priorityClassName: "batch", preemptionPolicy: "PreemptLowerPriority" },
      message:
        'pods "p" is forbidden: the string value of PreemptionPolicy (PreemptLowerPriority) must not be provided in pod spec; priority admission controller computed Never from the given PriorityClass name',
    },
  ];
  for (const c of cases) {
    it(c.name, async () => {
      const plugin = new Priority(fakeDeps(c.classes));
      const a = attrs(pod("p", c.spec));
      if (c.message) {
        assert.deepEqual(await rejection(plugin, a), { code: 403, message: c.message });
        return;
      }
      const out = await admit(plugin, a);
      for (const [k, v] of Object.entries(c.want!)) assert.deepEqual(out.spec[k], v, k);
    });
  }

  it("an update keeps the stored priority and preemptionPolicy", async () => {
    const old = pod("p", { priority: 7, preemptionPolicy: "Never" });
    const out = await admit(new Priority(fakeDeps([])), attrs(pod("p"), { operation: "UPDATE", old }));
    assert.equal(out.spec.priority, 7);
    assert.equal(out.spec.preemptionPolicy, "Never");
  });

  it("only one PriorityClass may be the global default", async () => {
    const plugin = new Priority(fakeDeps([pc("normal", 1000, { globalDefault: true })]));
    assert.deepEqual(await rejection(plugin, attrs(pc("other", 5, { globalDefault: true }))), {
      code: 403,
      message: 'priorityclasses.scheduling.k8s.io "other" is forbidden: PriorityClass normal is already marked as default. Only one default can exist',
    });
    // the default itself may be updated; another may not become default
    assert.equal(await rejection(plugin, attrs(pc("normal", 1000, { globalDefault: true }), { operation: "UPDATE", old: pc("normal", 1000, { globalDefault: true }) })), undefined);
    assert.equal((await rejection(plugin, attrs(pc("other", 5, { globalDefault: true }), { operation: "UPDATE", old: pc("other", 5) })))?.code, 403);
    assert.equal(await rejection(plugin, attrs(pc("plain", 5))), undefined);
  });
});
