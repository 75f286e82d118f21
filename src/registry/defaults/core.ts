// core/v1 defaulting other than the PodSpec family (pkg/apis/core/v1/defaults.go and
// zz_generated.defaults.go, Kubernetes 1.33). ConfigMap's defaulter (data = {} when nil) has no
// visible effect (data is omitempty) and ServiceAccount has none.
import type { KubeObject } from "../../apimachinery/types.js";
import {
  defaultAzureDisk,
  defaultHostPath,
  defaultISCSI,
  defaultPVCSpec,
  defaultPod,
  defaultPodTemplateSpec,
  defaultRBD,
  defaultScaleIO,
} from "./pod-spec.js";
import { defaultResourceList } from "./quantity.js";
import {
  type Json,
  child,
  defaultNil,
  defaultString,
  ensureChild,
  isEmptyCollection,
  isNil,
  items,
  obj,
} from "./util.js";

/** v1.DefaultClientIPServiceAffinitySeconds: three hours. */
export const DEFAULT_CLIENT_IP_AFFINITY_SECONDS = 10800;

export function defaultPodObject(pod: KubeObject): void {
  defaultPod(pod);
}

export function defaultPodTemplate(template: KubeObject): void {
  defaultPodTemplateSpec(obj(template.template));
}

/** SetDefaults_ReplicationController, the "+default=1" of spec.replicas, and the template. */
export function defaultReplicationController(rc: KubeObject): void {
  const spec = obj(rc.spec);
  if (!spec) return;
  const template = child(spec, "template");
  const labels = child(child(template, "metadata"), "labels");
  if (labels && Object.keys(labels).length > 0) {
    if (isEmptyCollection(spec.selector)) spec.selector = { ...labels };
    if (isEmptyCollection(rc.metadata.labels)) rc.metadata.labels = { ...(labels as Record<string, string>) };
  }
  defaultNil(spec, "replicas", 1);
  defaultPodTemplateSpec(template);
}

/** A LoadBalancer, a NodePort, or a ClusterIP with external IPs (service.ExternallyAccessible). */
function externallyAccessible(spec: Json): boolean {
  const type = spec.type;
  const externalIPs = spec.externalIPs;
  return type === "LoadBalancer" || type === "NodePort" || (type === "ClusterIP" && Array.isArray(externalIPs) && externalIPs.length > 0);
}

/** SetDefaults_Service. Allocation (clusterIPs, ipFamilies, ipFamilyPolicy, nodePorts) is not defaulting. */
export function defaultService(svc: KubeObject): void {
  const spec = obj(svc.spec);
  if (!spec) return;
  defaultString(spec, "sessionAffinity", "None");
  if (spec.sessionAffinity === "None") delete spec.sessionAffinityConfig;
  if (spec.sessionAffinity === "ClientIP") {
    const timeout = child(child(spec, "sessionAffinityConfig"), "clientIP")?.timeoutSeconds;
    if (isNil(timeout)) spec.sessionAffinityConfig = { clientIP: { timeoutSeconds: DEFAULT_CLIENT_IP_AFFINITY_SECONDS } };
  }
  defaultString(spec, "type", "ClusterIP");
  for (const port of items(spec, "ports")) {
    defaultString(port, "protocol", "TCP");
    const target = port.targetPort;
    if (isNil(target) || target === 0 || target === "") port.targetPort = typeof port.port === "number" ? port.port : 0;
  }
  if (externallyAccessible(spec)) defaultString(spec, "externalTrafficPolicy", "Cluster");
  if (spec.type === "NodePort" || spec.type === "LoadBalancer" || spec.type === "ClusterIP") {
    defaultNil(spec, "internalTrafficPolicy", "Cluster");
  }
  if (spec.type === "LoadBalancer") {
    defaultNil(spec, "allocateLoadBalancerNodePorts", true);
    for (const ingress of items(child(obj(svc.status), "loadBalancer"), "ingress")) {
      if (typeof ingress.ip === "string" && ingress.ip !== "") defaultNil(ingress, "ipMode", "VIP");
    }
  }
}

/** SetDefaults_Endpoints: port protocols. */
export function defaultEndpoints(ep: KubeObject): void {
  for (const subset of items(ep as Json, "subsets")) {
    for (const port of items(subset, "ports")) defaultString(port, "protocol", "TCP");
  }
}

/** SetDefaults_Secret. */
export function defaultSecret(secret: KubeObject): void {
  defaultString(secret as Json, "type", "Opaque");
}

/** SetDefaults_Namespace (the name label) and SetDefaults_NamespaceStatus. */
export function defaultNamespace(ns: KubeObject): void {
  const name = ns.metadata.name;
  if (typeof name === "string" && name.length > 0) {
    ns.metadata.labels = { ...(ns.metadata.labels ?? {}), "kubernetes.io/metadata.name": name };
  }
  const status = ensureChild(ns as Json, "status");
  if (status) defaultString(status, "phase", "Active");
}

/** SetDefaults_NodeStatus (allocatable from capacity) and the node's ResourceLists. */
export function defaultNode(node: KubeObject): void {
  const status = obj(node.status);
  if (!status) return;
  const capacity = child(status, "capacity");
  if (isNil(status.allocatable) && capacity) status.allocatable = { ...capacity };
  defaultResourceList(status, "capacity");
  defaultResourceList(status, "allocatable");
}

/** SetDefaults_PersistentVolume and the volume sources' defaults. */
export function defaultPersistentVolume(pv: KubeObject): void {
  const status = ensureChild(pv as Json, "status");
  if (status) defaultString(status, "phase", "Pending");
  const spec = obj(pv.spec);
  if (!spec) return;
  defaultString(spec, "persistentVolumeReclaimPolicy", "Retain");
  defaultNil(spec, "volumeMode", "Filesystem");
  defaultResourceList(spec, "capacity");
  defaultHostPath(child(spec, "hostPath"));
  defaultRBD(child(spec, "rbd"));
  defaultISCSI(child(spec, "iscsi"));
  defaultAzureDisk(child(spec, "azureDisk"));
  defaultScaleIO(child(spec, "scaleIO"));
}

/** SetDefaults_PersistentVolumeClaim / ClaimSpec and the claim's ResourceLists. */
export function defaultPersistentVolumeClaim(pvc: Json): void {
  const status = ensureChild(pvc, "status");
  if (status) {
    defaultString(status, "phase", "Pending");
    defaultResourceList(status, "capacity");
    defaultResourceList(status, "allocatedResources");
  }
  defaultPVCSpec(obj(pvc.spec));
}

/** SetDefaults_LimitRangeItem (container defaults from max/default/min) and the ResourceLists. */
export function defaultLimitRange(lr: KubeObject): void {
  for (const item of items(obj(lr.spec), "limits")) {
    if (item.type === "Container") {
      const defaults: Json = { ...(child(item, "default") ?? {}) };
      const defaultRequests: Json = { ...(child(item, "defaultRequest") ?? {}) };
      for (const [name, value] of Object.entries(child(item, "max") ?? {})) if (!(name in defaults)) defaults[name] = value;
      for (const [name, value] of Object.entries(defaults)) if (!(name in defaultRequests)) defaultRequests[name] = value;
      for (const [name, value] of Object.entries(child(item, "min") ?? {})) if (!(name in defaultRequests)) defaultRequests[name] = value;
      if (Object.keys(defaults).length > 0) item.default = defaults;
      if (Object.keys(defaultRequests).length > 0) item.defaultRequest = defaultRequests;
    }
    for (const key of ["max", "min", "default", "defaultRequest", "maxLimitRequestRatio"]) defaultResourceList(item, key);
  }
}

/** The quota's ResourceLists. */
export function defaultResourceQuota(quota: KubeObject): void {
  defaultResourceList(obj(quota.spec), "hard");
  const status = obj(quota.status);
  defaultResourceList(status, "hard");
  defaultResourceList(status, "used");
}

/**
 * core/v1 Event has no defaulter; these are the fields Go's encoder always writes for it
 * (non-pointer structs and times, strings without omitempty), as a client reads them back.
 */
export function defaultEvent(ev: KubeObject): void {
  const e = ev as Json;
  defaultNil(e, "involvedObject", {});
  defaultNil(e, "source", {});
  for (const key of ["firstTimestamp", "lastTimestamp", "eventTime"]) if (e[key] === undefined) e[key] = null;
  for (const key of ["reportingComponent", "reportingInstance"]) if (isNil(e[key])) e[key] = "";
}
