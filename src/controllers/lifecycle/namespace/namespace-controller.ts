// The namespace controller (upstream pkg/controller/namespace and its deletion package): once a
// namespace has a deletionTimestamp, delete everything in it — every namespaced resource discovery
// lists as deletable, item by item with Background propagation — record progress in the
// namespace's conditions, wait for pods' graceful termination, and when nothing remains take the
// `kubernetes` finalizer out of spec.finalizers through namespaces/finalize; the API server then
// removes the namespace.
import { ApiError } from "../../../apimachinery/errors.js";
import type { KubeObject } from "../../../apimachinery/types.js";
import { R, type Client } from "../../../client/interface.js";
import type { SharedInformer } from "../../../client/informers/shared-informer.js";
import type { ControllerContext } from "../../../controlplane/context.js";
import { Controller, type Result, type Runnable } from "../../runtime/controller.js";
import { gvrOf, type DiscoveredResource, type ResourceDiscovery } from "../discovery.js";
import { ConditionUpdater, type NamespaceCondition } from "./conditions.js";

/** upstream namespaceDeletionGracePeriod: let HA API servers see the deletion first. */
export const NAMESPACE_DELETION_GRACE_PERIOD_MS = 5_000;
/** Estimate for content held by finalizers (upstream finalizerEstimateSeconds). */
const FINALIZER_ESTIMATE_SECONDS = 15;
/** upstream --concurrent-namespace-syncs default. */
const WORKERS = 10;
/** Deletes issued at once within one resource. */
const DELETE_PARALLELISM = 64;
/** The spec finalizer this controller owns. */
export const FINALIZER_TOKEN = "kubernetes";

const isReason = (err: unknown, ...reasons: string[]) => err instanceof ApiError && reasons.includes(err.reason);

/** A pass that deleted what it could but has to wait `estimate` seconds for the rest. */
class ResourcesRemaining extends Error {
  constructor(readonly estimate: number) {
    super(`some content remains in the namespace, estimate ${estimate} seconds before it is removed`);
  }
}

interface GvrDeletion {
  estimate: number;
  remaining: number;
  finalizers: Map<string, number>;
}

/** Namespaced resources namespace deletion goes through: preferred versions that can be deleted. */
export function namespacedDeletableResources(all: DiscoveredResource[]): DiscoveredResource[] {
  return all.filter((r) => r.preferred && r.namespaced && r.verbs.includes("delete"));
}

export class NamespaceController implements Runnable {
  readonly name = "namespace-controller";
  private readonly controller: Controller;
  private readonly namespaces: SharedInformer;
  private readonly client: Client;

  constructor(
    private readonly ctx: ControllerContext,
    private readonly discovery: ResourceDiscovery,
  ) {
    this.client = ctx.clientFor("kube-controller-manager");
    this.namespaces = ctx.informers.informerFor(R.namespaces);
    this.controller = new Controller("namespace", (key) => this.sync(key), ctx.clock, WORKERS);
    const enqueue = (ns: KubeObject) => {
      if (!ns.metadata.deletionTimestamp) return;
      this.controller.enqueueAfter(ns.metadata.name!, NAMESPACE_DELETION_GRACE_PERIOD_MS);
    };
    this.namespaces.addEventHandler({ onAdd: enqueue, onUpdate: (_old, ns) => enqueue(ns) });
  }

  start(): void {
    this.controller.start();
  }

  stop(): Promise<void> {
    return this.controller.stop();
  }

  private async sync(name: string): Promise<Result | void> {
    if (!this.namespaces.get("", name)) return;
    try {
      await this.deleteNamespace(name);
    } catch (err) {
      if (err instanceof ResourcesRemaining) return { requeueAfterMs: (Math.floor(err.estimate / 2) + 1) * 1000 };
      throw err;
    }
  }

  /** upstream namespacedResourcesDeleter.Delete. */
  private async deleteNamespace(name: string): Promise<void> {
    let ns: KubeObject;
    try {
      ns = await this.client.get(R.namespaces, "", name);
    } catch (err) {
      if (isReason(err, "NotFound")) return;
      throw err;
    }
    if (!ns.metadata.deletionTimestamp) return;
    ns = await this.ensureTerminating(ns);
    if (!ns.metadata.deletionTimestamp) return;
    if (specFinalizers(ns).length === 0) return;
    const estimate = await this.deleteAllContent(ns);
    if (estimate > 0) throw new ResourcesRemaining(estimate);
    await this.finalize(ns);
  }

  private async ensureTerminating(ns: KubeObject): Promise<KubeObject> {
    if ((ns.status as { phase?: string } | undefined)?.phase === "Terminating") return ns;
    const next = structuredClone(ns);
    next.status = { ...(next.status as object), phase: "Terminating" };
    try {
      return await this.client.update(R.namespaces, "", next, { subresource: "status" });
    } catch (err) {
      if (isReason(err, "Conflict")) return this.client.get(R.namespaces, "", ns.metadata.name!);
      throw err;
    }
  }

  /** Removes `kubernetes` from spec.finalizers (PUT namespaces/<name>/finalize), retrying on conflicts. */
  private async finalize(ns: KubeObject): Promise<void> {
    let current = ns;
    for (;;) {
      const next = structuredClone(current);
      const finalizers = [...new Set(specFinalizers(current).filter((f) => f !== FINALIZER_TOKEN))].sort();
      next.spec = { ...(next.spec as object), finalizers };
      try {
        await this.client.update(R.namespaces, "", next, { subresource: "finalize" });
        return;
      } catch (err) {
        if (isReason(err, "NotFound")) return;
        if (!isReason(err, "Conflict")) throw err;
        const latest = await this.client.get(R.namespaces, "", ns.metadata.name!);
        if (latest.metadata.uid !== ns.metadata.uid) throw new Error("namespace uid has changed across retries");
        current = latest;
      }
    }
  }

  /** upstream deleteAllContent: returns an estimate in seconds before the content is gone. */
  private async deleteAllContent(ns: KubeObject): Promise<number> {
    const name = ns.metadata.name!;
    const deletedAt = Date.parse(ns.metadata.deletionTimestamp!);
    const updater = new ConditionUpdater();
    const errors: string[] = [];
    let estimate = 0;
    const remaining = new Map<string, number>();
    const finalizers = new Map<string, number>();
    for (const r of namespacedDeletableResources(this.discovery.resources())) {
      let result: GvrDeletion;
      try {
        result = await this.deleteAllContentForResource(r, name, deletedAt);
      } catch (err) {
        const message = (err as Error).message;
        errors.push(message);
        updater.deleteContentFailed(message);
        continue;
      }
      estimate = Math.max(estimate, result.estimate);
      if (result.remaining > 0) {
        remaining.set(`${r.resource}.${r.group}`, result.remaining);
        for (const [f, n] of result.finalizers) if (n > 0) finalizers.set(f, (finalizers.get(f) ?? 0) + n);
      }
    }
    updater.contentTotals({ remaining, finalizers });
    const next = structuredClone(ns);
    const status = (next.status ??= {}) as { conditions?: NamespaceCondition[] };
    if (updater.update(status, this.ctx.clock.now())) {
      try {
        await this.client.update(R.namespaces, "", next, { subresource: "status" });
      } catch (err) {
        console.error(`kubefacade: namespace-controller: couldn't update status condition for namespace "${name}": ${(err as Error).message}`);
      }
    }
    if (errors.length) throw new Error(errors.length === 1 ? errors[0] : `[${errors.join(", ")}]`);
    return estimate;
  }

  private async deleteAllContentForResource(r: DiscoveredResource, namespace: string, deletedAt: number): Promise<GvrDeletion> {
    const gvr = gvrOf(r);
    const estimate = await this.estimateGracefulTermination(r, namespace, deletedAt);
    // no deletecollection on the client: list and delete each item, Background so the garbage
    // collector never orphans what the namespace takes with it
    if (r.verbs.includes("list")) {
      const items = (await this.listOrNothing(r, namespace)) ?? [];
      for (let i = 0; i < items.length; i += DELETE_PARALLELISM) {
        await Promise.all(
          items.slice(i, i + DELETE_PARALLELISM).map(async (item) => {
            try {
              await this.client.delete(gvr, namespace, item.metadata.name!, { propagationPolicy: "Background" });
            } catch (err) {
              if (!isReason(err, "NotFound", "MethodNotAllowed")) throw err;
            }
          }),
        );
      }
    }
    const left = r.verbs.includes("list") ? await this.listOrNothing(r, namespace) : undefined;
    if (!left || left.length === 0) return { estimate: left ? 0 : estimate, remaining: 0, finalizers: new Map() };
    const finalizers = new Map<string, number>();
    for (const item of left) for (const f of item.metadata.finalizers ?? []) finalizers.set(f, (finalizers.get(f) ?? 0) + 1);
    if (estimate !== 0) return { estimate, remaining: left.length, finalizers };
    // content held by finalizers is normal: give their controllers time
    if (finalizers.size > 0) return { estimate: FINALIZER_ESTIMATE_SECONDS, remaining: left.length, finalizers };
    throw new Error(`unexpected items still remain in namespace: ${namespace} for gvr: ${gvrString(r)}`);
  }

  private async listOrNothing(r: DiscoveredResource, namespace: string): Promise<KubeObject[] | undefined> {
    try {
      return (await this.client.list(gvrOf(r), namespace)).items;
    } catch (err) {
      if (isReason(err, "NotFound", "MethodNotAllowed")) return undefined;
      throw err;
    }
  }

  /** Pods get their longest grace period from the deletion of the namespace on. */
  private async estimateGracefulTermination(r: DiscoveredResource, namespace: string, deletedAt: number): Promise<number> {
    if (r.group !== "" || r.resource !== "pods") return 0;
    let estimate = 0;
    for (const pod of (await this.client.list(R.pods, namespace)).items) {
      const phase = (pod.status as { phase?: string } | undefined)?.phase;
      if (phase === "Succeeded" || phase === "Failed") continue;
      const grace = (pod.spec as { terminationGracePeriodSeconds?: number } | undefined)?.terminationGracePeriodSeconds;
      if (typeof grace === "number" && grace > estimate) estimate = grace;
    }
    const elapsedMs = this.ctx.clock.now() - deletedAt;
    return elapsedMs >= estimate * 1000 ? 0 : estimate;
  }
}

function specFinalizers(ns: KubeObject): string[] {
  const f = (ns.spec as { finalizers?: unknown } | undefined)?.finalizers;
  return Array.isArray(f) ? (f as string[]) : [];
}

/** Go's %v of a schema.GroupVersionResource. */
function gvrString(r: DiscoveredResource): string {
  return `${r.group ? `${r.group}/` : "/"}${r.version}, Resource=${r.resource}`;
}
