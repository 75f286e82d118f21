// The Service allocator of the ServiceIPAllocation admission plugin, driven directly with a fake
// store: cluster IPs, NodePorts and health-check NodePorts, requested values and their conflicts,
// exhaustion and release, leases of in-flight and failed requests, type changes, dry runs and the
// IP family defaults.
import assert from "node:assert/strict";
import { setImmediate as nextTurn } from "node:timers/promises";
import { describe, it } from "node:test";
import { IN_FLIGHT_MS, ServiceAllocator } from "../../../../src/admission/plugins/service-ip-allocation.js";
import type { AdmissionDeps } from "../../../../src/admission/plugins/deps.js";
import { ApiError } from "../../../../src/apimachinery/errors.js";
import type { KubeObject } from "../../../../src/apimachinery/types.js";
import { DEFAULT_CLUSTER_OPTIONS } from "../../../../src/controlplane/context.js";
import { FakeClock } from "../../../../src/util/clock.js";

type Obj = Record<string, any>;

class FakeStore {
  readonly services = new Map<string, KubeObject>();
  readonly clock = new FakeClock();
  private uid = 0;
  deps(cluster: Partial<typeof DEFAULT_CLUSTER_OPTIONS> = {}): AdmissionDeps {
    return {
      get: (_g, resource, ns, name) => (resource === "services" ? this.services.get(`${ns}/${name}`) : undefined),
      list: (_g, resource) => (resource === "services" ? [...this.services.values()] : []),
      clock: this.clock,
      cluster: { ...DEFAULT_CLUSTER_OPTIONS, clusterCA: "", kubernetesVersion: "v1.33.1", ...cluster },
    };
  }
  nextUID(): string {
    return `uid-${++this.uid}`;
  }
}

function svc(name: string, spec: Obj, namespace = "default"): KubeObject {
  return { apiVersion: "v1", kind: "Service", metadata: { name, namespace }, spec: { selector: { app: name }, ports: [{ port: 80, protocol: "TCP", targetPort: 80 }], ...spec } };
}

class Harness {
  readonly store = new FakeStore();
  readonly alloc: ServiceAllocator;
  constructor(cluster: Partial<typeof DEFAULT_CLUSTER_OPTIONS> = {}, random?: () => number) {
    this.alloc = new ServiceAllocator(this.store.deps(cluster), random);
  }

  /** The admission phases of a create, then the write (unless told to fail before or after validation). */
  create(s: KubeObject, opts: { dryRun?: boolean; fail?: "validation" | "write" } = {}): KubeObject {
    const obj = structuredClone(s);
    const txn = this.alloc.allocateCreate(obj, !!opts.dryRun);
    if (opts.dryRun) return obj;
    this.alloc.track(obj, txn);
    if (opts.fail === "validation") return obj;
    obj.metadata.uid = this.store.nextUID();
    this.alloc.confirm(obj, undefined);
    if (opts.fail !== "write") this.store.services.set(`${obj.metadata.namespace}/${obj.metadata.name}`, obj);
    return obj;
  }

  update(name: string, change: (spec: Obj) => void, opts: { dryRun?: boolean } = {}): KubeObject {
    const old = this.get(name);
    const obj = structuredClone(old);
    change(obj.spec as Obj);
    const txn = this.alloc.allocateUpdate(obj, old, !!opts.dryRun);
    if (opts.dryRun) return obj;
    this.alloc.track(obj, txn);
    this.alloc.confirm(obj, old);
    this.store.services.set(`default/${name}`, obj);
    return obj;
  }

  delete(name: string): void {
    const old = this.get(name);
    this.alloc.observeExisting(old);
    this.store.services.delete(`default/${name}`);
  }

  get(name: string): KubeObject {
    return this.store.services.get(`default/${name}`)!;
  }
}

const spec = (o: KubeObject) => o.spec as Obj;

function rejects(fn: () => unknown, code: number, message: string | RegExp): void {
  assert.throws(fn, (err: unknown) => {
    assert.ok(err instanceof ApiError, String(err));
    assert.equal(err.code, code);
    if (typeof message === "string") assert.equal(err.message, message);
    else assert.match(err.message, message);
    return true;
  });
}

describe("cluster IPs", () => {
  it("allocates from the dynamic band of 10.96.0.0/12 and defaults the IP family fields", () => {
    const h = new Harness({}, () => 0);
    const s = h.create(svc("web", {}));
    assert.equal(spec(s).clusterIP, "10.96.1.1", "first address past the 256-address static band");
    assert.deepEqual(spec(s).clusterIPs, ["10.96.1.1"]);
    assert.deepEqual(spec(s).ipFamilies, ["IPv4"]);
    assert.equal(spec(s).ipFamilyPolicy, "SingleStack");
    assert.equal(spec(h.create(svc("web2", {}))).clusterIP, "10.96.1.2");
  });

  it("honours a requested clusterIP (clusterIPs follow clusterIP) and refuses it twice", () => {
    const h = new Harness();
    const s = h.create(svc("dns", { clusterIP: "10.96.0.10" }));
    assert.deepEqual(spec(s).clusterIPs, ["10.96.0.10"]);
    rejects(
      () => h.create(svc("other", { clusterIP: "10.96.0.10", clusterIPs: ["10.96.0.10"] })),
      422,
      'Service "other" is invalid: spec.clusterIPs: Invalid value: []string{"10.96.0.10"}: failed to allocate IP 10.96.0.10: provided IP is already allocated',
    );
  });

  it("refuses addresses outside the range, and the range's network and broadcast addresses", () => {
    const h = new Harness();
    rejects(
      () => h.create(svc("a", { clusterIP: "10.0.0.10" })),
      422,
      'Service "a" is invalid: spec.clusterIPs: Invalid value: []string{"10.0.0.10"}: failed to allocate IP 10.0.0.10: the provided network does not match the current range',
    );
    for (const ip of ["10.96.0.0", "10.111.255.255"])
      rejects(
        () => h.create(svc("a", { clusterIP: ip })),
        422,
        `Service "a" is invalid: spec.clusterIPs: Invalid value: []string{"${ip}"}: failed to allocate IP ${ip}: the provided IP (${ip}) is not in the valid range. The range of valid IPs is 10.96.0.0/12`,
      );
  });

  it("headless and ExternalName Services get no address", () => {
    const h = new Harness();
    const headless = h.create(svc("db", { clusterIP: "None" }));
    assert.deepEqual(spec(headless).clusterIPs, ["None"]);
    assert.deepEqual(spec(headless).ipFamilies, ["IPv4"]);
    assert.equal(spec(headless).ipFamilyPolicy, "SingleStack");
    const selectorless = h.create(svc("ext", { clusterIP: "None", selector: undefined }));
    assert.equal(spec(selectorless).ipFamilyPolicy, "RequireDualStack", "headless without selector defaults to dual-stack");
    assert.deepEqual(spec(selectorless).ipFamilies, ["IPv4", "IPv6"]);
    const ext = h.create(svc("name", { type: "ExternalName", externalName: "example.com", selector: undefined, ports: undefined }));
    assert.equal(spec(ext).clusterIP, undefined);
    assert.equal(spec(ext).ipFamilies, undefined);
    assert.equal(h.alloc.ips.used, 0);
  });

  it("IP family errors of a single-stack IPv4 cluster", () => {
    const h = new Harness();
    rejects(
      () => h.create(svc("a", { ipFamilyPolicy: "RequireDualStack" })),
      422,
      'Service "a" is invalid: spec.ipFamilyPolicy: Invalid value: "RequireDualStack": this cluster is not configured for dual-stack services',
    );
    rejects(() => h.create(svc("a", { ipFamilies: ["IPv6"] })), 422, 'Service "a" is invalid: spec.ipFamilies[0]: Invalid value: "IPv6": not configured on this cluster');
    rejects(
      () => h.create(svc("a", { clusterIP: "fd00::10" })),
      422,
      'Service "a" is invalid: spec.clusterIPs[0]: Invalid value: []string{"fd00::10"}: IPv6 is not configured on this cluster',
    );
    rejects(
      () => h.create(svc("a", { ipFamilies: ["IPv4", "IPv6"], ipFamilyPolicy: "SingleStack" })),
      422,
      /spec.ipFamilyPolicy: Invalid value: "SingleStack": must be 'RequireDualStack' or 'PreferDualStack' when multiple IP families are specified/,
    );
    const prefer = h.create(svc("p", { ipFamilyPolicy: "PreferDualStack" }));
    assert.deepEqual(spec(prefer).ipFamilies, ["IPv4"], "PreferDualStack gets what the cluster has");
    assert.equal(h.alloc.ips.used, 1, "failed requests hold nothing");
  });

  it("leaves malformed fields to validation", () => {
    const h = new Harness();
    const s = h.create(svc("a", { clusterIP: "not-an-ip" }));
    assert.equal(spec(s).clusterIP, "not-an-ip");
    assert.equal(spec(s).ipFamilyPolicy, undefined);
  });

  it("exhausts a small range, then reuses an address once its Service is gone", () => {
    const h = new Harness({ serviceCIDR: "10.0.0.0/29" });
    const got = new Set<string>();
    for (let i = 0; i < 6; i++) got.add(spec(h.create(svc(`s${i}`, {}))).clusterIP);
    assert.equal(got.size, 6);
    assert.deepEqual([...got].sort(), ["10.0.0.1", "10.0.0.2", "10.0.0.3", "10.0.0.4", "10.0.0.5", "10.0.0.6"]);
    rejects(() => h.create(svc("s6", {})), 500, "Internal error occurred: failed to allocate a serviceIP: range is full");
    const freed = spec(h.get("s3")).clusterIP;
    h.delete("s3");
    assert.equal(spec(h.create(svc("s7", {}))).clusterIP, freed);
    h.delete("s7");
    assert.equal(spec(h.create(svc("s8", { clusterIP: freed }))).clusterIP, freed, "a deleted Service's address can be asked for at once");
  });

  it("in-flight creates never share an address; a write that never lands frees it after the in-flight window", () => {
    const h = new Harness({ serviceCIDR: "10.0.0.0/29" });
    // six concurrent creates between their admission phases
    const objs = Array.from({ length: 6 }, (_, i) => {
      const o = svc(`c${i}`, {});
      h.alloc.track(o, h.alloc.allocateCreate(o, false));
      return o;
    });
    assert.equal(new Set(objs.map((o) => spec(o).clusterIP)).size, 6);
    rejects(() => h.create(svc("late", {})), 500, /range is full/);
    // all six pass validation; five are written, one fails to write (say, AlreadyExists)
    objs.forEach((o, i) => {
      o.metadata.uid = `u${i}`;
      h.alloc.confirm(o, undefined);
      if (i > 0) h.store.services.set(`default/${o.metadata.name}`, o);
    });
    rejects(() => h.create(svc("late", {})), 500, /range is full/);
    h.store.clock.advance(IN_FLIGHT_MS);
    assert.equal(spec(h.create(svc("late", {}))).clusterIP, spec(objs[0]!).clusterIP, "the lost write's address is repaired");
  });

  it("a request rejected between the admission phases gives its address back on the next turn; a retry of the same object takes it over", async () => {
    const h = new Harness();
    h.create(svc("a", { clusterIP: "10.96.0.20" }), { fail: "validation" });
    assert.equal(spec(h.create(svc("a", { clusterIP: "10.96.0.20" }), { fail: "validation" })).clusterIP, "10.96.0.20", "same object, same address");
    rejects(() => h.create(svc("b", { clusterIP: "10.96.0.20" })), 422, /provided IP is already allocated/);
    await nextTurn();
    assert.equal(spec(h.create(svc("b", { clusterIP: "10.96.0.20" }))).clusterIP, "10.96.0.20");
  });

  it("rebuilds from the stored Services on first use", () => {
    const h = new Harness();
    const existing = svc("kubernetes", { clusterIP: "10.96.0.1", clusterIPs: ["10.96.0.1"], type: "NodePort", ports: [{ port: 443, nodePort: 30443 }] });
    existing.metadata.uid = "old";
    h.store.services.set("default/kubernetes", existing);
    rejects(() => h.create(svc("x", { clusterIP: "10.96.0.1" })), 422, /provided IP is already allocated/);
    rejects(() => h.create(svc("x", { type: "NodePort", ports: [{ port: 80, nodePort: 30443 }] })), 422, /spec.ports\[0\].nodePort: Invalid value: 30443: provided port is already allocated/);
  });

  it("dry runs allocate nothing and answer upstream's placeholder values", () => {
    const h = new Harness();
    h.create(svc("dns", { clusterIP: "10.96.0.10" }));
    const dry = h.create(svc("web", { type: "LoadBalancer", externalTrafficPolicy: "Local", ports: [{ name: "a", port: 80 }, { name: "b", port: 81 }] }), { dryRun: true });
    assert.equal(spec(dry).clusterIP, "10.96.0.0");
    assert.deepEqual(spec(dry).ports.map((p: Obj) => p.nodePort), [32769, 32770]);
    assert.equal(spec(dry).healthCheckNodePort, 32771);
    assert.equal(spec(h.create(svc("x", { clusterIP: "10.96.0.10" }), { dryRun: true })).clusterIP, "10.96.0.10", "a dry run does not check requested addresses for use");
    rejects(() => h.create(svc("x", { clusterIP: "10.0.0.1" }), { dryRun: true }), 422, /the provided network does not match the current range/);
    assert.equal(h.alloc.ips.used, 1);
    assert.equal(h.alloc.nodePorts.used, 0);
  });
});

describe("NodePorts", () => {
  it("allocates one per port from the dynamic band, honouring requests", () => {
    const h = new Harness({}, () => 0);
    const s = h.create(svc("np", { type: "NodePort", ports: [{ name: "a", port: 80 }, { name: "b", port: 81, nodePort: 30001 }] }));
    assert.deepEqual(spec(s).ports.map((p: Obj) => p.nodePort), [30086, 30001]);
    assert.equal(spec(s).healthCheckNodePort, undefined);
  });

  it("ports with the same number (TCP and UDP) share a NodePort", () => {
    const h = new Harness();
    const s = h.create(svc("dns", { type: "NodePort", ports: [{ name: "dns", port: 53, protocol: "UDP" }, { name: "dns-tcp", port: 53, protocol: "TCP" }] }));
    const [a, b] = spec(s).ports.map((p: Obj) => p.nodePort);
    assert.equal(a, b);
    assert.equal(h.alloc.nodePorts.used, 1);
  });

  it("conflicts and out-of-range requests are rejected with upstream's messages", () => {
    const h = new Harness();
    h.create(svc("a", { type: "NodePort", ports: [{ port: 80, nodePort: 30080 }] }));
    rejects(
      () => h.create(svc("b", { type: "NodePort", ports: [{ name: "x", port: 81 }, { name: "y", port: 80, nodePort: 30080 }] })),
      422,
      'Service "b" is invalid: spec.ports[1].nodePort: Invalid value: 30080: provided port is already allocated',
    );
    rejects(
      () => h.create(svc("b", { type: "NodePort", ports: [{ port: 80, nodePort: 8080 }] })),
      422,
      'Service "b" is invalid: spec.ports[0].nodePort: Invalid value: 8080: provided port is not in the valid range. The range of valid ports is 30000-32767',
    );
    rejects(() => h.create(svc("b", { type: "NodePort", ports: [{ name: "x", port: 80, nodePort: 30090 }, { name: "y", port: 81, nodePort: 30090 }] })), 422, /spec.ports\[1\].nodePort: Invalid value: 30090: provided port is already allocated/);
    assert.equal(h.alloc.nodePorts.used, 1, "failed requests gave their ports back");
    assert.equal(h.alloc.ips.used, 1, "and their cluster IPs");
  });

  it("LoadBalancer Services: NodePorts unless allocateLoadBalancerNodePorts is false, and a health-check port for externalTrafficPolicy Local", () => {
    const h = new Harness();
    const lb = h.create(svc("lb", { type: "LoadBalancer", externalTrafficPolicy: "Local", allocateLoadBalancerNodePorts: true }));
    assert.ok(spec(lb).ports[0].nodePort >= 30000);
    assert.ok(spec(lb).healthCheckNodePort >= 30000);
    assert.notEqual(spec(lb).healthCheckNodePort, spec(lb).ports[0].nodePort);
    const none = h.create(svc("lb2", { type: "LoadBalancer", allocateLoadBalancerNodePorts: false, ports: [{ name: "a", port: 80 }, { name: "b", port: 81, nodePort: 31000 }] }));
    assert.deepEqual(spec(none).ports.map((p: Obj) => p.nodePort), [undefined, 31000]);
    rejects(
      () => h.create(svc("lb3", { type: "LoadBalancer", externalTrafficPolicy: "Local", healthCheckNodePort: 31000 })),
      500,
      "Internal error occurred: failed to allocate requested HealthCheck NodePort 31000: provided port is already allocated",
    );
  });

  it("exhaustion of the NodePort range", () => {
    const h = new Harness({ nodePortRange: [30000, 30003] });
    h.create(svc("a", { type: "NodePort", ports: [{ name: "a", port: 1 }, { name: "b", port: 2 }, { name: "c", port: 3 }, { name: "d", port: 4 }] }));
    rejects(() => h.create(svc("b", { type: "NodePort" })), 500, "Internal error occurred: failed to allocate a nodePort: range is full");
    h.delete("a");
    assert.ok(spec(h.create(svc("b", { type: "NodePort" }))).ports[0].nodePort >= 30000);
  });
});

describe("updates", () => {
  it("a resubmitted spec without the allocated values keeps them", () => {
    const h = new Harness();
    const s = h.create(svc("web", { type: "NodePort" }));
    const u = h.update("web", (sp) => {
      delete sp.clusterIP;
      delete sp.clusterIPs;
      delete sp.ports[0].nodePort;
    });
    assert.equal(spec(u).clusterIP, spec(s).clusterIP);
    assert.equal(spec(u).ports[0].nodePort, spec(s).ports[0].nodePort);
    assert.equal(h.alloc.nodePorts.used, 1);
  });

  it("ClusterIP → NodePort allocates; NodePort → ClusterIP releases once stored", () => {
    const h = new Harness();
    h.create(svc("web", {}));
    const np = h.update("web", (sp) => (sp.type = "NodePort"));
    const port = spec(np).ports[0].nodePort;
    assert.ok(port >= 30000);
    h.update("web", (sp) => {
      sp.type = "ClusterIP";
      delete sp.ports[0].nodePort;
    });
    assert.equal(spec(h.create(svc("other", { type: "NodePort", ports: [{ port: 80, nodePort: port }] }))).ports[0].nodePort, port);
  });

  it("ExternalName ↔ ClusterIP allocates and releases the cluster IP", () => {
    const h = new Harness();
    h.create(svc("web", { clusterIP: "10.96.0.50" }));
    h.update("web", (sp) => {
      sp.type = "ExternalName";
      sp.externalName = "example.com";
      delete sp.clusterIP;
      delete sp.clusterIPs;
      delete sp.ipFamilies;
      delete sp.ipFamilyPolicy;
    });
    assert.equal(spec(h.create(svc("b", { clusterIP: "10.96.0.50" }))).clusterIP, "10.96.0.50");
    const back = h.update("web", (sp) => {
      sp.type = "ClusterIP";
      delete sp.externalName;
    });
    assert.match(spec(back).clusterIP, /^10\.(9[6-9]|10\d|11[01])\./);
    assert.deepEqual(spec(back).ipFamilies, ["IPv4"]);
  });

  it("externalTrafficPolicy Local ↔ Cluster allocates and releases the health-check port", () => {
    const h = new Harness();
    h.create(svc("lb", { type: "LoadBalancer", externalTrafficPolicy: "Cluster" }));
    const local = h.update("lb", (sp) => (sp.externalTrafficPolicy = "Local"));
    const hc = spec(local).healthCheckNodePort;
    assert.ok(hc >= 30000);
    h.update("lb", (sp) => {
      sp.externalTrafficPolicy = "Cluster";
      delete sp.healthCheckNodePort;
    });
    assert.equal(spec(h.create(svc("x", { type: "LoadBalancer", externalTrafficPolicy: "Local", healthCheckNodePort: hc }))).healthCheckNodePort, hc);
  });

  it("a new requested NodePort on update conflicts as on create", () => {
    const h = new Harness();
    h.create(svc("a", { type: "NodePort", ports: [{ port: 80, nodePort: 30080 }] }));
    h.create(svc("b", { type: "NodePort", ports: [{ port: 80, nodePort: 30081 }] }));
    assert.throws(() => h.update("b", (sp) => (sp.ports[0].nodePort = 30080)), /spec.ports\[0\].nodePort: Invalid value: 30080: provided port is already allocated/);
  });
});
