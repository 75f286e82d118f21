// The networking group in an in-process cluster on a FakeClock: Endpoints and EndpointSlices
// following pod readiness, named ports, headless and selectorless Services, the LoadBalancer
// controller and Ingress status. No kubelet runs: the tests report pod IPs and readiness through
// pods/status themselves.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { KubeObject } from "../../../../src/apimachinery/types.js";
import { R } from "../../../../src/client/interface.js";
import { startCluster, type TestCluster } from "../../../helpers/cluster.js";

type Obj = Record<string, any>;

let c: TestCluster;
let nsSeq = 0;
let ipSeq = 10;

async function namespace(): Promise<string> {
  const ns = `net-${++nsSeq}`;
  await c.client.create(R.namespaces, "", { apiVersion: "v1", kind: "Namespace", metadata: { name: ns } });
  return ns;
}

async function service(ns: string, name: string, spec: Obj, labels?: Record<string, string>): Promise<KubeObject> {
  return c.client.create(R.services, ns, { apiVersion: "v1", kind: "Service", metadata: { name, ...(labels ? { labels } : {}) }, spec });
}

/** A pod bound to a node with an IP, Running, ready or not (what kubelets report). */
async function runningPod(ns: string, name: string, labels: Record<string, string>, opts: { ready?: boolean; node?: string; ports?: Obj[]; hostname?: string; subdomain?: string } = {}): Promise<KubeObject> {
  const pod = await c.client.create(R.pods, ns, {
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name, labels },
    spec: {
      nodeName: opts.node ?? "node-a",
      ...(opts.hostname ? { hostname: opts.hostname, subdomain: opts.subdomain } : {}),
      containers: [{ name: "app", image: "nginx", ports: opts.ports ?? [{ name: "http", containerPort: 8080 }] }],
    },
  });
  const ip = `10.244.${ipSeq >> 8}.${ipSeq++ & 255}`;
  return setPodStatus(ns, pod, ip, opts.ready ?? true);
}

async function setPodStatus(ns: string, pod: KubeObject, ip: string, ready: boolean): Promise<KubeObject> {
  const fresh = structuredClone(await c.client.get(R.pods, ns, pod.metadata.name!));
  const now = new Date(c.clock.now()).toISOString().replace(/\.\d+Z$/, "Z");
  fresh.status = {
    phase: "Running",
    podIP: ip,
    podIPs: [{ ip }],
    hostIP: "172.18.0.2",
    conditions: [
      { type: "Ready", status: ready ? "True" : "False", lastTransitionTime: now },
      { type: "ContainersReady", status: ready ? "True" : "False", lastTransitionTime: now },
    ],
  };
  return c.client.update(R.pods, ns, fresh, { subresource: "status" });
}

async function setReady(ns: string, name: string, ready: boolean): Promise<void> {
  const pod = await c.client.get(R.pods, ns, name);
  await setPodStatus(ns, pod, (pod.status as Obj).podIP, ready);
}

async function endpoints(ns: string, name: string): Promise<KubeObject | undefined> {
  try {
    return await c.client.get(R.endpoints, ns, name);
  } catch {
    return undefined;
  }
}

async function slices(ns: string, svc: string): Promise<Obj[]> {
  return (await c.client.list(R.endpointslices, ns, { labelSelector: `kubernetes.io/service-name=${svc}` })).items as Obj[];
}

const readyIPs = (ep: KubeObject | undefined) => ((ep?.subsets as Obj[] | undefined) ?? []).flatMap((s) => (s.addresses ?? []).map((a: Obj) => a.ip)).sort();
const notReadyIPs = (ep: KubeObject | undefined) => ((ep?.subsets as Obj[] | undefined) ?? []).flatMap((s) => (s.notReadyAddresses ?? []).map((a: Obj) => a.ip)).sort();
const sliceEndpoints = (list: Obj[]) => list.flatMap((s) => s.endpoints ?? []).sort((a: Obj, b: Obj) => (a.targetRef.name < b.targetRef.name ? -1 : 1));

async function events(ns: string, kind: string, name: string): Promise<string[]> {
  const list = await c.client.list(R.events, ns);
  return list.items
    .filter((e: Obj) => e.involvedObject.kind === kind && e.involvedObject.name === name)
    .map((e: Obj) => `${e.source.component} ${e.type} ${e.reason} ${e.message}`)
    .sort();
}

before(async () => {
  c = await startCluster({ groups: ["networking"] });
  await c.client.create(R.nodes, "", { apiVersion: "v1", kind: "Node", metadata: { name: "node-a", labels: { "topology.kubernetes.io/zone": "zone-1" } } });
  await c.client.create(R.nodes, "", { apiVersion: "v1", kind: "Node", metadata: { name: "node-b" } });
});
after(async () => {
  await c.stop();
});

describe("Endpoints and EndpointSlices", () => {
  it("follow pod readiness, named target ports and pod deletion", async () => {
    const ns = await namespace();
    await service(ns, "web", { selector: { app: "web" }, ports: [{ name: "http", port: 80, targetPort: "http" }] }, { app: "web" });
    const a = await runningPod(ns, "web-a", { app: "web" }, { ready: false });
    const b = await runningPod(ns, "web-b", { app: "web" }, { node: "node-b" });
    const ipA = (a.status as Obj).podIP;
    const ipB = (b.status as Obj).podIP;

    let ep = await c.until(async () => {
      const e = await endpoints(ns, "web");
      return readyIPs(e).length === 1 && notReadyIPs(e).length === 1 && e;
    }, { what: "Endpoints with one ready and one not-ready address" });
    assert.deepEqual(readyIPs(ep), [ipB]);
    assert.deepEqual(notReadyIPs(ep), [ipA]);
    const subset = (ep.subsets as Obj[])[0]!;
    assert.deepEqual(subset.ports, [{ name: "http", port: 8080, protocol: "TCP" }]);
    assert.deepEqual(subset.addresses[0], { ip: ipB, nodeName: "node-b", targetRef: { kind: "Pod", namespace: ns, name: "web-b", uid: b.metadata.uid } });
    assert.deepEqual(ep.metadata.labels, { app: "web" });
    assert.match(ep.metadata.annotations!["endpoints.kubernetes.io/last-change-trigger-time"]!, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    assert.equal(ep.metadata.managedFields![0]!.manager, "kube-controller-manager");

    let sl = await c.until(async () => {
      const l = await slices(ns, "web");
      return l.length === 1 && sliceEndpoints(l).length === 2 && l;
    }, { what: "one slice with two endpoints" });
    const slice = sl[0]!;
    assert.match(slice.metadata.name, /^web-[a-z0-9]{5}$/);
    assert.equal(slice.addressType, "IPv4");
    assert.deepEqual(slice.metadata.labels, { app: "web", "kubernetes.io/service-name": "web", "endpointslice.kubernetes.io/managed-by": "endpointslice-controller.k8s.io" });
    assert.equal(slice.metadata.ownerReferences[0].kind, "Service");
    assert.deepEqual(slice.ports, [{ name: "http", protocol: "TCP", port: 8080 }]);
    assert.deepEqual(sliceEndpoints(sl), [
      { addresses: [ipA], conditions: { ready: false, serving: false, terminating: false }, targetRef: { kind: "Pod", namespace: ns, name: "web-a", uid: a.metadata.uid }, nodeName: "node-a", zone: "zone-1" },
      { addresses: [ipB], conditions: { ready: true, serving: true, terminating: false }, targetRef: { kind: "Pod", namespace: ns, name: "web-b", uid: b.metadata.uid }, nodeName: "node-b" },
    ]);

    // web-a becomes ready
    await setReady(ns, "web-a", true);
    ep = await c.until(async () => {
      const e = await endpoints(ns, "web");
      return readyIPs(e).length === 2 && e;
    }, { what: "both ready" });
    assert.deepEqual(notReadyIPs(ep), []);
    sl = await c.until(async () => {
      const l = await slices(ns, "web");
      return sliceEndpoints(l).every((e: Obj) => e.conditions.ready) && l;
    }, { what: "both ready in the slice" });
    assert.equal(sl[0]!.metadata.name, slice.metadata.name, "the same slice is updated");

    // web-b is deleted gracefully: terminating in the slice, gone from Endpoints
    await c.client.delete(R.pods, ns, "web-b");
    ep = await c.until(async () => {
      const e = await endpoints(ns, "web");
      return readyIPs(e).length === 1 && e;
    }, { what: "terminating pod left the Endpoints" });
    assert.deepEqual(readyIPs(ep), [ipA]);
    const terminating = await c.until(async () => sliceEndpoints(await slices(ns, "web")).find((e: Obj) => e.conditions.terminating), { what: "terminating endpoint" });
    assert.deepEqual(terminating.conditions, { ready: false, serving: true, terminating: true });
  });

  it("headless Services: the headless label, no ports needed; hostnames for the subdomain", async () => {
    const ns = await namespace();
    await service(ns, "db", { clusterIP: "None", selector: { app: "db" } });
    const p = await runningPod(ns, "db-0", { app: "db" }, { hostname: "db-0", subdomain: "db" });
    const ep = await c.until(async () => {
      const e = await endpoints(ns, "db");
      return readyIPs(e).length === 1 && e;
    }, { what: "headless Endpoints" });
    assert.deepEqual(ep.metadata.labels, { "service.kubernetes.io/headless": "" });
    assert.deepEqual(ep.subsets, [{ addresses: [{ ip: (p.status as Obj).podIP, hostname: "db-0", nodeName: "node-a", targetRef: { kind: "Pod", namespace: ns, name: "db-0", uid: p.metadata.uid } }] }]);
    const sl = await c.until(async () => {
      const l = await slices(ns, "db");
      return sliceEndpoints(l).length === 1 && l;
    }, { what: "headless slice" });
    assert.equal(sl[0]!.metadata.labels["service.kubernetes.io/headless"], "");
    assert.equal(sl[0]!.ports, null);
    assert.equal(sl[0]!.endpoints[0].hostname, "db-0");
  });

  it("Services without pods get a placeholder slice and Endpoints without subsets", async () => {
    const ns = await namespace();
    await service(ns, "empty", { selector: { app: "nothing" }, ports: [{ port: 80 }] });
    const sl = await c.until(async () => {
      const l = await slices(ns, "empty");
      return l.length === 1 && l;
    }, { what: "placeholder slice" });
    assert.equal(sl[0]!.endpoints, null);
    assert.equal(sl[0]!.ports, null);
    const ep = await c.until(() => endpoints(ns, "empty"), { what: "empty Endpoints" });
    assert.equal(ep.subsets, undefined);
  });

  it("selectorless Services keep the Endpoints they have, mirrored to EndpointSlices; the kubernetes Endpoints are left alone", async () => {
    const ns = await namespace();
    await service(ns, "external", { ports: [{ port: 80 }] });
    const custom = await c.client.create(R.endpoints, ns, {
      apiVersion: "v1",
      kind: "Endpoints",
      metadata: { name: "external", labels: { team: "db" }, annotations: { note: "kept" } },
      subsets: [{ addresses: [{ ip: "192.0.2.1" }], notReadyAddresses: [{ ip: "192.0.2.2" }], ports: [{ port: 80 }] }],
    });
    const before = await c.client.get(R.endpoints, "default", "kubernetes");
    const mirrored = await c.until(async () => {
      const l = await slices(ns, "external");
      return l.length === 1 && l[0];
    }, { what: "mirrored slice" });
    assert.match(mirrored.metadata.name, /^external-[a-z0-9]{5}$/);
    assert.deepEqual(mirrored.metadata.labels, { team: "db", "kubernetes.io/service-name": "external", "endpointslice.kubernetes.io/managed-by": "endpointslicemirroring-controller.k8s.io" });
    assert.deepEqual(mirrored.metadata.annotations, { note: "kept" });
    assert.deepEqual(mirrored.metadata.ownerReferences, [{ apiVersion: "v1", kind: "Endpoints", name: "external", uid: custom.metadata.uid, controller: true, blockOwnerDeletion: true }]);
    assert.deepEqual(mirrored.ports, [{ name: "", protocol: "TCP", port: 80 }]);
    assert.deepEqual(mirrored.endpoints, [
      { addresses: ["192.0.2.1"], conditions: { ready: true } },
      { addresses: ["192.0.2.2"], conditions: { ready: false } },
    ]);
    for (let i = 0; i < 5; i++) {
      await c.settle();
      c.clock.advance(1000);
    }
    const ep = await c.client.get(R.endpoints, ns, "external");
    assert.equal(ep.metadata.resourceVersion, custom.metadata.resourceVersion, "the Endpoints controller leaves them alone");
    const after = await c.client.get(R.endpoints, "default", "kubernetes");
    assert.equal(after.metadata.resourceVersion, before.metadata.resourceVersion);
    assert.deepEqual(
      (await slices("default", "kubernetes")).map((s) => s.metadata.name),
      ["kubernetes"],
      "skip-mirror: only the API server's own slice",
    );
    await c.client.delete(R.endpoints, ns, "external");
    await c.until(async () => (await slices(ns, "external")).length === 0, { what: "mirrored slice removed with its Endpoints" });
  });

  it("Service labels and publishNotReadyAddresses changes reach the Endpoints; deleting the Service deletes them", async () => {
    const ns = await namespace();
    const svc = await service(ns, "api", { selector: { app: "api" }, ports: [{ port: 80, targetPort: 8080 }] });
    await runningPod(ns, "api-0", { app: "api" }, { ready: false });
    await c.until(async () => notReadyIPs(await endpoints(ns, "api")).length === 1, { what: "not ready" });
    await c.client.patch(R.services, ns, "api", "merge", { metadata: { labels: { team: "x" } }, spec: { publishNotReadyAddresses: true } });
    const ep = await c.until(async () => {
      const e = await endpoints(ns, "api");
      return readyIPs(e).length === 1 && e?.metadata.labels?.team === "x" && e;
    }, { what: "published and relabelled" });
    assert.deepEqual(ep.metadata.labels, { team: "x" });
    const sl = await c.until(async () => {
      const l = await slices(ns, "api");
      return l[0]?.metadata.labels.team === "x" && sliceEndpoints(l)[0]?.conditions.ready && l;
    }, { what: "slice relabelled" });
    assert.deepEqual(sliceEndpoints(sl)[0].conditions, { ready: true, serving: false, terminating: false });
    await c.client.delete(R.services, ns, svc.metadata.name!);
    await c.until(async () => !(await endpoints(ns, "api")), { what: "Endpoints deleted with the Service" });
    await c.until(async () => (await slices(ns, "api")).length === 0, { what: "the garbage collector removes the Service's slices" });
  });

  it("a pod whose labels stop matching leaves; 230 pods make three slices of at most 100", async () => {
    const ns = await namespace();
    await service(ns, "big", { selector: { app: "big" }, ports: [{ port: 80, targetPort: 8080 }] });
    for (let i = 0; i < 230; i++) await runningPod(ns, `big-${i}`, { app: "big" });
    const sl = await c.until(async () => {
      const l = await slices(ns, "big");
      return sliceEndpoints(l).length === 230 && l;
    }, { what: "230 endpoints" });
    assert.deepEqual(sl.map((s) => s.endpoints.length).sort((x, y) => x - y), [30, 100, 100]);
    await c.until(async () => readyIPs(await endpoints(ns, "big")).length === 230, { what: "230 addresses" });
    await c.client.patch(R.pods, ns, "big-7", "merge", { metadata: { labels: { app: "other" } } });
    await c.until(async () => readyIPs(await endpoints(ns, "big")).length === 229, { what: "relabelled pod left" });
    const after = await c.until(async () => {
      const l = await slices(ns, "big");
      return sliceEndpoints(l).length === 229 && l;
    }, { what: "229 endpoints" });
    assert.equal(after.length, 3);
  });
});

describe("Service allocation in the cluster", () => {
  it("a Service like `kubectl expose` creates gets an address; NodePort and LoadBalancer get node ports", async () => {
    const ns = await namespace();
    const svc = await service(ns, "web", { selector: { app: "web" }, ports: [{ port: 80, protocol: "TCP", targetPort: 80 }] });
    const spec = svc.spec as Obj;
    assert.match(spec.clusterIP, /^10\.(9[6-9]|10\d|11[01])\.\d+\.\d+$/);
    assert.deepEqual(spec.clusterIPs, [spec.clusterIP]);
    assert.deepEqual([spec.ipFamilies, spec.ipFamilyPolicy], [["IPv4"], "SingleStack"]);
    const np = await service(ns, "np", { type: "NodePort", selector: { app: "web" }, ports: [{ port: 80 }] });
    const port = (np.spec as Obj).ports[0].nodePort;
    assert.ok(port >= 30000 && port <= 32767);
    await assert.rejects(service(ns, "np2", { type: "NodePort", selector: { app: "web" }, ports: [{ port: 80, nodePort: port }] }), {
      message: `Service "np2" is invalid: spec.ports[0].nodePort: Invalid value: ${port}: provided port is already allocated`,
    });
    await assert.rejects(
      c.client.patch(R.services, ns, "web", "merge", { spec: { clusterIP: "10.96.0.99", clusterIPs: ["10.96.0.99"] } }),
      (err: Error) => /spec.clusterIPs\[0\]: Invalid value: .*may not change once set/.test(err.message),
    );
  });
});

describe("LoadBalancer Services", () => {
  it("get an address with ipMode VIP, the cleanup finalizer and events; deletion releases the address", async () => {
    const ns = await namespace();
    await service(ns, "lb1", { type: "LoadBalancer", selector: { app: "x" }, ports: [{ port: 80 }] });
    const lb1 = await c.until(async () => {
      const s = await c.client.get(R.services, ns, "lb1");
      return (s.status as Obj)?.loadBalancer?.ingress && s;
    }, { what: "lb1 address" });
    const ip1 = (lb1.status as Obj).loadBalancer.ingress[0].ip;
    assert.match(ip1, /^172\.18\.255\.\d+$/);
    assert.deepEqual((lb1.status as Obj).loadBalancer.ingress, [{ ip: ip1, ipMode: "VIP" }]);
    assert.deepEqual(lb1.metadata.finalizers, ["service.kubernetes.io/load-balancer-cleanup"]);
    await c.until(async () => (await events(ns, "Service", "lb1")).length === 2, { what: "events" });
    assert.deepEqual(await events(ns, "Service", "lb1"), [
      "service-controller Normal EnsuredLoadBalancer Ensured load balancer",
      "service-controller Normal EnsuringLoadBalancer Ensuring load balancer",
    ]);

    await service(ns, "lb2", { type: "LoadBalancer", selector: { app: "x" }, ports: [{ port: 80 }] });
    const ip2 = await c.until(async () => ((await c.client.get(R.services, ns, "lb2")).status as Obj)?.loadBalancer?.ingress?.[0]?.ip, { what: "lb2 address" });
    assert.notEqual(ip2, ip1);

    await c.client.delete(R.services, ns, "lb1");
    await c.until(
      async () => {
        try {
          await c.client.get(R.services, ns, "lb1");
          return false;
        } catch {
          return true;
        }
      },
      { what: "lb1 gone once its finalizer is removed" },
    );
    await service(ns, "lb3", { type: "LoadBalancer", selector: { app: "x" }, ports: [{ port: 80 }] });
    const ip3 = await c.until(async () => ((await c.client.get(R.services, ns, "lb3")).status as Obj)?.loadBalancer?.ingress?.[0]?.ip, { what: "lb3 address" });
    assert.equal(ip3, ip1, "the released address is handed out again");
  });

  it("a type change away from LoadBalancer releases the address and removes the finalizer; loadBalancerClass Services are someone else's", async () => {
    const ns = await namespace();
    await service(ns, "lb", { type: "LoadBalancer", selector: { app: "x" }, ports: [{ port: 80 }] });
    await c.until(async () => ((await c.client.get(R.services, ns, "lb")).status as Obj)?.loadBalancer?.ingress, { what: "address" });
    await c.client.patch(R.services, ns, "lb", "merge", { spec: { type: "ClusterIP", allocateLoadBalancerNodePorts: null, externalTrafficPolicy: null, ports: [{ port: 80, targetPort: 80, protocol: "TCP" }] } });
    const s = await c.until(async () => {
      const x = await c.client.get(R.services, ns, "lb");
      return !x.metadata.finalizers && x;
    }, { what: "finalizer removed" });
    assert.deepEqual((s.status as Obj).loadBalancer, {});
    await c.until(async () => (await events(ns, "Service", "lb")).some((e) => e.includes("DeletedLoadBalancer")), { what: "deletion events" });
    const ev = await events(ns, "Service", "lb");
    assert.ok(ev.includes("service-controller Normal Type LoadBalancer -> ClusterIP"), ev.join("\n"));
    assert.ok(ev.includes("service-controller Normal DeletingLoadBalancer Deleting load balancer"));

    await service(ns, "other", { type: "LoadBalancer", loadBalancerClass: "example.com/lb", selector: { app: "x" }, ports: [{ port: 80 }] });
    for (let i = 0; i < 5; i++) {
      await c.settle();
      c.clock.advance(1000);
    }
    const other = await c.client.get(R.services, ns, "other");
    assert.deepEqual((other.status as Obj).loadBalancer, {});
    assert.equal(other.metadata.finalizers, undefined);
  });
});

describe("Ingress status", () => {
  const ingress = (name: string, cls?: string): KubeObject => ({
    apiVersion: "networking.k8s.io/v1",
    kind: "Ingress",
    metadata: { name },
    spec: { ...(cls ? { ingressClassName: cls } : {}), rules: [{ host: "web.example.com", http: { paths: [{ path: "/", pathType: "Prefix", backend: { service: { name: "web", port: { number: 80 } } } }] } }] },
  });

  it("Ingresses with a class get the published address; class-less ones once a default class exists", async () => {
    const ns = await namespace();
    await c.client.create(R.ingresses, ns, ingress("with-class", "nginx"));
    await c.client.create(R.ingresses, ns, ingress("no-class"));
    const ing = await c.until(async () => {
      const i = await c.client.get(R.ingresses, ns, "with-class");
      return (i.status as Obj)?.loadBalancer?.ingress && i;
    }, { what: "address" });
    assert.deepEqual((ing.status as Obj).loadBalancer, { ingress: [{ hostname: "localhost" }] });
    await c.until(async () => (await events(ns, "Ingress", "with-class")).length > 0, { what: "Sync event" });
    assert.deepEqual([...new Set(await events(ns, "Ingress", "with-class"))], ["nginx-ingress-controller Normal Sync Scheduled for sync"]);
    assert.deepEqual(((await c.client.get(R.ingresses, ns, "no-class")).status as Obj).loadBalancer, {});

    await c.client.create(R.ingressclasses, "", {
      apiVersion: "networking.k8s.io/v1",
      kind: "IngressClass",
      metadata: { name: "nginx", annotations: { "ingressclass.kubernetes.io/is-default-class": "true" } },
      spec: { controller: "k8s.io/ingress-nginx" },
    });
    await c.until(async () => ((await c.client.get(R.ingresses, ns, "no-class")).status as Obj)?.loadBalancer?.ingress, { what: "default class address" });
    await c.client.delete(R.ingressclasses, "", "nginx");
  });
});
