// The pod garbage collector (upstream pkg/controller/podgc, "pod-garbage-collector"): every 20 s,
// pods bound to a node that no longer exists (after a 40 s quarantine and a confirming GET) are
// marked Failed with a DisruptionTarget condition (DeletionByPodGC) and force-deleted; terminating
// pods that were never scheduled, or are on a not-ready node tainted node.kubernetes.io/out-of-service,
// are marked Failed and force-deleted; beyond --terminated-pod-gc-threshold (12500; 0 turns it
// off) the finished pods are deleted, evicted ones first, then the oldest. Pods already finished
// keep their status: only the delete is sent.
import { isApiError } from "../../apimachinery/errors.js";
import type { KubeObject } from "../../apimachinery/types.js";
import type { SharedInformer } from "../../client/informers/shared-informer.js";
import { R, type Client } from "../../client/interface.js";
import type { ControllerContext } from "../../controlplane/context.js";
import { formatTime, type Timer } from "../../util/clock.js";
import type { Runnable } from "../runtime/controller.js";

export const GC_CHECK_PERIOD_MS = 20_000;
export const QUARANTINE_MS = 40_000;
export const TERMINATED_POD_GC_THRESHOLD = 12_500;

type Obj = Record<string, unknown>;

export interface PodGCOptions {
  /** --terminated-pod-gc-threshold */
  terminatedPodGCThreshold: number;
}

const TAINT_OUT_OF_SERVICE = "node.kubernetes.io/out-of-service";

const phaseOf = (p: KubeObject) => (p.status as Obj | undefined)?.phase;
/** eviction.PodIsEvicted */
const isEvicted = (p: KubeObject) => phaseOf(p) === "Failed" && (p.status as Obj | undefined)?.reason === "Evicted";

export class PodGCController implements Runnable {
  readonly name = "pod-garbage-collector";
  private readonly client: Client;
  private readonly pods: SharedInformer;
  private readonly nodes: SharedInformer;
  /** Nodes found missing, by when. */
  private readonly missingSince = new Map<string, number>();
  private timer: Timer | undefined;
  private running: Promise<void> | undefined;
  private stopped = false;
  readonly opts: PodGCOptions;

  constructor(private readonly ctx: ControllerContext) {
    const overrides = (ctx.options as { podGC?: Partial<PodGCOptions> }).podGC ?? {};
    this.opts = { terminatedPodGCThreshold: TERMINATED_POD_GC_THRESHOLD, ...overrides };
    this.client = ctx.clientFor("kube-controller-manager");
    this.pods = ctx.informers.informerFor(R.pods);
    this.nodes = ctx.informers.informerFor(R.nodes);
  }

  start(): void {
    this.schedule();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.timer?.cancel();
    await this.running;
  }

  private schedule(): void {
    if (this.stopped) return;
    this.timer = this.ctx.clock.setTimer(GC_CHECK_PERIOD_MS, () => {
      this.running = this.gc()
        .catch((err) => console.error(`kubefacade: pod-garbage-collector: ${(err as Error).message}`))
        .finally(() => {
          this.running = undefined;
          this.schedule();
        });
    });
  }

  /** One pass (exposed for tests). */
  async gc(): Promise<void> {
    const pods = this.pods.list();
    if (this.opts.terminatedPodGCThreshold > 0) await this.gcTerminated(pods);
    await this.gcTerminating(pods);
    await this.gcOrphaned(pods);
    await this.gcUnscheduledTerminating(pods);
  }

  private async gcTerminated(pods: KubeObject[]): Promise<void> {
    const terminated = pods.filter((p) => {
      const phase = (p.status as Obj | undefined)?.phase;
      return phase === "Succeeded" || phase === "Failed";
    });
    const excess = terminated.length - this.opts.terminatedPodGCThreshold;
    if (excess <= 0) return;
    // byEvictionAndCreationTimestamp
    terminated.sort(
      (a, b) =>
        Number(isEvicted(b)) - Number(isEvicted(a)) ||
        String(a.metadata.creationTimestamp).localeCompare(String(b.metadata.creationTimestamp)) ||
        String(a.metadata.name).localeCompare(String(b.metadata.name)),
    );
    for (const p of terminated.slice(0, excess)) await this.forceDelete(p);
  }

  /** Terminating pods on a node that is not Ready and tainted out-of-service (NodeOutOfServiceVolumeDetach). */
  private async gcTerminating(pods: KubeObject[]): Promise<void> {
    for (const p of pods) {
      if (!p.metadata.deletionTimestamp) continue;
      const node = this.nodes.get("", String((p.spec as Obj | undefined)?.nodeName ?? ""));
      if (!node) continue;
      const conditions = ((node.status as Obj | undefined)?.conditions ?? []) as Obj[];
      const ready = conditions.some((c) => c.type === "Ready" && c.status === "True");
      const taints = ((node.spec as Obj | undefined)?.taints ?? []) as Obj[];
      if (ready || !taints.some((t) => t.key === TAINT_OUT_OF_SERVICE)) continue;
      await this.markFailedAndDelete(p, undefined);
    }
  }

  private async gcOrphaned(pods: KubeObject[]): Promise<void> {
    const now = this.ctx.clock.now();
    const existing = new Set(this.nodes.list().map((n) => n.metadata.name!));
    const missing = new Set<string>();
    for (const p of pods) {
      const node = (p.spec as Obj | undefined)?.nodeName;
      if (typeof node === "string" && node && !existing.has(node)) missing.add(node);
    }
    for (const n of [...this.missingSince.keys()]) if (!missing.has(n)) this.missingSince.delete(n);
    const deleted = new Set<string>();
    for (const n of missing) {
      const since = this.missingSince.get(n);
      if (since === undefined) {
        this.missingSince.set(n, now);
        continue;
      }
      if (now - since < QUARANTINE_MS) continue;
      try {
        await this.client.get(R.nodes, "", n);
        this.missingSince.delete(n);
      } catch (err) {
        if (isApiError(err) && err.code === 404) deleted.add(n);
      }
    }
    for (const p of pods) {
      const node = (p.spec as Obj | undefined)?.nodeName;
      if (typeof node !== "string" || !deleted.has(node)) continue;
      await this.markFailedAndDelete(p, { type: "DisruptionTarget", status: "True", reason: "DeletionByPodGC", message: "PodGC: node no longer exists" });
    }
  }

  private async gcUnscheduledTerminating(pods: KubeObject[]): Promise<void> {
    for (const p of pods) {
      const node = (p.spec as Obj | undefined)?.nodeName;
      if (!p.metadata.deletionTimestamp || (typeof node === "string" && node)) continue;
      await this.markFailedAndDelete(p, undefined);
    }
  }

  /** upstream markFailedAndDeletePodWithCondition: phase Failed and the condition (unless finished), then a delete with grace 0. */
  private async markFailedAndDelete(pod: KubeObject, condition: Record<string, string> | undefined): Promise<void> {
    const ns = pod.metadata.namespace!;
    const phase = phaseOf(pod);
    if (phase === "Succeeded" || phase === "Failed") return this.forceDelete(pod);
    const status: Obj = { phase: "Failed" };
    if (condition) status.conditions = [{ ...condition, lastProbeTime: null, lastTransitionTime: formatTime(this.ctx.clock.now()) }];
    try {
      await this.client.patch(
        R.pods,
        ns,
        pod.metadata.name!,
        "apply",
        { apiVersion: "v1", kind: "Pod", metadata: { name: pod.metadata.name, namespace: ns }, status },
        { subresource: "status", fieldManager: "PodGC", force: true },
      );
    } catch (err) {
      if (isApiError(err) && err.code === 404) return;
      // an apply the server cannot do: the same change as a strategic merge patch
      await this.client
        .patch(R.pods, ns, pod.metadata.name!, "strategic", { status }, { subresource: "status", fieldManager: "PodGC" })
        .catch(() => undefined);
    }
    await this.forceDelete(pod);
  }

  private async forceDelete(pod: KubeObject): Promise<void> {
    try {
      await this.client.delete(R.pods, pod.metadata.namespace!, pod.metadata.name!, { gracePeriodSeconds: 0, preconditions: { uid: pod.metadata.uid! } });
    } catch (err) {
      if (isApiError(err) && (err.code === 404 || err.code === 409)) return;
      throw err;
    }
  }
}
