// What a cloud-controller-manager's service controller does (k8s.io/cloud-provider
// controllers/service) with a MetalLB-like provider: Services of type LoadBalancer without a
// loadBalancerClass get the service.kubernetes.io/load-balancer-cleanup finalizer and an address
// from the load balancer range (spec.loadBalancerIP honoured when it is free and in range; the
// lowest free address otherwise) in status.loadBalancer.ingress with ipMode VIP, with the
// EnsuringLoadBalancer / EnsuredLoadBalancer events. When a Service stops wanting a load balancer
// or is deleted, the address is released (DeletingLoadBalancer / DeletedLoadBalancer), the
// finalizer removed and the status cleared.
import { ApiError } from "../../apimachinery/errors.js";
import type { KubeObject } from "../../apimachinery/types.js";
import type { SharedInformer } from "../../client/informers/shared-informer.js";
import { R, type Client } from "../../client/interface.js";
import type { ControllerContext } from "../../controlplane/context.js";
import { deepEqual } from "../../util/deep-equal.js";
import { Controller, keyOf, splitKey, type Runnable } from "../runtime/controller.js";
import type { EventRecorder } from "../runtime/events.js";
import { IPRange } from "./ipam.js";
import { obj, objs, specOf, statusOf, str, strs } from "./util.js";

export const LB_CLEANUP_FINALIZER = "service.kubernetes.io/load-balancer-cleanup";

/** upstream wantsLoadBalancer: type LoadBalancer and no loadBalancerClass (those belong to other implementations). */
export function wantsLoadBalancer(svc: KubeObject): boolean {
  const spec = specOf(svc);
  return spec.type === "LoadBalancer" && (spec.loadBalancerClass === undefined || spec.loadBalancerClass === null);
}

const hasFinalizer = (svc: KubeObject) => (svc.metadata.finalizers ?? []).includes(LB_CLEANUP_FINALIZER);

/** upstream needsCleanup */
export function needsCleanup(svc: KubeObject): boolean {
  if (!hasFinalizer(svc)) return false;
  return !!svc.metadata.deletionTimestamp || specOf(svc).type !== "LoadBalancer";
}

/** The address pool: lowest free address first, as MetalLB hands them out. */
export class LoadBalancerPool {
  readonly range: IPRange;
  private readonly byOffset = new Map<number, string>();
  private readonly byService = new Map<string, number>();

  constructor(cidr: string) {
    this.range = new IPRange(cidr);
  }

  ipOf(key: string): string | undefined {
    const off = this.byService.get(key);
    return off === undefined ? undefined : this.range.at(off);
  }

  /** Records an address a Service already has (rebuild from status); false when it is not ours to give. */
  adopt(key: string, ip: string): boolean {
    const off = this.range.offsetOf(ip);
    if (off === undefined) return false;
    const holder = this.byOffset.get(off);
    if (holder !== undefined && holder !== key) return false;
    this.release(key);
    this.byOffset.set(off, key);
    this.byService.set(key, off);
    return true;
  }

  /** The Service's address: the one it has, the one it asks for, or the lowest free one. */
  ensure(key: string, requested?: string): string {
    if (requested) {
      const off = this.range.offsetOf(requested);
      if (off === undefined) throw new Error(`requested IP ${requested} is not in the load balancer range ${this.range.cidr}`);
      const holder = this.byOffset.get(off);
      if (holder !== undefined && holder !== key) throw new Error(`requested IP ${requested} is already in use by service ${holder}`);
      this.adopt(key, requested);
      return requested;
    }
    const mine = this.ipOf(key);
    if (mine) return mine;
    for (let off = 0; off < this.range.size; off++) {
      if (this.byOffset.has(off)) continue;
      this.byOffset.set(off, key);
      this.byService.set(key, off);
      return this.range.at(off);
    }
    throw new Error(`no available IPs in the load balancer range ${this.range.cidr}`);
  }

  release(key: string): boolean {
    const off = this.byService.get(key);
    if (off === undefined) return false;
    this.byService.delete(key);
    if (this.byOffset.get(off) === key) this.byOffset.delete(off);
    return true;
  }
}

function lbIngressIPs(svc: KubeObject): string[] {
  return objs(obj(statusOf(svc).loadBalancer)?.ingress)
    .map((i) => str(i.ip))
    .filter(Boolean);
}

export class LoadBalancerController implements Runnable {
  readonly name = "service-controller";
  readonly controller: Controller;
  readonly pool: LoadBalancerPool;
  private readonly client: Client;
  private readonly recorder: EventRecorder;
  private readonly services: SharedInformer;
  /** The last state of each Service synced (upstream serviceCache), for deletions. */
  private readonly cache = new Map<string, KubeObject>();

  constructor(ctx: ControllerContext, opts: { workers?: number } = {}) {
    this.client = ctx.clientFor("cloud-controller-manager");
    this.recorder = ctx.recorder("service-controller");
    this.pool = new LoadBalancerPool(ctx.options.loadBalancerCIDR);
    this.controller = new Controller(this.name, (key) => this.sync(key), ctx.clock, opts.workers ?? 1);
    this.services = ctx.informers.informerFor(R.services);
    this.services.addEventHandler({
      onAdd: (s) => {
        if (wantsLoadBalancer(s) || needsCleanup(s)) this.controller.enqueue(keyOf(s));
      },
      onUpdate: (o, s) => {
        if (this.needsUpdate(o, s) || needsCleanup(s)) this.controller.enqueue(keyOf(s));
      },
      onDelete: (s) => this.controller.enqueue(keyOf(s)),
    });
  }

  start(): void {
    // addresses handed out before a restart stay with their Services
    for (const svc of this.services.list()) {
      if (!wantsLoadBalancer(svc)) continue;
      for (const ip of lbIngressIPs(svc)) if (this.pool.adopt(keyOf(svc), ip)) break;
    }
    this.controller.start();
  }

  stop(): Promise<void> {
    return this.controller.stop();
  }

  /** upstream needsUpdate: which Service changes concern its load balancer (with their events). */
  private needsUpdate(old: KubeObject, cur: KubeObject): boolean {
    const o = specOf(old);
    const n = specOf(cur);
    const event = (reason: string, message: string) => this.recorder.event(cur, "Normal", reason, message);
    if (!wantsLoadBalancer(old) && !wantsLoadBalancer(cur)) return false;
    if (wantsLoadBalancer(old) !== wantsLoadBalancer(cur)) {
      event("Type", `${str(o.type) || "ClusterIP"} -> ${str(n.type) || "ClusterIP"}`);
      return true;
    }
    if (wantsLoadBalancer(cur) && !deepEqual(o.loadBalancerSourceRanges ?? null, n.loadBalancerSourceRanges ?? null)) {
      event("LoadBalancerSourceRanges", `[${strs(o.loadBalancerSourceRanges).join(" ")}] -> [${strs(n.loadBalancerSourceRanges).join(" ")}]`);
      return true;
    }
    const lbPorts = (s: Record<string, unknown>) => objs(s.ports).map((p) => [p.name ?? "", p.protocol ?? "TCP", p.port, p.nodePort ?? 0]);
    if (!deepEqual(lbPorts(o), lbPorts(n)) || o.sessionAffinity !== n.sessionAffinity) return true;
    if (!deepEqual(o.sessionAffinityConfig ?? null, n.sessionAffinityConfig ?? null)) return true;
    if (str(o.loadBalancerIP) !== str(n.loadBalancerIP)) {
      event("LoadbalancerIP", `${str(o.loadBalancerIP)} -> ${str(n.loadBalancerIP)}`);
      return true;
    }
    const oe = strs(o.externalIPs);
    const ne = strs(n.externalIPs);
    if (oe.length !== ne.length) {
      event("ExternalIP", `Count: ${oe.length} -> ${ne.length}`);
      return true;
    }
    for (let i = 0; i < oe.length; i++)
      if (oe[i] !== ne[i]) {
        event("ExternalIP", `Added: ${ne[i]}`);
        return true;
      }
    if (!deepEqual(old.metadata.annotations ?? {}, cur.metadata.annotations ?? {})) return true;
    if (old.metadata.uid !== cur.metadata.uid) {
      event("UID", `${old.metadata.uid} -> ${cur.metadata.uid}`);
      return true;
    }
    if (str(o.externalTrafficPolicy) !== str(n.externalTrafficPolicy)) {
      event("ExternalTrafficPolicy", `${str(o.externalTrafficPolicy)} -> ${str(n.externalTrafficPolicy)}`);
      return true;
    }
    if ((o.healthCheckNodePort ?? 0) !== (n.healthCheckNodePort ?? 0)) {
      event("HealthCheckNodePort", `${o.healthCheckNodePort ?? 0} -> ${n.healthCheckNodePort ?? 0}`);
      return true;
    }
    if (strs(o.ipFamilies).length !== strs(n.ipFamilies).length) {
      event("IPFamilies", `Count: ${strs(o.ipFamilies).length} -> ${strs(n.ipFamilies).length}`);
      return true;
    }
    return false;
  }

  private async sync(key: string): Promise<void> {
    const { namespace, name } = splitKey(key);
    const svc = this.services.get(namespace, name);
    if (!svc) {
      // processServiceDeletion: a Service deleted without the finalizer (or before we saw it)
      const cached = this.cache.get(key);
      this.cache.delete(key);
      const had = this.pool.release(key);
      if (cached && wantsLoadBalancer(cached) && had) {
        this.recorder.event(cached, "Normal", "DeletingLoadBalancer", "Deleting load balancer");
        this.recorder.event(cached, "Normal", "DeletedLoadBalancer", "Deleted load balancer");
      }
      return;
    }
    this.cache.set(key, svc);
    const deleting = !wantsLoadBalancer(svc) || needsCleanup(svc);
    try {
      await this.syncLoadBalancer(key, svc, deleting);
    } catch (err) {
      const message = deleting ? "Error deleting load balancer" : "Error syncing load balancer";
      this.recorder.event(svc, "Warning", "SyncLoadBalancerFailed", `${message}: ${(err as Error).message}`);
      throw err;
    }
  }

  private async syncLoadBalancer(key: string, svc: KubeObject, deleting: boolean): Promise<void> {
    const { namespace, name } = splitKey(key);
    const previous = obj(statusOf(svc).loadBalancer) ?? {};
    let next: Record<string, unknown>;
    if (deleting) {
      next = {};
      if (this.pool.ipOf(key)) {
        this.recorder.event(svc, "Normal", "DeletingLoadBalancer", "Deleting load balancer");
        this.pool.release(key);
      }
      if (hasFinalizer(svc)) await this.setFinalizers(svc, (fs) => fs.filter((f) => f !== LB_CLEANUP_FINALIZER));
      this.recorder.event(svc, "Normal", "DeletedLoadBalancer", "Deleted load balancer");
      this.cache.delete(key);
    } else {
      this.recorder.event(svc, "Normal", "EnsuringLoadBalancer", "Ensuring load balancer");
      if (!hasFinalizer(svc)) await this.setFinalizers(svc, (fs) => (fs.includes(LB_CLEANUP_FINALIZER) ? fs : [...fs, LB_CLEANUP_FINALIZER]));
      const ip = this.pool.ensure(key, str(specOf(svc).loadBalancerIP) || undefined);
      next = { ingress: [{ ip, ipMode: "VIP" }] };
      this.recorder.event(svc, "Normal", "EnsuredLoadBalancer", "Ensured load balancer");
    }
    if (deepEqual(objs(previous.ingress), objs(next.ingress))) return;
    try {
      await this.client.patch(R.services, namespace, name, "merge", { status: { loadBalancer: { ingress: next.ingress ?? null } } }, { subresource: "status" });
    } catch (err) {
      // the Service may be gone right after its finalizer was removed
      if (!(err instanceof ApiError && err.code === 404)) throw err;
    }
  }

  /** Adds or removes the cleanup finalizer on the latest version of the Service. */
  private async setFinalizers(svc: KubeObject, change: (finalizers: string[]) => string[]): Promise<void> {
    let current = svc;
    for (let attempt = 0; ; attempt++) {
      const finalizers = change(current.metadata.finalizers ?? []);
      if (deepEqual(finalizers, current.metadata.finalizers ?? [])) return;
      try {
        // a merge patch replaces the list; the resourceVersion guards against a concurrent change of it
        await this.client.patch(R.services, current.metadata.namespace!, current.metadata.name!, "merge", {
          metadata: { finalizers: finalizers.length ? finalizers : null, resourceVersion: current.metadata.resourceVersion },
        });
        return;
      } catch (err) {
        if (!(err instanceof ApiError && err.code === 409) || attempt >= 4) throw err;
        current = await this.client.get(R.services, current.metadata.namespace!, current.metadata.name!);
      }
    }
  }
}
