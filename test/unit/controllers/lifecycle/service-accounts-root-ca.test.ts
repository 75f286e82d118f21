// The ServiceAccount controller and the root CA publisher: `default` and `kube-root-ca.crt` in
// every namespace, recreated and corrected; nothing created in a terminating namespace.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { R } from "../../../../src/client/interface.js";
import { DESCRIPTION } from "../../../../src/controllers/lifecycle/root-ca-publisher.js";
import { startCluster, type TestCluster } from "../../../helpers/cluster.js";
import { exists, get } from "./helpers.js";

const CA = "-----BEGIN CERTIFICATE-----\ntest\n-----END CERTIFICATE-----\n";

describe("ServiceAccount controller and root CA publisher", () => {
  let c: TestCluster;
  before(async () => {
    c = await startCluster({ groups: [] });
  });
  after(() => c.stop());

  it("every system namespace has the default ServiceAccount and kube-root-ca.crt", async () => {
    for (const ns of ["default", "kube-system", "kube-public", "kube-node-lease"]) {
      await c.until(() => exists(c.client, R.serviceaccounts, ns, "default"), { what: `${ns}/default` });
      const cm = await c.until(() => get(c.client, R.configmaps, ns, "kube-root-ca.crt"), { what: `${ns}/kube-root-ca.crt` });
      assert.deepEqual(cm.data, { "ca.crt": CA });
      assert.deepEqual(cm.metadata.annotations, { "kubernetes.io/description": DESCRIPTION });
      assert.equal(cm.metadata.managedFields?.[0]?.manager, "kube-controller-manager");
    }
  });

  it("a new namespace gets both; the ServiceAccount is the bare object upstream creates", async () => {
    await c.client.create(R.namespaces, "", { apiVersion: "v1", kind: "Namespace", metadata: { name: "fresh" } });
    const sa = await c.until(() => get(c.client, R.serviceaccounts, "fresh", "default"), { what: "fresh/default" });
    assert.equal(sa.secrets, undefined);
    // only name and namespace were written: no managed fields, as on a real cluster
    assert.equal(sa.metadata.managedFields, undefined);
    await c.until(() => exists(c.client, R.configmaps, "fresh", "kube-root-ca.crt"), { what: "fresh/kube-root-ca.crt" });
  });

  it("deleted, both come back", async () => {
    const before = await c.client.get(R.serviceaccounts, "fresh", "default");
    await c.client.delete(R.serviceaccounts, "fresh", "default");
    await c.client.delete(R.configmaps, "fresh", "kube-root-ca.crt");
    const sa = await c.until(() => get(c.client, R.serviceaccounts, "fresh", "default"), { what: "default recreated" });
    assert.notEqual(sa.metadata.uid, before.metadata.uid);
    await c.until(() => exists(c.client, R.configmaps, "fresh", "kube-root-ca.crt"), { what: "kube-root-ca.crt recreated" });
  });

  it("a changed bundle or a removed annotation is put back", async () => {
    await c.client.patch(R.configmaps, "fresh", "kube-root-ca.crt", "merge", { data: { "ca.crt": "tampered", extra: "x" }, metadata: { annotations: null } });
    const cm = await c.until(
      async () => {
        const cm = await c.client.get(R.configmaps, "fresh", "kube-root-ca.crt");
        return cm.data && (cm.data as Record<string, string>)["ca.crt"] === CA && cm.metadata.annotations ? cm : undefined;
      },
      { what: "bundle restored" },
    );
    assert.deepEqual(cm.data, { "ca.crt": CA });
    assert.equal(cm.metadata.annotations?.["kubernetes.io/description"], DESCRIPTION);
  });

  it("nothing is recreated in a terminating namespace", async () => {
    await c.client.create(R.namespaces, "", { apiVersion: "v1", kind: "Namespace", metadata: { name: "ending" } });
    await c.until(() => exists(c.client, R.serviceaccounts, "ending", "default"), { what: "ending/default" });
    await c.until(() => exists(c.client, R.configmaps, "ending", "kube-root-ca.crt"), { what: "ending/kube-root-ca.crt" });
    await c.client.delete(R.namespaces, "", "ending");
    await c.until(() => get(c.client, R.namespaces, "", "ending").then((ns) => !ns), { what: "namespace gone", stepMs: 500 });
    assert.equal(await exists(c.client, R.serviceaccounts, "ending", "default"), false);
  });
});
