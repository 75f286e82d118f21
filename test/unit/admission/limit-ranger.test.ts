// LimitRanger: defaulting of container requests/limits with the kubernetes.io/limit-ranger
// annotation, and upstream's Forbidden messages for Container, Pod and PersistentVolumeClaim items.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { LimitRanger } from "../../../src/admission/plugins/limit-ranger.js";
import { admit, attrs, fakeDeps, pod, rejection, type Obj } from "./helpers.js";

const lr = (limits: Obj[], namespace = "default", name = "limits"): Obj => ({ apiVersion: "v1", kind: "LimitRange", metadata: { name, namespace }, spec: { limits } });
const res = (requests?: Obj, limits?: Obj): Obj => ({ ...(requests ? { requests } : {}), ...(limits ? { limits } : {}) });
const container = (name: string, resources?: Obj, extra: Obj = {}): Obj => ({ name, image: "nginx", ...(resources ? { resources } : {}), ...extra });
const pvc = (name: string, storage?: string): Obj => ({
  apiVersion: "v1",
  kind: "PersistentVolumeClaim",
  metadata: { name, namespace: "default" },
  spec: { accessModes: ["ReadWriteOnce"], resources: storage ? { requests: { storage } } : {} },
});

describe("LimitRanger defaulting", () => {
  const defaults = lr([{ type: "Container", default: { cpu: "500m", memory: "512Mi" }, defaultRequest: { cpu: "100m", memory: "256Mi" } }]);
  const cases: { name: string; pod: Obj; containers: Obj[]; initContainers?: Obj[]; annotation?: string }[] = [
    {
      name: "a container without resources gets requests and limits",
      pod: pod("p"),
      containers: [container("app", res({ cpu: "100m", memory: "256Mi" }, { cpu: "500m", memory: "512Mi" }))],
      annotation: "LimitRanger plugin set: cpu, memory request for container app; cpu, memory limit for container app",
    },
    {
      name: "what the container sets is kept and not reported",
      pod: pod("p", { containers: [container("app", res({ cpu: "200m" }, { memory: "1Gi" }))] }),
      containers: [container("app", res({ cpu: "200m", memory: "256Mi" }, { memory: "1Gi", cpu: "500m" }))],
      annotation: "LimitRanger plugin set: memory request for container app; cpu limit for container app",
    },
    {
      name: "init containers are defaulted after the containers",
      pod: pod("p", { containers: [container("app", res({ cpu: "1", memory: "1Gi" }, { cpu: "1", memory: "1Gi" }))], initContainers: [container("init")] }),
      containers: [container("app", res({ cpu: "1", memory: "1Gi" }, { cpu: "1", memory: "1Gi" }))],
      initContainers: [container("init", res({ cpu: "100m", memory: "256Mi" }, { cpu: "500m", memory: "512Mi" }))],
      annotation: "LimitRanger plugin set: cpu, memory request for init container init; cpu, memory limit for init container init",
    },
    {
      name: "a fully specified pod gets no annotation",
      pod: pod("p", { containers: [container("app", res({ cpu: "1", memory: "1Gi" }, { cpu: "1", memory: "1Gi" }))] }),
      containers: [container("app", res({ cpu: "1", memory: "1Gi" }, { cpu: "1", memory: "1Gi" }))],
    },
  ];
  for (const c of cases) {
    it(c.name, async () => {
      const out = await admit(new LimitRanger(fakeDeps([defaults])), attrs(c.pod));
      assert.deepEqual(out.spec.containers, c.containers);
      if (c.initContainers) assert.deepEqual(out.spec.initContainers, c.initContainers);
      assert.equal(out.metadata.annotations?.["kubernetes.io/limit-ranger"], c.annotation);
    });
  }

  it("only the namespace's LimitRanges apply, and never to pod updates or subresources", async () => {
    const other = lr([{ type: "Container", defaultRequest: { cpu: "100m" } }], "other");
    const p1 = await admit(new LimitRanger(fakeDeps([other])), attrs(pod("p")));
    assert.equal(p1.spec.containers[0].resources, undefined);
    const plugin = new LimitRanger(fakeDeps([defaults]));
    const p2 = await admit(plugin, attrs(pod("p"), { operation: "UPDATE", old: pod("p") }));
    assert.equal(p2.spec.containers[0].resources, undefined);
    const p3 = await admit(plugin, attrs(pod("p"), { subresource: "status" }));
    assert.equal(p3.spec.containers[0].resources, undefined);
  });
});

describe("LimitRanger validation", () => {
  const cases: { name: string; limits: Obj[]; object: Obj; message?: string }[] = [
    {
      name: "container request under the minimum",
      limits: [{ type: "Container", min: { cpu: "100m" } }],
      object: pod("x", { containers: [container("app", res({ cpu: "50m" }))] }),
      message: 'pods "x" is forbidden: minimum cpu usage per Container is 100m, but request is 50m',
    },
    {
      name: "container limit under the minimum",
      limits: [{ type: "Container", min: { cpu: "100m" } }],
      object: pod("x", { containers: [container("app", res({ cpu: "100m" }, { cpu: "50m" }))] }),
      message: 'pods "x" is forbidden: minimum cpu usage per Container is 100m, but limit is 50m',
    },
    {
      name: "container without a request under a minimum",
      limits: [{ type: "Container", min: { memory: "64Mi" } }],
      object: pod("x"),
      message: 'pods "x" is forbidden: minimum memory usage per Container is 64Mi.  No request is specified',
    },
    {
      name: "container limit over the maximum",
      limits: [{ type: "Container", max: { memory: "1Gi" } }],
      object: pod("x", { containers: [container("app", res(undefined, { memory: "2Gi" }))] }),
      message: 'pods "x" is forbidden: maximum memory usage per Container is 1Gi, but limit is 2Gi',
    },
    {
      name: "container request over the maximum",
      limits: [{ type: "Container", max: { memory: "1Gi" } }],
      object: pod("x", { containers: [container("app", res({ memory: "2Gi" }, { memory: "1Gi" }))] }),
      message: 'pods "x" is forbidden: maximum memory usage per Container is 1Gi, but request is 2Gi',
    },
    {
      name: "container without a limit under a maximum",
      limits: [{ type: "Container", max: { cpu: "2" } }],
      object: pod("x", { containers: [container("app", res({ cpu: "1" }))] }),
      message: 'pods "x" is forbidden: maximum cpu usage per Container is 2.  No limit is specified',
    },
    {
      name: "limit to request ratio",
      limits: [{ type: "Container", maxLimitRequestRatio: { cpu: "2" } }],
      object: pod("x", { containers: [container("app", res({ cpu: "100m" }, { cpu: "500m" }))] }),
      message: 'pods "x" is forbidden: cpu max limit to request ratio per Container is 2, but provided ratio is 5.000000',
    },
    {
      name: "ratio without a request",
      limits: [{ type: "Container", maxLimitRequestRatio: { memory: "1500m" } }],
      object: pod("x", { containers: [container("app", res(undefined, { memory: "1Gi" }))] }),
      message: 'pods "x" is forbidden: memory max limit to request ratio per Container is 1500m, but no request is specified or request is 0',
    },
    {
      name: "ratio without a limit",
      limits: [{ type: "Container", maxLimitRequestRatio: { memory: "2" } }],
      object: pod("x", { containers: [container("app", res({ memory: "1Gi" }))] }),
      message: 'pods "x" is forbidden: memory max limit to request ratio per Container is 2, but no limit is specified or limit is 0',
    },
    {
      name: "a ratio within bounds",
      limits: [{ type: "Container", maxLimitRequestRatio: { cpu: "4" } }],
      object: pod("x", { containers: [container("app", res({ cpu: "250m" }, { cpu: "1" }))] }),
    },
    {
      name: "several violations are listed together",
      limits: [{ type: "Container", min: { cpu: "100m" }, max: { memory: "1Gi" } }],
      object: pod("x", { containers: [container("app", res({ cpu: "50m" }, { memory: "2Gi" }))] }),
      message: 'pods "x" is forbidden: [minimum cpu usage per Container is 100m, but request is 50m, maximum memory usage per Container is 1Gi, but limit is 2Gi]',
    },
    {
      name: "init containers are checked too",
      limits: [{ type: "Container", max: { cpu: "1" } }],
      object: pod("x", { containers: [container("app", res({ cpu: "1" }, { cpu: "1" }))], initContainers: [container("init", res({ cpu: "1" }, { cpu: "2" }))] }),
      message: 'pods "x" is forbidden: maximum cpu usage per Container is 1, but limit is 2',
    },
    {
      name: "pod requests are the sum of the containers",
      limits: [{ type: "Pod", min: { memory: "1Gi" } }],
      object: pod("x", { containers: [container("a", res({ memory: "256Mi" })), container("b", res({ memory: "256Mi" }))] }),
      message: 'pods "x" is forbidden: minimum memory usage per Pod is 1Gi, but request is 512Mi',
    },
    {
      name: "pod limits take the largest init container, sidecars add up",
      limits: [{ type: "Pod", max: { cpu: "2" } }],
      object: pod("x", {
        containers: [container("a", res({ cpu: "1" }, { cpu: "1" }))],
        initContainers: [container("sidecar", res({ cpu: "500m" }, { cpu: "500m" }), { restartPolicy: "Always" }), container("init", res({ cpu: "3" }, { cpu: "3" }))],
      }),
      message: 'pods "x" is forbidden: maximum cpu usage per Pod is 2, but limit is 3500m',
    },
    {
      name: "a generated name is reported by its prefix",
      limits: [{ type: "Container", min: { cpu: "100m" } }],
      object: { ...pod("", { containers: [container("app", res({ cpu: "10m" }))] }), metadata: { generateName: "web-", namespace: "default" } },
      message: 'pods "web-" is forbidden: minimum cpu usage per Container is 100m, but request is 10m',
    },
    {
      name: "claim under the minimum",
      limits: [{ type: "PersistentVolumeClaim", min: { storage: "1Gi" } }],
      object: pvc("c", "500Mi"),
      message: 'persistentvolumeclaims "c" is forbidden: minimum storage usage per PersistentVolumeClaim is 1Gi, but request is 500Mi',
    },
    {
      name: "claim over the maximum",
      limits: [{ type: "PersistentVolumeClaim", max: { storage: "10Gi" } }],
      object: pvc("c", "20Gi"),
      message: 'persistentvolumeclaims "c" is forbidden: maximum storage usage per PersistentVolumeClaim is 10Gi, but request is 20Gi',
    },
    {
      name: "claim without a request",
      limits: [{ type: "PersistentVolumeClaim", max: { storage: "10Gi" } }],
      object: pvc("c"),
      message: 'persistentvolumeclaims "c" is forbidden: maximum storage usage per PersistentVolumeClaim is 10Gi.  No request is specified',
    },
    {
      name: "claims are not checked against Container items",
      limits: [{ type: "Container", min: { cpu: "1" } }],
      object: pvc("c", "1Gi"),
    },
  ];
  for (const c of cases) {
    it(c.name, async () => {
      const deps = fakeDeps([lr(c.limits)]);
      const a = attrs(c.object);
      if (!c.object.metadata.name) a.name = "";
      const got = await rejection(new LimitRanger(deps), a);
      assert.deepEqual(got, c.message ? { code: 403, message: c.message } : undefined);
    });
  }

  it("claim updates are checked; objects being deleted are not", async () => {
    const plugin = new LimitRanger(fakeDeps([lr([{ type: "PersistentVolumeClaim", max: { storage: "10Gi" } }])]));
    const old = pvc("c", "5Gi");
    assert.equal((await rejection(plugin, attrs(pvc("c", "20Gi"), { operation: "UPDATE", old })))?.code, 403);
    const deleting = { ...old, metadata: { ...old.metadata, deletionTimestamp: "2026-01-01T00:00:00Z" } };
    assert.equal(await rejection(plugin, attrs(pvc("c", "20Gi"), { operation: "UPDATE", old: deleting })), undefined);
  });
});
