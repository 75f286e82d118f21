// SetDefaults_Service rule by rule: targetPort, protocol, affinity, traffic policies per type.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { KubeObject } from "../../../src/apimachinery/types.js";
import { defaulterFor } from "../../../src/registry/defaults/index.js";

const defaultService = defaulterFor("", "v1", "Service")!;

function service(spec: Record<string, unknown>, status?: Record<string, unknown>): KubeObject {
  return { apiVersion: "v1", kind: "Service", metadata: { name: "s", namespace: "default" }, spec, ...(status ? { status } : {}) };
}

function defaulted(spec: Record<string, unknown>, status?: Record<string, unknown>): KubeObject {
  const svc = service(spec, status);
  defaultService(svc);
  return svc;
}

const specOf = (svc: KubeObject) => svc.spec as Record<string, any>;

describe("service ports", () => {
  const cases: [string, Record<string, unknown>, unknown][] = [
    ["absent targetPort", { port: 80 }, 80],
    ["null targetPort", { port: 80, targetPort: null }, 80],
    ["targetPort 0", { port: 80, targetPort: 0 }, 80],
    ['targetPort ""', { port: 80, targetPort: "" }, 80],
    ["numeric targetPort", { port: 80, targetPort: 8080 }, 8080],
    ["named targetPort", { port: 80, targetPort: "http" }, "http"],
    ["numeric string targetPort", { port: 80, targetPort: "8080" }, "8080"],
    ["no port at all", {}, 0],
  ];
  for (const [name, port, target] of cases) {
    it(`${name} → ${JSON.stringify(target)}`, () => assert.deepEqual(specOf(defaulted({ ports: [port] })).ports[0].targetPort, target));
  }

  it("protocol defaults to TCP, a given one is kept", () => {
    const ports = specOf(defaulted({ ports: [{ port: 53 }, { port: 53, protocol: "UDP" }, { port: 1, protocol: "" }] })).ports;
    assert.deepEqual(
      ports.map((p: Record<string, unknown>) => p.protocol),
      ["TCP", "UDP", "TCP"],
    );
  });
});

describe("service type and traffic policies", () => {
  const cases: [string, Record<string, unknown>, Record<string, unknown>][] = [
    ["no type", {}, { type: "ClusterIP", internalTrafficPolicy: "Cluster" }],
    ["ClusterIP", { type: "ClusterIP" }, { type: "ClusterIP", internalTrafficPolicy: "Cluster" }],
    ["ClusterIP with externalIPs", { externalIPs: ["192.0.2.1"] }, { type: "ClusterIP", internalTrafficPolicy: "Cluster", externalTrafficPolicy: "Cluster" }],
    ["ClusterIP with empty externalIPs", { externalIPs: [] }, { type: "ClusterIP", internalTrafficPolicy: "Cluster" }],
    ["NodePort", { type: "NodePort" }, { type: "NodePort", internalTrafficPolicy: "Cluster", externalTrafficPolicy: "Cluster" }],
    [
      "LoadBalancer",
      { type: "LoadBalancer" },
      { type: "LoadBalancer", internalTrafficPolicy: "Cluster", externalTrafficPolicy: "Cluster", allocateLoadBalancerNodePorts: true },
    ],
    ["ExternalName", { type: "ExternalName", externalName: "x.example.com" }, { type: "ExternalName", externalName: "x.example.com" }],
  ];
  for (const [name, spec, expected] of cases) {
    it(name, () => assert.deepEqual(specOf(defaulted(spec)), { ...spec, sessionAffinity: "None", ...expected }));
  }

  it("keeps policies the client set", () => {
    const spec = specOf(
      defaulted({ type: "LoadBalancer", externalTrafficPolicy: "Local", internalTrafficPolicy: "Local", allocateLoadBalancerNodePorts: false }),
    );
    assert.equal(spec.externalTrafficPolicy, "Local");
    assert.equal(spec.internalTrafficPolicy, "Local");
    assert.equal(spec.allocateLoadBalancerNodePorts, false);
  });

  it("gives LoadBalancer ingress IPs the VIP mode, not hostnames or set modes", () => {
    const svc = defaulted({ type: "LoadBalancer" }, { loadBalancer: { ingress: [{ ip: "203.0.113.1" }, { hostname: "lb.example.com" }, { ip: "203.0.113.2", ipMode: "Proxy" }] } });
    assert.deepEqual((svc.status as any).loadBalancer.ingress, [
      { ip: "203.0.113.1", ipMode: "VIP" },
      { hostname: "lb.example.com" },
      { ip: "203.0.113.2", ipMode: "Proxy" },
    ]);
    const clusterIP = defaulted({}, { loadBalancer: { ingress: [{ ip: "203.0.113.1" }] } });
    assert.deepEqual((clusterIP.status as any).loadBalancer.ingress, [{ ip: "203.0.113.1" }]);
  });
});

describe("session affinity", () => {
  it("ClientIP without a timeout gets 10800s", () => {
    for (const config of [undefined, {}, { clientIP: {} }, { clientIP: { timeoutSeconds: null } }]) {
      const spec = specOf(defaulted({ sessionAffinity: "ClientIP", ...(config ? { sessionAffinityConfig: config } : {}) }));
      assert.deepEqual(spec.sessionAffinityConfig, { clientIP: { timeoutSeconds: 10800 } });
    }
  });

  it("ClientIP keeps a timeout the client set", () => {
    const spec = specOf(defaulted({ sessionAffinity: "ClientIP", sessionAffinityConfig: { clientIP: { timeoutSeconds: 60 } } }));
    assert.deepEqual(spec.sessionAffinityConfig, { clientIP: { timeoutSeconds: 60 } });
  });

  it("None (given or defaulted) drops sessionAffinityConfig, as upstream does", () => {
    for (const affinity of [undefined, "None"]) {
      const spec = specOf(defaulted({ ...(affinity ? { sessionAffinity: affinity } : {}), sessionAffinityConfig: { clientIP: { timeoutSeconds: 60 } } }));
      assert.equal(spec.sessionAffinity, "None");
      assert.equal("sessionAffinityConfig" in spec, false);
    }
  });
});
