// The taint eviction controller (upstream pkg/controller/tainteviction, "taint-eviction-controller"):
// pods on a node with NoExecute taints they do not tolerate are deleted at once; pods tolerating
// them for tolerationSeconds are deleted when that runs out (counted from when the controller saw
// the taint); removing the taint cancels pending deletions. Each deletion first gets the pod a
// DisruptionTarget condition (DeletionByTaintManager).
import { isApiError } from "../../apimachinery/errors.js";
import type { KubeObject } from "../../apimachinery/types.js";
import type { SharedInformer } from "../../client/informers/shared-informer.js";
import { R, type Client } from "../../client/interface.js";
import type { ControllerContext } from "../../controlplane/context.js";
import { formatTime, type Timer } from "../../util/clock.js";
import { deepEqual } from "../../util/deep-equal.js";
import type { Runnable } from "../runtime/controller.js";
import type { EventRecorder } from "../runtime/events.js";
import { POD_NODE_NAME_INDEX } from "./node-lifecycle.js";
import { matchingTolerations, minTolerationMs, taintsOf, tolerationsOf, type Taint } from "./taints.js";

type Obj = Record<string, unknown>;

interface Work {
  createdAt: number;
  fireAt: number;
  timer: Timer;
}

export class TaintEvictionController implements Runnable {
  readonly name = "taint-eviction-controller";
  private readonly client: Client;
  private readonly recorder: EventRecorder;
  private readonly nodes: SharedInformer;
  private readonly pods: SharedInformer;
  private readonly tainted = new Map<string, Taint[]>();
  private readonly work = new Map<string, Work>();
  private stopped = false;

  constructor(private readonly ctx: ControllerContext) {
    this.client = ctx.clientFor("kube-controller-manager");
    this.recorder = ctx.recorder("taint-eviction-controller");
    this.nodes = ctx.informers.informerFor(R.nodes);
    this.pods = ctx.informers.informerFor(R.pods);
    this.pods.addIndexer(POD_NODE_NAME_INDEX, (p) => {
      const n = (p.spec as Obj | undefined)?.nodeName;
      return typeof n === "string" && n ? [n] : [];
    });
  }

  start(): void {
    this.nodes.addEventHandler({
      onAdd: (n) => this.nodeUpdated(undefined, n),
      onUpdate: (o, n) => this.nodeUpdated(o, n),
      onDelete: (n) => this.nodeUpdated(n, undefined),
    });
    this.pods.addEventHandler({
      onAdd: (p) => this.podUpdated(undefined, p),
      onUpdate: (o, p) => this.podUpdated(o, p),
      onDelete: (p) => this.podUpdated(p, undefined),
    });
  }

  stop(): void {
    this.stopped = true;
    for (const w of this.work.values()) w.timer.cancel();
    this.work.clear();
  }

  /** Pods with a pending deletion, by namespace/name, and when it fires (tests). */
  scheduledEvictions(): Record<string, number> {
    return Object.fromEntries([...this.work].map(([k, w]) => [k, w.fireAt]));
  }

  private noExecute(node: KubeObject | undefined): Taint[] {
    return node ? taintsOf(node).filter((t) => t.effect === "NoExecute") : [];
  }

  private nodeUpdated(old: KubeObject | undefined, node: KubeObject | undefined): void {
    const oldTaints = this.noExecute(old);
    const newTaints = this.noExecute(node);
    if (old && node && deepEqual(oldTaints, newTaints)) return;
    const name = (node ?? old)!.metadata.name!;
    if (!node) {
      this.tainted.delete(name);
      return;
    }
    if (newTaints.length) this.tainted.set(name, newTaints);
    else this.tainted.delete(name);
    const pods = this.pods.byIndex(POD_NODE_NAME_INDEX, name);
    const now = this.ctx.clock.now();
    for (const pod of pods) {
      const key = `${pod.metadata.namespace}/${pod.metadata.name}`;
      if (!newTaints.length) this.cancel(key);
      else this.processPod(key, tolerationsOf(pod), newTaints, now);
    }
  }

  private podUpdated(old: KubeObject | undefined, pod: KubeObject | undefined): void {
    const node = (p: KubeObject | undefined) => (p?.spec as Obj | undefined)?.nodeName;
    if (old && pod && deepEqual(tolerationsOf(old), tolerationsOf(pod)) && node(old) === node(pod)) return;
    const p = (pod ?? old)!;
    const key = `${p.metadata.namespace}/${p.metadata.name}`;
    if (!pod) {
      this.cancel(key);
      return;
    }
    const nodeName = node(pod);
    if (typeof nodeName !== "string" || !nodeName) return;
    const taints = this.tainted.get(nodeName);
    if (!taints) return;
    this.processPod(key, tolerationsOf(pod), taints, this.ctx.clock.now());
  }

  private processPod(key: string, tolerations: ReturnType<typeof tolerationsOf>, taints: Taint[], now: number): void {
    if (!taints.length) {
      this.cancel(key);
      return;
    }
    const { all, used } = matchingTolerations(taints, tolerations);
    if (!all) {
      this.cancel(key);
      this.schedule(key, now, now);
      return;
    }
    const min = minTolerationMs(used);
    if (min < 0) {
      this.cancel(key);
      return;
    }
    let start = now;
    const existing = this.work.get(key);
    if (existing) {
      // keep an eviction that started earlier and fires no later (upstream processPodOnNode)
      start = existing.createdAt;
      if (start + min < now + min) return;
      this.cancel(key);
    }
    this.schedule(key, start, start + min);
  }

  private schedule(key: string, createdAt: number, fireAt: number): void {
    const timer = this.ctx.clock.setTimer(Math.max(0, fireAt - this.ctx.clock.now()), () => {
      if (this.work.get(key)?.timer !== timer) return;
      void this.evict(key).finally(() => {
        if (this.work.get(key)?.timer === timer) this.work.delete(key);
      });
    });
    this.work.set(key, { createdAt, fireAt, timer });
  }

  private cancel(key: string): void {
    const w = this.work.get(key);
    if (!w) return;
    w.timer.cancel();
    this.work.delete(key);
    this.event(key, "Cancelling deletion of Pod");
  }

  private event(key: string, what: string): void {
    const i = key.indexOf("/");
    const ref: KubeObject = { apiVersion: "v1", kind: "Pod", metadata: { namespace: key.slice(0, i), name: key.slice(i + 1) } };
    this.recorder.event(ref, "Normal", "TaintManagerEviction", `${what} ${key}`);
  }

  private async evict(key: string): Promise<void> {
    if (this.stopped) return;
    const i = key.indexOf("/");
    const namespace = key.slice(0, i);
    const name = key.slice(i + 1);
    this.event(key, "Marking for deletion Pod");
    for (let attempt = 0; attempt < 5; attempt++) {
      try {
        const pod = await this.client.get(R.pods, namespace, name);
        const conditions = (((pod.status as Obj | undefined)?.conditions ?? []) as Obj[]).map((c) => ({ ...c }));
        const existing = conditions.find((c) => c.type === "DisruptionTarget");
        const want = { type: "DisruptionTarget", status: "True", reason: "DeletionByTaintManager", message: "Taint manager: deleting due to NoExecute taint" };
        if (!existing || existing.status !== want.status || existing.reason !== want.reason || existing.message !== want.message) {
          const cond = { ...want, lastProbeTime: null, lastTransitionTime: existing?.status === "True" ? existing.lastTransitionTime : formatTime(this.ctx.clock.now()) };
          await this.client.patch(
            R.pods,
            namespace,
            name,
            "strategic",
            { metadata: { uid: pod.metadata.uid }, status: { conditions: [cond] } },
            { subresource: "status" },
          );
        }
        await this.client.delete(R.pods, namespace, name, {});
        return;
      } catch (err) {
        if (isApiError(err) && err.code === 404) return;
        if (attempt === 4) console.error(`kubefacade: taint-eviction-controller: deleting pod ${key}: ${(err as Error).message}`);
      }
    }
  }
}
