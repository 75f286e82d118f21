// Helpers shared by the Endpoints and EndpointSlice controllers (upstream k8s.io/endpointslice/util
// and pkg/api/v1/pod): pod readiness and membership, port resolution, which Services a pod change
// concerns, and the EndpointsLastChangeTriggerTime tracker.
import type { KubeObject } from "../../apimachinery/types.js";
import type { SharedInformer } from "../../client/informers/shared-informer.js";
import { keyOf } from "../runtime/controller.js";

export type Obj = Record<string, unknown>;

export const obj = (v: unknown): Obj | undefined => (v && typeof v === "object" && !Array.isArray(v) ? (v as Obj) : undefined);
export const objs = (v: unknown): Obj[] => (Array.isArray(v) ? v.map(obj).filter((o): o is Obj => !!o) : []);
export const str = (v: unknown): string => (typeof v === "string" ? v : "");
export const strs = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : []);
export const specOf = (o: KubeObject): Obj => obj(o.spec) ?? {};
export const statusOf = (o: KubeObject): Obj => obj(o.status) ?? {};

/** Label of Endpoints and EndpointSlices of Services without a cluster IP (v1.IsHeadlessService). */
export const HEADLESS_LABEL = "service.kubernetes.io/headless";
/** v1.EndpointsLastChangeTriggerTime */
export const TRIGGER_TIME_ANNOTATION = "endpoints.kubernetes.io/last-change-trigger-time";
/** resourcelock.LeaderElectionRecordAnnotationKey */
export const LEADER_ANNOTATION = "control-plane.alpha.kubernetes.io/leader";
export const ZONE_LABEL = "topology.kubernetes.io/zone";

export function isPodReady(pod: KubeObject): boolean {
  return objs(statusOf(pod).conditions).some((c) => c.type === "Ready" && c.status === "True");
}

export function isPodTerminal(pod: KubeObject): boolean {
  const phase = statusOf(pod).phase;
  return phase === "Succeeded" || phase === "Failed";
}

export function podIPs(pod: KubeObject): string[] {
  const status = statusOf(pod);
  const ips = objs(status.podIPs).map((p) => str(p.ip)).filter(Boolean);
  if (ips.length === 0 && str(status.podIP)) return [str(status.podIP)];
  return ips;
}

/** upstream ShouldPodBeInEndpoints */
export function shouldPodBeInEndpoints(pod: KubeObject, includeTerminating: boolean): boolean {
  if (isPodTerminal(pod)) return false;
  const status = statusOf(pod);
  if (!str(status.podIP) && objs(status.podIPs).length === 0) return false;
  if (!includeTerminating && pod.metadata.deletionTimestamp) return false;
  return true;
}

/** upstream ShouldSetHostname: the pod is a member of the Service's subdomain. */
export function shouldSetHostname(pod: KubeObject, svc: KubeObject): boolean {
  const spec = specOf(pod);
  return str(spec.hostname) !== "" && str(spec.subdomain) === svc.metadata.name && svc.metadata.namespace === pod.metadata.namespace;
}

/** upstream podutil.FindPort: the container port a Service port's targetPort names. */
export function findPort(pod: KubeObject, servicePort: Obj): number | undefined {
  const target = servicePort.targetPort;
  const protocol = str(servicePort.protocol) || "TCP";
  if (typeof target === "string") {
    const spec = specOf(pod);
    const match = (containers: Obj[]) => {
      for (const c of containers)
        for (const p of objs(c.ports)) if (p.name === target && (str(p.protocol) || "TCP") === protocol && typeof p.containerPort === "number") return p.containerPort;
      return undefined;
    };
    // sidecars (restartable init containers) count too
    return match(objs(spec.containers)) ?? match(objs(spec.initContainers).filter((c) => c.restartPolicy === "Always"));
  }
  if (typeof target === "number") return target;
  return typeof servicePort.port === "number" ? servicePort.port : undefined;
}

export function selectorMatches(selector: Obj, labels: Record<string, string> | undefined): boolean {
  for (const [k, v] of Object.entries(selector)) if ((labels ?? {})[k] !== v) return false;
  return true;
}

/** The Services of the pod's namespace whose selector selects the pod (upstream GetPodServiceMemberships). */
export function podServiceKeys(services: SharedInformer, pod: KubeObject): Set<string> {
  const out = new Set<string>();
  for (const svc of services.list(pod.metadata.namespace ?? "")) {
    const sel = obj(specOf(svc).selector);
    // a Service without a selector selects nothing here (its endpoints are managed by someone else)
    if (!sel) continue;
    if (selectorMatches(sel, pod.metadata.labels)) out.add(keyOf(svc));
  }
  return out;
}

function hostnameAndDomainEqual(a: KubeObject, b: KubeObject): boolean {
  return specOf(a).hostname === specOf(b).hostname && specOf(a).subdomain === specOf(b).subdomain;
}

/** upstream podEndpointsChanged: (endpoint-relevant change, membership-relevant change). */
export function podEndpointsChanged(old: KubeObject, cur: KubeObject): { podChanged: boolean; labelsChanged: boolean } {
  const labelsChanged = JSON.stringify(old.metadata.labels ?? {}) !== JSON.stringify(cur.metadata.labels ?? {}) || !hostnameAndDomainEqual(old, cur);
  const podChanged =
    old.metadata.deletionTimestamp !== cur.metadata.deletionTimestamp ||
    isPodReady(old) !== isPodReady(cur) ||
    isPodTerminal(old) !== isPodTerminal(cur) ||
    podIPs(old).join(",") !== podIPs(cur).join(",") ||
    specOf(old).nodeName !== specOf(cur).nodeName;
  return { podChanged, labelsChanged };
}

/** upstream GetServicesToUpdateOnPodChange */
export function servicesToUpdateOnPodChange(services: SharedInformer, old: KubeObject, cur: KubeObject): Set<string> {
  if (old.metadata.resourceVersion === cur.metadata.resourceVersion) return new Set();
  const { podChanged, labelsChanged } = podEndpointsChanged(old, cur);
  if (!podChanged && !labelsChanged) return new Set();
  const now = podServiceKeys(services, cur);
  if (!labelsChanged) return now;
  const before = podServiceKeys(services, old);
  // a pod moving between services concerns both; unchanged memberships only if the pod changed
  const out = new Set<string>();
  for (const k of before) if (!now.has(k) || podChanged) out.add(k);
  for (const k of now) if (!before.has(k) || podChanged) out.add(k);
  return out;
}

/** Whether the Service has a cluster IP (upstream helper.IsServiceIPSet). */
export function isServiceIPSet(svc: KubeObject): boolean {
  const ip = str(specOf(svc).clusterIP);
  return ip !== "" && ip !== "None";
}

export function parseTime(t: unknown): number {
  if (typeof t !== "string" || !t) return 0;
  const ms = Date.parse(t);
  return Number.isNaN(ms) ? 0 : ms;
}

/** RFC 3339 with sub-second digits only when present (Go's time.RFC3339Nano). */
export function formatRFC3339Nano(ms: number): string {
  return new Date(ms).toISOString().replace(/\.000Z$/, "Z").replace(/(\.\d*?)0+Z$/, "$1Z");
}

interface TriggerState {
  pods: Map<string, number>;
  service: number;
}

/**
 * upstream TriggerTimeTracker: the EndpointsLastChangeTriggerTime of a sync is the earliest
 * trigger (a pod's Ready transition, the Service's creation) that changed since the previous sync,
 * or the Service's creation for a Service seen for the first time; 0 when nothing changed.
 */
export class TriggerTimeTracker {
  private readonly states = new Map<string, TriggerState>();

  compute(svc: KubeObject, pods: KubeObject[]): number {
    const key = keyOf(svc);
    const state = this.states.get(key);
    let min = 0;
    const podTimes = new Map<string, number>();
    for (const pod of pods) {
      const ready = objs(statusOf(pod).conditions).find((c) => c.type === "Ready");
      const t = parseTime(ready?.lastTransitionTime);
      if (!t) continue;
      podTimes.set(pod.metadata.name!, t);
      if (t > (state?.pods.get(pod.metadata.name!) ?? 0)) min = min === 0 ? t : Math.min(min, t);
    }
    const serviceTime = parseTime(svc.metadata.creationTimestamp);
    if (serviceTime > (state?.service ?? 0)) min = min === 0 ? serviceTime : Math.min(min, serviceTime);
    this.states.set(key, { pods: podTimes, service: serviceTime });
    if (!state) return serviceTime;
    return min;
  }

  delete(key: string): void {
    this.states.delete(key);
  }
}
