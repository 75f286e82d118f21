// The Endpoints controller (upstream pkg/controller/endpoint): one Endpoints object per Service
// with a selector, named after it, listing the selected pods' addresses — ready ones under
// `addresses`, the others under `notReadyAddresses` (or all under `addresses` with
// publishNotReadyAddresses) — for every Service port the pod's containers resolve; subsets packed
// as upstream's RepackSubsets; the Service's labels plus service.kubernetes.io/headless for
// headless Services; EndpointsLastChangeTriggerTime; at most 1000 addresses (over-capacity
// annotation). Services without a selector (like `kubernetes`, whose Endpoints belong to the API
// server) and ExternalName Services are left alone; Endpoints of deleted Services are removed.
import { ApiError } from "../../apimachinery/errors.js";
import type { KubeObject } from "../../apimachinery/types.js";
import type { SharedInformer } from "../../client/informers/shared-informer.js";
import { R, type Client } from "../../client/interface.js";
import type { ControllerContext } from "../../controlplane/context.js";
import { deepEqual } from "../../util/deep-equal.js";
import { Controller, keyOf, splitKey, type Runnable } from "../runtime/controller.js";
import type { EventRecorder } from "../runtime/events.js";
import {
  HEADLESS_LABEL,
  LEADER_ANNOTATION,
  TRIGGER_TIME_ANNOTATION,
  TriggerTimeTracker,
  findPort,
  formatRFC3339Nano,
  isPodReady,
  isServiceIPSet,
  obj,
  objs,
  podServiceKeys,
  selectorMatches,
  servicesToUpdateOnPodChange,
  shouldPodBeInEndpoints,
  shouldSetHostname,
  specOf,
  str,
  strs,
  type Obj,
} from "./util.js";

/** upstream maxCapacity: addresses an Endpoints object holds at most. */
export const MAX_ENDPOINTS_CAPACITY = 1000;
export const OVER_CAPACITY_ANNOTATION = "endpoints.kubernetes.io/over-capacity";

export interface EndpointAddress {
  ip: string;
  hostname?: string;
  nodeName?: string;
  targetRef?: { kind: string; namespace: string; name: string; uid: string; resourceVersion?: string };
}

export interface EndpointPort {
  name?: string;
  port: number;
  protocol: string;
  appProtocol?: string;
}

export interface EndpointSubset {
  addresses?: EndpointAddress[];
  notReadyAddresses?: EndpointAddress[];
  ports?: EndpointPort[];
}

/** The pod's address in the Service's primary IP family (upstream podToEndpointAddressForService). */
export function podAddressForService(svc: KubeObject, pod: KubeObject, hostname = ""): EndpointAddress | undefined {
  const spec = specOf(svc);
  const families = strs(spec.ipFamilies);
  let v6: boolean;
  if (families.length > 0) v6 = families[0] === "IPv6";
  else if (str(spec.clusterIP) && spec.clusterIP !== "None") v6 = str(spec.clusterIP).includes(":");
  else v6 = str(obj(pod.status)?.podIP).includes(":");
  const ips = objs(obj(pod.status)?.podIPs).map((p) => str(p.ip));
  const ip = ips.find((i) => i.includes(":") === v6);
  if (!ip) return undefined;
  return {
    ip,
    ...(hostname ? { hostname } : {}),
    nodeName: str(specOf(pod).nodeName),
    targetRef: { kind: "Pod", namespace: pod.metadata.namespace!, name: pod.metadata.name!, uid: pod.metadata.uid! },
  };
}

function endpointPort(servicePort: Obj, port: number): EndpointPort {
  const p: EndpointPort = { port, protocol: str(servicePort.protocol) || "TCP" };
  const name = str(servicePort.name);
  const out: EndpointPort = name ? { name, ...p } : p;
  if (typeof servicePort.appProtocol === "string") out.appProtocol = servicePort.appProtocol;
  return out;
}

function addressKey(a: EndpointAddress): string {
  return `${a.ip}\u0000${a.targetRef?.uid ?? ""}`;
}

function portKey(p: EndpointPort | undefined): string {
  return p ? JSON.stringify([p.name ?? "", p.port, p.protocol, p.appProtocol ?? ""]) : "";
}

function compareBytes(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function lessAddress(a: EndpointAddress, b: EndpointAddress): number {
  const c = compareBytes(a.ip, b.ip);
  if (c !== 0) return c;
  if (!b.targetRef) return a.targetRef ? 1 : 0;
  if (!a.targetRef) return -1;
  return compareBytes(a.targetRef.uid, b.targetRef.uid);
}

/**
 * upstream endpoints.RepackSubsets: every address mapped to the ports it serves (not-ready wins
 * over ready for the same address and port), then addresses grouped by identical port sets.
 */
export function repackSubsets(subsets: EndpointSubset[]): EndpointSubset[] {
  const all = new Map<string, EndpointAddress>();
  const byPort = new Map<string, { port: EndpointPort | undefined; addrs: Map<string, boolean> }>();
  const map = (addr: EndpointAddress, port: EndpointPort | undefined, ready: boolean) => {
    const k = addressKey(addr);
    if (!all.has(k)) all.set(k, addr);
    const pk = portKey(port);
    let entry = byPort.get(pk);
    if (!entry) byPort.set(pk, (entry = { port, addrs: new Map() }));
    const was = entry.addrs.get(k);
    if (was === undefined || was) entry.addrs.set(k, ready);
  };
  for (const s of subsets) {
    const ports: (EndpointPort | undefined)[] = s.ports?.length ? s.ports : [undefined];
    for (const p of ports) {
      for (const a of s.addresses ?? []) map(a, p, true);
      for (const a of s.notReadyAddresses ?? []) map(a, p, false);
    }
  }
  const groups = new Map<string, { addrs: Map<string, boolean>; ports: EndpointPort[] }>();
  for (const { port, addrs } of byPort.values()) {
    const key = [...addrs.entries()]
      .map(([k, r]) => `${k}\u0001${r ? 1 : 0}`)
      .sort()
      .join("\u0002");
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { addrs, ports: [] }));
    if (port) g.ports.push(port);
  }
  const out: EndpointSubset[] = [];
  for (const g of groups.values()) {
    const ready: EndpointAddress[] = [];
    const notReady: EndpointAddress[] = [];
    for (const [k, r] of g.addrs) (r ? ready : notReady).push(all.get(k)!);
    ready.sort(lessAddress);
    notReady.sort(lessAddress);
    g.ports.sort((a, b) => compareBytes(a.name ?? "", b.name ?? "") || a.port - b.port || compareBytes(a.protocol, b.protocol));
    const s: EndpointSubset = {};
    if (ready.length) s.addresses = ready;
    if (notReady.length) s.notReadyAddresses = notReady;
    if (g.ports.length) s.ports = g.ports;
    out.push(s);
  }
  const first = (s: EndpointSubset) => (s.addresses?.[0] ?? s.notReadyAddresses?.[0])?.ip ?? "";
  return out.sort((a, b) => compareBytes(first(a), first(b)) || compareBytes(JSON.stringify(a.ports ?? []), JSON.stringify(b.ports ?? [])));
}

function countAddresses(subsets: EndpointSubset[]): { ready: number; notReady: number } {
  let ready = 0;
  let notReady = 0;
  for (const s of subsets) {
    ready += s.addresses?.length ?? 0;
    notReady += s.notReadyAddresses?.length ?? 0;
  }
  return { ready, notReady };
}

/** upstream truncateEndpoints: keeps MAX_ENDPOINTS_CAPACITY addresses, ready ones first, proportionally per subset. */
export function truncateSubsets(subsets: EndpointSubset[], max = MAX_ENDPOINTS_CAPACITY): boolean {
  const { ready, notReady } = countAddresses(subsets);
  if (ready + notReady <= max) return false;
  const truncateReady = ready > max;
  const budget = truncateReady ? max : max - ready;
  const total = truncateReady ? ready : notReady;
  let canBeAdded = budget;
  for (const s of subsets) {
    const inSubset = truncateReady ? (s.addresses?.length ?? 0) : (s.notReadyAddresses?.length ?? 0);
    const toBeAdded = Math.min(Math.ceil((inSubset / total) * budget), canBeAdded);
    if (truncateReady) {
      s.addresses = (s.addresses ?? []).slice(0, toBeAdded);
      delete s.notReadyAddresses;
      canBeAdded -= s.addresses.length;
      if (s.addresses.length === 0) delete s.addresses;
    } else {
      s.notReadyAddresses = (s.notReadyAddresses ?? []).slice(0, toBeAdded);
      canBeAdded -= s.notReadyAddresses.length;
      if (s.notReadyAddresses.length === 0) delete s.notReadyAddresses;
    }
  }
  return true;
}

/** The subsets the Service's pods make (upstream syncService, before the comparison). */
export function desiredSubsets(svc: KubeObject, pods: KubeObject[]): EndpointSubset[] {
  const spec = specOf(svc);
  const publishNotReady = spec.publishNotReadyAddresses === true;
  const servicePorts = objs(spec.ports);
  const subsets: EndpointSubset[] = [];
  for (const pod of pods) {
    if (!shouldPodBeInEndpoints(pod, publishNotReady)) continue;
    const address = podAddressForService(svc, pod, shouldSetHostname(pod, svc) ? str(specOf(pod).hostname) : "");
    if (!address) continue;
    const ready = publishNotReady || isPodReady(pod);
    const add = (ports: EndpointPort[]) => subsets.push(ready ? { addresses: [address], ports } : { notReadyAddresses: [address], ports });
    if (servicePorts.length === 0) {
      // headless Services may have no ports
      if (spec.clusterIP === "None") add([]);
      continue;
    }
    for (const sp of servicePorts) {
      const port = findPort(pod, sp);
      if (port === undefined) continue;
      add([endpointPort(sp, port)]);
    }
  }
  return repackSubsets(subsets);
}

/** upstream capacityAnnotationSetCorrectly */
function capacityAnnotationSetCorrectly(endpoints: KubeObject): boolean {
  const { ready, notReady } = countAddresses((endpoints.subsets as EndpointSubset[] | undefined) ?? []);
  if (ready + notReady > MAX_ENDPOINTS_CAPACITY) return false;
  return endpoints.metadata.annotations?.[OVER_CAPACITY_ANNOTATION] === undefined;
}

function withoutRefVersions(subsets: unknown): unknown {
  return JSON.parse(JSON.stringify(subsets ?? []), (k, v) => (k === "resourceVersion" ? undefined : v));
}

export interface EndpointsControllerOptions {
  /** Delay batching pod-triggered syncs of a Service (upstream --endpoint-updates-batch-period). */
  batchMs?: number;
  workers?: number;
}

export class EndpointsController implements Runnable {
  readonly name = "endpoint-controller";
  readonly controller: Controller;
  private readonly client: Client;
  private readonly recorder: EventRecorder;
  private readonly services: SharedInformer;
  private readonly pods: SharedInformer;
  private readonly endpoints: SharedInformer;
  private readonly triggers = new TriggerTimeTracker();
  private readonly batchMs: number;

  constructor(ctx: ControllerContext, opts: EndpointsControllerOptions = {}) {
    this.client = ctx.clientFor("kube-controller-manager");
    this.recorder = ctx.recorder("endpoint-controller");
    this.batchMs = opts.batchMs ?? 0;
    this.controller = new Controller(this.name, (key) => this.sync(key), ctx.clock, opts.workers ?? 5);
    this.services = ctx.informers.informerFor(R.services);
    this.pods = ctx.informers.informerFor(R.pods);
    this.endpoints = ctx.informers.informerFor(R.endpoints);
    this.services.addEventHandler({
      onAdd: (s) => this.controller.enqueue(keyOf(s)),
      onUpdate: (_o, s) => this.controller.enqueue(keyOf(s)),
      onDelete: (s) => this.controller.enqueue(keyOf(s)),
    });
    const podTouched = (keys: Set<string>) => {
      for (const k of keys) this.controller.enqueueAfter(k, this.batchMs);
    };
    this.pods.addEventHandler({
      onAdd: (p) => podTouched(podServiceKeys(this.services, p)),
      onUpdate: (o, p) => podTouched(servicesToUpdateOnPodChange(this.services, o, p)),
      onDelete: (p) => podTouched(podServiceKeys(this.services, p)),
    });
    this.endpoints.addEventHandler({ onDelete: (e) => this.controller.enqueue(keyOf(e)) });
  }

  start(): void {
    this.controller.start();
    // checkLeftoverEndpoints: Endpoints whose Service is gone are removed
    for (const ep of this.endpoints.list()) {
      if (ep.metadata.annotations?.[LEADER_ANNOTATION] !== undefined) continue;
      this.controller.enqueue(keyOf(ep));
    }
  }

  stop(): Promise<void> {
    return this.controller.stop();
  }

  private selectedPods(svc: KubeObject, selector: Obj): KubeObject[] {
    return this.pods.list(svc.metadata.namespace!).filter((p) => selectorMatches(selector, p.metadata.labels));
  }

  private async sync(key: string): Promise<void> {
    const { namespace, name } = splitKey(key);
    const svc = this.services.get(namespace, name);
    if (!svc) {
      try {
        await this.client.delete(R.endpoints, namespace, name);
      } catch (err) {
        if (!(err instanceof ApiError && err.code === 404)) throw err;
      }
      this.triggers.delete(key);
      return;
    }
    const spec = specOf(svc);
    if (spec.type === "ExternalName") return;
    const selector = obj(spec.selector);
    if (!selector) return;
    const pods = this.selectedPods(svc, selector);
    const triggerTime = this.triggers.compute(svc, pods);
    const subsets = desiredSubsets(svc, pods);

    const current = this.endpoints.get(namespace, name);
    const create = !current;
    const currentLabels = { ...(current?.metadata.labels ?? {}) };
    delete currentLabels[HEADLESS_LABEL];
    if (
      current &&
      deepEqual(withoutRefVersions(current.subsets), withoutRefVersions(subsets)) &&
      deepEqual(currentLabels, svc.metadata.labels ?? {}) &&
      capacityAnnotationSetCorrectly(current)
    )
      return;

    const annotations: Record<string, string> = { ...(current?.metadata.annotations ?? {}) };
    if (triggerTime) annotations[TRIGGER_TIME_ANNOTATION] = formatRFC3339Nano(triggerTime);
    else delete annotations[TRIGGER_TIME_ANNOTATION];
    if (truncateSubsets(subsets)) annotations[OVER_CAPACITY_ANNOTATION] = "truncated";
    else delete annotations[OVER_CAPACITY_ANNOTATION];
    const labels: Record<string, string> = { ...(svc.metadata.labels ?? {}) };
    if (!isServiceIPSet(svc)) labels[HEADLESS_LABEL] = "";
    else delete labels[HEADLESS_LABEL];

    const metadata: KubeObject["metadata"] = current
      ? { ...structuredClone(current.metadata), labels, annotations }
      : { name, namespace, labels, annotations };
    if (Object.keys(labels).length === 0) delete metadata.labels;
    if (Object.keys(annotations).length === 0) delete metadata.annotations;
    const endpoints: KubeObject = { apiVersion: "v1", kind: "Endpoints", metadata };
    if (subsets.length) endpoints.subsets = subsets;
    try {
      if (create) await this.client.create(R.endpoints, namespace, endpoints);
      else await this.client.update(R.endpoints, namespace, endpoints);
    } catch (err) {
      // a terminating namespace refuses new objects: nothing to do until it is gone
      if (create && err instanceof ApiError && err.code === 403 && err.details?.causes?.some((c) => c.reason === "NamespaceTerminating")) return;
      if (create) this.recorder.event(endpoints, "Warning", "FailedToCreateEndpoint", `Failed to create endpoint for service ${namespace}/${name}: ${(err as Error).message}`);
      else this.recorder.event(endpoints, "Warning", "FailedToUpdateEndpoint", `Failed to update endpoint ${namespace}/${name}: ${(err as Error).message}`);
      throw err;
    }
  }
}
