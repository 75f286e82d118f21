// The pure parts of the Endpoints and EndpointSlice controllers: subsets as upstream's
// RepackSubsets builds them, truncation, port resolution, the trigger-time tracker and the
// EndpointSlice reconciler's decisions.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { KubeObject } from "../../../../src/apimachinery/types.js";
import { desiredSubsets, repackSubsets, truncateSubsets, type EndpointSubset } from "../../../../src/controllers/networking/endpoints.js";
import {
  CONTROLLER_NAME,
  MANAGED_BY_LABEL,
  SERVICE_NAME_LABEL,
  SliceTracker,
  reconcileSlices,
  type Slice,
  type SliceEndpoint,
} from "../../../../src/controllers/networking/endpointslice.js";
import { TriggerTimeTracker, findPort, formatRFC3339Nano, servicesToUpdateOnPodChange } from "../../../../src/controllers/networking/util.js";

type Obj = Record<string, any>;

function service(name: string, spec: Obj = {}, labels?: Record<string, string>): KubeObject {
  return {
    apiVersion: "v1",
    kind: "Service",
    metadata: { name, namespace: "ns", uid: `svc-${name}`, creationTimestamp: "2026-01-01T00:00:00Z", ...(labels ? { labels } : {}) },
    spec: { selector: { app: name }, clusterIP: "10.96.100.1", clusterIPs: ["10.96.100.1"], ipFamilies: ["IPv4"], ports: [{ name: "http", port: 80, protocol: "TCP", targetPort: 8080 }], ...spec },
  };
}

let podSeq = 0;
function pod(name: string, ip: string | undefined, opts: { ready?: boolean; node?: string; ports?: Obj[]; phase?: string; deleting?: boolean; hostname?: string; subdomain?: string; readyAt?: string } = {}): KubeObject {
  return {
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name, namespace: "ns", uid: `uid-${name}`, labels: { app: "web" }, resourceVersion: String(++podSeq), ...(opts.deleting ? { deletionTimestamp: "2026-01-01T00:01:00Z" } : {}) },
    spec: {
      nodeName: opts.node ?? "node-1",
      ...(opts.hostname ? { hostname: opts.hostname } : {}),
      ...(opts.subdomain ? { subdomain: opts.subdomain } : {}),
      containers: [{ name: "c", image: "nginx", ports: opts.ports ?? [{ name: "http", containerPort: 8080, protocol: "TCP" }] }],
    },
    status: {
      phase: opts.phase ?? "Running",
      ...(ip ? { podIP: ip, podIPs: [{ ip }] } : {}),
      conditions: [{ type: "Ready", status: opts.ready === false ? "False" : "True", lastTransitionTime: opts.readyAt ?? "2026-01-01T00:00:10Z" }],
    },
  };
}

const ips = (subset: EndpointSubset, field: "addresses" | "notReadyAddresses" = "addresses") => (subset[field] ?? []).map((a) => a.ip);

describe("Endpoints subsets", () => {
  it("ready and not-ready addresses with the resolved target port, sorted by IP", () => {
    const svc = service("web", { ports: [{ name: "http", port: 80, protocol: "TCP", targetPort: "http" }] });
    const subsets = desiredSubsets(svc, [pod("b", "10.244.0.9"), pod("a", "10.244.0.10"), pod("c", "10.244.0.11", { ready: false }), pod("d", undefined), pod("e", "10.244.0.12", { phase: "Succeeded" })]);
    assert.equal(subsets.length, 1);
    assert.deepEqual(ips(subsets[0]!), ["10.244.0.10", "10.244.0.9"], "upstream compares IP strings bytewise");
    assert.deepEqual(ips(subsets[0]!, "notReadyAddresses"), ["10.244.0.11"]);
    assert.deepEqual(subsets[0]!.ports, [{ name: "http", port: 8080, protocol: "TCP" }]);
    assert.deepEqual(subsets[0]!.addresses![0], {
      ip: "10.244.0.10",
      nodeName: "node-1",
      targetRef: { kind: "Pod", namespace: "ns", name: "a", uid: "uid-a" },
    });
  });

  it("pods resolving a named port differently land in different subsets", () => {
    const svc = service("web", { ports: [{ port: 80, protocol: "TCP", targetPort: "http" }] });
    const subsets = desiredSubsets(svc, [
      pod("a", "10.244.0.1"),
      pod("b", "10.244.0.2", { ports: [{ name: "http", containerPort: 9090, protocol: "TCP" }] }),
      pod("c", "10.244.0.3", { ports: [{ name: "other", containerPort: 1 }] }),
    ]);
    assert.deepEqual(
      subsets.map((s) => [ips(s), s.ports]),
      [
        [["10.244.0.1"], [{ port: 8080, protocol: "TCP" }]],
        [["10.244.0.2"], [{ port: 9090, protocol: "TCP" }]],
      ],
    );
  });

  it("several ports served by the same pods share one subset", () => {
    const svc = service("web", {
      ports: [
        { name: "https", port: 443, protocol: "TCP", targetPort: 8443 },
        { name: "http", port: 80, protocol: "TCP", targetPort: 8080 },
      ],
    });
    const subsets = desiredSubsets(svc, [pod("a", "10.244.0.1"), pod("b", "10.244.0.2", { ready: false })]);
    assert.equal(subsets.length, 1);
    assert.deepEqual(subsets[0]!.ports!.map((p) => p.name), ["http", "https"]);
    assert.deepEqual(ips(subsets[0]!), ["10.244.0.1"]);
    assert.deepEqual(ips(subsets[0]!, "notReadyAddresses"), ["10.244.0.2"]);
  });

  it("publishNotReadyAddresses publishes every address as ready, terminating ones included", () => {
    const svc = service("web", { publishNotReadyAddresses: true });
    const subsets = desiredSubsets(svc, [pod("a", "10.244.0.1", { ready: false }), pod("b", "10.244.0.2", { deleting: true })]);
    assert.deepEqual(ips(subsets[0]!), ["10.244.0.1", "10.244.0.2"]);
    assert.equal(subsets[0]!.notReadyAddresses, undefined);
    const normal = desiredSubsets(service("web"), [pod("b", "10.244.0.2", { deleting: true })]);
    assert.deepEqual(normal, [], "terminating pods leave the Endpoints");
  });

  it("headless Services without ports list bare addresses; hostnames for the Service's subdomain", () => {
    const svc = service("db", { clusterIP: "None", clusterIPs: ["None"], ports: [] });
    const subsets = desiredSubsets(svc, [pod("db-0", "10.244.0.1", { hostname: "db-0", subdomain: "db" }), pod("x", "10.244.0.2", { hostname: "x", subdomain: "other" })]);
    assert.deepEqual(subsets, [
      {
        addresses: [
          { ip: "10.244.0.1", hostname: "db-0", nodeName: "node-1", targetRef: { kind: "Pod", namespace: "ns", name: "db-0", uid: "uid-db-0" } },
          { ip: "10.244.0.2", nodeName: "node-1", targetRef: { kind: "Pod", namespace: "ns", name: "x", uid: "uid-x" } },
        ],
      },
    ]);
  });

  it("repacking: not-ready wins over ready for the same address and port", () => {
    const a = { ip: "10.0.0.1", targetRef: { kind: "Pod", namespace: "ns", name: "a", uid: "u" } };
    const port = { port: 80, protocol: "TCP" };
    assert.deepEqual(repackSubsets([{ addresses: [a], ports: [port] }, { notReadyAddresses: [a], ports: [port] }]), [{ notReadyAddresses: [a], ports: [port] }]);
  });

  it("truncates to 1000 addresses, ready ones first, in proportion per subset", () => {
    const mk = (n: number, base: number, ready: boolean): EndpointSubset => ({
      [ready ? "addresses" : "notReadyAddresses"]: Array.from({ length: n }, (_, i) => ({ ip: `10.${base}.${i >> 8}.${i & 255}` })),
      ports: [{ port: base, protocol: "TCP" }],
    });
    const ready = [mk(900, 1, true), mk(300, 2, true)];
    assert.ok(truncateSubsets(ready));
    assert.deepEqual(ready.map((s) => s.addresses!.length), [750, 250]);
    const mixed = [{ ...mk(600, 1, true), ...mk(500, 1, false) }];
    assert.ok(truncateSubsets(mixed));
    assert.equal(mixed[0]!.addresses!.length, 600);
    assert.equal(mixed[0]!.notReadyAddresses!.length, 400);
    assert.ok(!truncateSubsets([mk(1000, 1, true)]));
  });
});

describe("helpers", () => {
  it("findPort: numbers as they are, names looked up with the protocol, restartable init containers too", () => {
    const p = pod("a", "10.0.0.1", { ports: [{ name: "dns", containerPort: 53, protocol: "UDP" }] });
    (p.spec as Obj).initContainers = [{ name: "side", restartPolicy: "Always", ports: [{ name: "metrics", containerPort: 9100 }] }];
    assert.equal(findPort(p, { port: 80, targetPort: 8080 }), 8080);
    assert.equal(findPort(p, { port: 53, protocol: "UDP", targetPort: "dns" }), 53);
    assert.equal(findPort(p, { port: 53, protocol: "TCP", targetPort: "dns" }), undefined);
    assert.equal(findPort(p, { port: 9100, targetPort: "metrics" }), 9100);
  });

  it("trigger times: the Service's creation first, then the earliest Ready transition that changed", () => {
    const t = new TriggerTimeTracker();
    const svc = service("web");
    const a = pod("a", "10.0.0.1", { readyAt: "2026-01-01T00:00:10Z" });
    assert.equal(formatRFC3339Nano(t.compute(svc, [a])), "2026-01-01T00:00:00Z");
    assert.equal(t.compute(svc, [a]), 0, "nothing changed");
    const b = pod("b", "10.0.0.2", { readyAt: "2026-01-01T00:00:30Z" });
    const a2 = pod("a", "10.0.0.1", { readyAt: "2026-01-01T00:00:20Z" });
    assert.equal(formatRFC3339Nano(t.compute(svc, [a2, b])), "2026-01-01T00:00:20Z");
    assert.equal(formatRFC3339Nano(Date.parse("2026-01-01T00:00:20.5Z")), "2026-01-01T00:00:20.5Z");
  });

  it("pod changes concern the Services selecting the pod before or after", () => {
    const services = new Map<string, KubeObject[]>([["ns", [service("web"), service("api", { selector: { tier: "api" } }), service("none", { selector: undefined })]]]);
    const informer = { list: (ns: string) => services.get(ns) ?? [] } as never;
    const old = pod("a", "10.0.0.1");
    const relabelled = structuredClone(old);
    relabelled.metadata.labels = { tier: "api" };
    relabelled.metadata.resourceVersion = "999";
    assert.deepEqual([...servicesToUpdateOnPodChange(informer, old, relabelled)].sort(), ["ns/api", "ns/web"]);
    const annotated = structuredClone(old);
    annotated.metadata.annotations = { x: "y" };
    annotated.metadata.resourceVersion = "1000";
    assert.deepEqual([...servicesToUpdateOnPodChange(informer, old, annotated)], [], "irrelevant changes concern nobody");
    const unready = pod("a", "10.0.0.1", { ready: false });
    assert.deepEqual([...servicesToUpdateOnPodChange(informer, old, unready)], ["ns/web"]);
  });
});

function existingSlice(svc: KubeObject, name: string, endpoints: SliceEndpoint[], ports: Obj[] | null = [{ name: "http", protocol: "TCP", port: 8080 }]): KubeObject {
  return {
    apiVersion: "discovery.k8s.io/v1",
    kind: "EndpointSlice",
    metadata: {
      name,
      namespace: "ns",
      uid: `uid-${name}`,
      generation: 1,
      labels: { [SERVICE_NAME_LABEL]: svc.metadata.name!, [MANAGED_BY_LABEL]: CONTROLLER_NAME },
      ownerReferences: [{ apiVersion: "v1", kind: "Service", name: svc.metadata.name!, uid: svc.metadata.uid!, controller: true, blockOwnerDeletion: true }],
    },
    addressType: "IPv4",
    endpoints: endpoints.length ? endpoints : null,
    ports,
  };
}

const node = (name: string, zone?: string): KubeObject => ({ apiVersion: "v1", kind: "Node", metadata: { name, ...(zone ? { labels: { "topology.kubernetes.io/zone": zone } } : {}) } });
const nodes = new Map([["node-1", node("node-1", "zone-a")], ["node-2", node("node-2")]]);
const nodeOf = (n: string) => nodes.get(n);
const sliceIPs = (s: Slice) => (s.endpoints ?? []).map((e) => e.addresses[0]).sort();

describe("EndpointSlice reconciler", () => {
  it("a new Service: one slice with every endpoint, conditions, node, zone and target", () => {
    const svc = service("web");
    const r = reconcileSlices({ svc, pods: [pod("a", "10.0.0.1"), pod("b", "10.0.0.2", { ready: false, node: "node-2" }), pod("c", "10.0.0.3", { deleting: true })], existing: [], nodeOf });
    assert.equal(r.create.length, 1);
    const s = r.create[0]!;
    assert.equal(s.metadata.generateName, "web-");
    assert.deepEqual(s.metadata.labels, { [SERVICE_NAME_LABEL]: "web", [MANAGED_BY_LABEL]: CONTROLLER_NAME });
    assert.deepEqual(s.ports, [{ name: "http", protocol: "TCP", port: 8080 }]);
    assert.deepEqual(s.endpoints, [
      { addresses: ["10.0.0.1"], conditions: { ready: true, serving: true, terminating: false }, targetRef: { kind: "Pod", namespace: "ns", name: "a", uid: "uid-a" }, nodeName: "node-1", zone: "zone-a" },
      { addresses: ["10.0.0.2"], conditions: { ready: false, serving: false, terminating: false }, targetRef: { kind: "Pod", namespace: "ns", name: "b", uid: "uid-b" }, nodeName: "node-2" },
      { addresses: ["10.0.0.3"], conditions: { ready: false, serving: true, terminating: true }, targetRef: { kind: "Pod", namespace: "ns", name: "c", uid: "uid-c" }, nodeName: "node-1", zone: "zone-a" },
    ]);
  });

  it("no endpoints: an empty placeholder slice, kept as it is", () => {
    const svc = service("web");
    const r = reconcileSlices({ svc, pods: [], existing: [], nodeOf });
    assert.equal(r.create.length, 1);
    assert.deepEqual([r.create[0]!.endpoints, r.create[0]!.ports], [[], []]);
    const again = reconcileSlices({ svc, pods: [pod("x", undefined)], existing: [existingSlice(svc, "web-abcde", [], null)], nodeOf });
    assert.deepEqual([again.create.length, again.update.length, again.delete.length], [0, 0, 0]);
  });

  it("at most 100 endpoints a slice", () => {
    const svc = service("web");
    const pods = Array.from({ length: 250 }, (_, i) => pod(`p${i}`, `10.1.${i >> 8}.${i & 255}`));
    const r = reconcileSlices({ svc, pods, existing: [], nodeOf });
    assert.deepEqual(r.create.map((s) => s.endpoints!.length), [100, 100, 50]);
  });

  it("changes touch only the slices holding changed endpoints; new endpoints fill a slice being updated", () => {
    const svc = service("web");
    const pods = Array.from({ length: 150 }, (_, i) => pod(`p${i}`, `10.1.0.${i}`));
    const first = reconcileSlices({ svc, pods, existing: [], nodeOf });
    const existing = first.create.map((s, i) => ({ ...s, metadata: { ...s.metadata, name: `web-${i}`, uid: `uid-${i}` } }));
    // p120 becomes unready (second slice), p200 appears
    const next = pods.map((p) => (p.metadata.name === "p120" ? pod("p120", "10.1.0.120", { ready: false }) : p));
    next.push(pod("p200", "10.1.0.200"));
    const r = reconcileSlices({ svc, pods: next, existing, nodeOf });
    assert.equal(r.create.length, 0);
    assert.equal(r.delete.length, 0);
    assert.deepEqual(r.update.map((s) => s.metadata.name), ["web-1"]);
    assert.equal(r.update[0]!.endpoints!.length, 51);
    assert.equal(r.update[0]!.endpoints!.find((e) => e.targetRef!.name === "p120")!.conditions.ready, false);
  });

  it("emptied slices are deleted, or reused for what would otherwise be created", () => {
    const svc = service("web", { ports: [{ name: "http", port: 80, protocol: "TCP", targetPort: "http" }] });
    const ep = (n: string, ip: string): SliceEndpoint => ({ addresses: [ip], conditions: { ready: true, serving: true, terminating: false }, targetRef: { kind: "Pod", namespace: "ns", name: n, uid: `uid-${n}` }, nodeName: "node-1", zone: "zone-a" });
    const old = existingSlice(svc, "web-old", [ep("gone", "10.0.0.9")]);
    const r = reconcileSlices({ svc, pods: [pod("a", "10.0.0.1", { ports: [{ name: "http", containerPort: 9999 }] })], existing: [old], nodeOf });
    assert.deepEqual([r.create.length, r.delete.length], [0, 0]);
    assert.equal(r.update.length, 1);
    assert.equal(r.update[0]!.metadata.name, "web-old", "a create became an update of the slice being deleted");
    assert.deepEqual(r.update[0]!.ports, [{ name: "http", protocol: "TCP", port: 9999 }]);
    assert.deepEqual(sliceIPs(r.update[0]!), ["10.0.0.1"]);
  });

  it("labels follow the Service; headless Services get the headless label", () => {
    const svc = service("db", { clusterIP: "None", clusterIPs: ["None"] }, { tier: "data", [SERVICE_NAME_LABEL]: "ignored" });
    const r = reconcileSlices({ svc, pods: [pod("a", "10.0.0.1")], existing: [], nodeOf });
    assert.deepEqual(r.create[0]!.metadata.labels, { tier: "data", "service.kubernetes.io/headless": "", [SERVICE_NAME_LABEL]: "db", [MANAGED_BY_LABEL]: CONTROLLER_NAME });
  });

  it("pods on unknown nodes are skipped and reported", () => {
    const r = reconcileSlices({ svc: service("web"), pods: [pod("a", "10.0.0.1", { node: "ghost" })], existing: [], nodeOf });
    assert.deepEqual(r.errors, ["skipping Pod a for Service ns/web: Node ghost Not Found"]);
  });

  it("slices of another Service with the same name, or of a dropped address type, are deleted", () => {
    const svc = service("web");
    const stranger = existingSlice(service("web", {}, undefined), "web-x", []);
    stranger.metadata.ownerReferences = [{ apiVersion: "v1", kind: "Service", name: "web", uid: "old-uid" }];
    const v6 = { ...existingSlice(svc, "web-v6", []), addressType: "IPv6" };
    const r = reconcileSlices({ svc, pods: [pod("a", "10.0.0.1")], existing: [stranger, v6], nodeOf });
    assert.deepEqual(r.delete.map((s) => s.metadata.name).sort(), ["web-v6", "web-x"]);
    assert.equal(r.create.length, 1);
  });
});

describe("EndpointSlice tracker", () => {
  it("stale caches: older generations, expected deletions still present, written slices missing", () => {
    const t = new SliceTracker();
    const s = existingSlice(service("web"), "web-1", []);
    t.update({ ...s, metadata: { ...s.metadata, generation: 2 } });
    assert.ok(t.stale("ns/web", [s]), "generation 1 < 2");
    assert.ok(t.stale("ns/web", []), "written slice missing");
    assert.ok(!t.stale("ns/web", [{ ...s, metadata: { ...s.metadata, generation: 2 } }]));
    assert.ok(!t.shouldSync({ ...s, metadata: { ...s.metadata, generation: 2 } }), "our own write");
    assert.ok(t.shouldSync({ ...s, metadata: { ...s.metadata, generation: 3 } }), "someone else's");
    t.expectDeletion(s);
    assert.ok(t.stale("ns/web", [s]));
    assert.ok(t.handleDeletion(s), "expected");
    assert.ok(!t.stale("ns/web", []));
  });
});
