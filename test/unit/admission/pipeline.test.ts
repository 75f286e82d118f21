// The admission plugins in the API server's write pipeline (after decoding and defaulting, before
// and after validation), on an in-memory server with the lifecycle controllers (the default
// ServiceAccount and kube-root-ca.crt of every namespace).
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { ApiError } from "../../../src/apimachinery/errors.js";
import type { KubeObject } from "../../../src/apimachinery/types.js";
import { R } from "../../../src/client/interface.js";
import { startCluster, type TestCluster } from "../../helpers/cluster.js";

type Obj = Record<string, any>;
const NS = "adm";

async function failure(p: Promise<unknown>): Promise<{ code: number; reason: string; message: string }> {
  try {
    await p;
  } catch (err) {
    if (err instanceof ApiError) return { code: err.code, reason: err.reason, message: err.message };
    throw err;
  }
  assert.fail("the write was admitted");
}

const pod = (name: string, spec: Obj = {}): KubeObject => ({ apiVersion: "v1", kind: "Pod", metadata: { name }, spec: { containers: [{ name: "app", image: "nginx" }], ...spec } });

describe("admission through the API server", () => {
  let c: TestCluster;
  before(async () => {
    c = await startCluster({ groups: [] });
    await c.client.create(R.namespaces, "", { apiVersion: "v1", kind: "Namespace", metadata: { name: NS } });
    await c.until(() => c.api.storage.cacherOf("", "serviceaccounts")?.get(`/registry/core/serviceaccounts/${NS}/default`), { what: "the default ServiceAccount" });
  });
  after(() => c.stop());

  it("a plain pod gets its service account, token volume, tolerations and priority", async () => {
    const p = (await c.client.create(R.pods, NS, pod("plain"))) as Obj;
    assert.equal(p.spec.serviceAccountName, "default");
    assert.equal(p.spec.serviceAccount, "default");
    const volume = p.spec.volumes[0];
    assert.match(volume.name, /^kube-api-access-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
    assert.deepEqual(volume.projected, {
      sources: [
        { serviceAccountToken: { expirationSeconds: 3607, path: "token" } },
        { configMap: { name: "kube-root-ca.crt", items: [{ key: "ca.crt", path: "ca.crt" }] } },
        { downwardAPI: { items: [{ path: "namespace", fieldRef: { apiVersion: "v1", fieldPath: "metadata.namespace" } }] } },
      ],
      defaultMode: 420,
    });
    assert.deepEqual(p.spec.containers[0].volumeMounts, [{ name: volume.name, readOnly: true, mountPath: "/var/run/secrets/kubernetes.io/serviceaccount" }]);
    assert.deepEqual(p.spec.tolerations, [
      { key: "node.kubernetes.io/not-ready", operator: "Exists", effect: "NoExecute", tolerationSeconds: 300 },
      { key: "node.kubernetes.io/unreachable", operator: "Exists", effect: "NoExecute", tolerationSeconds: 300 },
    ]);
    assert.equal(p.spec.priority, 0);
    assert.equal(p.spec.preemptionPolicy, "PreemptLowerPriority");
  });

  it("the system priority classes resolve", async () => {
    const p = (await c.client.create(R.pods, NS, pod("critical", { priorityClassName: "system-node-critical" }))) as Obj;
    assert.equal(p.spec.priority, 2000001000);
    assert.deepEqual(await failure(c.client.create(R.pods, NS, pod("nope", { priorityClassName: "gold" }))), {
      code: 403,
      reason: "Forbidden",
      message: 'pods "nope" is forbidden: no PriorityClass with name gold was found',
    });
  });

  it("a missing service account is refused with upstream's message", async () => {
    assert.deepEqual(await failure(c.client.create(R.pods, NS, pod("robot", { serviceAccountName: "robot" }))), {
      code: 403,
      reason: "Forbidden",
      message: `pods "robot" is forbidden: error looking up service account ${NS}/robot: serviceaccount "robot" not found`,
    });
  });

  it("LimitRanges default and bound containers", async () => {
    await c.client.create(R.limitranges, NS, {
      apiVersion: "v1",
      kind: "LimitRange",
      metadata: { name: "limits" },
      spec: { limits: [{ type: "Container", default: { cpu: "500m", memory: "256Mi" }, defaultRequest: { cpu: "100m" }, min: { cpu: "100m" }, max: { memory: "1Gi" } }] },
    });
    await c.settle();
    const p = (await c.client.create(R.pods, NS, pod("defaulted"))) as Obj;
    // the LimitRange's defaultRequest for memory defaults from its default (upstream LimitRange defaulting)
    assert.deepEqual(p.spec.containers[0].resources, { limits: { cpu: "500m", memory: "256Mi" }, requests: { cpu: "100m", memory: "256Mi" } });
    assert.equal(p.metadata.annotations["kubernetes.io/limit-ranger"], "LimitRanger plugin set: cpu, memory request for container app; cpu, memory limit for container app");
    assert.deepEqual(await failure(c.client.create(R.pods, NS, pod("x", { containers: [{ name: "app", image: "nginx", resources: { requests: { cpu: "50m" } } }] }))), {
      code: 403,
      reason: "Forbidden",
      message: 'pods "x" is forbidden: minimum cpu usage per Container is 100m, but request is 50m',
    });
    const generated = await failure(
      c.client.create(R.pods, NS, { ...pod(""), metadata: { generateName: "web-" }, spec: { containers: [{ name: "app", image: "nginx", resources: { limits: { memory: "2Gi" } } }] } }),
    );
    assert.match(generated.message, /^pods "web-[bcdfghjklmnpqrstvwxz2456789]{5}" is forbidden: maximum memory usage per Container is 1Gi, but limit is 2Gi$/);
    await c.client.delete(R.limitranges, NS, "limits");
  });

  it("claims and volumes get their protection finalizers and claims the default class", async () => {
    await c.client.create(R.storageclasses, "", {
      apiVersion: "storage.k8s.io/v1",
      kind: "StorageClass",
      metadata: { name: "standard", annotations: { "storageclass.kubernetes.io/is-default-class": "true" } },
      provisioner: "rancher.io/local-path",
    });
    await c.settle();
    const pvc = (await c.client.create(R.persistentvolumeclaims, NS, {
      apiVersion: "v1",
      kind: "PersistentVolumeClaim",
      metadata: { name: "data" },
      spec: { accessModes: ["ReadWriteOnce"], resources: { requests: { storage: "1Gi" } } },
    })) as Obj;
    assert.equal(pvc.spec.storageClassName, "standard");
    assert.deepEqual(pvc.metadata.finalizers, ["kubernetes.io/pvc-protection"]);
    const pv = (await c.client.create(R.persistentvolumes, "", {
      apiVersion: "v1",
      kind: "PersistentVolume",
      metadata: { name: "pv1" },
      spec: { capacity: { storage: "1Gi" }, accessModes: ["ReadWriteOnce"], hostPath: { path: "/data" } },
    })) as Obj;
    assert.deepEqual(pv.metadata.finalizers, ["kubernetes.io/pv-protection"]);
  });

  it("new nodes are tainted not-ready", async () => {
    const node = (await c.client.create(R.nodes, "", { apiVersion: "v1", kind: "Node", metadata: { name: "adm-node" } })) as Obj;
    assert.deepEqual(node.spec.taints, [{ key: "node.kubernetes.io/not-ready", effect: "NoSchedule" }]);
    await c.client.delete(R.nodes, "", "adm-node");
  });

  it("only one global default PriorityClass", async () => {
    const pc = (name: string): KubeObject => ({ apiVersion: "scheduling.k8s.io/v1", kind: "PriorityClass", metadata: { name }, value: 10, globalDefault: true });
    await c.client.create(R.priorityclasses, "", pc("normal"));
    await c.settle();
    assert.deepEqual(await failure(c.client.create(R.priorityclasses, "", pc("second"))), {
      code: 403,
      reason: "Forbidden",
      message: 'priorityclasses.scheduling.k8s.io "second" is forbidden: PriorityClass normal is already marked as default. Only one default can exist',
    });
    const p = (await c.client.create(R.pods, NS, pod("defaulted-priority"))) as Obj;
    assert.equal(p.spec.priorityClassName, "normal");
    assert.equal(p.spec.priority, 10);
    await c.client.delete(R.priorityclasses, "", "normal");
  });
});
