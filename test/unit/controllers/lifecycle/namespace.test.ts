// The namespace controller: a deleted namespace is emptied of every namespaced resource, its
// conditions report progress with upstream's reasons and messages, pods get their grace period,
// and the `kubernetes` finalizer is removed through namespaces/finalize so the namespace goes.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { KubeObject } from "../../../../src/apimachinery/types.js";
import { R } from "../../../../src/client/interface.js";
import type { NamespaceCondition } from "../../../../src/controllers/lifecycle/namespace/conditions.js";
import { startCluster, type TestCluster } from "../../../helpers/cluster.js";
import { chain, createNamespace, createPod, get } from "./helpers.js";

const conditions = (ns: KubeObject) => ((ns.status as { conditions?: NamespaceCondition[] }).conditions ?? []);
const condition = (ns: KubeObject, type: string) => conditions(ns).find((c) => c.type === type);

describe("namespace controller", () => {
  let c: TestCluster;
  before(async () => {
    c = await startCluster({ groups: [] });
  });
  after(() => c.stop());

  it("deletes all content, then the namespace", async () => {
    await createNamespace(c, "doomed");
    await chain(c.client, "doomed", "web", 2);
    await c.client.create(R.configmaps, "doomed", { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "cfg" }, data: { a: "b" } });
    await c.client.create(R.secrets, "doomed", { apiVersion: "v1", kind: "Secret", metadata: { name: "s" }, stringData: { a: "b" } });
    await c.client.create(R.services, "doomed", { apiVersion: "v1", kind: "Service", metadata: { name: "svc" }, spec: { ports: [{ port: 80 }] } });
    await c.client.create(R.leases, "doomed", { apiVersion: "coordination.k8s.io/v1", kind: "Lease", metadata: { name: "l" }, spec: {} });
    await c.client.delete(R.namespaces, "", "doomed");
    const terminating = await c.client.get(R.namespaces, "", "doomed");
    assert.equal((terminating.status as { phase: string }).phase, "Terminating");
    assert.deepEqual((terminating.spec as { finalizers: string[] }).finalizers, ["kubernetes"]);
    await c.until(async () => !(await get(c.client, R.namespaces, "", "doomed")), { what: "namespace removed", stepMs: 500 });
    for (const gvr of [R.deployments, R.replicasets, R.pods, R.configmaps, R.secrets, R.services, R.leases, R.serviceaccounts])
      assert.deepEqual((await c.client.list(gvr, "doomed")).items, [], `${gvr.resource} emptied`);
  });

  it("waits 5 s after the deletion before it starts (upstream namespaceDeletionGracePeriod)", async () => {
    await createNamespace(c, "patient");
    await c.client.create(R.configmaps, "patient", { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "cfg" } });
    await c.client.delete(R.namespaces, "", "patient");
    c.clock.advance(4000);
    await c.settle(50);
    assert.ok(await get(c.client, R.configmaps, "patient", "cfg"), "nothing deleted before the grace period");
    await c.until(async () => !(await get(c.client, R.namespaces, "", "patient")), { what: "namespace removed", stepMs: 500 });
  });

  it("content held by finalizers: conditions name what remains, the namespace waits", async () => {
    await createNamespace(c, "held");
    await c.client.create(R.configmaps, "held", { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "stuck", finalizers: ["example.com/hold"] } });
    await c.client.delete(R.namespaces, "", "held");
    const ns = await c.until(
      async () => {
        const ns = await c.client.get(R.namespaces, "", "held");
        return condition(ns, "NamespaceContentRemaining")?.status === "True" ? ns : undefined;
      },
      { what: "conditions reporting the remaining content", stepMs: 500 },
    );
    const byType = Object.fromEntries(conditions(ns).map((x) => [x.type, x]));
    assert.deepEqual(
      conditions(ns).map((x) => x.type),
      ["NamespaceDeletionDiscoveryFailure", "NamespaceDeletionGroupVersionParsingFailure", "NamespaceDeletionContentFailure", "NamespaceContentRemaining", "NamespaceFinalizersRemaining"],
    );
    assert.deepEqual(
      { status: byType.NamespaceDeletionDiscoveryFailure!.status, reason: byType.NamespaceDeletionDiscoveryFailure!.reason, message: byType.NamespaceDeletionDiscoveryFailure!.message },
      { status: "False", reason: "ResourcesDiscovered", message: "All resources successfully discovered" },
    );
    assert.equal(byType.NamespaceDeletionGroupVersionParsingFailure!.message, "All legacy kube types successfully parsed");
    assert.equal(byType.NamespaceDeletionContentFailure!.reason, "ContentDeleted");
    assert.equal(byType.NamespaceDeletionContentFailure!.message, "All content successfully deleted, may be waiting on finalization");
    assert.equal(byType.NamespaceContentRemaining!.reason, "SomeResourcesRemain");
    assert.equal(byType.NamespaceContentRemaining!.message, "Some resources are remaining: configmaps. has 1 resource instances");
    assert.equal(byType.NamespaceFinalizersRemaining!.status, "True");
    assert.equal(byType.NamespaceFinalizersRemaining!.reason, "SomeFinalizersRemain");
    assert.equal(byType.NamespaceFinalizersRemaining!.message, "Some content in the namespace has finalizers remaining: example.com/hold in 1 resource instances");
    assert.match(byType.NamespaceContentRemaining!.lastTransitionTime, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    // release the content: the namespace goes
    await c.client.patch(R.configmaps, "held", "stuck", "merge", { metadata: { finalizers: null } });
    await c.until(async () => !(await get(c.client, R.namespaces, "", "held")), { what: "namespace removed", stepMs: 1000 });
  });

  it("graceful pods: the namespace waits their grace period, then reports them as content it failed to delete", async () => {
    await createNamespace(c, "graceful");
    const pod = await createPod(c.client, "graceful", "running", { nodeName: "node-1" });
    assert.equal((pod.spec as { terminationGracePeriodSeconds: number }).terminationGracePeriodSeconds, 30);
    await c.client.delete(R.namespaces, "", "graceful");
    const terminating = await c.until(async () => (await get(c.client, R.pods, "graceful", "running"))?.metadata.deletionTimestamp && (await c.client.get(R.pods, "graceful", "running")), {
      what: "pod terminating",
      stepMs: 500,
    });
    assert.equal((terminating as KubeObject).metadata.deletionGracePeriodSeconds, 30);
    // past the grace period with no kubelet to finish the pod, the namespace says so
    const ns = await c.until(
      async () => {
        const ns = await c.client.get(R.namespaces, "", "graceful");
        return condition(ns, "NamespaceDeletionContentFailure")?.status === "True" ? ns : undefined;
      },
      { what: "content failure reported", stepMs: 1000 },
    );
    const failure = condition(ns, "NamespaceDeletionContentFailure")!;
    assert.equal(failure.reason, "ContentDeletionFailed");
    assert.equal(failure.message, "Failed to delete all resource types, 1 remaining: unexpected items still remain in namespace: graceful for gvr: /v1, Resource=pods");
    // the kubelet's final delete: the namespace completes
    await c.client.delete(R.pods, "graceful", "running", { gracePeriodSeconds: 0 });
    await c.until(async () => !(await get(c.client, R.namespaces, "", "graceful")), { what: "namespace removed", stepMs: 1000 });
  });

  it("unscheduled pods go at once", async () => {
    await createNamespace(c, "pending");
    await createPod(c.client, "pending", "p");
    await c.client.delete(R.namespaces, "", "pending");
    await c.until(async () => !(await get(c.client, R.namespaces, "", "pending")), { what: "namespace removed", stepMs: 500, maxFakeMs: 20_000 });
  });
});
