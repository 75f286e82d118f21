// Storage object in-use protection: the StorageObjectInUseProtection admission plugin's finalizers
// and the PVC and PV protection controllers (upstream pkg/controller/volume/pvcprotection and
// pvprotection) that hold a deletion while a scheduled pod uses the claim or the volume is Bound.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { R } from "../../../../src/client/interface.js";
import type { TestCluster } from "../../../helpers/cluster.js";
import { claim, claimIn, forceDelete, get, namespace, phase, podWithClaim, pv, pvc, storageClass, storageCluster, volume, volumeIn, type Kube } from "./helpers.js";

const PVC_FINALIZER = "kubernetes.io/pvc-protection";
const PV_FINALIZER = "kubernetes.io/pv-protection";

async function boundClaim(c: TestCluster, ns: string, name: string): Promise<Kube> {
  if (!(await get(c, R.storageclasses, "", "manual"))) await c.client.create(R.storageclasses, "", storageClass("manual", { volumeBindingMode: "Immediate" }));
  await c.client.create(R.persistentvolumes, "", volume(`pv-${name}`, "1Gi", { storageClassName: "manual" }));
  await c.client.create(R.persistentvolumeclaims, ns, claim(name, { storageClassName: "manual", volumeName: `pv-${name}` }));
  return claimIn(c, ns, name, "Bound");
}

async function passes(c: TestCluster, ms: number): Promise<void> {
  const start = c.clock.now();
  await c.until(() => c.clock.now() - start >= ms, { stepMs: 1000, what: `${ms / 1000} s` });
}

describe("storage object in-use protection", () => {
  it("admission adds the protection finalizers; the controllers put them back when removed", async () => {
    const c = await storageCluster();
    try {
      const ns = await namespace(c, "admission");
      const v = (await c.client.create(R.persistentvolumes, "", volume("pv-a", "1Gi"))) as Kube;
      assert.deepEqual(v.metadata.finalizers, [PV_FINALIZER]);
      const p = (await c.client.create(R.persistentvolumeclaims, ns, claim("a", {}, { finalizers: ["example.com/other"] }))) as Kube;
      assert.deepEqual(p.metadata.finalizers, ["example.com/other", PVC_FINALIZER]);

      await c.client.patch(R.persistentvolumeclaims, ns, "a", "merge", { metadata: { finalizers: null } });
      await c.client.patch(R.persistentvolumes, "", "pv-a", "merge", { metadata: { finalizers: null } });
      await c.until(async () => (await pvc(c, ns, "a"))?.metadata.finalizers?.includes(PVC_FINALIZER), { what: "pvc finalizer back" });
      await c.until(async () => (await pv(c, "pv-a"))?.metadata.finalizers?.includes(PV_FINALIZER), { what: "pv finalizer back" });
    } finally {
      await c.stop();
    }
  });

  it("an unused claim is deleted at once; a scheduled pod using it holds it until the pod is gone", async () => {
    const c = await storageCluster({ nodes: ["w1"] });
    try {
      const ns = await namespace(c, "pvc-protection");
      await c.client.create(R.persistentvolumeclaims, ns, claim("unused", { storageClassName: "" }));
      await c.settle();
      await c.client.delete(R.persistentvolumeclaims, ns, "unused");
      await c.until(async () => (await pvc(c, ns, "unused")) === undefined, { what: "unused claim gone" });

      await boundClaim(c, ns, "used");
      await c.client.create(R.pods, ns, podWithClaim("user", "used", { nodeName: "w1" }));
      // a pod not scheduled yet does not count: the kubelet will refuse a claim being deleted
      await c.client.create(R.persistentvolumeclaims, ns, claim("pending-user", { storageClassName: "" }));
      await c.client.create(R.pods, ns, podWithClaim("unscheduled", "pending-user"));
      await c.settle();

      await c.client.delete(R.persistentvolumeclaims, ns, "used");
      await c.client.delete(R.persistentvolumeclaims, ns, "pending-user");
      await c.until(async () => (await pvc(c, ns, "pending-user")) === undefined, { what: "claim of the unscheduled pod gone" });
      await passes(c, 30_000);
      const held = (await pvc(c, ns, "used"))!;
      assert.ok(held.metadata.deletionTimestamp);
      assert.deepEqual(held.metadata.finalizers, [PVC_FINALIZER]);
      assert.equal(phase(held), "Bound", "still Bound while held");

      // a finished pod still refers to the claim: upstream keeps the claim until the pod is deleted
      const user = (await get(c, R.pods, ns, "user"))!;
      await c.client.update(R.pods, ns, { ...user, status: { ...user.status, phase: "Succeeded" } }, { subresource: "status" });
      await passes(c, 5000);
      assert.ok(await pvc(c, ns, "used"));

      await forceDelete(c, R.pods, ns, "user");
      await c.until(async () => (await pvc(c, ns, "used")) === undefined, { what: "claim gone with its pod" });
    } finally {
      await c.stop();
    }
  });

  it("a Bound volume being deleted is held until its claim is gone", async () => {
    const c = await storageCluster();
    try {
      const ns = await namespace(c, "pv-protection");
      await boundClaim(c, ns, "data");
      await c.client.delete(R.persistentvolumes, "", "pv-data");
      await passes(c, 30_000);
      const held = (await pv(c, "pv-data"))!;
      assert.ok(held.metadata.deletionTimestamp);
      assert.deepEqual(held.metadata.finalizers, [PV_FINALIZER]);
      assert.equal(phase(held), "Bound");
      assert.equal(phase(await pvc(c, ns, "data")), "Bound", "the claim keeps its volume meanwhile");

      await c.client.delete(R.persistentvolumeclaims, ns, "data");
      await c.until(async () => (await pv(c, "pv-data")) === undefined, { stepMs: 1000, what: "volume gone once Released" });

      // an Available volume goes at once
      await c.client.create(R.persistentvolumes, "", volume("free", "1Gi"));
      await volumeIn(c, "free", "Available");
      await c.client.delete(R.persistentvolumes, "", "free");
      await c.until(async () => (await pv(c, "free")) === undefined, { what: "free volume gone" });
    } finally {
      await c.stop();
    }
  });
});
