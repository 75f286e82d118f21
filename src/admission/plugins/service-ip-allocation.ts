// Service address allocation (upstream pkg/registry/core/service/storage/alloc.go with the
// ipallocator and portallocator): cluster IPs from the service range, NodePorts and health-check
// NodePorts from the NodePort range, the IP family fields defaulted as the allocator does.
//
// Upstream allocates in the Service REST storage before the strategy and validation run (BeginCreate /
// BeginUpdate), which is where a mutating admission plugin that runs last sits here. Allocations
// live in memory, rebuilt from the stored Services on first use (the store is the source of truth);
// every value is held by a lease naming its Service:
// - `pending`: taken in the mutating phase. If the request never reaches the validating phase (the
//   strategy's validation or another plugin rejected it) the lease is dropped on the next turn of
//   the event loop; the validating phase re-takes it if it was dropped too early.
// - `admitted`: the request passed validation and is being written. Such a lease is honoured for
//   IN_FLIGHT_MS, or as soon as the store shows the Service holding the value.
// - `committed`: the store showed the Service holding the value. From then on the lease lives while
//   the stored Service (same uid) still holds the value: deletes and releasing updates need no
//   bookkeeping, a stale lease is found dead the next time the value is asked for or the range is
//   found full.
// A retry of the same object (same namespace/name) may take over its own uncommitted leases.
import { ApiError, errors } from "../../apimachinery/errors.js";
import { FieldPath, fieldErrors, type FieldError } from "../../apimachinery/field-errors.js";
import type { KubeObject } from "../../apimachinery/types.js";
import { IPRange, OffsetPool, PortRange, familyOf, parseIP, type IPFamily } from "../../controllers/networking/ipam.js";
import { normalizeClusterIPs, patchAllocatedValues } from "../../registry/builtin/core/service-allocated-values.js";
import type { AdmissionAttributes, AdmissionOperation, AdmissionPlugin } from "../interfaces.js";
import type { AdmissionDeps } from "./deps.js";

/** How long an allocation whose Service is not (yet) in the store is kept for its in-flight write. */
export const IN_FLIGHT_MS = 10_000;

type Obj = Record<string, unknown>;

interface Lease {
  /** namespace/name of the Service ("" until known, for generateName creates). */
  owner: string;
  uid: string;
  at: number;
  state: "pending" | "admitted" | "committed";
  /** The request that took a pending lease. */
  txn?: Txn;
}

type Holds = (svc: KubeObject) => boolean;

interface Taken {
  pool: OffsetPool<Lease>;
  offset: number;
  lease: Lease;
  holds: Holds;
  describe: () => ApiError;
}

/** One request's allocations, reverted if the request fails before its validating phase. */
class Txn {
  readonly taken: Taken[] = [];
  /** Old values this request gives up (released once the store no longer shows them). */
  readonly released: Array<{ pool: OffsetPool<Lease>; offset: number }> = [];
  validated = false;
  reverted = false;

  revert(): void {
    for (const t of this.taken) if (t.pool.get(t.offset) === t.lease) t.pool.delete(t.offset);
    this.reverted = true;
  }
}

const SERVICES = { group: "", resource: "services" };

const obj = (v: unknown): Obj | undefined => (v && typeof v === "object" && !Array.isArray(v) ? (v as Obj) : undefined);
const str = (v: unknown): string => (typeof v === "string" ? v : "");
const strs = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : []);
const ports = (spec: Obj): Obj[] => (Array.isArray(spec.ports) ? (spec.ports as unknown[]).map(obj).filter((p): p is Obj => !!p) : []);
const num = (v: unknown): number => (typeof v === "number" && Number.isFinite(v) ? v : 0);

const typeOf = (spec: Obj): string => str(spec.type) || "ClusterIP";
const isExternalName = (spec: Obj) => typeOf(spec) === "ExternalName";
const wantsNodePorts = (spec: Obj) => typeOf(spec) === "NodePort" || typeOf(spec) === "LoadBalancer";
/** upstream shouldAllocateNodePorts */
function shouldAllocateNodePorts(spec: Obj): boolean {
  if (typeOf(spec) === "NodePort") return true;
  if (typeOf(spec) === "LoadBalancer") return spec.allocateLoadBalancerNodePorts !== false;
  return false;
}
/** upstream apiservice.NeedsHealthCheck */
const needsHealthCheck = (spec: Obj) => typeOf(spec) === "LoadBalancer" && spec.externalTrafficPolicy === "Local";
const hasSelector = (spec: Obj) => Object.keys(obj(spec.selector) ?? {}).length > 0;
const nodePortsOf = (spec: Obj): number[] => ports(spec).map((p) => num(p.nodePort)).filter((n) => n !== 0);

function invalid(svc: KubeObject, errs: FieldError[]): ApiError {
  return errors.invalid({ group: "", kind: "Service" }, svc.metadata?.name ?? "", errs);
}

export class ServiceAllocator {
  readonly ipRange: IPRange;
  readonly portRange: PortRange;
  readonly ips: OffsetPool<Lease>;
  readonly nodePorts: OffsetPool<Lease>;
  private loaded = false;
  private readonly txns = new WeakMap<object, Txn>();

  constructor(
    private readonly deps: AdmissionDeps,
    random: () => number = Math.random,
  ) {
    this.ipRange = new IPRange(deps.cluster.serviceCIDR);
    const [lo, hi] = deps.cluster.nodePortRange;
    this.portRange = new PortRange(lo, hi);
    this.ips = new OffsetPool<Lease>(this.ipRange.size, this.ipRange.staticBand, random);
    this.nodePorts = new OffsetPool<Lease>(this.portRange.size, this.portRange.staticBand, random);
  }

  get family(): IPFamily {
    return this.ipRange.family;
  }

  private now(): number {
    return this.deps.clock.now();
  }

  // ---- the store as the source of truth ----

  /** Rebuilds the pools from the stored Services (first use, and a full range). */
  private load(): void {
    this.loaded = true;
    for (const svc of this.deps.list(SERVICES.group, SERVICES.resource)) {
      const lease = (): Lease => ({ owner: ownerOf(svc), uid: svc.metadata.uid ?? "", at: this.now(), state: "committed" });
      const spec = obj(svc.spec) ?? {};
      if (!isExternalName(spec))
        for (const ip of strs(spec.clusterIPs)) {
          const off = this.ipRange.offsetOf(ip);
          if (off !== undefined && !this.ips.has(off)) this.ips.set(off, lease());
        }
      for (const p of [...nodePortsOf(spec), num(spec.healthCheckNodePort)]) {
        const off = p ? this.portRange.offsetOf(p) : undefined;
        if (off !== undefined && !this.nodePorts.has(off)) this.nodePorts.set(off, lease());
      }
    }
  }

  private ensureLoaded(): void {
    if (!this.loaded) this.load();
  }

  /** Whether a lease still stands: its Service is stored holding the value, or its write is in flight. */
  private live(lease: Lease, holds: Holds): boolean {
    if (lease.owner) {
      const i = lease.owner.indexOf("/");
      const svc = this.deps.get(SERVICES.group, SERVICES.resource, lease.owner.slice(0, i), lease.owner.slice(i + 1));
      if (svc && (!lease.uid || svc.metadata.uid === lease.uid) && holds(svc)) {
        lease.state = "committed";
        lease.uid = svc.metadata.uid ?? lease.uid;
        return true;
      }
    }
    return lease.state !== "committed" && this.now() - lease.at < IN_FLIGHT_MS;
  }

  /** Drops every dead lease of a pool (upstream's repair loop, run when a range looks full). */
  private sweep(pool: OffsetPool<Lease>, holdsAt: (offset: number) => Holds): void {
    for (const [off, lease] of [...pool.entries()]) if (!this.live(lease, holdsAt(off))) pool.delete(off);
  }

  private holdsIP(offset: number): Holds {
    const ip = this.ipRange.at(offset);
    return (svc) => {
      const spec = obj(svc.spec) ?? {};
      return !isExternalName(spec) && strs(spec.clusterIPs).includes(ip);
    };
  }

  private holdsPort(offset: number): Holds {
    const port = this.portRange.at(offset);
    return (svc) => {
      const spec = obj(svc.spec) ?? {};
      return nodePortsOf(spec).includes(port) || num(spec.healthCheckNodePort) === port;
    };
  }

  /** Takes a specific offset for the lease unless a live lease of another request holds it. */
  private take(txn: Txn, pool: OffsetPool<Lease>, offset: number, lease: Lease, holds: Holds, describe: () => ApiError): boolean {
    const cur = pool.get(offset);
    if (cur && cur !== lease) {
      if (txn.taken.some((t) => t.lease === cur)) return false;
      const retryOfSameObject = !!lease.owner && cur.owner === lease.owner && cur.state !== "committed";
      if (!retryOfSameObject && this.live(cur, holds)) return false;
    }
    pool.set(offset, lease);
    txn.taken.push({ pool, offset, lease, holds, describe });
    return true;
  }

  private newLease(txn: Txn, svc: KubeObject): Lease {
    return { owner: ownerOf(svc), uid: "", at: this.now(), state: "pending", txn };
  }

  // ---- IP family fields (upstream initIPFamilyFields, for a single-family cluster) ----

  private initIPFamilyFields(spec: Obj, oldSpec: Obj | undefined, svc: KubeObject): void {
    if (isExternalName(spec)) return;
    // upstream validates these fields before allocating; malformed ones are left to validation here
    const clusterIPs = strs(spec.clusterIPs);
    const clusterIP = str(spec.clusterIP);
    if (clusterIPs.some((ip, i) => !(i === 0 && ip === "None") && !parseIP(ip))) throw new SkipAllocation();
    if (clusterIP ? clusterIPs[0] !== clusterIP : clusterIPs.length > 0) throw new SkipAllocation();
    if (strs(spec.ipFamilies).some((f) => f !== "IPv4" && f !== "IPv6")) throw new SkipAllocation();
    if (oldSpec && matchingPreferDualStack(spec, oldSpec)) return;
    if (spec.ipFamilyPolicy === undefined || spec.ipFamilyPolicy === null) {
      if (oldSpec && typeof oldSpec.ipFamilyPolicy === "string") spec.ipFamilyPolicy = oldSpec.ipFamilyPolicy;
      else if (str(spec.clusterIP) === "None" && !hasSelector(spec)) spec.ipFamilyPolicy = "RequireDualStack";
      else spec.ipFamilyPolicy = "SingleStack";
    }
    const policy = str(spec.ipFamilyPolicy);
    if (!["SingleStack", "PreferDualStack", "RequireDualStack"].includes(policy)) throw new SkipAllocation();
    const errs: FieldError[] = [];
    const policyPath = FieldPath.root("spec", "ipFamilyPolicy");
    let families = strs(spec.ipFamilies);
    if (oldSpec) {
      if (policy === "SingleStack") {
        if (sameList(strs(oldSpec.clusterIPs), strs(spec.clusterIPs)) && strs(spec.clusterIPs).length > 1) spec.clusterIPs = strs(spec.clusterIPs).slice(0, 1);
        if (sameList(strs(oldSpec.ipFamilies), families) && families.length > 1) spec.ipFamilies = families = families.slice(0, 1);
      } else {
        const n = strs(spec.clusterIPs);
        if (n.length > 0 && n.length < strs(oldSpec.clusterIPs).length)
          errs.push(fieldErrors.invalid(policyPath, policy, "must be 'SingleStack' to release the secondary cluster IP"));
        if (families.length > 0 && families.length < strs(oldSpec.ipFamilies).length)
          errs.push(fieldErrors.invalid(policyPath, policy, "must be 'SingleStack' to release the secondary IP family"));
      }
    }
    const ips = strs(spec.clusterIPs);
    if (policy === "SingleStack") {
      if (ips.length === 2) errs.push(fieldErrors.invalid(policyPath, policy, "must be 'RequireDualStack' or 'PreferDualStack' when multiple cluster IPs are specified"));
      if (families.length === 2) errs.push(fieldErrors.invalid(policyPath, policy, "must be 'RequireDualStack' or 'PreferDualStack' when multiple IP families are specified"));
    }
    families = [...families];
    for (let i = 0; i < ips.length; i++) {
      const ip = ips[i]!;
      if (ip === "None") break;
      const fam = familyOf(ip)!;
      if (i >= families.length) {
        if (fam !== this.family) errs.push(fieldErrors.invalid(FieldPath.root("spec", "clusterIPs").index(i), ips, `${fam} is not configured on this cluster`));
        else families.push(fam);
      }
    }
    if (families.length !== strs(spec.ipFamilies).length) spec.ipFamilies = families;
    if (errs.length) throw invalid(svc, errs);
    // headless without a selector: every family the policy asks for, configured or not
    if (str(spec.clusterIP) === "None" && !hasSelector(spec)) {
      if (families.length === 0) families = [this.family];
      if (families.length < 2 && policy !== "SingleStack") families = [...families, families[0] === "IPv4" ? "IPv6" : "IPv4"];
      spec.ipFamilies = families;
      return;
    }
    if (policy === "RequireDualStack") errs.push(fieldErrors.invalid(policyPath, policy, "this cluster is not configured for dual-stack services"));
    families.forEach((f, i) => {
      if (f !== this.family) errs.push(fieldErrors.invalid(FieldPath.root("spec", "ipFamilies").index(i), f, "not configured on this cluster"));
    });
    if (errs.length) throw invalid(svc, errs);
    if (families.length === 0) families = [this.family];
    spec.ipFamilies = families;
  }

  // ---- cluster IPs ----

  private allocClusterIPs(txn: Txn, svc: KubeObject, spec: Obj, dryRun: boolean): void {
    if (isExternalName(spec)) return;
    const clusterIPs = strs(spec.clusterIPs);
    if (clusterIPs[0] === "None") return;
    const families = strs(spec.ipFamilies);
    while (clusterIPs.length < families.length) clusterIPs.push("");
    spec.clusterIPs = clusterIPs;
    families.forEach((family, i) => {
      if (family !== this.family) return;
      const requested = clusterIPs[i]!;
      const ip = requested ? this.allocateIP(txn, svc, clusterIPs, requested, dryRun) : this.allocateNextIP(txn, svc, dryRun);
      clusterIPs[i] = ip;
      if (i === 0) spec.clusterIP = ip;
    });
  }

  private ipError(svc: KubeObject, clusterIPs: string[], ip: string, reason: string): ApiError {
    return invalid(svc, [fieldErrors.invalid(FieldPath.root("spec", "clusterIPs"), [...clusterIPs], `failed to allocate IP ${ip}: ${reason}`)]);
  }

  private allocateIP(txn: Txn, svc: KubeObject, clusterIPs: string[], ip: string, dryRun: boolean): string {
    const parsed = parseIP(ip);
    if (!parsed) throw errors.internal(new Error(`failed to parse service IP "${ip}"`));
    // the MetaAllocator (1.33) looks for a ServiceCIDR containing the address first
    if (!this.ipRange.cidr.contains(parsed)) throw this.ipError(svc, clusterIPs, ip, "the provided network does not match the current range");
    const off = this.ipRange.offsetOf(parsed);
    if (off === undefined)
      throw this.ipError(svc, clusterIPs, ip, `the provided IP (${ip}) is not in the valid range. The range of valid IPs is ${this.ipRange.cidr}`);
    if (dryRun) return ip;
    const describe = () => this.ipError(svc, clusterIPs, ip, "provided IP is already allocated");
    if (!this.take(txn, this.ips, off, this.newLease(txn, svc), this.holdsIP(off), describe)) throw describe();
    return ip;
  }

  private allocateNextIP(txn: Txn, svc: KubeObject, dryRun: boolean): string {
    // upstream's dry-run does not look for a free address: it answers the network address
    if (dryRun) return this.ipRange.at(-1);
    let off = this.ips.findFree();
    if (off === undefined) {
      this.sweep(this.ips, (o) => this.holdsIP(o));
      off = this.ips.findFree();
    }
    if (off === undefined) throw errors.internal(new Error("failed to allocate a serviceIP: range is full"));
    const lease = this.newLease(txn, svc);
    const ip = this.ipRange.at(off);
    this.take(txn, this.ips, off, lease, this.holdsIP(off), () => this.ipError(svc, [ip], ip, "provided IP is already allocated"));
    return ip;
  }

  // ---- node ports ----

  private portError(svc: KubeObject, path: FieldPath, port: number, reason: string): ApiError {
    return invalid(svc, [fieldErrors.invalid(path, port, reason)]);
  }

  /** upstream PortAllocationOperation.Allocate; returns the failure reason or undefined. */
  private allocatePort(txn: Txn, op: PortOp, svc: KubeObject, port: number, onConflict: () => ApiError): string | undefined {
    if (op.dryRun) {
      const off = this.portRange.offsetOf(port);
      const cur = off === undefined ? undefined : this.nodePorts.get(off);
      if ((cur && this.live(cur, this.holdsPort(off!))) || op.allocated.includes(port)) return "provided port is already allocated";
      op.allocated.push(port);
      return undefined;
    }
    const off = this.portRange.offsetOf(port);
    if (off === undefined) return `provided port is not in the valid range. The range of valid ports is ${this.portRange}`;
    if (!this.take(txn, this.nodePorts, off, this.newLease(txn, svc), this.holdsPort(off), onConflict)) return "provided port is already allocated";
    op.allocated.push(port);
    return undefined;
  }

  /** upstream PortAllocationOperation.AllocateNext; undefined when the range is full. */
  private allocateNextPort(txn: Txn, op: PortOp, svc: KubeObject): number | undefined {
    if (op.dryRun) {
      // a dummy value past the range, as upstream's dry-run operation
      const port = (op.allocated.length ? Math.max(...op.allocated) : 32768) + 1;
      op.allocated.push(port);
      return port;
    }
    let off = this.nodePorts.findFree();
    if (off === undefined) {
      this.sweep(this.nodePorts, (o) => this.holdsPort(o));
      off = this.nodePorts.findFree();
    }
    if (off === undefined) return undefined;
    const port = this.portRange.at(off);
    this.take(txn, this.nodePorts, off, this.newLease(txn, svc), this.holdsPort(off), () =>
      errors.internal(new Error(`failed to allocate a nodePort: provided port is already allocated`)),
    );
    op.allocated.push(port);
    return port;
  }

  private portPath(i: number): FieldPath {
    return FieldPath.root("spec", "ports").index(i).child("nodePort");
  }

  /** upstream initNodePorts (create). */
  private initNodePorts(txn: Txn, op: PortOp, svc: KubeObject, spec: Obj): void {
    const byServicePort = new Map<number, number>();
    const list = ports(spec);
    list.forEach((sp, i) => {
      const nodePort = num(sp.nodePort);
      if (nodePort === 0 && !shouldAllocateNodePorts(spec)) return;
      const portNum = num(sp.port);
      const allocated = byServicePort.get(portNum) ?? 0;
      if (allocated === 0) {
        const requested = num(list.find((p) => num(p.port) === portNum && num(p.nodePort) !== 0)?.nodePort);
        if (requested !== 0) {
          const conflict = () => this.portError(svc, this.portPath(i), requested, "provided port is already allocated");
          const reason = this.allocatePort(txn, op, svc, requested, conflict);
          if (reason) throw this.portError(svc, this.portPath(i), requested, reason);
          sp.nodePort = requested;
          byServicePort.set(portNum, requested);
        } else {
          const port = this.allocateNextPort(txn, op, svc);
          if (port === undefined) throw errors.internal(new Error("failed to allocate a nodePort: range is full"));
          sp.nodePort = port;
          byServicePort.set(portNum, port);
        }
      } else if (nodePort !== allocated) {
        if (nodePort === 0) sp.nodePort = allocated;
        else {
          const conflict = () => this.portError(svc, this.portPath(i), nodePort, "provided port is already allocated");
          const reason = this.allocatePort(txn, op, svc, nodePort, conflict);
          if (reason) throw this.portError(svc, this.portPath(i), nodePort, reason);
        }
      }
    });
  }

  /** upstream updateNodePorts. */
  private updateNodePorts(txn: Txn, op: PortOp, svc: KubeObject, spec: Obj, oldSpec: Obj): void {
    const oldPorts = nodePortsOf(oldSpec);
    const seen = new Set<string>();
    const allocatedHere = new Set<number>();
    ports(spec).forEach((sp, i) => {
      const nodePort = num(sp.nodePort);
      if (nodePort === 0 && !shouldAllocateNodePorts(spec)) return;
      let value = nodePort;
      if (nodePort !== 0) {
        if (!oldPorts.includes(nodePort) && !allocatedHere.has(nodePort)) {
          const conflict = () => this.portError(svc, this.portPath(i), nodePort, "provided port is already allocated");
          const reason = this.allocatePort(txn, op, svc, nodePort, conflict);
          if (reason) throw this.portError(svc, this.portPath(i), nodePort, reason);
          allocatedHere.add(nodePort);
        }
      } else {
        const port = this.allocateNextPort(txn, op, svc);
        if (port === undefined) throw errors.internal(new Error("failed to allocate a nodePort: range is full"));
        sp.nodePort = value = port;
      }
      const key = `${str(sp.protocol) || "TCP"} ${value}`;
      if (seen.has(key)) throw errors.internal(new Error(`duplicate nodePort: {${key}}`));
      seen.add(key);
    });
    const newPorts = nodePortsOf(spec);
    for (const p of oldPorts) if (!newPorts.includes(p)) this.releaseLater(txn, this.nodePorts, this.portRange.offsetOf(p));
  }

  private allocHealthCheckNodePort(txn: Txn, op: PortOp, svc: KubeObject, spec: Obj): void {
    const requested = num(spec.healthCheckNodePort);
    if (requested !== 0) {
      const conflict = () => errors.internal(new Error(`failed to allocate requested HealthCheck NodePort ${requested}: provided port is already allocated`));
      const reason = this.allocatePort(txn, op, svc, requested, conflict);
      if (reason) throw errors.internal(new Error(`failed to allocate requested HealthCheck NodePort ${requested}: ${reason}`));
      return;
    }
    const port = this.allocateNextPort(txn, op, svc);
    if (port === undefined) throw errors.internal(new Error("failed to allocate a HealthCheck NodePort 0: range is full"));
    spec.healthCheckNodePort = port;
  }

  private releaseLater(txn: Txn, pool: OffsetPool<Lease>, offset: number | undefined): void {
    if (offset !== undefined) txn.released.push({ pool, offset });
  }

  // ---- the operations ----

  /** upstream allocateCreate; mutates svc.spec. */
  allocateCreate(svc: KubeObject, dryRun: boolean): Txn {
    this.ensureLoaded();
    const txn = new Txn();
    const spec = obj(svc.spec);
    if (!spec) return txn;
    normalizeClusterIPs(spec, undefined);
    try {
      this.initIPFamilyFields(spec, undefined, svc);
      this.allocClusterIPs(txn, svc, spec, dryRun);
      const op: PortOp = { dryRun, allocated: [] };
      if (wantsNodePorts(spec)) this.initNodePorts(txn, op, svc, spec);
      if (needsHealthCheck(spec)) this.allocHealthCheckNodePort(txn, op, svc, spec);
    } catch (err) {
      txn.revert();
      if (err instanceof SkipAllocation) return new Txn();
      throw err;
    }
    return txn;
  }

  /** upstream allocateUpdate; mutates svc.spec (after patching in the allocated values it left out). */
  allocateUpdate(svc: KubeObject, old: KubeObject, dryRun: boolean): Txn {
    this.ensureLoaded();
    const txn = new Txn();
    const spec = obj(svc.spec);
    const oldSpec = obj(old.spec) ?? {};
    if (!spec) return txn;
    patchAllocatedValues(spec, oldSpec);
    normalizeClusterIPs(spec, oldSpec);
    try {
      this.initIPFamilyFields(spec, oldSpec, svc);
      // cluster IPs: ExternalName -> other allocates, other -> ExternalName releases
      if (!matchingPreferDualStack(spec, oldSpec)) {
        if (isExternalName(oldSpec) && !isExternalName(spec)) this.allocClusterIPs(txn, svc, spec, dryRun);
        else if (!isExternalName(oldSpec) && isExternalName(spec) && strs(oldSpec.clusterIPs)[0] !== "None")
          for (const ip of strs(oldSpec.clusterIPs)) this.releaseLater(txn, this.ips, this.ipRange.offsetOf(ip));
      }
      const op: PortOp = { dryRun, allocated: [] };
      const t = typeOf(spec);
      if (wantsNodePorts(oldSpec) && (t === "ExternalName" || t === "ClusterIP"))
        for (const p of nodePortsOf(oldSpec)) this.releaseLater(txn, this.nodePorts, this.portRange.offsetOf(p));
      if (wantsNodePorts(spec)) this.updateNodePorts(txn, op, svc, spec, oldSpec);
      const needed = needsHealthCheck(oldSpec);
      const needs = needsHealthCheck(spec);
      if (!needed && needs) this.allocHealthCheckNodePort(txn, op, svc, spec);
      else if (needed && !needs) this.releaseLater(txn, this.nodePorts, this.portRange.offsetOf(num(oldSpec.healthCheckNodePort)));
    } catch (err) {
      txn.revert();
      if (err instanceof SkipAllocation) return new Txn();
      throw err;
    }
    return txn;
  }

  /** The stored Service being deleted evidently holds its values: from now on its leases live only while it is stored. */
  observeExisting(svc: KubeObject): void {
    this.ensureLoaded();
    const spec = obj(svc.spec) ?? {};
    const mark = (pool: OffsetPool<Lease>, off: number | undefined) => {
      const lease = off === undefined ? undefined : pool.get(off);
      if (lease && lease.owner === ownerOf(svc) && (!lease.uid || lease.uid === svc.metadata.uid)) {
        lease.uid = svc.metadata.uid ?? lease.uid;
        lease.state = "committed";
      }
    };
    if (!isExternalName(spec)) for (const ip of strs(spec.clusterIPs)) mark(this.ips, this.ipRange.offsetOf(ip));
    for (const p of [...nodePortsOf(spec), num(spec.healthCheckNodePort)]) if (p) mark(this.nodePorts, this.portRange.offsetOf(p));
  }

  // ---- request bookkeeping for the admission phases ----

  /**
   * Whether a value the Service asks for is held by another request between its two admission
   * phases: that request is decided within the current turn of the event loop (it either reaches
   * its validating phase or fails), so the caller waits one turn before allocating.
   */
  asksForPending(svc: KubeObject): boolean {
    const spec = obj(svc.spec);
    if (!spec) return false;
    const pending = (lease: Lease | undefined) => lease?.state === "pending" && !!lease.txn && !lease.txn.validated && !lease.txn.reverted;
    for (const ip of [...strs(spec.clusterIPs), str(spec.clusterIP)]) {
      const off = this.ipRange.offsetOf(ip);
      if (off !== undefined && pending(this.ips.get(off))) return true;
    }
    for (const p of [...nodePortsOf(spec), num(spec.healthCheckNodePort)]) {
      const off = p ? this.portRange.offsetOf(p) : undefined;
      if (off !== undefined && pending(this.nodePorts.get(off))) return true;
    }
    return false;
  }

  track(request: object, txn: Txn): void {
    if (txn.taken.length === 0 && txn.released.length === 0) return;
    this.txns.set(request, txn);
    // a request that fails between the two admission phases never comes back: drop its leases
    setImmediate(() => {
      if (!txn.validated) txn.revert();
    });
  }

  /** The validating phase: the request is valid and about to be written. */
  confirm(request: KubeObject, old: KubeObject | undefined): void {
    const txn = this.txns.get(request);
    if (!txn) return;
    this.txns.delete(request);
    txn.validated = true;
    const owner = ownerOf(request);
    const uid = request.metadata.uid ?? old?.metadata.uid ?? "";
    for (const t of txn.taken) {
      t.lease.owner = owner;
      t.lease.uid = uid;
      if (t.lease.state === "pending") t.lease.state = "admitted";
      delete t.lease.txn;
      t.lease.at = this.now();
      if (t.pool.get(t.offset) !== t.lease) {
        // dropped too early (a slow validating phase): take it back unless someone else has it
        const cur = t.pool.get(t.offset);
        if (cur && this.live(cur, t.holds)) throw t.describe();
        t.pool.set(t.offset, t.lease);
      }
    }
    if (old) for (const r of txn.released) {
      const lease = r.pool.get(r.offset);
      if (lease && lease.owner === owner) lease.state = "committed";
    }
  }
}

interface PortOp {
  dryRun: boolean;
  allocated: number[];
}

class SkipAllocation extends Error {}

function ownerOf(svc: KubeObject): string {
  const name = svc.metadata?.name;
  return name ? `${svc.metadata.namespace ?? ""}/${name}` : "";
}

function sameList(a: string[], b: string[]): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}

/** upstream isMatchingPreferDualStackClusterIPFields */
function matchingPreferDualStack(spec: Obj, oldSpec: Obj): boolean {
  if (spec.ipFamilyPolicy === undefined || spec.ipFamilyPolicy === null) return false;
  if (typeOf(spec) !== typeOf(oldSpec)) return false;
  if (!["ClusterIP", "NodePort", "LoadBalancer"].includes(typeOf(spec))) return false;
  if (spec.ipFamilyPolicy !== "PreferDualStack") return false;
  if (typeof oldSpec.ipFamilyPolicy === "string" && oldSpec.ipFamilyPolicy !== "PreferDualStack") return false;
  return sameList(strs(oldSpec.clusterIPs), strs(spec.clusterIPs)) && sameList(strs(oldSpec.ipFamilies), strs(spec.ipFamilies));
}

class ServiceIPAllocation implements AdmissionPlugin {
  readonly name = "ServiceIPAllocation";
  readonly allocator: ServiceAllocator;

  constructor(deps: AdmissionDeps) {
    this.allocator = new ServiceAllocator(deps);
  }

  handles(operation: AdmissionOperation): boolean {
    return operation === "CREATE" || operation === "UPDATE" || operation === "DELETE";
  }

  private applies(attrs: AdmissionAttributes): boolean {
    return attrs.resource.group === SERVICES.group && attrs.resource.resource === SERVICES.resource && attrs.subresource === "";
  }

  async admit(attrs: AdmissionAttributes): Promise<void> {
    if (!this.applies(attrs)) return;
    if (attrs.operation === "DELETE") {
      if (attrs.oldObject && !attrs.dryRun) this.allocator.observeExisting(attrs.oldObject);
      return;
    }
    const svc = attrs.object;
    if (!svc) return;
    if (!svc.metadata.namespace && attrs.namespace) svc.metadata.namespace = attrs.namespace;
    if (!attrs.dryRun && this.allocator.asksForPending(svc)) await new Promise<void>((resolve) => setImmediate(resolve));
    const txn =
      attrs.operation === "CREATE" || !attrs.oldObject
        ? this.allocator.allocateCreate(svc, attrs.dryRun)
        : this.allocator.allocateUpdate(svc, attrs.oldObject, attrs.dryRun);
    if (!attrs.dryRun) this.allocator.track(svc, txn);
  }

  validate(attrs: AdmissionAttributes): void {
    if (!this.applies(attrs) || attrs.dryRun || !attrs.object || attrs.operation === "DELETE") return;
    this.allocator.confirm(attrs.object, attrs.oldObject);
  }
}

export function serviceIPAllocation(deps: AdmissionDeps): AdmissionPlugin | undefined {
  return new ServiceIPAllocation(deps);
}
