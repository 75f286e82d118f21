// Dynamic provisioning as on kind: the default StorageClass `standard` (rancher.io/local-path,
// WaitForFirstConsumer), the DefaultStorageClass admission plugin, the PV controller's
// WaitForFirstConsumer / ExternalProvisioning path, the scheduler's selected-node, the simulated
// local-path provisioner's volume and the binding both ways, then reclaiming (Delete and Retain).
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { R } from "../../../../src/client/interface.js";
import { createReadyNode } from "../../../helpers/cluster.js";
import {
  claim,
  claimIn,
  eventLines,
  forceDelete,
  get,
  namespace,
  phase,
  podWithClaim,
  pv,
  pvc,
  storageClass,
  storageCluster,
  volumeIn,
  waitForEvent,
  workerNode,
  type Kube,
} from "./helpers.js";

const EXTERNAL_PROVISIONING =
  "Normal ExternalProvisioning: Waiting for a volume to be created either by the external provisioner 'rancher.io/local-path' or manually by the system administrator. If volume creation is delayed, please verify that the provisioner is running and correctly registered. [persistentvolume-controller]";

describe("default StorageClass", () => {
  it("installs kind's `standard` class as `kubectl apply` leaves it", async () => {
    const c = await storageCluster();
    try {
      const sc = (await get(c, R.storageclasses, "", "standard"))!;
      assert.equal(sc.provisioner, "rancher.io/local-path");
      assert.equal(sc.reclaimPolicy, "Delete");
      assert.equal(sc.volumeBindingMode, "WaitForFirstConsumer");
      assert.equal(sc.allowVolumeExpansion, undefined);
      assert.equal(sc.metadata.annotations!["storageclass.kubernetes.io/is-default-class"], "true");
      assert.deepEqual(JSON.parse(sc.metadata.annotations!["kubectl.kubernetes.io/last-applied-configuration"]!), {
        apiVersion: "storage.k8s.io/v1",
        kind: "StorageClass",
        metadata: { annotations: { "storageclass.kubernetes.io/is-default-class": "true" }, name: "standard" },
        provisioner: "rancher.io/local-path",
        reclaimPolicy: "Delete",
        volumeBindingMode: "WaitForFirstConsumer",
      });
      assert.deepEqual(sc.metadata.managedFields!.map((f) => [f.manager, f.operation]), [["kubectl-client-side-apply", "Update"]]);

      // deleting it is the user's business: it does not come back
      await c.client.delete(R.storageclasses, "", "standard");
      const start = c.clock.now();
      await c.until(() => c.clock.now() - start >= 60_000, { stepMs: 5000, what: "a minute" });
      assert.equal(await get(c, R.storageclasses, "", "standard"), undefined);
    } finally {
      await c.stop();
    }
  });

  it("claims without a class get the default class; an explicit class (even \"\") is kept", async () => {
    const c = await storageCluster();
    try {
      const ns = await namespace(c, "defaulting");
      const a = (await c.client.create(R.persistentvolumeclaims, ns, claim("no-class"))) as Kube;
      assert.equal(a.spec.storageClassName, "standard");
      assert.deepEqual(a.metadata.finalizers, ["kubernetes.io/pvc-protection"], "StorageObjectInUseProtection");
      const b = (await c.client.create(R.persistentvolumeclaims, ns, claim("empty-class", { storageClassName: "" }))) as Kube;
      assert.equal(b.spec.storageClassName, "");
      await c.client.create(R.storageclasses, "", storageClass("other"));
      const d = (await c.client.create(R.persistentvolumeclaims, ns, claim("other-class", { storageClassName: "other" }))) as Kube;
      assert.equal(d.spec.storageClassName, "other");

      // a newer default class wins (GetDefaultClass)
      c.clock.advance(1000);
      await c.client.create(R.storageclasses, "", storageClass("newer-default", { metadata: { name: "newer-default", annotations: { "storageclass.kubernetes.io/is-default-class": "true" } } }));
      await c.settle();
      const e = (await c.client.create(R.persistentvolumeclaims, ns, claim("later"))) as Kube;
      assert.equal(e.spec.storageClassName, "newer-default");
    } finally {
      await c.stop();
    }
  });

  it("a claim made while there was no default class gets it once one exists (retroactive assignment)", async () => {
    const c = await storageCluster();
    try {
      const ns = await namespace(c, "retro");
      await c.client.delete(R.storageclasses, "", "standard");
      await c.settle();
      const before = (await c.client.create(R.persistentvolumeclaims, ns, claim("early"))) as Kube;
      assert.equal(before.spec.storageClassName, undefined);
      await c.client.create(R.storageclasses, "", storageClass("fresh", { metadata: { name: "fresh", annotations: { "storageclass.kubernetes.io/is-default-class": "true" } } }));
      const after = await c.until(async () => {
        const cur = await pvc(c, ns, "early");
        return cur?.spec.storageClassName ? cur : undefined;
      }, { stepMs: 1000, maxFakeMs: 30_000, what: "class assigned" });
      assert.equal(after.spec.storageClassName, "fresh");
    } finally {
      await c.stop();
    }
  });
});

describe("WaitForFirstConsumer provisioning by rancher.io/local-path", () => {
  it("waits for a consumer, provisions on the scheduler's node, and binds both ways", async () => {
    const c = await storageCluster({ scheduler: true, nodes: ["w1"] });
    try {
      const ns = await namespace(c, "wffc");
      const created = (await c.client.create(R.persistentvolumeclaims, ns, claim("data", { resources: { requests: { storage: "2Gi" } } }))) as Kube;
      const pending = await claimIn(c, ns, "data", "Pending");
      assert.equal(pending.spec.volumeName, undefined);
      assert.deepEqual(await eventLines(c, ns, "data"), ["Normal WaitForFirstConsumer: waiting for first consumer to be created before binding [persistentvolume-controller]"]);
      // nothing is provisioned without a consumer
      const start = c.clock.now();
      await c.until(() => c.clock.now() - start >= 30_000, { stepMs: 5000, what: "30 s" });
      assert.equal((await c.client.list(R.persistentvolumes, "")).items.length, 0);

      // a consumer that cannot be scheduled yet: the claim says so at the next resync
      await c.client.create(R.pods, ns, podWithClaim("user", "data", { nodeSelector: { disk: "ssd" } }));
      await waitForEvent(c, ns, "data", "WaitForPodScheduled", { stepMs: 1000, maxFakeMs: 30_000 });
      assert.ok((await eventLines(c, ns, "data")).includes("Normal WaitForPodScheduled: waiting for pod user to be scheduled [persistentvolume-controller]"));

      // a matching node appears: the scheduler picks it, the volume is made there
      await createReadyNode(c, workerNode("w2", { disk: "ssd" }));
      const bound = await claimIn(c, ns, "data", "Bound", { stepMs: 1000 });
      assert.equal((await get(c, R.pods, ns, "user"))!.spec.nodeName, "w2");
      const name = `pvc-${created.metadata.uid}`;
      assert.equal(bound.spec.volumeName, name);
      assert.deepEqual(bound.metadata.annotations, {
        "pv.kubernetes.io/bind-completed": "yes",
        "pv.kubernetes.io/bound-by-controller": "yes",
        "volume.beta.kubernetes.io/storage-provisioner": "rancher.io/local-path",
        "volume.kubernetes.io/selected-node": "w2",
        "volume.kubernetes.io/storage-provisioner": "rancher.io/local-path",
      });
      assert.deepEqual(bound.status, { phase: "Bound", accessModes: ["ReadWriteOnce"], capacity: { storage: "2Gi" } });

      const vol = await volumeIn(c, name, "Bound");
      assert.deepEqual(vol.metadata.annotations, { "local.path.provisioner/selected-node": "w2", "pv.kubernetes.io/provisioned-by": "rancher.io/local-path" });
      assert.deepEqual(vol.metadata.finalizers, ["kubernetes.io/pv-protection"]);
      assert.deepEqual(vol.spec.nodeAffinity, { required: { nodeSelectorTerms: [{ matchExpressions: [{ key: "kubernetes.io/hostname", operator: "In", values: ["w2"] }] }] } });
      assert.deepEqual(vol.spec.capacity, { storage: "2Gi" });
      assert.deepEqual(vol.spec.accessModes, ["ReadWriteOnce"]);
      assert.equal(vol.spec.persistentVolumeReclaimPolicy, "Delete");
      assert.equal(vol.spec.storageClassName, "standard");
      assert.equal(vol.spec.volumeMode, "Filesystem");
      assert.deepEqual(vol.spec.hostPath, { path: `/var/local-path-provisioner/${name}_${ns}_data`, type: "DirectoryOrCreate" });
      assert.deepEqual(
        { kind: vol.spec.claimRef.kind, namespace: vol.spec.claimRef.namespace, name: vol.spec.claimRef.name, uid: vol.spec.claimRef.uid },
        { kind: "PersistentVolumeClaim", namespace: ns, name: "data", uid: created.metadata.uid },
      );
      assert.ok(vol.status.lastPhaseTransitionTime);

      const lines = await eventLines(c, ns, "data");
      assert.ok(lines.includes(EXTERNAL_PROVISIONING), lines.join("\n"));
      const provisioning = lines.find((l) => l.includes(" Provisioning: "))!;
      assert.match(provisioning, new RegExp(`^Normal Provisioning: External provisioner is provisioning volume for claim "${ns}/data" \\[rancher\\.io/local-path_local-path-provisioner-[a-z0-9]{10}-[a-z0-9]{5}_[0-9a-f-]{36}\\]$`));
      assert.ok(lines.some((l) => l.startsWith(`Normal ProvisioningSucceeded: Successfully provisioned volume ${name} [rancher.io/local-path_`)), lines.join("\n"));
    } finally {
      await c.stop();
    }
  });

  it("the provisioner refuses what local-path cannot do: selectors and shared access modes", async () => {
    const c = await storageCluster({ scheduler: true, nodes: ["w1"] });
    try {
      const ns = await namespace(c, "refused");
      await c.client.create(R.persistentvolumeclaims, ns, claim("selected", { selector: { matchLabels: { tier: "gold" } } }));
      await c.client.create(R.persistentvolumeclaims, ns, claim("shared", { accessModes: ["ReadWriteMany"] }));
      await c.client.create(R.pods, ns, podWithClaim("a", "selected"));
      await c.client.create(R.pods, ns, podWithClaim("b", "shared"));
      const selected = await waitForEvent(c, ns, "selected", "ProvisioningFailed", { stepMs: 1000 });
      assert.match(selected, /^Warning ProvisioningFailed: failed to provision volume with StorageClass "standard": claim\.Spec\.Selector is not supported \[rancher\.io\/local-path_/);
      const shared = await waitForEvent(c, ns, "shared", "ProvisioningFailed", { stepMs: 1000 });
      assert.match(
        shared,
        /^Warning ProvisioningFailed: failed to provision volume with StorageClass "standard": NodePath only supports ReadWriteOnce and ReadWriteOncePod \(1\.22\+\) access modes \[rancher\.io\/local-path_/,
      );
      assert.equal((await c.client.list(R.persistentvolumes, "")).items.length, 0);
      assert.equal(phase(await pvc(c, ns, "selected")), "Pending");
    } finally {
      await c.stop();
    }
  });

  it("deleting the claim (once no pod uses it) deletes the provisioned volume: reclaim policy Delete", async () => {
    const c = await storageCluster({ scheduler: true, nodes: ["w1"] });
    try {
      const ns = await namespace(c, "reclaim");
      await c.client.create(R.persistentvolumeclaims, ns, claim("data"));
      await c.client.create(R.pods, ns, podWithClaim("user", "data"));
      const bound = await claimIn(c, ns, "data", "Bound", { stepMs: 1000 });
      const name = bound.spec.volumeName as string;
      await c.until(async () => (await get(c, R.pods, ns, "user"))?.spec.nodeName, { what: "pod scheduled" });

      await c.client.delete(R.persistentvolumeclaims, ns, "data");
      const start = c.clock.now();
      await c.until(() => c.clock.now() - start >= 30_000, { stepMs: 5000, what: "30 s" });
      const held = (await pvc(c, ns, "data"))!;
      assert.ok(held.metadata.deletionTimestamp, "being deleted");
      assert.deepEqual(held.metadata.finalizers, ["kubernetes.io/pvc-protection"], "held while the pod uses it");
      assert.equal(phase(held), "Bound");
      assert.equal(phase(await pv(c, name)), "Bound");

      await forceDelete(c, R.pods, ns, "user");
      await c.until(async () => (await pvc(c, ns, "data")) === undefined, { stepMs: 1000, what: "claim gone" });
      await c.until(async () => (await pv(c, name)) === undefined, { stepMs: 1000, maxFakeMs: 60_000, what: "volume deleted" });
    } finally {
      await c.stop();
    }
  });

  it("with reclaim policy Retain the volume stays Released, its claimRef kept", async () => {
    const c = await storageCluster({ scheduler: true, nodes: ["w1"] });
    try {
      const ns = await namespace(c, "retain");
      await c.client.create(R.storageclasses, "", storageClass("keep", { provisioner: "rancher.io/local-path", reclaimPolicy: "Retain", volumeBindingMode: "WaitForFirstConsumer" }));
      const made = (await c.client.create(R.persistentvolumeclaims, ns, claim("data", { storageClassName: "keep" }))) as Kube;
      await c.client.create(R.pods, ns, podWithClaim("user", "data"));
      const bound = await claimIn(c, ns, "data", "Bound", { stepMs: 1000 });
      const name = bound.spec.volumeName as string;
      assert.equal((await pv(c, name))!.spec.persistentVolumeReclaimPolicy, "Retain");

      await forceDelete(c, R.pods, ns, "user");
      await c.client.delete(R.persistentvolumeclaims, ns, "data");
      await c.until(async () => (await pvc(c, ns, "data")) === undefined, { stepMs: 1000, what: "claim gone" });
      const released = await volumeIn(c, name, "Released", { stepMs: 1000 });
      assert.equal(released.spec.claimRef.uid, made.metadata.uid);
      const start = c.clock.now();
      await c.until(() => c.clock.now() - start >= 60_000, { stepMs: 5000, what: "a minute" });
      assert.equal(phase(await pv(c, name)), "Released");
    } finally {
      await c.stop();
    }
  });
});
