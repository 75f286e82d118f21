// The in-process half of kube-aggregator that keeps APIService objects: the autoregistration
// controller (upstream pkg/controllers/autoregister plus kube-apiserver's apiServicesToRegister
// and crdregistration) and the availability controllers (pkg/controllers/status/{local,remote}).
//
// Every group-version the server serves gets an APIService `<version>.<group>` with no service
// (served locally). Built-in group-versions are synced once at start with kube-apiserver's
// priorities (label automanaged=onstart: created when missing, their spec corrected once, and
// left alone afterwards, so a deleted one stays deleted until the next start); group-versions
// served only by custom resources are synced continuously (automanaged=true, priority 1000/100)
// and removed when no longer served. apiregistration.k8s.io itself never gets one (the
// aggregator serves it, as upstream). Local APIServices are Available; the ones naming a service
// are checked against that Service and its Endpoints like upstream's remote controller, and end
// at FailedDiscoveryCheck because nothing here proxies to them.
import { ApiError } from "../../../apimachinery/errors.js";
import type { KubeObject } from "../../../apimachinery/types.js";
import { formatTime, type Clock, type Timer } from "../../../util/clock.js";
import { deepEqual } from "../../../util/deep-equal.js";
import type { RequestContext } from "../../context.js";
import type { Registry } from "../../registry.js";
import type { Watch } from "../../rest.js";
import type { ResourceStore } from "../../resource-store.js";
import type { StorageSet } from "../../storage-set.js";
import { type APIServiceCondition, isLocalAPIService, localAvailableCondition, setAPIServiceCondition } from "./apiservices.js";

export const AUTO_REGISTER_MANAGED_LABEL = "kube-aggregator.kubernetes.io/automanaged";
const MANAGE_ON_START = "onstart";
const MANAGE_CONTINUOUSLY = "true";
const GROUP = "apiregistration.k8s.io";

export interface APIServicePriority {
  group: number;
  version: number;
}

/**
 * kube-apiserver 1.33's APIService priorities: DefaultGenericAPIServicePriorities merged with the
 * kube-apiserver table (cmd/kube-apiserver/app/aggregator.go). Keyed by "group/version".
 */
export const API_VERSION_PRIORITIES: Readonly<Record<string, APIServicePriority>> = Object.freeze({
  "/v1": { group: 18000, version: 1 },
  "events.k8s.io/v1": { group: 17750, version: 15 },
  "events.k8s.io/v1beta1": { group: 17750, version: 5 },
  "authentication.k8s.io/v1": { group: 17700, version: 15 },
  "authentication.k8s.io/v1beta1": { group: 17700, version: 9 },
  "authentication.k8s.io/v1alpha1": { group: 17700, version: 1 },
  "authorization.k8s.io/v1": { group: 17600, version: 15 },
  "certificates.k8s.io/v1": { group: 17300, version: 15 },
  "certificates.k8s.io/v1beta1": { group: 17300, version: 9 },
  "certificates.k8s.io/v1alpha1": { group: 17300, version: 1 },
  "rbac.authorization.k8s.io/v1": { group: 17000, version: 15 },
  "apiextensions.k8s.io/v1": { group: 16700, version: 15 },
  "admissionregistration.k8s.io/v1": { group: 16700, version: 15 },
  "admissionregistration.k8s.io/v1beta1": { group: 16700, version: 12 },
  "admissionregistration.k8s.io/v1alpha1": { group: 16700, version: 9 },
  "coordination.k8s.io/v1": { group: 16500, version: 15 },
  "coordination.k8s.io/v1beta1": { group: 16500, version: 13 },
  "coordination.k8s.io/v1alpha2": { group: 16500, version: 12 },
  "discovery.k8s.io/v1": { group: 16200, version: 15 },
  "discovery.k8s.io/v1beta1": { group: 16200, version: 12 },
  "flowcontrol.apiserver.k8s.io/v1": { group: 16100, version: 21 },
  "flowcontrol.apiserver.k8s.io/v1beta3": { group: 16100, version: 18 },
  "flowcontrol.apiserver.k8s.io/v1beta2": { group: 16100, version: 15 },
  "flowcontrol.apiserver.k8s.io/v1beta1": { group: 16100, version: 12 },
  "flowcontrol.apiserver.k8s.io/v1alpha1": { group: 16100, version: 9 },
  "internal.apiserver.k8s.io/v1alpha1": { group: 16000, version: 9 },
  "storagemigration.k8s.io/v1alpha1": { group: 15800, version: 9 },
  "apps/v1": { group: 17800, version: 15 },
  "autoscaling/v1": { group: 17500, version: 15 },
  "autoscaling/v2": { group: 17500, version: 30 },
  "autoscaling/v2beta1": { group: 17500, version: 9 },
  "autoscaling/v2beta2": { group: 17500, version: 1 },
  "batch/v1": { group: 17400, version: 15 },
  "batch/v1beta1": { group: 17400, version: 9 },
  "batch/v2alpha1": { group: 17400, version: 9 },
  "networking.k8s.io/v1": { group: 17200, version: 15 },
  "networking.k8s.io/v1beta1": { group: 17200, version: 9 },
  "policy/v1": { group: 17100, version: 15 },
  "policy/v1beta1": { group: 17100, version: 9 },
  "storage.k8s.io/v1": { group: 16800, version: 15 },
  "storage.k8s.io/v1beta1": { group: 16800, version: 9 },
  "storage.k8s.io/v1alpha1": { group: 16800, version: 1 },
  "scheduling.k8s.io/v1": { group: 16600, version: 15 },
  "node.k8s.io/v1": { group: 16300, version: 15 },
  "node.k8s.io/v1alpha1": { group: 16300, version: 1 },
  "node.k8s.io/v1beta1": { group: 16300, version: 9 },
  "resource.k8s.io/v1beta2": { group: 16200, version: 15 },
  "resource.k8s.io/v1beta1": { group: 16200, version: 9 },
  "resource.k8s.io/v1alpha3": { group: 16200, version: 1 },
});

/** What crdregistration gives a group-version served by custom resources. */
export const CUSTOM_RESOURCE_PRIORITY: APIServicePriority = { group: 1000, version: 100 };

/** Upstream makeAPIService: `<version>.<group>`, no service, the given priorities, the automanaged label. */
export function makeAPIService(group: string, version: string, priority: APIServicePriority, managed: string): KubeObject {
  const spec: Record<string, unknown> = {};
  if (group) spec.group = group;
  spec.version = version;
  spec.groupPriorityMinimum = priority.group;
  spec.versionPriority = priority.version;
  return {
    apiVersion: `${GROUP}/v1`,
    kind: "APIService",
    metadata: { name: `${version}.${group}`, labels: { [AUTO_REGISTER_MANAGED_LABEL]: managed } },
    spec,
  };
}

function systemContext(clock: Clock, subresource = ""): RequestContext {
  return {
    user: { username: "system:apiserver", groups: ["system:masters", "system:authenticated"] },
    namespace: "",
    name: "",
    subresource,
    warnings: [],
    clock,
  };
}

const managedType = (obj: KubeObject | undefined) => obj?.metadata.labels?.[AUTO_REGISTER_MANAGED_LABEL] ?? "";
const isNotFound = (err: unknown) => err instanceof ApiError && err.reason === "NotFound";
/** Spec fields as Go compares them (omitted and zero alike). */
function normalizedSpec(obj: KubeObject): Record<string, unknown> {
  const s = (obj.spec ?? {}) as Record<string, unknown>;
  return {
    service: s.service ?? null,
    group: s.group ?? "",
    version: s.version ?? "",
    insecureSkipTLSVerify: s.insecureSkipTLSVerify ?? false,
    caBundle: s.caBundle ?? "",
    groupPriorityMinimum: s.groupPriorityMinimum ?? 0,
    versionPriority: s.versionPriority ?? 0,
  };
}

const RETRY_MS = 1_000;

export class APIServiceRegistration {
  /** Desired APIServices by name (built-in ones fixed at start, custom ones following the registry). */
  private readonly desired = new Map<string, KubeObject>();
  private readonly atStart = new Set<string>();
  private readonly synced = new Set<string>();
  private readonly pending = new Set<string>();
  private draining: Promise<void> | undefined;
  private readonly watches: Watch[] = [];
  private readonly timers = new Set<Timer>();
  private unsubscribe: (() => void) | undefined;
  private stopped = false;

  constructor(
    private readonly registry: Registry,
    private readonly storage: StorageSet,
    private readonly clock: Clock,
  ) {}

  private get store(): ResourceStore {
    const s = this.storage.storeOf(GROUP, "apiservices");
    if (!s) throw new Error("store apiservices.apiregistration.k8s.io is not installed");
    return s;
  }

  /** Registers what is served now (resolves once every APIService is written), then keeps watching. */
  async start(): Promise<void> {
    if (!this.storage.storeOf(GROUP, "apiservices")) return;
    for (const obj of this.store.listCached("")) this.atStart.add(obj.metadata.name!);
    this.computeDesired(true);
    for (const name of [...this.desired.keys(), ...this.atStart]) this.pending.add(name);
    await this.drain();
    this.unsubscribe = this.registry.onChange(() => {
      for (const name of this.computeDesired(false)) this.enqueue(name);
    });
    await this.watch(GROUP, "apiservices", (obj) => [obj.metadata.name!]);
    // a remote APIService follows its Service and Endpoints
    const dependents = (obj: KubeObject) =>
      this.store
        .listCached("")
        .filter((s) => {
          const ref = (s.spec as { service?: { namespace?: string; name?: string } } | undefined)?.service;
          return !!ref && ref.namespace === obj.metadata.namespace && ref.name === obj.metadata.name;
        })
        .map((s) => s.metadata.name!);
    await this.watch("", "services", dependents);
    await this.watch("", "endpoints", dependents);
  }

  stop(): void {
    this.stopped = true;
    this.unsubscribe?.();
    for (const w of this.watches.splice(0)) w.stop();
    for (const t of this.timers) t.cancel();
    this.timers.clear();
  }

  /** Resolves when nothing is queued any more (for tests and start-up). */
  async idle(): Promise<void> {
    while (this.draining) await this.draining;
  }

  /** Recomputes the desired set; returns the names whose desire changed. */
  private computeDesired(initial: boolean): string[] {
    const changed: string[] = [];
    const custom = new Map<string, KubeObject>();
    for (const { group, versions } of this.registry.groups()) {
      if (group === GROUP) continue;
      for (const version of versions) {
        const defs = this.registry.resources(group, version);
        const builtin = defs.some((d) => !d.customResource);
        if (builtin) {
          if (!initial) continue;
          const priority = API_VERSION_PRIORITIES[`${group}/${version}`];
          // upstream skips unknown built-in group-versions rather than guess their priority
          if (!priority) continue;
          const obj = makeAPIService(group, version, priority, MANAGE_ON_START);
          this.desired.set(obj.metadata.name!, obj);
          changed.push(obj.metadata.name!);
        } else {
          const obj = makeAPIService(group, version, CUSTOM_RESOURCE_PRIORITY, MANAGE_CONTINUOUSLY);
          custom.set(obj.metadata.name!, obj);
        }
      }
    }
    for (const [name, obj] of this.desired) {
      if (managedType(obj) !== MANAGE_CONTINUOUSLY || custom.has(name)) continue;
      this.desired.delete(name);
      changed.push(name);
    }
    for (const [name, obj] of custom) {
      const prev = this.desired.get(name);
      if (prev && managedType(prev) === MANAGE_ON_START) continue; // a built-in group-version wins
      if (!prev || !deepEqual(prev, obj)) {
        this.desired.set(name, obj);
        changed.push(name);
      }
    }
    return changed;
  }

  private async watch(group: string, resource: string, names: (obj: KubeObject) => string[]): Promise<void> {
    const store = this.storage.storeOf(group, resource);
    if (!store || this.stopped) return;
    const w = await store.watch(systemContext(this.clock), {});
    this.watches.push(w);
    void (async () => {
      try {
        for await (const ev of w) {
          if (this.stopped) break;
          if (ev.type === "BOOKMARK" || ev.type === "ERROR") continue;
          for (const name of names(ev.object)) this.enqueue(name);
        }
      } catch {
        // the store is closing
      }
    })();
  }

  private enqueue(name: string): void {
    if (this.stopped) return;
    this.pending.add(name);
    void this.drain();
  }

  private drain(): Promise<void> {
    this.draining ??= (async () => {
      try {
        while (this.pending.size && !this.stopped) {
          const name = this.pending.values().next().value as string;
          this.pending.delete(name);
          try {
            await this.sync(name);
          } catch {
            this.retryLater(name);
          }
        }
      } finally {
        this.draining = undefined;
      }
    })();
    return this.draining;
  }

  private retryLater(name: string): void {
    if (this.stopped) return;
    const t = this.clock.setTimer(RETRY_MS, () => {
      this.timers.delete(t);
      this.enqueue(name);
    });
    this.timers.add(t);
  }

  private async sync(name: string): Promise<void> {
    await this.register(name);
    await this.updateAvailability(name);
  }

  private async current(name: string): Promise<KubeObject | undefined> {
    try {
      return await this.store.get(systemContext(this.clock), name, {});
    } catch (err) {
      if (isNotFound(err)) return undefined;
      throw err;
    }
  }

  /** Upstream checkAPIService (see the table there): create, update once/always, or delete. */
  private async register(name: string): Promise<void> {
    const desired = this.desired.get(name);
    const hasSynced = this.synced.has(name);
    const curr = await this.current(name);
    const ctx = systemContext(this.clock);
    const done = (): void => void this.synced.add(name);
    if (!curr && !desired) return done();
    if (managedType(desired) === MANAGE_ON_START && hasSynced) return;
    if (!curr && desired) {
      try {
        await this.store.create(ctx, structuredClone(desired), { dryRun: false });
      } catch (err) {
        if (!(err instanceof ApiError && err.reason === "AlreadyExists")) throw err;
        this.enqueue(name);
        return;
      }
      return done();
    }
    const type = managedType(curr);
    if (type !== MANAGE_ON_START && type !== MANAGE_CONTINUOUSLY) return done();
    if (type === MANAGE_ON_START && !this.atStart.has(name)) return done();
    if (type === MANAGE_ON_START && hasSynced) return;
    if (!desired) {
      try {
        await this.store.delete(ctx, name, { dryRun: false });
      } catch (err) {
        if (!isNotFound(err)) throw err;
      }
      return done();
    }
    if (!deepEqual(normalizedSpec(curr!), normalizedSpec(desired))) {
      await this.store.update(ctx, name, (cur) => ({ ...cur!, spec: structuredClone(desired.spec) }), { dryRun: false });
    }
    done();
  }

  /** The local and remote availability controllers: the Available condition, written only when it changes. */
  private async updateAvailability(name: string): Promise<void> {
    const curr = await this.current(name);
    if (!curr) return;
    const condition = await this.availability(curr);
    const status = structuredClone((curr.status ?? {}) as Record<string, unknown>);
    setAPIServiceCondition(status, condition);
    if (deepEqual(status, curr.status ?? {})) return;
    await this.store.updateWith(
      systemContext(this.clock, "status"),
      name,
      (cur) => {
        if (!cur) return cur!;
        const next = structuredClone(cur);
        const s = (next.status ?? {}) as Record<string, unknown>;
        setAPIServiceCondition(s, condition);
        next.status = s;
        return next;
      },
      { dryRun: false },
      "status",
    );
  }

  private async availability(svc: KubeObject): Promise<APIServiceCondition> {
    const now = this.clock.now();
    if (isLocalAPIService(svc)) return localAvailableCondition(now);
    const spec = svc.spec as { group?: string; version?: string; service: { namespace?: string; name?: string; port?: number } };
    const ref = spec.service;
    const ns = ref.namespace ?? "";
    const svcName = ref.name ?? "";
    const port = ref.port ?? 443;
    const falseCondition = (reason: string, message: string): APIServiceCondition => ({ type: "Available", status: "False", lastTransitionTime: formatTime(now), reason, message });
    const read = async (resource: string): Promise<KubeObject | undefined> => {
      try {
        return await this.storage.storeOf("", resource)?.get({ ...systemContext(this.clock), namespace: ns }, svcName, {});
      } catch (err) {
        if (isNotFound(err)) return undefined;
        throw err;
      }
    };
    const service = await read("services");
    if (!service) return falseCondition("ServiceNotFound", `service/${svcName} in ${JSON.stringify(ns)} is not present`);
    const sspec = (service.spec ?? {}) as { type?: string; clusterIP?: string; ports?: { name?: string; port?: number }[] };
    if ((sspec.type ?? "ClusterIP") === "ClusterIP") {
      const match = (sspec.ports ?? []).find((p) => p.port === port);
      if (!match) return falseCondition("ServicePortError", `service/${svcName} in ${JSON.stringify(ns)} is not listening on port ${port}`);
      const portName = match.name ?? "";
      const endpoints = await read("endpoints");
      if (!endpoints) return falseCondition("EndpointsNotFound", `cannot find endpoints for service/${svcName} in ${JSON.stringify(ns)}`);
      const subsets = (endpoints.subsets ?? []) as { addresses?: unknown[]; ports?: { name?: string }[] }[];
      const active = subsets.some((s) => (s.addresses ?? []).length > 0 && (s.ports ?? []).some((p) => (p.name ?? "") === portName));
      if (!active) return falseCondition("MissingEndpoints", `endpoints for service/${svcName} in ${JSON.stringify(ns)} have no addresses with port name ${JSON.stringify(portName)}`);
    }
    // Nothing here proxies to an aggregated server: its discovery check cannot succeed.
    const host = sspec.clusterIP && sspec.clusterIP !== "None" ? sspec.clusterIP : `${svcName}.${ns}.svc`;
    const path = svc.metadata.name === "v1." ? `/api/${spec.version ?? ""}` : `/apis/${spec.group ?? ""}/${spec.version ?? ""}`;
    const url = `https://${host}:${port}${path}`;
    return falseCondition("FailedDiscoveryCheck", `failing or missing response from ${url}: Get "${url}": dial tcp ${host}:${port}: connect: connection refused`);
  }
}
