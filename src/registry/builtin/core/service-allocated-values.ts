// What upstream's service strategy does to a Service's allocated values (pkg/registry/core/service):
// a resubmitted manifest without clusterIP/nodePorts keeps the ones allocated before, clusterIPs
// follows clusterIP, and values that stop applying after a type change are dropped.
import type { KubeObject } from "../../../apimachinery/types.js";
import { type JsonObject, asArray, asObject, asString, ensureObject, semanticEqual, specOf } from "../strategy-helpers.js";

const typeOf = (spec: JsonObject): string => asString(spec.type) || "ClusterIP";

function needsClusterIP(spec: JsonObject): boolean {
  return typeOf(spec) !== "ExternalName";
}

function needsNodePort(spec: JsonObject): boolean {
  const t = typeOf(spec);
  return t === "NodePort" || t === "LoadBalancer";
}

function needsHealthCheckNodePort(spec: JsonObject): boolean {
  return typeOf(spec) === "LoadBalancer" && spec.externalTrafficPolicy === "Local";
}

function externallyAccessible(spec: JsonObject): boolean {
  const t = typeOf(spec);
  return t === "LoadBalancer" || t === "NodePort" || (t === "ClusterIP" && asArray(spec.externalIPs).length > 0);
}

function nodePortsOf(spec: JsonObject): Set<number> {
  const out = new Set<number>();
  for (const p of asArray(spec.ports)) {
    const n = asObject(p)?.nodePort;
    if (typeof n === "number" && n !== 0) out.add(n);
  }
  return out;
}

/** Keeps allocated clusterIP(s), nodePorts and healthCheckNodePort a resubmitted spec left out. */
export function patchAllocatedValues(spec: JsonObject, oldSpec: JsonObject): void {
  if (needsClusterIP(oldSpec) && needsClusterIP(spec)) {
    if (!asString(spec.clusterIP) && oldSpec.clusterIP !== undefined) spec.clusterIP = oldSpec.clusterIP;
    if (asArray(spec.clusterIPs).length === 0 && asArray(oldSpec.clusterIPs).length > 0) spec.clusterIPs = oldSpec.clusterIPs;
  }
  if (needsNodePort(oldSpec) && needsNodePort(spec)) {
    const newPorts = nodePortsOf(spec);
    const used = new Set([...nodePortsOf(oldSpec)].filter((p) => newPorts.has(p)));
    const byName = new Map<string, unknown>();
    for (const p of asArray(oldSpec.ports)) {
      const port = asObject(p);
      if (port) byName.set(asString(port.name), port.nodePort ?? 0);
    }
    for (const p of asArray(spec.ports)) {
      const port = asObject(p);
      if (!port || (typeof port.nodePort === "number" && port.nodePort !== 0)) continue;
      const oldValue = byName.get(asString(port.name));
      if (typeof oldValue === "number" && oldValue !== 0 && !used.has(oldValue)) port.nodePort = oldValue;
    }
  }
  if (needsHealthCheckNodePort(oldSpec) && needsHealthCheckNodePort(spec)) {
    if (!spec.healthCheckNodePort && oldSpec.healthCheckNodePort) spec.healthCheckNodePort = oldSpec.healthCheckNodePort;
  }
}

/** Divines clusterIPs from clusterIP for clients that only know the singular field. */
export function normalizeClusterIPs(spec: JsonObject, oldSpec: JsonObject | undefined): void {
  const clusterIP = asString(spec.clusterIP);
  const clusterIPs = asArray(spec.clusterIPs);
  if (!oldSpec) {
    if (clusterIP && clusterIPs.length === 0) spec.clusterIPs = [clusterIP];
    return;
  }
  const oldClusterIP = asString(oldSpec.clusterIP);
  const oldClusterIPs = asArray(oldSpec.clusterIPs);
  if (oldClusterIPs.length > 0 && clusterIPs.length === 0 && oldClusterIP === clusterIP) spec.clusterIPs = oldClusterIPs;
  if (oldClusterIP !== clusterIP) {
    const sameClusterIPs = semanticEqual(spec.clusterIPs, oldSpec.clusterIPs);
    if (oldClusterIP && !clusterIP) {
      if (sameClusterIPs) delete spec.clusterIPs;
    } else if (sameClusterIPs) {
      spec.clusterIPs = [clusterIP];
    }
  }
}

/** Drops values that no longer apply after a type change, when the user left them as they were. */
export function dropTypeDependentFields(svc: KubeObject, spec: JsonObject, oldSpec: JsonObject): void {
  if (needsClusterIP(oldSpec) && !needsClusterIP(spec)) {
    if (semanticEqual(spec.clusterIP, oldSpec.clusterIP) && semanticEqual(spec.clusterIPs, oldSpec.clusterIPs)) {
      delete spec.clusterIP;
      delete spec.clusterIPs;
    }
    if (semanticEqual(spec.ipFamilies, oldSpec.ipFamilies)) delete spec.ipFamilies;
    if (semanticEqual(spec.ipFamilyPolicy, oldSpec.ipFamilyPolicy)) delete spec.ipFamilyPolicy;
  }
  if (needsNodePort(oldSpec) && !needsNodePort(spec)) {
    const oldPorts = nodePortsOf(oldSpec);
    if ([...nodePortsOf(spec)].every((p) => oldPorts.has(p))) {
      for (const p of asArray(spec.ports)) {
        const port = asObject(p);
        if (port) delete port.nodePort;
      }
    }
  }
  if (needsHealthCheckNodePort(oldSpec) && !needsHealthCheckNodePort(spec)) {
    if (semanticEqual(spec.healthCheckNodePort, oldSpec.healthCheckNodePort)) delete spec.healthCheckNodePort;
  }
  const wasLB = typeOf(oldSpec) === "LoadBalancer";
  const isLB = typeOf(spec) === "LoadBalancer";
  if (wasLB && !isLB) {
    if (typeof spec.allocateLoadBalancerNodePorts === "boolean" && spec.allocateLoadBalancerNodePorts === oldSpec.allocateLoadBalancerNodePorts) {
      delete spec.allocateLoadBalancerNodePorts;
    }
    if (semanticEqual(spec.loadBalancerClass, oldSpec.loadBalancerClass)) delete spec.loadBalancerClass;
  }
  if (externallyAccessible(oldSpec) && !externallyAccessible(spec)) {
    if (semanticEqual(spec.externalTrafficPolicy, oldSpec.externalTrafficPolicy)) delete spec.externalTrafficPolicy;
  }
  if (!isLB) {
    const status = asObject(svc.status);
    if (status && asObject(status.loadBalancer) && Object.keys(asObject(status.loadBalancer) ?? {}).length > 0) {
      ensureObject(svc, "status").loadBalancer = {};
    }
  }
}

export function prepareServiceForCreate(svc: KubeObject): void {
  const spec = asObject(svc.spec);
  if (spec) normalizeClusterIPs(spec, undefined);
}

export function prepareServiceForUpdate(svc: KubeObject, old: KubeObject): void {
  const spec = ensureObject(svc, "spec");
  const oldSpec = specOf(old);
  patchAllocatedValues(spec, oldSpec);
  normalizeClusterIPs(spec, oldSpec);
  dropTypeDependentFields(svc, spec, oldSpec);
}
