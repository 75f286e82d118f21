// The EndpointSlice mirroring controller (upstream pkg/controller/endpointslicemirroring): the
// Endpoints of a Service without a selector (custom Endpoints someone else manages) are mirrored to
// EndpointSlices managed by endpointslicemirroring-controller.k8s.io and owned by the Endpoints —
// one slice per address type and port set, at most 1000 addresses of each subset, the Endpoints'
// labels and annotations (but the trigger time and last-applied configuration) carried over.
// Endpoints labelled endpointslice.kubernetes.io/skip-mirror=true (the kubernetes Service's) and
// leader-election records are not mirrored.
import { ApiError } from "../../apimachinery/errors.js";
import type { KubeObject } from "../../apimachinery/types.js";
import type { SharedInformer } from "../../client/informers/shared-informer.js";
import { R, type Client } from "../../client/interface.js";
import type { ControllerContext } from "../../controlplane/context.js";
import { deepEqual } from "../../util/deep-equal.js";
import { Controller, keyOf, splitKey, type Runnable } from "../runtime/controller.js";
import type { EventRecorder } from "../runtime/events.js";
import { repackSubsets, type EndpointAddress, type EndpointPort, type EndpointSubset } from "./endpoints.js";
import { MANAGED_BY_LABEL, SERVICE_NAME_LABEL, SliceTracker, type AddressType, type SliceEndpoint, type SlicePort } from "./endpointslice.js";
import { parseIP } from "./ipam.js";
import { LEADER_ANNOTATION, TRIGGER_TIME_ANNOTATION, obj, specOf } from "./util.js";

export const MIRRORING_CONTROLLER_NAME = "endpointslicemirroring-controller.k8s.io";
export const SKIP_MIRROR_LABEL = "endpointslice.kubernetes.io/skip-mirror";
const LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration";
/** upstream --mirroring-max-endpoints-per-subset */
export const MAX_ENDPOINTS_PER_SUBSET = 1000;

const mirroredBy = (s: KubeObject) => s.metadata.labels?.[MANAGED_BY_LABEL] === MIRRORING_CONTROLLER_NAME;

function shouldMirror(ep: KubeObject | undefined): boolean {
  return !!ep && ep.metadata.labels?.[SKIP_MIRROR_LABEL] !== "true" && ep.metadata.annotations?.[LEADER_ANNOTATION] === undefined;
}

function mirroredAnnotations(ep: KubeObject): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(ep.metadata.annotations ?? {})) if (k !== TRIGGER_TIME_ANNOTATION && k !== LAST_APPLIED) out[k] = v;
  return out;
}

function toEndpoint(a: EndpointAddress, ready: boolean): SliceEndpoint {
  const ep: SliceEndpoint = { addresses: [a.ip], conditions: { ready } as SliceEndpoint["conditions"] };
  if (a.hostname) ep.hostname = a.hostname;
  if (a.targetRef) ep.targetRef = a.targetRef;
  if (a.nodeName !== undefined) ep.nodeName = a.nodeName;
  return ep;
}

interface Desired {
  addressType: AddressType;
  ports: SlicePort[];
  endpoints: SliceEndpoint[];
}

/** The slices an Endpoints object mirrors to, by address type and port set, and the addresses skipped. */
export function desiredMirror(subsets: EndpointSubset[], max = MAX_ENDPOINTS_PER_SUBSET): { desired: Map<string, Desired>; invalid: number; skipped: number } {
  const desired = new Map<string, Desired>();
  let invalid = 0;
  let skipped = 0;
  for (const subset of repackSubsets(subsets)) {
    const ports: SlicePort[] = (subset.ports ?? []).map((p: EndpointPort) => ({
      name: p.name ?? "",
      protocol: p.protocol || "TCP",
      port: p.port,
      ...(p.appProtocol ? { appProtocol: p.appProtocol } : {}),
    }));
    const total = (subset.addresses?.length ?? 0) + (subset.notReadyAddresses?.length ?? 0);
    let added = 0;
    const add = (a: EndpointAddress, ready: boolean) => {
      if (added >= max) return;
      const ip = parseIP(a.ip);
      if (!ip) {
        invalid++;
        return;
      }
      const key = `${ip.family}\u0000${JSON.stringify(ports)}`;
      let d = desired.get(key);
      if (!d) desired.set(key, (d = { addressType: ip.family, ports, endpoints: [] }));
      d.endpoints.push(toEndpoint(a, ready));
      added++;
    };
    for (const a of subset.addresses ?? []) add(a, true);
    for (const a of subset.notReadyAddresses ?? []) add(a, false);
    skipped += total - added;
  }
  return { desired, invalid, skipped };
}

export class EndpointSliceMirroringController implements Runnable {
  readonly name = "endpointslice-mirroring-controller";
  readonly controller: Controller;
  private readonly client: Client;
  private readonly recorder: EventRecorder;
  private readonly services: SharedInformer;
  private readonly endpoints: SharedInformer;
  private readonly slices: SharedInformer;
  private readonly tracker = new SliceTracker();

  constructor(ctx: ControllerContext) {
    this.client = ctx.clientFor("kube-controller-manager");
    this.recorder = ctx.recorder("endpointslice-mirroring-controller");
    this.controller = new Controller(this.name, (key) => this.sync(key), ctx.clock, 5);
    this.services = ctx.informers.informerFor(R.services);
    this.endpoints = ctx.informers.informerFor(R.endpoints);
    this.slices = ctx.informers.informerFor(R.endpointslices);
    this.slices.addIndexer("mirrored-for", (s) => (mirroredBy(s) && s.metadata.labels?.[SERVICE_NAME_LABEL] ? [`${s.metadata.namespace}/${s.metadata.labels[SERVICE_NAME_LABEL]}`] : []));
    const enqueue = (o: KubeObject) => this.controller.enqueue(keyOf(o));
    this.endpoints.addEventHandler({ onAdd: enqueue, onUpdate: (_o, e) => enqueue(e), onDelete: enqueue });
    // only selector changes of a Service matter here
    this.services.addEventHandler({
      onAdd: enqueue,
      onUpdate: (o, s) => {
        if (!!obj(specOf(o).selector) !== !!obj(specOf(s).selector)) enqueue(s);
      },
      onDelete: enqueue,
    });
    const sliceChanged = (s: KubeObject) => {
      const svc = s.metadata.labels?.[SERVICE_NAME_LABEL];
      if (mirroredBy(s) && svc) this.controller.enqueue(`${s.metadata.namespace}/${svc}`);
    };
    this.slices.addEventHandler({
      onUpdate: (o, s) => {
        if (o.metadata.generation !== s.metadata.generation || !deepEqual(o.metadata.labels, s.metadata.labels)) sliceChanged(s);
      },
      onDelete: (s) => {
        if (!this.tracker.has(s) || !this.tracker.handleDeletion(s)) sliceChanged(s);
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
    const existing = this.slices.byIndex("mirrored-for", key).filter((s) => !s.metadata.deletionTimestamp);
    if (this.tracker.stale(key, existing)) throw new Error("EndpointSlice informer cache is out of date");
    const svc = this.services.get(namespace, name);
    const ep = this.endpoints.get(namespace, name);
    if (!svc || obj(specOf(svc).selector) || !shouldMirror(ep)) {
      await this.deleteAll(namespace, existing);
      return;
    }
    const { desired, invalid, skipped } = desiredMirror((ep!.subsets as EndpointSubset[] | undefined) ?? []);
    if (invalid > 0) this.recorder.event(ep!, "Warning", "InvalidIPAddress", `Skipped ${invalid} invalid IP addresses when mirroring to EndpointSlices`);
    if (skipped > invalid)
      this.recorder.event(ep!, "Warning", "TooManyAddressesToMirror", `A max of ${MAX_ENDPOINTS_PER_SUBSET} addresses can be mirrored to EndpointSlices per Endpoints subset. ${skipped} addresses were skipped`);

    const byKey = new Map<string, KubeObject[]>();
    for (const s of existing) {
      const ports = ((s.ports as SlicePort[] | null) ?? []).map((p) => ({ name: p.name ?? "", protocol: p.protocol ?? "TCP", port: p.port, ...(p.appProtocol ? { appProtocol: p.appProtocol } : {}) }));
      const k = `${s.addressType}\u0000${JSON.stringify(ports)}`;
      if (!byKey.has(k)) byKey.set(k, []);
      byKey.get(k)!.push(s);
    }
    const annotations = mirroredAnnotations(ep!);
    const labels = { ...(ep!.metadata.labels ?? {}), [SERVICE_NAME_LABEL]: name, [MANAGED_BY_LABEL]: MIRRORING_CONTROLLER_NAME };
    const toDelete: KubeObject[] = [];
    const writes: { slice: KubeObject; create: boolean }[] = [];
    for (const [k, d] of desired) {
      const current = byKey.get(k) ?? [];
      toDelete.push(...current.slice(1));
      const first = current[0];
      if (
        first &&
        deepEqual((first.endpoints as SliceEndpoint[] | null) ?? [], d.endpoints) &&
        deepEqual(first.metadata.labels ?? {}, labels) &&
        deepEqual(first.metadata.annotations ?? {}, annotations)
      )
        continue;
      const slice: KubeObject = {
        apiVersion: "discovery.k8s.io/v1",
        kind: "EndpointSlice",
        metadata: first
          ? { ...structuredClone(first.metadata), labels, annotations }
          : {
              generateName: `${name}-`,
              namespace,
              labels,
              annotations,
              ownerReferences: [{ apiVersion: "v1", kind: "Endpoints", name, uid: ep!.metadata.uid!, controller: true, blockOwnerDeletion: true }],
            },
        addressType: d.addressType,
        endpoints: d.endpoints,
        ports: d.ports.length ? d.ports : null,
      };
      if (Object.keys(annotations).length === 0) delete slice.metadata.annotations;
      writes.push({ slice, create: !first });
    }
    for (const [k, slices] of byKey) if (!desired.has(k)) toDelete.push(...slices);
    // creates become updates of slices that would otherwise be deleted
    for (const w of writes) {
      if (!w.create) continue;
      const victim = toDelete.findIndex((s) => s.addressType === w.slice.addressType);
      if (victim < 0) continue;
      const [old] = toDelete.splice(victim, 1);
      w.slice.metadata = { ...structuredClone(old!.metadata), labels: w.slice.metadata.labels!, ...(w.slice.metadata.annotations ? { annotations: w.slice.metadata.annotations } : {}) };
      if (!w.slice.metadata.annotations) delete w.slice.metadata.annotations;
      w.create = false;
    }
    for (const w of writes) {
      if (w.create) this.tracker.update(await this.client.create(R.endpointslices, namespace, w.slice));
      else this.tracker.update(await this.client.update(R.endpointslices, namespace, w.slice));
    }
    await this.deleteAll(namespace, toDelete);
  }

  private async deleteAll(namespace: string, slices: KubeObject[]): Promise<void> {
    for (const s of slices) {
      this.tracker.expectDeletion(s);
      try {
        await this.client.delete(R.endpointslices, namespace, s.metadata.name!);
      } catch (err) {
        if (!(err instanceof ApiError && err.code === 404)) throw err;
      }
    }
  }
}
