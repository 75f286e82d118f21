// ServiceAccount admission: serviceAccountName defaulting, the missing-account error, the
// kube-api-access projected volume and its mounts, automount preferences, imagePullSecrets, mirror
// pods and mountable-secret enforcement.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ServiceAccount } from "../../../src/admission/plugins/service-account.js";
import { admit, attrs, fakeDeps, pod, rejection, type Obj } from "./helpers.js";

const sa = (name: string, extra: Obj = {}, meta: Obj = {}): Obj => ({ apiVersion: "v1", kind: "ServiceAccount", metadata: { name, namespace: "default", ...meta }, ...extra });
const fixedName = (base: string) => `${base}abcde`;
const plugin = (objects: Obj[]) => new ServiceAccount(fakeDeps(objects), fixedName);

const TOKEN_VOLUME = {
  name: "kube-api-access-abcde",
  projected: {
    sources: [
      { serviceAccountToken: { expirationSeconds: 3607, path: "token" } },
      { configMap: { name: "kube-root-ca.crt", items: [{ key: "ca.crt", path: "ca.crt" }] } },
      { downwardAPI: { items: [{ path: "namespace", fieldRef: { apiVersion: "v1", fieldPath: "metadata.namespace" } }] } },
    ],
    defaultMode: 420,
  },
};
const MOUNT = { name: "kube-api-access-abcde", readOnly: true, mountPath: "/var/run/secrets/kubernetes.io/serviceaccount" };

describe("ServiceAccount admission", () => {
  it("defaults the service account and mounts the token volume in every container", async () => {
    const out = await admit(plugin([sa("default")]), attrs(pod("p", { initContainers: [{ name: "init", image: "busybox" }] })));
    assert.equal(out.spec.serviceAccountName, "default");
    assert.deepEqual(out.spec.volumes, [TOKEN_VOLUME]);
    assert.deepEqual(out.spec.containers[0].volumeMounts, [MOUNT]);
    assert.deepEqual(out.spec.initContainers[0].volumeMounts, [MOUNT]);
  });

  it("the generated volume name is kube-api-access- and five safe characters", async () => {
    const out = await admit(new ServiceAccount(fakeDeps([sa("default")])), attrs(pod("p")));
    assert.match(out.spec.volumes[0].name, /^kube-api-access-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
  });

  const automount: { name: string; podPref?: boolean; saPref?: boolean; mounted: boolean }[] = [
    { name: "by default", mounted: true },
    { name: "the pod opts out", podPref: false, mounted: false },
    { name: "the account opts out", saPref: false, mounted: false },
    { name: "the pod's preference wins over the account's", podPref: true, saPref: false, mounted: true },
  ];
  for (const c of automount) {
    it(`automount: ${c.name}`, async () => {
      const account = sa("default", c.saPref === undefined ? {} : { automountServiceAccountToken: c.saPref });
      const out = await admit(plugin([account]), attrs(pod("p", c.podPref === undefined ? {} : { automountServiceAccountToken: c.podPref })));
      assert.equal(out.spec.volumes !== undefined, c.mounted);
      assert.equal(out.spec.containers[0].volumeMounts !== undefined, c.mounted);
    });
  }

  it("a container with something at the token path keeps it; an existing kube-api-access volume is reused", async () => {
    const own = { name: "mine", mountPath: "/var/run/secrets/kubernetes.io/serviceaccount" };
    const out = await admit(
      plugin([sa("default")]),
      attrs(pod("p", { containers: [{ name: "a", image: "x", volumeMounts: [own] }, { name: "b", image: "x" }], volumes: [{ name: "kube-api-access-zzzzz", emptyDir: {} }] })),
    );
    assert.deepEqual(out.spec.containers[0].volumeMounts, [own]);
    assert.deepEqual(out.spec.containers[1].volumeMounts, [{ ...MOUNT, name: "kube-api-access-zzzzz" }]);
    assert.deepEqual(out.spec.volumes, [{ name: "kube-api-access-zzzzz", emptyDir: {} }]);
  });

  it("copies the account's imagePullSecrets when the pod has none", async () => {
    const account = sa("builder", { imagePullSecrets: [{ name: "regcred" }] });
    const out = await admit(plugin([account]), attrs(pod("p", { serviceAccountName: "builder" })));
    assert.deepEqual(out.spec.imagePullSecrets, [{ name: "regcred" }]);
    const own = await admit(plugin([account]), attrs(pod("p", { serviceAccountName: "builder", imagePullSecrets: [{ name: "mine" }] })));
    assert.deepEqual(own.spec.imagePullSecrets, [{ name: "mine" }]);
  });

  it("rejects a pod whose service account does not exist", async () => {
    assert.deepEqual(await rejection(plugin([]), attrs(pod("p", { serviceAccountName: "robot" }))), {
      code: 403,
      message: 'pods "p" is forbidden: error looking up service account default/robot: serviceaccount "robot" not found',
    });
    assert.deepEqual(await rejection(plugin([]), attrs(pod("p"))), {
      code: 403,
      message: 'pods "p" is forbidden: error looking up service account default/default: serviceaccount "default" not found',
    });
  });

  it("mirror pods are left alone but may reference no account, secret or token projection", async () => {
    const mirror = { "kubernetes.io/config.mirror": "abc" };
    const ok = await admit(plugin([]), attrs(pod("static", {}, { annotations: mirror })));
    assert.equal(ok.spec.serviceAccountName, undefined);
    assert.equal(ok.spec.volumes, undefined);
    const cases: [Obj, string][] = [
      [{ serviceAccountName: "default" }, "a mirror pod may not reference service accounts"],
      [{ volumes: [{ name: "s", secret: { secretName: "top" } }] }, "a mirror pod may not reference secrets"],
      [{ volumes: [{ name: "t", projected: { sources: [{ serviceAccountToken: { path: "t" } }] } }] }, "a mirror pod may not use ServiceAccountToken volume projections"],
    ];
    for (const [spec, message] of cases)
      assert.deepEqual(await rejection(plugin([sa("default")]), attrs(pod("static", spec, { annotations: mirror }))), { code: 403, message: `pods "static" is forbidden: ${message}` });
  });

  it("with kubernetes.io/enforce-mountable-secrets only the account's secrets may be used", async () => {
    const account = sa("locked", { secrets: [{ name: "allowed" }] }, { annotations: { "kubernetes.io/enforce-mountable-secrets": "true" } });
    const p = plugin([account]);
    assert.equal(await rejection(p, attrs(pod("p", { serviceAccountName: "locked", volumes: [{ name: "s", secret: { secretName: "allowed" } }] }))), undefined);
    assert.deepEqual(await rejection(p, attrs(pod("p", { serviceAccountName: "locked", volumes: [{ name: "s", secret: { secretName: "other" } }] }))), {
      code: 403,
      message: 'pods "p" is forbidden: volume with secret.secretName="other" is not allowed because service account locked does not reference that secret',
    });
    const env = { containers: [{ name: "app", image: "x", env: [{ name: "PW", valueFrom: { secretKeyRef: { name: "db", key: "pw" } } }] }] };
    assert.deepEqual(await rejection(p, attrs(pod("p", { serviceAccountName: "locked", ...env }))), {
      code: 403,
      message: 'pods "p" is forbidden: container app with envVar PW referencing secret.secretName="db" is not allowed because service account locked does not reference that secret',
    });
  });

  it("updates and other resources are not touched", async () => {
    const out = await admit(plugin([]), attrs(pod("p"), { operation: "UPDATE", old: pod("p") }));
    assert.equal(out.spec.serviceAccountName, undefined);
    const cm = { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "c", namespace: "default" } };
    assert.equal(await rejection(plugin([]), attrs(cm)), undefined);
  });
});
