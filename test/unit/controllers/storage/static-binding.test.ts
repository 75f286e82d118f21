// The PersistentVolume controller binding claims to volumes made by an administrator (upstream
// pkg/controller/volume/persistentvolume): an Immediate class without a provisioner, the smallest
// matching Available volume by size, access modes, class and selector; claims naming a volume;
// the annotations, phases and events of both sides; reclaiming static volumes.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { R } from "../../../../src/client/interface.js";
import type { TestCluster } from "../../../helpers/cluster.js";
import { claim, claimIn, eventLines, namespace, phase, pv, pvc, storageClass, storageCluster, volume, volumeIn, waitForEvent, type Kube } from "./helpers.js";

const manual = (spec: Record<string, unknown> = {}) => ({ storageClassName: "manual", ...spec });

async function setup(c: TestCluster): Promise<void> {
  await c.client.create(R.storageclasses, "", storageClass("manual", { volumeBindingMode: "Immediate", reclaimPolicy: "Retain" }));
  await c.client.create(R.persistentvolumes, "", volume("pv-1g", "1Gi", manual()));
  await c.client.create(R.persistentvolumes, "", volume("pv-5g", "5Gi", manual()));
  await c.client.create(R.persistentvolumes, "", volume("pv-10g-rwx", "10Gi", manual({ accessModes: ["ReadWriteOnce", "ReadWriteMany"] })));
  await c.client.create(R.persistentvolumes, "", volume("pv-gold", "20Gi", manual(), { labels: { tier: "gold" } }));
  for (const name of ["pv-1g", "pv-5g", "pv-10g-rwx", "pv-gold"]) await volumeIn(c, name, "Available");
}

describe("PersistentVolume controller: static volumes", () => {
  it("binds each claim to the smallest Available volume of its class that offers its size, modes and labels", async () => {
    const c = await storageCluster();
    try {
      await setup(c);
      const ns = await namespace(c, "static");
      const created = (await c.client.create(R.persistentvolumeclaims, ns, claim("two-gig", manual({ resources: { requests: { storage: "2Gi" } } })))) as Kube;
      await c.client.create(R.persistentvolumeclaims, ns, claim("shared", manual({ accessModes: ["ReadWriteMany"] })));
      await c.client.create(R.persistentvolumeclaims, ns, claim("gold", manual({ selector: { matchLabels: { tier: "gold" } } })));

      const twoGig = await claimIn(c, ns, "two-gig", "Bound");
      assert.equal(twoGig.spec.volumeName, "pv-5g", "pv-1g is too small; pv-5g is the smallest that fits");
      assert.deepEqual(twoGig.metadata.annotations, { "pv.kubernetes.io/bind-completed": "yes", "pv.kubernetes.io/bound-by-controller": "yes" });
      assert.deepEqual(twoGig.status, { phase: "Bound", accessModes: ["ReadWriteOnce"], capacity: { storage: "5Gi" } }, "the claim reports the volume's capacity");
      const v = await volumeIn(c, "pv-5g", "Bound");
      assert.deepEqual(v.metadata.annotations, { "pv.kubernetes.io/bound-by-controller": "yes" });
      assert.deepEqual(v.spec.claimRef, {
        kind: "PersistentVolumeClaim",
        namespace: ns,
        name: "two-gig",
        uid: created.metadata.uid,
        apiVersion: "v1",
        resourceVersion: v.spec.claimRef.resourceVersion,
      });

      assert.equal((await claimIn(c, ns, "shared", "Bound")).spec.volumeName, "pv-10g-rwx", "the only volume offering ReadWriteMany");
      const gold = await claimIn(c, ns, "gold", "Bound");
      assert.equal(gold.spec.volumeName, "pv-gold", "the selector picks the labelled volume");
      assert.deepEqual(gold.status.capacity, { storage: "20Gi" });
      assert.equal(phase(await pv(c, "pv-1g")), "Available");
    } finally {
      await c.stop();
    }
  });

  it("a claim nothing fits stays Pending (ProvisioningFailed for a class without provisioner) until a volume appears", async () => {
    const c = await storageCluster();
    try {
      await setup(c);
      const ns = await namespace(c, "huge");
      await c.client.create(R.persistentvolumeclaims, ns, claim("huge", manual({ resources: { requests: { storage: "100Gi" } } })));
      await claimIn(c, ns, "huge", "Pending");
      assert.ok(
        (await waitForEvent(c, ns, "huge", "ProvisioningFailed")) === "Warning ProvisioningFailed: no volume plugin matched name: kubernetes.io/no-provisioner [persistentvolume-controller]",
      );
      await c.client.create(R.persistentvolumes, "", volume("pv-200g", "200Gi", manual()));
      // claims are synced again every --pvclaimbinder-sync-period (15 s)
      const bound = await claimIn(c, ns, "huge", "Bound", { stepMs: 1000, maxFakeMs: 20_000 });
      assert.equal(bound.spec.volumeName, "pv-200g");

      // no class at all and no volume: FailedBinding
      await c.client.create(R.persistentvolumeclaims, ns, claim("classless", { storageClassName: "" }));
      assert.equal(
        await waitForEvent(c, ns, "classless", "FailedBinding"),
        "Normal FailedBinding: no persistent volumes available for this claim and no storage class is set [persistentvolume-controller]",
      );
      assert.equal(phase(await pvc(c, ns, "classless")), "Pending");
    } finally {
      await c.stop();
    }
  });

  it("a claim naming a volume gets that one, or a VolumeMismatch event", async () => {
    const c = await storageCluster();
    try {
      await setup(c);
      const ns = await namespace(c, "named");
      await c.client.create(R.persistentvolumeclaims, ns, claim("named", manual({ volumeName: "pv-gold" })));
      const bound = await claimIn(c, ns, "named", "Bound");
      assert.deepEqual(bound.metadata.annotations, { "pv.kubernetes.io/bind-completed": "yes" }, "not bound-by-controller: the user chose the volume");
      const v = await volumeIn(c, "pv-gold", "Bound");
      assert.equal(v.metadata.annotations!["pv.kubernetes.io/bound-by-controller"], "yes", "the controller wrote the claimRef");

      await c.client.create(R.persistentvolumeclaims, ns, claim("too-big", manual({ volumeName: "pv-1g", resources: { requests: { storage: "3Gi" } } })));
      assert.equal(
        await waitForEvent(c, ns, "too-big", "VolumeMismatch"),
        'Warning VolumeMismatch: Cannot bind to requested volume "pv-1g": requested PV is too small [persistentvolume-controller]',
      );
      assert.equal(phase(await pvc(c, ns, "too-big")), "Pending");
      assert.equal(phase(await pv(c, "pv-1g")), "Available");

      // a volume reserved for a claim (claimRef without uid) goes to that claim only
      await c.client.create(R.persistentvolumes, "", volume("reserved", "50Gi", manual({ claimRef: { namespace: ns, name: "mine" } })));
      await volumeIn(c, "reserved", "Available");
      await c.client.create(R.persistentvolumeclaims, ns, claim("other", manual({ resources: { requests: { storage: "30Gi" } } })));
      const mine = (await c.client.create(R.persistentvolumeclaims, ns, claim("mine", manual()))) as Kube;
      assert.equal((await claimIn(c, ns, "mine", "Bound")).spec.volumeName, "reserved");
      const reserved = await volumeIn(c, "reserved", "Bound");
      assert.equal(reserved.spec.claimRef.uid, mine.metadata.uid);
      assert.equal(reserved.metadata.annotations?.["pv.kubernetes.io/bound-by-controller"], undefined, "pre-bound by the user");
      assert.equal(phase(await pvc(c, ns, "other")), "Pending", "nothing else is big enough");
    } finally {
      await c.stop();
    }
  });

  it("reclaims static volumes: Retain keeps a Released volume, Delete of a hostPath outside /tmp fails", async () => {
    const c = await storageCluster();
    try {
      await c.client.create(R.storageclasses, "", storageClass("manual", { volumeBindingMode: "Immediate" }));
      await c.client.create(R.persistentvolumes, "", volume("kept", "1Gi", manual()));
      await c.client.create(R.persistentvolumes, "", volume("doomed", "2Gi", manual({ persistentVolumeReclaimPolicy: "Delete", hostPath: { path: "/mnt/doomed" } })));
      const ns = await namespace(c, "reclaim");
      await c.client.create(R.persistentvolumeclaims, ns, claim("a", manual()));
      await c.client.create(R.persistentvolumeclaims, ns, claim("b", manual({ resources: { requests: { storage: "2Gi" } } })));
      assert.equal((await claimIn(c, ns, "a", "Bound")).spec.volumeName, "kept");
      assert.equal((await claimIn(c, ns, "b", "Bound")).spec.volumeName, "doomed");

      await c.client.delete(R.persistentvolumeclaims, ns, "a");
      await c.client.delete(R.persistentvolumeclaims, ns, "b");
      const kept = await volumeIn(c, "kept", "Released", { stepMs: 1000 });
      assert.equal(kept.spec.claimRef.name, "a", "the claimRef stays: an administrator decides");
      const failed = await volumeIn(c, "doomed", "Failed", { stepMs: 1000 });
      assert.equal(failed.status.message, "host_path deleter only supports /tmp/.+ but received provided /mnt/doomed");
      assert.ok((await eventLines(c, "", "doomed")).includes("Warning VolumeFailedDelete: host_path deleter only supports /tmp/.+ but received provided /mnt/doomed [persistentvolume-controller]"));
    } finally {
      await c.stop();
    }
  });
});
