// The EndpointSlice controller (upstream pkg/controller/endpointslice and the staging
// k8s.io/endpointslice reconciler): for every Service with a selector, EndpointSlices named
// `<service>-<random>` (generateName) labelled kubernetes.io/service-name and
// endpointslice.kubernetes.io/managed-by, owned by the Service, one set per address type of the
// Service's IP families, pods grouped by the ports they resolve, at most 100 endpoints a slice.
// Endpoints carry ready/serving/terminating, nodeName, the node's topology zone and a targetRef.
// The reconciler keeps endpoints where they are, updates only slices whose endpoints changed,
// fills slices being updated before creating new ones, turns creates into updates of slices it
// would delete, and keeps an empty placeholder slice for a Service without endpoints. A tracker of
// the generations it wrote keeps it from acting on a stale informer cache.
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
  TRIGGER_TIME_ANNOTATION,
  TriggerTimeTracker,
  ZONE_LABEL,
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
} from "./util.js";

export const SERVICE_NAME_LABEL = "kubernetes.io/service-name";
export const MANAGED_BY_LABEL = "endpointslice.kubernetes.io/managed-by";
export const CONTROLLER_NAME = "endpointslice-controller.k8s.io";
export const MAX_ENDPOINTS_PER_SLICE = 100;

export type AddressType = "IPv4" | "IPv6";

export interface SlicePort {
  name: string;
  protocol: string;
  port: number;
  appProtocol?: string;
}

export interface SliceEndpoint {
  addresses: string[];
  conditions: { ready: boolean; serving: boolean; terminating: boolean };
  hostname?: string;
  targetRef?: { kind: string; namespace: string; name: string; uid: string };
  nodeName?: string;
  zone?: string;
}

export interface Slice extends KubeObject {
  addressType: AddressType;
  endpoints: SliceEndpoint[] | null;
  ports: SlicePort[] | null;
}

/** upstream getAddressTypesForService */
export function addressTypesForService(svc: KubeObject): Set<AddressType> {
  const spec = specOf(svc);
  const out = new Set<AddressType>();
  for (const f of strs(spec.ipFamilies)) if (f === "IPv4" || f === "IPv6") out.add(f);
  if (out.size) return out;
  const ip = str(spec.clusterIP);
  if (ip && ip !== "None") return new Set([ip.includes(":") ? "IPv6" : "IPv4"]);
  return new Set(["IPv4", "IPv6"]);
}

/** upstream getEndpointPorts: the Service ports the pod resolves, in a canonical order. */
export function endpointPorts(svc: KubeObject, pod: KubeObject): SlicePort[] {
  const spec = specOf(svc);
  const servicePorts = objs(spec.ports);
  const out: SlicePort[] = [];
  if (servicePorts.length === 0 && spec.clusterIP === "None") return out;
  for (const sp of servicePorts) {
    const port = findPort(pod, sp);
    if (port === undefined) continue;
    const p: SlicePort = { name: str(sp.name), protocol: str(sp.protocol) || "TCP", port };
    if (typeof sp.appProtocol === "string") p.appProtocol = sp.appProtocol;
    out.push(p);
  }
  return sortPorts(out);
}

function sortPorts(ports: SlicePort[]): SlicePort[] {
  return ports.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : a.port - b.port || (a.protocol < b.protocol ? -1 : a.protocol > b.protocol ? 1 : 0)));
}

function portMapKey(ports: SlicePort[] | null | undefined): string {
  return JSON.stringify(sortPorts([...(ports ?? [])]).map((p) => [p.name ?? "", p.protocol ?? "TCP", p.port, p.appProtocol ?? ""]));
}

/** upstream podToEndpoint */
export function podToEndpoint(pod: KubeObject, node: KubeObject | undefined, svc: KubeObject, addressType: AddressType): SliceEndpoint {
  const serving = isPodReady(pod);
  const terminating = !!pod.metadata.deletionTimestamp;
  // a terminating endpoint is never ready, unless the Service publishes not-ready addresses
  const ready = specOf(svc).publishNotReadyAddresses === true || (serving && !terminating);
  const status = obj(pod.status) ?? {};
  let ips = objs(status.podIPs).map((p) => str(p.ip));
  if (ips.length === 0 && str(status.podIP)) ips = [str(status.podIP)];
  const ep: SliceEndpoint = {
    addresses: ips.filter((ip) => ip.includes(":") === (addressType === "IPv6")).slice(0, 1),
    conditions: { ready, serving, terminating },
  };
  if (shouldSetHostname(pod, svc)) ep.hostname = str(specOf(pod).hostname);
  ep.targetRef = { kind: "Pod", namespace: pod.metadata.namespace!, name: pod.metadata.name!, uid: pod.metadata.uid! };
  const nodeName = str(specOf(pod).nodeName);
  if (nodeName) ep.nodeName = nodeName;
  const zone = node?.metadata.labels?.[ZONE_LABEL];
  if (zone) ep.zone = zone;
  return ep;
}

/** upstream hashEndpoint: the identity of an endpoint (addresses, hostname, target). */
function endpointKey(ep: SliceEndpoint): string {
  return JSON.stringify([[...ep.addresses].sort(), ep.hostname ?? "", ep.targetRef?.namespace ?? "", ep.targetRef?.name ?? ""]);
}

/** upstream EndpointsEqualBeyondHash */
function endpointsEqualBeyondHash(a: SliceEndpoint, b: SliceEndpoint): boolean {
  return (
    (a.nodeName ?? "") === (b.nodeName ?? "") &&
    (a.zone ?? "") === (b.zone ?? "") &&
    a.conditions?.ready === b.conditions?.ready &&
    a.conditions?.serving === b.conditions?.serving &&
    a.conditions?.terminating === b.conditions?.terminating &&
    deepEqual(a.targetRef ?? null, b.targetRef ?? null)
  );
}

/** upstream setEndpointSliceLabels: the Service's labels (minus reserved keys), headless, service name, manager. */
export function sliceLabels(svc: KubeObject): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const [k, v] of Object.entries(svc.metadata.labels ?? {})) if (k !== SERVICE_NAME_LABEL && k !== MANAGED_BY_LABEL && k !== HEADLESS_LABEL) labels[k] = v;
  if (!isServiceIPSet(svc)) labels[HEADLESS_LABEL] = "";
  labels[SERVICE_NAME_LABEL] = svc.metadata.name!;
  labels[MANAGED_BY_LABEL] = CONTROLLER_NAME;
  return labels;
}

function ownedBy(slice: KubeObject, svc: KubeObject): boolean {
  return (slice.metadata.ownerReferences ?? []).some((r) => r.uid === svc.metadata.uid && r.kind === "Service" && r.apiVersion === "v1");
}

/** upstream getEndpointSlicePrefix: `<service>-`, or the bare name when that is not a valid prefix. */
function slicePrefix(name: string): string {
  const prefix = `${name}-`;
  return prefix.length <= 253 - 5 ? prefix : name;
}

function newSlice(svc: KubeObject, ports: SlicePort[], addressType: AddressType): Slice {
  return {
    apiVersion: "discovery.k8s.io/v1",
    kind: "EndpointSlice",
    metadata: {
      generateName: slicePrefix(svc.metadata.name!),
      namespace: svc.metadata.namespace!,
      labels: sliceLabels(svc),
      ownerReferences: [{ apiVersion: "v1", kind: "Service", name: svc.metadata.name!, uid: svc.metadata.uid!, controller: true, blockOwnerDeletion: true }],
    },
    addressType,
    endpoints: [],
    ports,
  };
}

function copySlice(s: KubeObject): Slice {
  const c = structuredClone(s) as Slice;
  c.endpoints = (c.endpoints ?? []) as SliceEndpoint[];
  return c;
}

export interface SliceChanges {
  create: Slice[];
  update: Slice[];
  delete: KubeObject[];
  /** Pods skipped because their node is unknown (reported as an error after the writes). */
  errors: string[];
}

export interface ReconcileInput {
  svc: KubeObject;
  pods: KubeObject[];
  existing: KubeObject[];
  nodeOf: (name: string) => KubeObject | undefined;
  maxEndpointsPerSlice?: number;
}

/** The writes that bring a Service's slices in line with its pods (upstream Reconciler.Reconcile). */
export function reconcileSlices(input: ReconcileInput): SliceChanges {
  const { svc } = input;
  const max = input.maxEndpointsPerSlice ?? MAX_ENDPOINTS_PER_SLICE;
  const types = addressTypesForService(svc);
  const out: SliceChanges = { create: [], update: [], delete: [], errors: [] };
  const byType = new Map<AddressType, KubeObject[]>();
  for (const s of input.existing) {
    const t = s.addressType as AddressType;
    if (!types.has(t)) {
      out.delete.push(s);
      continue;
    }
    if (!byType.has(t)) byType.set(t, []);
    byType.get(t)!.push(s);
  }
  for (const t of types) reconcileByAddressType(input, t, byType.get(t) ?? [], max, out);
  return out;
}

function reconcileByAddressType(input: ReconcileInput, addressType: AddressType, existing: KubeObject[], max: number, out: SliceChanges): void {
  const { svc } = input;
  const toDelete: KubeObject[] = [];
  const existingByPorts = new Map<string, KubeObject[]>();
  for (const s of existing) {
    if (!ownedBy(s, svc)) {
      toDelete.push(s);
      continue;
    }
    const k = portMapKey(s.ports as SlicePort[] | null);
    if (!existingByPorts.has(k)) existingByPorts.set(k, []);
    existingByPorts.get(k)!.push(s);
  }

  const desiredByPorts = new Map<string, { ports: SlicePort[]; endpoints: Map<string, SliceEndpoint> }>();
  const publishNotReady = specOf(svc).publishNotReadyAddresses === true;
  for (const pod of input.pods) {
    if (!shouldPodBeInEndpoints(pod, true)) continue;
    const ports = endpointPorts(svc, pod);
    const k = portMapKey(ports);
    let desired = desiredByPorts.get(k);
    if (!desired) desiredByPorts.set(k, (desired = { ports, endpoints: new Map() }));
    const nodeName = str(specOf(pod).nodeName);
    const node = input.nodeOf(nodeName);
    if (!node && !publishNotReady) {
      // a pod bound to a node that does not exist is left out (and the Service retried)
      out.errors.push(`skipping Pod ${pod.metadata.name} for Service ${svc.metadata.namespace}/${svc.metadata.name}: Node ${nodeName} Not Found`);
      continue;
    }
    const ep = podToEndpoint(pod, node, svc, addressType);
    if (ep.addresses.length > 0) desired.endpoints.set(endpointKey(ep), ep);
  }

  const create: Slice[] = [];
  const update: Slice[] = [];
  for (const [k, desired] of desiredByPorts) {
    const r = reconcileByPortMapping(svc, existingByPorts.get(k) ?? [], desired.endpoints, desired.ports, addressType, max);
    create.push(...r.create);
    update.push(...r.update);
    toDelete.push(...r.delete);
  }
  for (const [k, slices] of existingByPorts) if (!desiredByPorts.has(k)) toDelete.push(...slices);

  // a Service without endpoints keeps one empty placeholder slice
  if (existing.length === toDelete.length && create.length === 0) {
    const placeholder = newSlice(svc, [], addressType);
    const isPlaceholder = (s: KubeObject) =>
      ownedBy(s, svc) &&
      ((s.endpoints as unknown[] | null) ?? []).length === 0 &&
      ((s.ports as unknown[] | null) ?? []).length === 0 &&
      deepEqual(s.metadata.labels ?? {}, placeholder.metadata.labels);
    if (toDelete.length === 1 && isPlaceholder(toDelete[0]!)) toDelete.length = 0;
    else create.push(placeholder);
  }

  // creates become updates of slices that would otherwise be deleted
  for (let i = 0; i < toDelete.length && create.length > 0; ) {
    const victim = toDelete[i]!;
    if (victim.addressType === addressType && ownedBy(victim, svc)) {
      const slice = create.pop()!;
      slice.metadata = { ...structuredClone(victim.metadata), labels: slice.metadata.labels! };
      update.push(slice);
      toDelete.splice(i, 1);
    } else i++;
  }
  out.create.push(...create);
  out.update.push(...update);
  out.delete.push(...toDelete);
}

/** upstream reconcileByPortMapping */
function reconcileByPortMapping(
  svc: KubeObject,
  existing: KubeObject[],
  desired: Map<string, SliceEndpoint>,
  ports: SlicePort[],
  addressType: AddressType,
  max: number,
): { create: Slice[]; update: Slice[]; delete: KubeObject[] } {
  const labels = sliceLabels(svc);
  const byName = new Map<string, Slice>();
  const unchanged = new Set<string>();
  const toUpdate = new Set<string>();
  const toDelete: KubeObject[] = [];

  // 1. keep endpoints still desired (updating changed ones), drop the others
  for (const s of existing) {
    const current = (s.endpoints as SliceEndpoint[] | null) ?? [];
    const kept: SliceEndpoint[] = [];
    let changed = false;
    for (const ep of current) {
      const k = endpointKey(ep);
      const want = desired.get(k);
      if (!want) continue;
      kept.push(want);
      if (!endpointsEqualBeyondHash(want, ep)) changed = true;
      desired.delete(k);
    }
    const labelsChanged = !deepEqual(s.metadata.labels ?? {}, labels);
    if (changed || kept.length !== current.length) {
      if (kept.length === 0) toDelete.push(s);
      else {
        const c = copySlice(s);
        c.endpoints = kept;
        c.metadata.labels = labels;
        byName.set(s.metadata.name!, c);
        toUpdate.add(s.metadata.name!);
      }
    } else if (labelsChanged) {
      const c = copySlice(s);
      c.metadata.labels = labels;
      byName.set(s.metadata.name!, c);
      toUpdate.add(s.metadata.name!);
    } else {
      byName.set(s.metadata.name!, s as Slice);
      unchanged.add(s.metadata.name!);
    }
  }

  const pending = [...desired.values()];
  let next = 0;
  const left = () => pending.length - next;
  const pop = () => pending[next++]!;

  // 2. fill the slices being updated anyway, fullest first
  if (left() > 0 && toUpdate.size > 0) {
    const slices = [...toUpdate].map((n) => byName.get(n)!).sort((a, b) => b.endpoints!.length - a.endpoints!.length);
    for (const s of slices) while (left() > 0 && s.endpoints!.length < max) s.endpoints!.push(pop());
  }

  // 3. the rest: into the unchanged slice that fits them most closely, else new slices
  const create: Slice[] = [];
  while (left() > 0) {
    let fill: Slice | undefined;
    if (left() < max && unchanged.size > 0) {
      const candidate = [...unchanged]
        .map((n) => byName.get(n)!)
        .filter((s) => max - ((s.endpoints as SliceEndpoint[] | null) ?? []).length >= left())
        .sort((a, b) => ((b.endpoints as SliceEndpoint[] | null) ?? []).length - ((a.endpoints as SliceEndpoint[] | null) ?? []).length)[0];
      if (candidate) {
        fill = copySlice(candidate);
        byName.set(fill.metadata.name!, fill);
        unchanged.delete(fill.metadata.name!);
        toUpdate.add(fill.metadata.name!);
      }
    }
    if (!fill) {
      fill = newSlice(svc, ports, addressType);
      create.push(fill);
    }
    while (left() > 0 && fill.endpoints!.length < max) fill.endpoints!.push(pop());
  }
  return { create, update: [...toUpdate].map((n) => byName.get(n)!), delete: toDelete };
}

const DELETION_EXPECTED = -1;

/** upstream EndpointSliceTracker: the generations this controller wrote, by Service. */
export class SliceTracker {
  private readonly byService = new Map<string, Map<string, number>>();

  private serviceKeyOf(slice: KubeObject): string {
    return `${slice.metadata.namespace}/${slice.metadata.labels?.[SERVICE_NAME_LABEL] ?? ""}`;
  }

  has(slice: KubeObject): boolean {
    return this.byService.get(this.serviceKeyOf(slice))?.has(slice.metadata.uid!) ?? false;
  }

  shouldSync(slice: KubeObject): boolean {
    const g = this.byService.get(this.serviceKeyOf(slice));
    if (!g) return true;
    const known = g.get(slice.metadata.uid!);
    return known === undefined || (slice.metadata.generation ?? 0) > known;
  }

  stale(serviceKey: string, slices: KubeObject[]): boolean {
    const g = this.byService.get(serviceKey);
    if (!g) return false;
    const provided = new Set<string>();
    for (const s of slices) {
      provided.add(s.metadata.uid!);
      const known = g.get(s.metadata.uid!);
      if (known !== undefined && (known === DELETION_EXPECTED || known > (s.metadata.generation ?? 0))) return true;
    }
    for (const [uid, gen] of g) if (gen !== DELETION_EXPECTED && !provided.has(uid)) return true;
    return false;
  }

  update(slice: KubeObject): void {
    const k = this.serviceKeyOf(slice);
    if (!this.byService.has(k)) this.byService.set(k, new Map());
    this.byService.get(k)!.set(slice.metadata.uid!, slice.metadata.generation ?? 0);
  }

  expectDeletion(slice: KubeObject): void {
    const k = this.serviceKeyOf(slice);
    if (!this.byService.has(k)) this.byService.set(k, new Map());
    this.byService.get(k)!.set(slice.metadata.uid!, DELETION_EXPECTED);
  }

  /** Whether the deletion was this controller's own. */
  handleDeletion(slice: KubeObject): boolean {
    const g = this.byService.get(this.serviceKeyOf(slice));
    if (g) {
      const known = g.get(slice.metadata.uid!);
      g.delete(slice.metadata.uid!);
      if (known !== undefined && known !== DELETION_EXPECTED) return false;
    }
    return true;
  }

  deleteService(key: string): void {
    this.byService.delete(key);
  }
}

export interface EndpointSliceControllerOptions {
  /** Delay batching pod-triggered syncs (upstream --endpointslice-updates-batch-period). */
  batchMs?: number;
  workers?: number;
  maxEndpointsPerSlice?: number;
}

const managedByUs = (s: KubeObject) => s.metadata.labels?.[MANAGED_BY_LABEL] === CONTROLLER_NAME;

export class EndpointSliceController implements Runnable {
  readonly name = "endpointslice-controller";
  readonly controller: Controller;
  private readonly client: Client;
  private readonly recorder: EventRecorder;
  private readonly services: SharedInformer;
  private readonly pods: SharedInformer;
  private readonly slices: SharedInformer;
  private readonly nodes: SharedInformer;
  private readonly triggers = new TriggerTimeTracker();
  readonly tracker = new SliceTracker();
  private readonly batchMs: number;
  private readonly maxPerSlice: number;

  constructor(ctx: ControllerContext, opts: EndpointSliceControllerOptions = {}) {
    this.client = ctx.clientFor("kube-controller-manager");
    this.recorder = ctx.recorder("endpoint-slice-controller");
    this.batchMs = opts.batchMs ?? 0;
    this.maxPerSlice = opts.maxEndpointsPerSlice ?? MAX_ENDPOINTS_PER_SLICE;
    this.controller = new Controller(this.name, (key) => this.sync(key), ctx.clock, opts.workers ?? 5);
    this.services = ctx.informers.informerFor(R.services);
    this.pods = ctx.informers.informerFor(R.pods);
    this.nodes = ctx.informers.informerFor(R.nodes);
    this.slices = ctx.informers.informerFor(R.endpointslices);
    this.slices.addIndexer("service", (s) => {
      const svc = s.metadata.labels?.[SERVICE_NAME_LABEL];
      return svc ? [`${s.metadata.namespace}/${svc}`] : [];
    });
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
    const queueFor = (s: KubeObject) => {
      const svc = s.metadata.labels?.[SERVICE_NAME_LABEL];
      if (svc) this.controller.enqueueAfter(`${s.metadata.namespace}/${svc}`, this.batchMs);
    };
    this.slices.addEventHandler({
      onAdd: (s) => {
        if (managedByUs(s) && this.tracker.shouldSync(s)) queueFor(s);
      },
      onUpdate: (o, s) => {
        // a slice taken over by someone else (or given to us) concerns the Service too
        if (managedByUs(o) !== managedByUs(s) || o.metadata.labels?.[SERVICE_NAME_LABEL] !== s.metadata.labels?.[SERVICE_NAME_LABEL]) {
          queueFor(o);
          queueFor(s);
        } else if (managedByUs(s) && this.tracker.shouldSync(s)) queueFor(s);
      },
      onDelete: (s) => {
        if (managedByUs(s) && this.tracker.has(s) && !this.tracker.handleDeletion(s)) queueFor(s);
      },
    });
  }

  start(): void {
    this.controller.start();
  }

  stop(): Promise<void> {
    return this.controller.stop();
  }

  private async sync(key: string): Promise<void> {
    const { namespace, name } = splitKey(key);
    const svc = this.services.get(namespace, name);
    if (!svc) {
      // the garbage collector removes the slices the Service owned
      this.triggers.delete(key);
      this.tracker.deleteService(key);
      return;
    }
    const spec = specOf(svc);
    if (spec.type === "ExternalName") return;
    const selector = obj(spec.selector);
    if (!selector) return;
    const pods = this.pods.list(namespace).filter((p) => selectorMatches(selector, p.metadata.labels));
    const slices = this.slices.byIndex("service", key).filter((s) => managedByUs(s) && !s.metadata.deletionTimestamp);
    if (this.tracker.stale(key, slices)) throw new Error("EndpointSlice informer cache is out of date");
    const triggerTime = this.triggers.compute(svc, pods);
    const changes = reconcileSlices({ svc, pods, existing: slices, nodeOf: (n) => this.nodes.get("", n), maxEndpointsPerSlice: this.maxPerSlice });
    try {
      await this.apply(svc, changes, triggerTime);
      if (changes.errors.length) throw new Error(changes.errors.length === 1 ? changes.errors[0] : `[${changes.errors.join(", ")}]`);
    } catch (err) {
      this.recorder.event(svc, "Warning", "FailedToUpdateEndpointSlices", `Error updating Endpoint Slices for Service ${namespace}/${name}: ${(err as Error).message}`);
      throw err;
    }
  }

  private async apply(svc: KubeObject, changes: SliceChanges, triggerTime: number): Promise<void> {
    const ns = svc.metadata.namespace!;
    const stamp = (s: Slice) => {
      const annotations = { ...(s.metadata.annotations ?? {}) };
      if (triggerTime) annotations[TRIGGER_TIME_ANNOTATION] = formatRFC3339Nano(triggerTime);
      else delete annotations[TRIGGER_TIME_ANNOTATION];
      if (Object.keys(annotations).length) s.metadata.annotations = annotations;
      else delete s.metadata.annotations;
      // empty lists read back as null from upstream's storage
      if (s.endpoints && s.endpoints.length === 0) s.endpoints = null;
      if (s.ports && s.ports.length === 0) s.ports = null;
      return s;
    };
    // new slices are not created for a Service being deleted (the garbage collector races them)
    if (!svc.metadata.deletionTimestamp)
      for (const s of changes.create) {
        try {
          this.tracker.update(await this.client.create(R.endpointslices, ns, stamp(s)));
        } catch (err) {
          if (err instanceof ApiError && err.code === 403 && err.details?.causes?.some((c) => c.reason === "NamespaceTerminating")) return;
          throw err;
        }
      }
    for (const s of changes.update) this.tracker.update(await this.client.update(R.endpointslices, ns, stamp(s)));
    for (const s of changes.delete) {
      this.tracker.expectDeletion(s);
      try {
        await this.client.delete(R.endpointslices, ns, s.metadata.name!);
      } catch (err) {
        if (!(err instanceof ApiError && err.code === 404)) throw err;
      }
    }
  }
}
