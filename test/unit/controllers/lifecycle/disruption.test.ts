// The disruption controller (PDB status: expected, desired and current healthy pods, disruptions
// allowed, the DisruptionAllowed condition, disruptedPods) and the pods/eviction subresource that
// spends the budget, on an in-process cluster.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { ApiError } from "../../../../src/apimachinery/errors.js";
import type { KubeObject } from "../../../../src/apimachinery/types.js";
import { R } from "../../../../src/client/interface.js";
import { formatTime } from "../../../../src/util/clock.js";
import { startCluster, type TestCluster } from "../../../helpers/cluster.js";
import { createDeployment, createNamespace, createPod, createReplicaSet, get, ownerRef } from "./helpers.js";

type PdbStatus = {
  observedGeneration?: number;
  disruptedPods?: Record<string, string>;
  disruptionsAllowed: number;
  currentHealthy: number;
  desiredHealthy: number;
  expectedPods: number;
  conditions?: { type: string; status: string; reason: string; message: string; observedGeneration?: number; lastTransitionTime: string }[];
};
const statusOf = (pdb: KubeObject) => pdb.status as PdbStatus;

describe("disruption controller and pods/eviction", () => {
  let c: TestCluster;
  let n = 0;
  const ns = () => `pdb-${n}`;

  before(async () => {
    c = await startCluster({ groups: [] });
  });
  after(() => c.stop());

  async function readyPod(name: string, opts: { owners?: KubeObject[]; labels: Record<string, string>; ready?: boolean; phase?: string; nodeName?: string }): Promise<KubeObject> {
    const pod = await createPod(c.client, ns(), name, { labels: opts.labels, ...(opts.owners ? { owners: opts.owners.map((o) => ownerRef(o)) } : {}), nodeName: opts.nodeName ?? "node-1" });
    const ready = opts.ready ?? true;
    return c.client.update(
      R.pods,
      ns(),
      {
        ...pod,
        status: {
          ...(pod.status as object),
          phase: opts.phase ?? "Running",
          conditions: [{ type: "Ready", status: ready ? "True" : "False", lastProbeTime: null, lastTransitionTime: formatTime(c.clock.now()) }],
        },
      },
      { subresource: "status" },
    );
  }

  async function pdb(name: string, spec: Record<string, unknown>): Promise<KubeObject> {
    return c.client.create(R.poddisruptionbudgets, ns(), { apiVersion: "policy/v1", kind: "PodDisruptionBudget", metadata: { name }, spec });
  }

  async function settledPdb(name: string, check: (s: PdbStatus) => boolean = () => true): Promise<KubeObject> {
    return c.until(
      async () => {
        const p = await c.client.get(R.poddisruptionbudgets, ns(), name);
        const s = statusOf(p);
        return s?.observedGeneration === p.metadata.generation && check(s) ? p : undefined;
      },
      { what: `pdb ${name} status` },
    );
  }

  async function evict(name: string, body: Partial<KubeObject> = {}): Promise<unknown> {
    return c.client.createSubresource(R.pods, ns(), name, "eviction", { apiVersion: "policy/v1", kind: "Eviction", metadata: { name, namespace: ns() }, ...body });
  }

  async function evictError(name: string, body: Partial<KubeObject> = {}): Promise<ApiError> {
    try {
      await evict(name, body);
    } catch (err) {
      assert.ok(err instanceof ApiError, String(err));
      return err;
    }
    assert.fail("eviction succeeded");
  }

  async function freshNamespace(): Promise<void> {
    n++;
    await createNamespace(c, ns());
  }

  async function replicaSet(name: string, replicas: number, labels: Record<string, string>, owner?: KubeObject): Promise<KubeObject> {
    return createReplicaSet(c.client, ns(), name, owner ? [ownerRef(owner)] : [], labels, replicas);
  }

  it("minAvailable as a number: expected = matching pods, one disruption allowed", async () => {
    await freshNamespace();
    const labels = { app: "web" };
    const rs = await replicaSet("web", 3, labels);
    for (let i = 0; i < 3; i++) await readyPod(`web-${i}`, { owners: [rs], labels });
    await pdb("web", { minAvailable: 2, selector: { matchLabels: labels } });
    const p = await settledPdb("web", (s) => s.currentHealthy === 3);
    const s = statusOf(p);
    assert.deepEqual(
      { currentHealthy: s.currentHealthy, desiredHealthy: s.desiredHealthy, expectedPods: s.expectedPods, disruptionsAllowed: s.disruptionsAllowed, observedGeneration: s.observedGeneration },
      { currentHealthy: 3, desiredHealthy: 2, expectedPods: 3, disruptionsAllowed: 1, observedGeneration: 1 },
    );
    assert.equal(s.disruptedPods, undefined);
    assert.deepEqual(
      s.conditions!.map(({ lastTransitionTime, ...rest }) => rest),
      [{ type: "DisruptionAllowed", status: "True", observedGeneration: 1, reason: "SufficientPods", message: "" }],
    );
    assert.equal(p.metadata.managedFields?.find((m) => m.subresource === "status")?.manager, "kube-controller-manager");
  });

  it("percentages and maxUnavailable use the controllers' scale (ReplicaSet, Deployment), rounding up", async () => {
    await freshNamespace();
    const labels = { app: "api" };
    const rs = await replicaSet("api", 4, labels);
    for (let i = 0; i < 3; i++) await readyPod(`api-${i}`, { owners: [rs], labels });
    await pdb("half", { minAvailable: "50%", selector: { matchLabels: labels } });
    let s = statusOf(await settledPdb("half", (s) => s.expectedPods === 4 && s.currentHealthy === 3));
    assert.deepEqual([s.expectedPods, s.desiredHealthy, s.currentHealthy, s.disruptionsAllowed], [4, 2, 3, 1]);

    const dlabels = { app: "front" };
    const d = await createDeployment(c.client, ns(), "front", dlabels);
    await c.client.patch(R.deployments, ns(), "front", "merge", { spec: { replicas: 3 } });
    const drs = await replicaSet("front-abc", 3, dlabels, d);
    for (let i = 0; i < 3; i++) await readyPod(`front-${i}`, { owners: [drs], labels: dlabels });
    await pdb("front", { maxUnavailable: "34%", selector: { matchLabels: dlabels } });
    s = statusOf(await settledPdb("front", (s) => s.currentHealthy === 3));
    // 34% of 3 rounds up to 2 unavailable: 1 desired
    assert.deepEqual([s.expectedPods, s.desiredHealthy, s.currentHealthy, s.disruptionsAllowed], [3, 1, 3, 2]);
    // the Deployment's scale, not the ReplicaSet's, counts
    await c.client.patch(R.deployments, ns(), "front", "merge", { spec: { replicas: 6 } });
    await c.client.patch(R.poddisruptionbudgets, ns(), "front", "merge", { spec: { maxUnavailable: 1 } });
    s = statusOf(await settledPdb("front", (s) => s.expectedPods === 6));
    assert.deepEqual([s.expectedPods, s.desiredHealthy, s.currentHealthy, s.disruptionsAllowed], [6, 5, 3, 0]);
    assert.deepEqual(
      s.conditions!.map((x) => [x.type, x.status, x.reason, x.observedGeneration]),
      [["DisruptionAllowed", "False", "InsufficientPods", 2]],
    );
  });

  it("no matching pods: nothing allowed, and a NoPods event", async () => {
    await freshNamespace();
    await pdb("empty", { minAvailable: 1, selector: { matchLabels: { app: "none" } } });
    const s = statusOf(await settledPdb("empty"));
    assert.deepEqual([s.expectedPods, s.desiredHealthy, s.currentHealthy, s.disruptionsAllowed], [0, 1, 0, 0]);
    assert.equal(s.conditions![0]!.reason, "InsufficientPods");
    const ev = await c.until(async () => (await c.client.list(R.events, ns())).items.find((e) => e.reason === "NoPods"), { what: "NoPods event" });
    assert.equal(ev.message, "No matching pods found");
    assert.equal(ev.type, "Normal");
    assert.deepEqual(ev.source, { component: "controllermanager" });
  });

  it("unmanaged pods with a percentage: a warning event; a controller without scale: SyncFailed", async () => {
    await freshNamespace();
    await readyPod("loose", { labels: { app: "loose" } });
    await pdb("loose", { maxUnavailable: "50%", selector: { matchLabels: { app: "loose" } } });
    const ev = await c.until(async () => (await c.client.list(R.events, ns())).items.find((e) => e.reason === "UnmanagedPods"), { what: "UnmanagedPods event" });
    assert.equal(
      ev.message,
      'Pods selected by this PodDisruptionBudget (selector: &LabelSelector{MatchLabels:map[string]string{app: loose,},MatchExpressions:[]LabelSelectorRequirement{},}) were found to be unmanaged. As a result, the status of the PDB cannot be calculated correctly, which may result in undefined behavior. To account for these pods please set ".spec.minAvailable" field of the PDB to an integer value.',
    );
    const job = await c.client.create(R.jobs, ns(), {
      apiVersion: "batch/v1",
      kind: "Job",
      metadata: { name: "batch" },
      spec: { template: { metadata: { labels: { app: "batch" } }, spec: { restartPolicy: "Never", containers: [{ name: "c", image: "busybox" }] } } },
    });
    await readyPod("batch-1", { owners: [job], labels: { app: "batch" } });
    await pdb("batch", { maxUnavailable: 1, selector: { matchLabels: { app: "batch" } } });
    const p = await c.until(
      async () => {
        const p = await c.client.get(R.poddisruptionbudgets, ns(), "batch");
        return statusOf(p)?.conditions?.[0]?.reason === "SyncFailed" ? p : undefined;
      },
      { what: "SyncFailed" },
    );
    const cond = statusOf(p).conditions![0]!;
    assert.equal(cond.status, "False");
    assert.equal(cond.message, "jobs.batch does not implement the scale subresource");
    assert.equal(statusOf(p).disruptionsAllowed, 0);
    const failed = await c.until(async () => (await c.client.list(R.events, ns())).items.find((e) => e.reason === "CalculateExpectedPodCountFailed"), { what: "event" });
    assert.equal(failed.message, "Failed to calculate the number of expected pods: jobs.batch does not implement the scale subresource");
  });

  it("eviction without a budget deletes the pod and answers a Success Status with code 201", async () => {
    await freshNamespace();
    await readyPod("free", { labels: { app: "free" } });
    const res = await evict("free");
    assert.deepEqual(res, { kind: "Status", apiVersion: "v1", metadata: {}, status: "Success", code: 201 });
    // scheduled: graceful deletion, with the DisruptionTarget condition
    const pod = await c.client.get(R.pods, ns(), "free");
    assert.ok(pod.metadata.deletionTimestamp);
    const cond = (pod.status as { conditions: Record<string, unknown>[] }).conditions.find((x) => x.type === "DisruptionTarget");
    assert.deepEqual(
      { ...cond, lastTransitionTime: "t" },
      { type: "DisruptionTarget", status: "True", lastProbeTime: null, lastTransitionTime: "t", reason: "EvictionByEvictionAPI", message: "Eviction API: evicting" },
    );
  });

  it("eviction of a missing pod is a 404; a name that differs from the URL a 400", async () => {
    const err = await evictError("nope");
    assert.equal(err.code, 404);
    assert.equal(err.message, 'pods "nope" not found');
    await readyPod("named", { labels: {} });
    const bad = await c.client.createSubresource(R.pods, ns(), "named", "eviction", { apiVersion: "policy/v1", kind: "Eviction", metadata: { name: "other" } }).catch((e) => e as ApiError);
    assert.ok(bad instanceof ApiError);
    assert.equal(bad.code, 400);
    assert.equal(bad.message, "name in URL does not match name in Eviction object");
  });

  it("the budget is spent, then evictions are refused with 429 until the controller has seen the pod go", async () => {
    await freshNamespace();
    const labels = { app: "db" };
    const rs = await replicaSet("db", 3, labels);
    for (let i = 0; i < 3; i++) await readyPod(`db-${i}`, { owners: [rs], labels });
    await pdb("db", { minAvailable: 2, selector: { matchLabels: labels } });
    await settledPdb("db", (s) => s.disruptionsAllowed === 1);

    // dry run: nothing changes
    await evict("db-0", { deleteOptions: { dryRun: ["All"] } });
    assert.equal(statusOf(await c.client.get(R.poddisruptionbudgets, ns(), "db")).disruptionsAllowed, 1);
    assert.equal((await c.client.get(R.pods, ns(), "db-0")).metadata.deletionTimestamp, undefined);

    await evict("db-0");
    const spent = statusOf(await c.client.get(R.poddisruptionbudgets, ns(), "db"));
    assert.equal(spent.disruptionsAllowed, 0);
    assert.deepEqual(Object.keys(spent.disruptedPods ?? {}), ["db-0"]);
    assert.equal(spent.conditions![0]!.reason, "InsufficientPods");
    assert.equal(spent.conditions![0]!.status, "False");

    const err = await evictError("db-1");
    assert.equal(err.code, 429);
    assert.equal(err.reason, "TooManyRequests");
    assert.equal(err.message, "Cannot evict pod as it would violate the pod's disruption budget.");
    assert.deepEqual(err.toStatus().details, { causes: [{ reason: "DisruptionBudget", message: "The disruption budget db needs 2 healthy pods and has 2 currently" }] });
    assert.equal(err.retryAfterSeconds, undefined);
    assert.equal((await c.client.get(R.pods, ns(), "db-1")).metadata.deletionTimestamp, undefined);

    // the controller sees db-0 deleting: the entry leaves disruptedPods, the budget stays spent
    const s = statusOf(await settledPdb("db", (s) => s.disruptedPods === undefined));
    assert.deepEqual([s.currentHealthy, s.desiredHealthy, s.disruptionsAllowed], [2, 2, 0]);
  });

  it("an evicted pod that is not deleted within 2 minutes counts again", async () => {
    await freshNamespace();
    const labels = { app: "stay" };
    const rs = await replicaSet("stay", 2, labels);
    for (let i = 0; i < 2; i++) await readyPod(`stay-${i}`, { owners: [rs], labels });
    await pdb("stay", { minAvailable: 1, selector: { matchLabels: labels } });
    const p = await settledPdb("stay", (s) => s.currentHealthy === 2);
    // as an eviction would, without deleting the pod
    await c.client.update(R.poddisruptionbudgets, ns(), { ...p, status: { ...statusOf(p), disruptionsAllowed: 0, disruptedPods: { "stay-0": formatTime(c.clock.now()) } } }, { subresource: "status" });
    let s = statusOf(await settledPdb("stay", (s) => s.disruptedPods !== undefined && s.currentHealthy === 1));
    assert.equal(s.disruptionsAllowed, 0);
    s = statusOf(await c.until(async () => {
      const p = await c.client.get(R.poddisruptionbudgets, ns(), "stay");
      return statusOf(p).disruptedPods === undefined ? p : undefined;
    }, { what: "entry expired", stepMs: 10_000 }));
    assert.deepEqual([s.currentHealthy, s.disruptionsAllowed], [2, 1]);
    const ev = await c.until(async () => (await c.client.list(R.events, ns())).items.find((e) => e.reason === "NotDeleted"), { what: "NotDeleted event" });
    assert.equal(ev.message, `Pod was expected by PDB ${ns()}/${ns()} to be deleted but it wasn't`);
  });

  it("pending, terminal and unready pods (AlwaysAllow, or a healthy budget) are evicted without spending it", async () => {
    await freshNamespace();
    const labels = { app: "mix" };
    const rs = await replicaSet("mix", 4, labels);
    for (let i = 0; i < 2; i++) await readyPod(`mix-${i}`, { owners: [rs], labels });
    await readyPod("mix-pending", { owners: [rs], labels, phase: "Pending", ready: false });
    await readyPod("mix-done", { owners: [rs], labels, phase: "Succeeded", ready: false });
    await readyPod("mix-unready", { owners: [rs], labels, ready: false });
    await pdb("mix", { minAvailable: 2, selector: { matchLabels: labels } });
    await settledPdb("mix", (s) => s.currentHealthy === 2 && s.expectedPods === 5);
    await evict("mix-pending");
    await evict("mix-done");
    assert.equal(await get(c.client, R.pods, ns(), "mix-done"), undefined, "terminal pods go at once");
    // IfHealthyBudget (the default): 2 healthy of 2 desired, so the unready pod may go
    await evict("mix-unready");
    assert.ok((await c.client.get(R.pods, ns(), "mix-unready")).metadata.deletionTimestamp);
    assert.equal(statusOf(await c.client.get(R.poddisruptionbudgets, ns(), "mix")).disruptionsAllowed, 0);

    // an unhealthy application: the unready pod is protected unless AlwaysAllow
    await readyPod("mix-sick", { owners: [rs], labels, ready: false });
    await c.client.patch(R.poddisruptionbudgets, ns(), "mix", "merge", { spec: { minAvailable: 3 } });
    await settledPdb("mix", (s) => s.desiredHealthy === 3);
    const refused = await evictError("mix-sick");
    assert.equal(refused.code, 429);
    assert.equal(refused.toStatus().details?.causes?.[0]?.message, "The disruption budget mix needs 3 healthy pods and has 2 currently");
    await c.client.patch(R.poddisruptionbudgets, ns(), "mix", "merge", { spec: { unhealthyPodEvictionPolicy: "AlwaysAllow" } });
    await settledPdb("mix");
    await evict("mix-sick");
    assert.ok((await c.client.get(R.pods, ns(), "mix-sick")).metadata.deletionTimestamp);
  });

  it("two budgets for one pod: a Failure Status with code 500", async () => {
    await freshNamespace();
    await readyPod("twice", { labels: { app: "twice", tier: "x" } });
    await pdb("a", { minAvailable: 0, selector: { matchLabels: { app: "twice" } } });
    await pdb("b", { minAvailable: 0, selector: { matchLabels: { tier: "x" } } });
    const res = await evict("twice");
    assert.deepEqual(res, {
      kind: "Status",
      apiVersion: "v1",
      metadata: {},
      status: "Failure",
      message: "This pod has more than one PodDisruptionBudget, which the eviction subresource does not support.",
      code: 500,
    });
  });

  it("a budget whose status lags its spec answers 429 'still being processed' with Retry-After 10", async () => {
    await freshNamespace();
    const labels = { app: "lag" };
    const rs = await replicaSet("lag", 2, labels);
    for (let i = 0; i < 2; i++) await readyPod(`lag-${i}`, { owners: [rs], labels });
    const p = await pdb("lag", { minAvailable: 1, selector: { matchLabels: labels } });
    // the status written for generation 1; then the controllers stop (this test runs last), so
    // generation 2 is never observed
    await settledPdb("lag");
    await c.controlPlane.stop();
    await c.client.patch(R.poddisruptionbudgets, ns(), "lag", "merge", { spec: { minAvailable: 0 } });
    const err = await evictError("lag-0");
    assert.equal(err.code, 429);
    assert.deepEqual(err.toStatus().details, { causes: [{ reason: "DisruptionBudget", message: "The disruption budget lag is still being processed by the server." }], retryAfterSeconds: 10 });
    assert.ok(p);
  });
});
