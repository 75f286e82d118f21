// Resource arithmetic of the scheduler (upstream framework.Resource and component-helpers'
// resource.PodRequests): cpu in millicores, memory and ephemeral storage in bytes, extended and
// hugepages resources as scalar values, a pod's effective request across containers, init
// containers and sidecars (restartable init containers), plus its overhead.
import { parseQuantity } from "../registry/builtin/quantity.js";

export interface Resource {
  milliCPU: number;
  memory: number;
  ephemeralStorage: number;
  /** Extended, hugepages and other domain-qualified resources (upstream ScalarResources). */
  scalar: Map<string, number> | undefined;
}

/** Defaults of containers without cpu/memory requests, for scoring (upstream DefaultMilliCPURequest/DefaultMemoryRequest). */
export const DEFAULT_MILLI_CPU_REQUEST = 100;
export const DEFAULT_MEMORY_REQUEST = 200 * 1024 * 1024;

export function emptyResource(): Resource {
  return { milliCPU: 0, memory: 0, ephemeralStorage: 0, scalar: undefined };
}

export function cloneResource(r: Resource): Resource {
  return { milliCPU: r.milliCPU, memory: r.memory, ephemeralStorage: r.ephemeralStorage, scalar: r.scalar ? new Map(r.scalar) : undefined };
}

const parsed = new Map<string, bigint | undefined>();

function nano(q: unknown): bigint | undefined {
  if (typeof q === "number") return parseQuantity(q);
  if (typeof q !== "string") return undefined;
  let v = parsed.get(q);
  if (v === undefined && !parsed.has(q)) {
    v = parseQuantity(q);
    if (parsed.size > 10_000) parsed.clear();
    parsed.set(q, v);
  }
  return v;
}

/** Quantity.MilliValue(): rounded up to a whole milli-unit. */
export function milliValue(q: unknown): number {
  const n = nano(q);
  if (n === undefined) return 0;
  return Number(n >= 0n ? (n + 999_999n) / 1_000_000n : n / 1_000_000n);
}

/** Quantity.Value(): rounded up to a whole unit. */
export function value(q: unknown): number {
  const n = nano(q);
  if (n === undefined) return 0;
  return Number(n >= 0n ? (n + 999_999_999n) / 1_000_000_000n : n / 1_000_000_000n);
}

/** Upstream IsScalarResourceName: extended, hugepages, prefixed native and attachable-volume resources. */
export function isScalarResourceName(name: string): boolean {
  return name.includes("/") || name.startsWith("hugepages-") || name.startsWith("attachable-volumes-");
}

/** Upstream IsExtendedResourceName: a domain-qualified name outside kubernetes.io, not requests.*. */
export function isExtendedResourceName(name: string): boolean {
  if (!name.includes("/")) return false;
  if (name.startsWith("requests.")) return false;
  const domain = name.slice(0, name.indexOf("/"));
  return !(domain === "kubernetes.io" || domain.endsWith(".kubernetes.io"));
}

export type ResourceList = Record<string, unknown>;

/** A ResourceList as a Resource (cpu, memory, ephemeral-storage, scalars); pods are ignored here. */
export function resourceFromList(list: ResourceList | undefined | null): Resource {
  const r = emptyResource();
  if (!list) return r;
  for (const [name, q] of Object.entries(list)) addOne(r, name, q);
  return r;
}

function addOne(r: Resource, name: string, q: unknown): void {
  switch (name) {
    case "cpu":
      r.milliCPU += milliValue(q);
      return;
    case "memory":
      r.memory += value(q);
      return;
    case "ephemeral-storage":
      r.ephemeralStorage += value(q);
      return;
    case "pods":
      return;
    default:
      if (isScalarResourceName(name)) {
        if (!r.scalar) r.scalar = new Map();
        r.scalar.set(name, (r.scalar.get(name) ?? 0) + value(q));
      }
  }
}

export function addResource(into: Resource, r: Resource, sign = 1): void {
  into.milliCPU += sign * r.milliCPU;
  into.memory += sign * r.memory;
  into.ephemeralStorage += sign * r.ephemeralStorage;
  if (r.scalar) {
    if (!into.scalar) into.scalar = new Map();
    for (const [k, v] of r.scalar) into.scalar.set(k, (into.scalar.get(k) ?? 0) + sign * v);
  }
}

function maxResource(into: Resource, r: Resource): void {
  into.milliCPU = Math.max(into.milliCPU, r.milliCPU);
  into.memory = Math.max(into.memory, r.memory);
  into.ephemeralStorage = Math.max(into.ephemeralStorage, r.ephemeralStorage);
  if (r.scalar) {
    if (!into.scalar) into.scalar = new Map();
    for (const [k, v] of r.scalar) into.scalar.set(k, Math.max(into.scalar.get(k) ?? 0, v));
  }
}

interface ContainerLike {
  resources?: { requests?: ResourceList };
  restartPolicy?: string;
}

function containerRequest(c: ContainerLike, nonMissing: boolean): Resource {
  const requests = c?.resources?.requests;
  const r = resourceFromList(requests);
  if (nonMissing) {
    if (!requests || !("cpu" in requests)) r.milliCPU = DEFAULT_MILLI_CPU_REQUEST;
    if (!requests || !("memory" in requests)) r.memory = DEFAULT_MEMORY_REQUEST;
  }
  return r;
}

/**
 * The effective request of a pod (upstream resource.PodRequests): the sum of its containers and
 * sidecars, at least the largest init container plus the sidecars started before it, plus the
 * pod overhead. With nonMissing, containers without a cpu/memory request count the scheduler's
 * defaults (what scoring uses).
 */
export function podRequests(spec: Record<string, unknown> | undefined, nonMissing = false): Resource {
  const reqs = emptyResource();
  const containers = (Array.isArray(spec?.containers) ? spec!.containers : []) as ContainerLike[];
  for (const c of containers) addResource(reqs, containerRequest(c, nonMissing));
  const sidecars = emptyResource();
  const initMax = emptyResource();
  const inits = (Array.isArray(spec?.initContainers) ? spec!.initContainers : []) as ContainerLike[];
  for (const c of inits) {
    const r = containerRequest(c, nonMissing);
    if (c?.restartPolicy === "Always") {
      addResource(reqs, r);
      addResource(sidecars, r);
      maxResource(initMax, sidecars);
    } else {
      const use = cloneResource(r);
      addResource(use, sidecars);
      maxResource(initMax, use);
    }
  }
  maxResource(reqs, initMax);
  const overhead = spec?.overhead as ResourceList | undefined;
  if (overhead) addResource(reqs, resourceFromList(overhead));
  return reqs;
}

/** Node allocatable: resources and the number of pods it takes. */
export function nodeAllocatable(node: { status?: { allocatable?: ResourceList } } | undefined): { resource: Resource; pods: number } {
  const list = node?.status?.allocatable ?? {};
  return { resource: resourceFromList(list), pods: "pods" in list ? value(list.pods) : 0 };
}
