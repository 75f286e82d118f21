// The DaemonSet controller (upstream pkg/controller/daemon: daemon_controller.go, update.go): one
// pod per eligible node, created with a node-name affinity so the default scheduler places it,
// failed pods replaced with backoff, excess and misplaced pods deleted, rolling updates bounded by
// maxUnavailable or maxSurge, OnDelete, ControllerRevision history, status through the status
// subresource, and upstream's events.
import { fromMetaLabelSelector, type LabelSelector } from "../../apimachinery/labels.js";
import type { KubeObject } from "../../apimachinery/types.js";
import type { SharedInformer } from "../../client/informers/shared-informer.js";
import { R, type Client } from "../../client/interface.js";
import type { ControllerContext } from "../../controlplane/context.js";
import type { Clock, Timer } from "../../util/clock.js";
import { Controller, keyOf, splitKey, type Result, type Runnable } from "../runtime/controller.js";
import type { EventRecorder } from "../runtime/events.js";
import { Expectations } from "../runtime/expectations.js";
import { controllerRef, newControllerRef } from "../runtime/owner-refs.js";
import {
  FailedPodsBackoff,
  allowsSurge,
  byCreationTimestampAndPhase,
  daemonPodSpec,
  daemonPodTemplate,
  isPodUpdated,
  nodeShouldRunDaemonPod,
  replaceNodeNameAffinity,
  surgeCount,
  targetNodeName,
  templateGeneration,
  unavailableCount,
} from "./daemon-utils.js";
import {
  DeletionObserver,
  ORPHAN_PREFIX,
  type Obj,
  claimObjects,
  controllerUIDIndex,
  isAlreadyExists,
  isNamespaceTerminating,
  isNotFound,
  isPodAvailable,
  isPodReady,
  isPodTerminal,
  podFromTemplate,
} from "./pods.js";
import { POD_REVISION_LABEL, computeTemplateHash, goJson, revisionNumber, templatePatch } from "./revisions.js";

/** BurstReplicas: creations and deletions per sync. */
export const BURST_REPLICAS = 250;
/** StatusUpdateRetries. */
const STATUS_UPDATE_RETRIES = 1;
/** kube-controller-manager's --concurrent-daemonset-syncs default. */
const WORKERS = 2;
const INDEX = "stateful/controllerUID";

type Pod = KubeObject;

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

function aggregate(errs: unknown[]): Error | undefined {
  const list = errs.filter(Boolean).map((e) => (e instanceof Error ? e : new Error(String(e))));
  if (list.length === 0) return undefined;
  return list.length === 1 ? list[0] : new Error(`[${list.map((e) => e.message).join(", ")}]`);
}

function dsSpec(ds: KubeObject): Obj {
  return (ds.spec ?? {}) as Obj;
}

function minReadySeconds(ds: KubeObject): number {
  return (dsSpec(ds).minReadySeconds as number | undefined) ?? 0;
}

/** The DaemonSet's patch data (getPatch), in Go's byte form for comparison (Match). */
function patchKey(ds: KubeObject): string {
  return goJson(templatePatch(dsSpec(ds).template));
}

export class DaemonSetController implements Runnable {
  readonly name = "daemonset-controller";
  private readonly controller: Controller;
  private readonly client: Client;
  private readonly recorder: EventRecorder;
  private readonly clock: Clock;
  private readonly daemonSets: SharedInformer;
  private readonly pods: SharedInformer;
  private readonly nodes: SharedInformer;
  private readonly revisions: SharedInformer;
  private readonly expectations: Expectations;
  private readonly backoff = new FailedPodsBackoff();
  private readonly deletions = new DeletionObserver();
  private gcTimer: Timer | undefined;
  private stopped = true;

  constructor(ctx: ControllerContext) {
    this.client = ctx.clientFor("kube-controller-manager");
    this.recorder = ctx.recorder("daemonset-controller");
    this.clock = ctx.clock;
    this.expectations = new Expectations(ctx.clock);
    this.controller = new Controller(this.name, (key) => this.sync(key), ctx.clock, WORKERS);
    this.daemonSets = ctx.informers.informerFor(R.daemonsets);
    this.pods = ctx.informers.informerFor(R.pods);
    this.nodes = ctx.informers.informerFor(R.nodes);
    this.revisions = ctx.informers.informerFor(R.controllerrevisions);
    this.pods.addIndexer(INDEX, controllerUIDIndex);
    this.revisions.addIndexer(INDEX, controllerUIDIndex);

    this.daemonSets.addEventHandler({
      onAdd: (ds) => this.controller.enqueue(keyOf(ds)),
      onUpdate: (old, ds) => {
        if (old.metadata.uid !== ds.metadata.uid) this.expectations.delete(keyOf(old));
        this.controller.enqueue(keyOf(ds));
      },
      onDelete: (ds) => {
        this.expectations.delete(keyOf(ds));
        this.controller.enqueue(keyOf(ds));
      },
    });
    this.pods.addEventHandler({
      onAdd: (p) => this.podAdded(p),
      onUpdate: (o, p) => this.podUpdated(o, p),
      onDelete: (p) => this.podDeleted(p),
    });
    this.nodes.addEventHandler({
      onAdd: (n) => this.nodeAdded(n),
      onUpdate: (o, n) => this.nodeUpdated(o, n),
    });
    this.revisions.addEventHandler({
      onAdd: (h) => {
        if (!controllerRef(h)) for (const ds of this.selecting(h)) this.controller.enqueue(keyOf(ds));
      },
      onUpdate: (old, cur) => {
        if (old.metadata.resourceVersion === cur.metadata.resourceVersion) return;
        const oldRef = controllerRef(old);
        const curRef = controllerRef(cur);
        if (oldRef && JSON.stringify(oldRef) !== JSON.stringify(curRef ?? null)) {
          const ds = this.resolve(old.metadata.namespace ?? "", oldRef);
          if (ds) this.controller.enqueue(keyOf(ds));
        }
        if (curRef) {
          const ds = this.resolve(cur.metadata.namespace ?? "", curRef);
          if (ds) this.controller.enqueue(keyOf(ds));
        } else for (const ds of this.selecting(cur)) this.controller.enqueue(keyOf(ds));
      },
      onDelete: (h) => {
        const ref = controllerRef(h);
        const ds = ref && this.resolve(h.metadata.namespace ?? "", ref);
        if (ds) this.controller.enqueue(keyOf(ds));
      },
    });
  }

  start(): void {
    this.stopped = false;
    this.controller.start();
    const gc = () => {
      if (this.stopped) return;
      this.backoff.gc(this.clock.now());
      this.gcTimer = this.clock.setTimer(60_000, gc);
    };
    this.gcTimer = this.clock.setTimer(60_000, gc);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.gcTimer?.cancel();
    await this.controller.stop();
  }

  // ---- event handlers ----

  private resolve(namespace: string, ref: { kind: string; name: string; uid: string }): KubeObject | undefined {
    if (ref.kind !== "DaemonSet") return undefined;
    const ds = this.daemonSets.get(namespace, ref.name);
    return ds && ds.metadata.uid === ref.uid ? ds : undefined;
  }

  private selecting(obj: KubeObject): KubeObject[] {
    const out: KubeObject[] = [];
    for (const ds of this.daemonSets.list(obj.metadata.namespace)) {
      try {
        const sel = fromMetaLabelSelector(dsSpec(ds).selector);
        if (!sel.empty && sel.matches(obj.metadata.labels)) out.push(ds);
      } catch {
        // an invalid selector selects nothing
      }
    }
    return out;
  }

  private podAdded(pod: Pod): void {
    if (pod.metadata.deletionTimestamp) {
      // seen for the first time already terminating (a restart): not a creation
      const ref = controllerRef(pod);
      const ds = ref && this.resolve(pod.metadata.namespace ?? "", ref);
      if (ds) {
        if (this.deletions.observe(pod, false)) this.expectations.deletionObserved(keyOf(ds));
        this.controller.enqueue(keyOf(ds));
      }
      return;
    }
    const ref = controllerRef(pod);
    if (ref) {
      const ds = this.resolve(pod.metadata.namespace ?? "", ref);
      if (!ds) return;
      this.expectations.creationObserved(keyOf(ds));
      this.controller.enqueue(keyOf(ds));
      return;
    }
    for (const ds of this.selecting(pod)) this.controller.enqueue(keyOf(ds));
  }

  private podUpdated(old: Pod, cur: Pod): void {
    if (old.metadata.resourceVersion === cur.metadata.resourceVersion) return;
    if (cur.metadata.deletionTimestamp) {
      // a graceful deletion counts as observed once, when the deletion timestamp appears
      const ref = controllerRef(cur);
      const ds = ref && this.resolve(cur.metadata.namespace ?? "", ref);
      if (ds) {
        if (this.deletions.observe(cur, false)) this.expectations.deletionObserved(keyOf(ds));
        this.controller.enqueue(keyOf(ds));
      }
      return;
    }
    const curRef = controllerRef(cur);
    const oldRef = controllerRef(old);
    const refChanged = JSON.stringify(curRef ?? null) !== JSON.stringify(oldRef ?? null);
    if (refChanged && oldRef) {
      const ds = this.resolve(old.metadata.namespace ?? "", oldRef);
      if (ds) this.controller.enqueue(keyOf(ds));
    }
    if (curRef) {
      const ds = this.resolve(cur.metadata.namespace ?? "", curRef);
      if (!ds) return;
      this.controller.enqueue(keyOf(ds));
      const minReady = minReadySeconds(ds);
      if (!isPodReady(old) && isPodReady(cur) && minReady > 0) this.controller.enqueueAfter(keyOf(ds), minReady * 1000 + 1000);
      return;
    }
    const labelsChanged = JSON.stringify(cur.metadata.labels ?? {}) !== JSON.stringify(old.metadata.labels ?? {});
    if (labelsChanged || refChanged) for (const ds of this.selecting(cur)) this.controller.enqueue(keyOf(ds));
  }

  private podDeleted(pod: Pod): void {
    const ref = controllerRef(pod);
    if (!ref) return;
    const ds = this.resolve(pod.metadata.namespace ?? "", ref);
    if (!ds) return;
    if (this.deletions.observe(pod, true)) this.expectations.deletionObserved(keyOf(ds));
    this.controller.enqueue(keyOf(ds));
  }

  private nodeAdded(node: KubeObject): void {
    for (const ds of this.daemonSets.list()) if (nodeShouldRunDaemonPod(node, daemonPodSpec(ds)).shouldRun) this.controller.enqueue(keyOf(ds));
  }

  private nodeUpdated(old: KubeObject, cur: KubeObject): void {
    const same =
      JSON.stringify(old.metadata.labels ?? {}) === JSON.stringify(cur.metadata.labels ?? {}) &&
      JSON.stringify((old.spec as Obj | undefined)?.taints ?? []) === JSON.stringify((cur.spec as Obj | undefined)?.taints ?? []);
    if (same) return;
    for (const ds of this.daemonSets.list()) {
      const spec = daemonPodSpec(ds);
      const a = nodeShouldRunDaemonPod(old, spec);
      const b = nodeShouldRunDaemonPod(cur, spec);
      if (a.shouldRun !== b.shouldRun || a.shouldContinueRunning !== b.shouldContinueRunning) this.controller.enqueue(keyOf(ds));
    }
  }

  // ---- sync ----

  private async sync(key: string): Promise<Result | void> {
    const { namespace, name } = splitKey(key);
    const ds = this.daemonSets.get(namespace, name);
    if (!ds) {
      this.expectations.delete(key);
      return;
    }
    const nodes = this.nodes.list();
    const selector = dsSpec(ds).selector as Obj | undefined;
    if (selector && typeof selector === "object" && Object.keys(selector).length === 0) {
      this.recorder.event(ds, "Warning", "SelectingAll", "This daemon set is selecting all pods. A non-empty selector is required.");
      return;
    }
    if (ds.metadata.deletionTimestamp) return;
    let labelSelector: LabelSelector;
    try {
      labelSelector = fromMetaLabelSelector(selector);
    } catch {
      return;
    }
    let cur: KubeObject;
    let old: KubeObject[];
    try {
      ({ cur, old } = await this.constructHistory(ds, labelSelector));
    } catch (err) {
      throw new Error(`failed to construct revisions of DaemonSet: ${errorText(err)}`);
    }
    const hash = cur.metadata.labels?.[POD_REVISION_LABEL] ?? "";
    if (!this.expectations.satisfied(key)) return this.updateStatus(ds, labelSelector, nodes, hash, false);

    let err: unknown;
    try {
      await this.updateDaemonSet(ds, labelSelector, nodes, hash, key, old);
    } catch (e) {
      err = e;
    }
    let statusResult: Result | void = undefined;
    try {
      statusResult = await this.updateStatus(ds, labelSelector, nodes, hash, true);
    } catch (e) {
      if (!err) err = e;
    }
    if (err) throw err;
    return statusResult;
  }

  private canAdopt(ds: KubeObject): () => Promise<boolean> {
    return async () => {
      try {
        const fresh = await this.client.get(R.daemonsets, ds.metadata.namespace ?? "", ds.metadata.name!);
        return fresh.metadata.uid === ds.metadata.uid && !fresh.metadata.deletionTimestamp;
      } catch {
        return false;
      }
    };
  }

  private candidates(informer: SharedInformer, ds: KubeObject): KubeObject[] {
    return [...informer.byIndex(INDEX, ds.metadata.uid!), ...informer.byIndex(INDEX, ORPHAN_PREFIX + (ds.metadata.namespace ?? ""))];
  }

  /** getDaemonPods: the pods the DaemonSet controls, after adopting and releasing. */
  private daemonPods(ds: KubeObject, selector: LabelSelector): Promise<Pod[]> {
    return claimObjects({ client: this.client, gvr: R.pods, owner: ds, selector, candidates: this.candidates(this.pods, ds), canAdopt: this.canAdopt(ds) });
  }

  /** getNodesToDaemonPods: the daemon pods by the node they run on or are meant for. */
  private async nodesToDaemonPods(ds: KubeObject, selector: LabelSelector, includeDeletedTerminal: boolean): Promise<Map<string, Pod[]>> {
    const out = new Map<string, Pod[]>();
    for (const pod of await this.daemonPods(ds, selector)) {
      if (!includeDeletedTerminal && isPodTerminal(pod) && pod.metadata.deletionTimestamp) continue;
      const node = targetNodeName(pod);
      if (node === undefined) continue;
      let list = out.get(node);
      if (!list) out.set(node, (list = []));
      list.push(pod);
    }
    return out;
  }

  private async updateDaemonSet(ds: KubeObject, selector: LabelSelector, nodes: KubeObject[], hash: string, key: string, old: KubeObject[]): Promise<void> {
    await this.manage(ds, selector, nodes, hash);
    if (this.expectations.satisfied(key)) {
      const type = (dsSpec(ds).updateStrategy as Obj | undefined)?.type;
      if (type === "RollingUpdate") await this.rollingUpdate(ds, selector, nodes, hash);
    }
    try {
      await this.cleanupHistory(ds, selector, old);
    } catch (err) {
      throw new Error(`failed to clean up revisions of DaemonSet: ${errorText(err)}`);
    }
  }

  /** manage: create daemon pods where missing, delete them where they should not be. */
  private async manage(ds: KubeObject, selector: LabelSelector, nodes: KubeObject[], hash: string): Promise<void> {
    let nodeToPods: Map<string, Pod[]>;
    try {
      nodeToPods = await this.nodesToDaemonPods(ds, selector, false);
    } catch (err) {
      throw new Error(`couldn't get node to daemon pod mapping for daemon set "${ds.metadata.name}": ${errorText(err)}`);
    }
    const spec = daemonPodSpec(ds);
    const nodesNeeding: string[] = [];
    const toDelete: string[] = [];
    for (const node of nodes) {
      const r = this.podsShouldBeOnNode(node, nodeToPods, ds, spec, hash);
      nodesNeeding.push(...r.nodesNeeding);
      toDelete.push(...r.toDelete);
    }
    // unscheduled pods meant for nodes that no longer exist can't be collected otherwise
    const running = new Set(nodes.map((n) => n.metadata.name!));
    for (const [node, pods] of nodeToPods) {
      if (running.has(node)) continue;
      for (const p of pods) if (!(p.spec as Obj | undefined)?.nodeName) toDelete.push(p.metadata.name!);
    }
    await this.syncNodes(ds, toDelete, nodesNeeding, hash);
  }

  /** podsShouldBeOnNode: what to create on and delete from one node. */
  private podsShouldBeOnNode(node: KubeObject, nodeToPods: Map<string, Pod[]>, ds: KubeObject, spec: Obj, hash: string): { nodesNeeding: string[]; toDelete: string[] } {
    const nodesNeeding: string[] = [];
    const toDelete: string[] = [];
    const nodeName = node.metadata.name!;
    const { shouldRun, shouldContinueRunning } = nodeShouldRunDaemonPod(node, spec);
    const daemonPods = nodeToPods.get(nodeName);
    if (shouldRun && !daemonPods) {
      nodesNeeding.push(nodeName);
    } else if (shouldContinueRunning) {
      const running: Pod[] = [];
      for (const pod of daemonPods ?? []) {
        if (pod.metadata.deletionTimestamp) continue;
        const phase = (pod.status as Obj | undefined)?.phase;
        if (phase === "Failed") {
          const backoffKey = `${ds.metadata.uid}/${(ds.status as Obj | undefined)?.observedGeneration ?? 0}/${nodeName}`;
          const now = this.clock.now();
          if (this.backoff.isInBackOffSinceUpdate(backoffKey, now)) {
            this.controller.enqueueAfter(keyOf(ds), this.backoff.get(backoffKey));
            continue;
          }
          this.backoff.next(backoffKey, now);
          this.recorder.event(ds, "Warning", "FailedDaemonPod", `Found failed daemon pod ${pod.metadata.namespace}/${pod.metadata.name} on node ${nodeName}, will try to kill it`);
          toDelete.push(pod.metadata.name!);
        } else if (phase === "Succeeded") {
          this.recorder.event(ds, "Normal", "SucceededDaemonPod", `Found succeeded daemon pod ${pod.metadata.namespace}/${pod.metadata.name} on node ${nodeName}, will try to delete it`);
          toDelete.push(pod.metadata.name!);
        } else running.push(pod);
      }
      if (!allowsSurge(ds)) {
        if (running.length > 1) {
          running.sort(byCreationTimestampAndPhase);
          for (let i = 1; i < running.length; i++) toDelete.push(running[i]!.metadata.name!);
        }
      } else if (running.length <= 1) {
        if (running.length === 0 && shouldRun) nodesNeeding.push(nodeName);
      } else {
        // surging: keep the oldest new pod and, while it is not available, the oldest old pod
        running.sort(byCreationTimestampAndPhase);
        let oldestNew: Pod | undefined;
        let oldestOld: Pod | undefined;
        for (const pod of running) {
          if (pod.metadata.labels?.[POD_REVISION_LABEL] === hash) {
            if (!oldestNew) {
              oldestNew = pod;
              continue;
            }
          } else if (!oldestOld) {
            oldestOld = pod;
            continue;
          }
          toDelete.push(pod.metadata.name!);
        }
        if (oldestNew && oldestOld) {
          if (!isPodReady(oldestOld)) toDelete.push(oldestOld.metadata.name!);
          else if (isPodAvailable(oldestNew, minReadySeconds(ds), this.clock.now())) toDelete.push(oldestOld.metadata.name!);
        }
      }
    } else if (daemonPods) {
      for (const pod of daemonPods) if (!pod.metadata.deletionTimestamp) toDelete.push(pod.metadata.name!);
    }
    return { nodesNeeding, toDelete };
  }

  /** syncNodes: creates daemon pods on the nodes (slow start) and deletes the pods, at most a burst each. */
  private async syncNodes(ds: KubeObject, podsToDelete: string[], nodesNeeding: string[], hash: string): Promise<void> {
    const key = keyOf(ds);
    const createDiff = Math.min(nodesNeeding.length, BURST_REPLICAS);
    const deleteDiff = Math.min(podsToDelete.length, BURST_REPLICAS);
    this.expectations.expect(key, createDiff, deleteDiff);
    const errs: unknown[] = [];
    const template = daemonPodTemplate(ds, templateGeneration(ds), hash);
    const ns = ds.metadata.namespace ?? "";
    const ref = newControllerRef(ds);

    let batch = Math.min(createDiff, 1);
    for (let pos = 0; createDiff > pos; ) {
      const before = errs.length;
      await Promise.all(
        Array.from({ length: batch }, async (_, k) => {
          const nodeName = nodesNeeding[pos + k]!;
          const t = structuredClone(template);
          t.spec.affinity = replaceNodeNameAffinity(t.spec.affinity, nodeName);
          const pod = podFromTemplate(t, ds, ref);
          try {
            const created = await this.client.create(R.pods, ns, pod);
            this.recorder.event(ds, "Normal", "SuccessfulCreate", `Created pod: ${created.metadata.name}`);
          } catch (err) {
            if (isNamespaceTerminating(err)) return;
            this.recorder.event(ds, "Warning", "FailedCreate", `Error creating: ${errorText(err)}`);
            this.expectations.creationObserved(key);
            errs.push(err);
          }
        }),
      );
      const skipped = createDiff - (pos + batch);
      if (errs.length > before && skipped > 0) {
        this.expectations.lowerExpectations(key, skipped, 0);
        break;
      }
      pos += batch;
      batch = Math.min(2 * batch, createDiff - pos);
    }

    await Promise.all(
      podsToDelete.slice(0, deleteDiff).map(async (name) => {
        try {
          await this.client.delete(R.pods, ns, name);
          this.recorder.event(ds, "Normal", "SuccessfulDelete", `Deleted pod: ${name}`);
        } catch (err) {
          this.expectations.deletionObserved(key);
          if (!isNotFound(err)) {
            this.recorder.event(ds, "Warning", "FailedDelete", `Error deleting: ${errorText(err)}`);
            errs.push(err);
          }
        }
      }),
    );
    const err = aggregate(errs);
    if (err) throw err;
  }

  /** rollingUpdate: deletes old pods within maxUnavailable, or surges new ones within maxSurge. */
  private async rollingUpdate(ds: KubeObject, selector: LabelSelector, nodes: KubeObject[], hash: string): Promise<void> {
    const nodeToPods = await this.nodesToDaemonPods(ds, selector, false);
    const spec = daemonPodSpec(ds);
    let desired = 0;
    for (const node of nodes) {
      if (!nodeShouldRunDaemonPod(node, spec).shouldRun) continue;
      desired++;
      if (!nodeToPods.has(node.metadata.name!)) nodeToPods.set(node.metadata.name!, []);
    }
    let maxUnavailable: number;
    let maxSurge: number;
    try {
      maxUnavailable = unavailableCount(ds, desired);
    } catch (err) {
      throw new Error(`couldn't get unavailable numbers: invalid value for MaxUnavailable: ${errorText(err)}`);
    }
    try {
      maxSurge = surgeCount(ds, desired);
    } catch (err) {
      throw new Error(`couldn't get unavailable numbers: invalid value for MaxSurge: ${errorText(err)}`);
    }
    if (desired > 0 && maxUnavailable === 0 && maxSurge === 0) maxUnavailable = 1;
    const now = this.clock.now();
    const minReady = minReadySeconds(ds);
    const generation = templateGeneration(ds);
    const available = (p: Pod) => isPodAvailable(p, minReady, now);

    const split = (pods: Pod[]): { newPod?: Pod; oldPod?: Pod; ok: boolean } => {
      let newPod: Pod | undefined;
      let oldPod: Pod | undefined;
      for (const pod of pods) {
        if (pod.metadata.deletionTimestamp) continue;
        if (isPodUpdated(pod, hash, generation)) {
          if (newPod) return { ok: false };
          newPod = pod;
        } else {
          if (oldPod) return { ok: false };
          oldPod = pod;
        }
      }
      return { newPod, oldPod, ok: true };
    };

    if (maxSurge === 0) {
      let numUnavailable = 0;
      const allowedReplacements: string[] = [];
      const candidates: string[] = [];
      for (const pods of nodeToPods.values()) {
        const { newPod, oldPod, ok } = split(pods);
        if (!ok) {
          numUnavailable++;
          continue;
        }
        if ((!oldPod && !newPod) || (oldPod && newPod)) numUnavailable++;
        else if (newPod) {
          if (!available(newPod)) numUnavailable++;
        } else if (oldPod) {
          if (!available(oldPod)) {
            allowedReplacements.push(oldPod.metadata.name!);
            numUnavailable++;
          } else if (numUnavailable >= maxUnavailable) continue;
          else candidates.push(oldPod.metadata.name!);
        }
      }
      const remaining = Math.min(Math.max(0, maxUnavailable - numUnavailable), candidates.length);
      await this.syncNodes(ds, [...allowedReplacements, ...candidates.slice(0, remaining)], [], hash);
      return;
    }

    const oldPodsToDelete: string[] = [];
    const shouldNotRunPodsToDelete: string[] = [];
    const candidateNewNodes: string[] = [];
    const allowedNewNodes: string[] = [];
    let numSurge = 0;
    let numAvailable = 0;
    for (const [nodeName, pods] of nodeToPods) {
      const { newPod, oldPod, ok } = split(pods);
      if (!ok) {
        numSurge++;
        continue;
      }
      if (oldPod) {
        if (available(oldPod)) numAvailable++;
      } else if (newPod && available(newPod)) numAvailable++;
      if (!oldPod) continue;
      if (!newPod) {
        const node = this.nodes.get("", nodeName);
        if (!node) throw new Error(`couldn't get node for nodeName "${nodeName}": node "${nodeName}" not found`);
        const shouldRun = nodeShouldRunDaemonPod(node, spec).shouldRun;
        if (!available(oldPod)) {
          if (!shouldRun) {
            oldPodsToDelete.push(oldPod.metadata.name!);
            continue;
          }
          allowedNewNodes.push(nodeName);
        } else {
          if (!shouldRun) {
            shouldNotRunPodsToDelete.push(oldPod.metadata.name!);
            continue;
          }
          if (numSurge >= maxSurge) continue;
          candidateNewNodes.push(nodeName);
        }
      } else {
        if (!available(newPod)) {
          numSurge++;
          continue;
        }
        oldPodsToDelete.push(oldPod.metadata.name!);
      }
    }
    let deletable = numAvailable - desired;
    if (deletable > 0) {
      deletable = Math.min(deletable, shouldNotRunPodsToDelete.length);
      for (const name of shouldNotRunPodsToDelete.slice(0, deletable)) if (this.pods.get(ds.metadata.namespace ?? "", name)) oldPodsToDelete.push(name);
    }
    const remainingSurge = Math.min(Math.max(0, maxSurge - numSurge), candidateNewNodes.length);
    await this.syncNodes(ds, oldPodsToDelete, [...allowedNewNodes, ...candidateNewNodes.slice(0, remainingSurge)], hash);
  }

  // ---- history ----

  /** constructHistory: the current revision (created or renumbered as needed) and the old ones. */
  private async constructHistory(ds: KubeObject, selector: LabelSelector): Promise<{ cur: KubeObject; old: KubeObject[] }> {
    const ns = ds.metadata.namespace ?? "";
    const histories = await claimObjects({
      client: this.client,
      gvr: R.controllerrevisions,
      owner: ds,
      selector,
      candidates: this.candidates(this.revisions, ds),
      canAdopt: this.canAdopt(ds),
    });
    const want = patchKey(ds);
    const current: KubeObject[] = [];
    const old: KubeObject[] = [];
    for (let h of histories) {
      if (h.metadata.labels?.[POD_REVISION_LABEL] === undefined) {
        const copy = structuredClone(h) as KubeObject;
        copy.metadata.labels = { ...(copy.metadata.labels ?? {}), [POD_REVISION_LABEL]: copy.metadata.name! };
        h = await this.client.update(R.controllerrevisions, ns, copy);
      }
      if (goJson(h.data ?? null) === want) current.push(h);
      else old.push(h);
    }
    const next = old.reduce((m, h) => Math.max(m, revisionNumber(h)), 0) + 1;
    let cur: KubeObject;
    if (current.length === 0) cur = await this.snapshot(ds, next);
    else {
      cur = await this.dedupCurHistories(ds, selector, current);
      if (revisionNumber(cur) < next) {
        const copy = structuredClone(cur) as KubeObject;
        copy.revision = next;
        cur = await this.client.update(R.controllerrevisions, ns, copy);
      }
    }
    return { cur, old };
  }

  private async dedupCurHistories(ds: KubeObject, selector: LabelSelector, histories: KubeObject[]): Promise<KubeObject> {
    if (histories.length === 1) return histories[0]!;
    let keep = histories[0]!;
    for (const h of histories) if (revisionNumber(h) >= revisionNumber(keep)) keep = h;
    const keepHash = keep.metadata.labels?.[POD_REVISION_LABEL];
    for (const pod of await this.daemonPods(ds, selector)) {
      if (pod.metadata.labels?.[POD_REVISION_LABEL] !== keepHash)
        await this.client.patch(R.pods, ds.metadata.namespace ?? "", pod.metadata.name!, "merge", { metadata: { labels: { [POD_REVISION_LABEL]: keepHash } } });
    }
    for (const h of histories) {
      if (h.metadata.name === keep.metadata.name) continue;
      try {
        await this.client.delete(R.controllerrevisions, ds.metadata.namespace ?? "", h.metadata.name!);
      } catch (err) {
        if (!isNotFound(err)) throw err;
      }
    }
    return keep;
  }

  /** snapshot: a new revision named `<ds>-<hash>`; a name taken by other data bumps collisionCount. */
  private async snapshot(ds: KubeObject, revision: number): Promise<KubeObject> {
    const ns = ds.metadata.namespace ?? "";
    const collisionCount = (ds.status as Obj | undefined)?.collisionCount as number | undefined;
    const template = dsSpec(ds).template as Obj;
    const hash = computeTemplateHash(template, collisionCount);
    const metadata: Obj = {
      name: `${ds.metadata.name}-${hash}`,
      namespace: ns,
      labels: { ...((template?.metadata?.labels ?? {}) as Record<string, string>), [POD_REVISION_LABEL]: hash },
      ownerReferences: [newControllerRef(ds)],
    };
    if (ds.metadata.annotations && Object.keys(ds.metadata.annotations).length) metadata.annotations = { ...ds.metadata.annotations };
    const history = { apiVersion: "apps/v1", kind: "ControllerRevision", metadata, data: templatePatch(template), revision } as KubeObject;
    try {
      return await this.client.create(R.controllerrevisions, ns, history);
    } catch (err) {
      if (!isAlreadyExists(err)) throw err;
      const existing = await this.client.get(R.controllerrevisions, ns, metadata.name);
      if (goJson(existing.data ?? null) === patchKey(ds)) return existing;
      const fresh = await this.client.get(R.daemonsets, ns, ds.metadata.name!);
      const freshCount = (fresh.status as Obj | undefined)?.collisionCount as number | undefined;
      if (freshCount !== collisionCount)
        throw new Error(`found a stale collision count (${collisionCount ?? "nil"}, expected ${freshCount ?? "nil"}) of DaemonSet "${ds.metadata.name}" while processing; will retry until it is updated`);
      const status = { ...((fresh.status ?? {}) as Obj), collisionCount: (freshCount ?? 0) + 1 };
      await this.client.update(R.daemonsets, ns, { ...fresh, status }, { subresource: "status" });
      throw err;
    }
  }

  /** cleanupHistory: deletes the oldest unused revisions beyond revisionHistoryLimit. */
  private async cleanupHistory(ds: KubeObject, selector: LabelSelector, old: KubeObject[]): Promise<void> {
    const limit = (dsSpec(ds).revisionHistoryLimit as number | undefined) ?? 10;
    let toKill = old.length - limit;
    if (toKill <= 0) return;
    const nodeToPods = await this.nodesToDaemonPods(ds, selector, true);
    const live = new Set<string>();
    for (const pods of nodeToPods.values())
      for (const p of pods) {
        const h = p.metadata.labels?.[POD_REVISION_LABEL];
        if (h) live.add(h);
      }
    for (const h of [...old].sort((a, b) => revisionNumber(a) - revisionNumber(b))) {
      if (toKill <= 0) break;
      if (live.has(h.metadata.labels?.[POD_REVISION_LABEL] ?? "")) continue;
      try {
        await this.client.delete(R.controllerrevisions, ds.metadata.namespace ?? "", h.metadata.name!);
      } catch (err) {
        if (!isNotFound(err)) throw err;
      }
      toKill--;
    }
  }

  // ---- status ----

  private async updateStatus(ds: KubeObject, selector: LabelSelector, nodes: KubeObject[], hash: string, updateObservedGen: boolean): Promise<Result | void> {
    let nodeToPods: Map<string, Pod[]>;
    try {
      nodeToPods = await this.nodesToDaemonPods(ds, selector, false);
    } catch (err) {
      throw new Error(`couldn't get node to daemon pod mapping for daemon set "${ds.metadata.name}": ${errorText(err)}`);
    }
    const spec = daemonPodSpec(ds);
    const now = this.clock.now();
    const minReady = minReadySeconds(ds);
    const generation = templateGeneration(ds);
    let desired = 0;
    let current = 0;
    let misscheduled = 0;
    let ready = 0;
    let updated = 0;
    let available = 0;
    for (const node of nodes) {
      const { shouldRun } = nodeShouldRunDaemonPod(node, spec);
      const pods = nodeToPods.get(node.metadata.name!);
      const scheduled = !!pods && pods.length > 0;
      if (shouldRun) {
        desired++;
        if (!scheduled) continue;
        current++;
        const pod = [...pods].sort(byCreationTimestampAndPhase)[0]!;
        if (isPodReady(pod)) {
          ready++;
          if (isPodAvailable(pod, minReady, now)) available++;
        }
        if (isPodUpdated(pod, hash, generation)) updated++;
      } else if (scheduled) misscheduled++;
    }
    const unavailable = desired - available;
    await this.storeStatus(ds, { desired, current, misscheduled, ready, updated, available, unavailable }, updateObservedGen);
    if (minReady > 0 && ready !== available) return { requeueAfterMs: minReady * 1000 };
  }

  private async storeStatus(
    ds: KubeObject,
    c: { desired: number; current: number; misscheduled: number; ready: number; updated: number; available: number; unavailable: number },
    updateObservedGen: boolean,
  ): Promise<void> {
    const s = (ds.status ?? {}) as Obj;
    const n = (v: unknown) => (typeof v === "number" ? v : 0);
    if (
      n(s.desiredNumberScheduled) === c.desired &&
      n(s.currentNumberScheduled) === c.current &&
      n(s.numberMisscheduled) === c.misscheduled &&
      n(s.numberReady) === c.ready &&
      n(s.updatedNumberScheduled) === c.updated &&
      n(s.numberAvailable) === c.available &&
      n(s.numberUnavailable) === c.unavailable &&
      n(s.observedGeneration) >= (ds.metadata.generation ?? 0)
    )
      return;
    let toUpdate = structuredClone(ds) as KubeObject;
    for (let i = 0; ; i++) {
      const prev = (toUpdate.status ?? {}) as Obj;
      const status: Obj = {
        currentNumberScheduled: c.current,
        numberMisscheduled: c.misscheduled,
        desiredNumberScheduled: c.desired,
        numberReady: c.ready,
      };
      const observed = updateObservedGen ? (ds.metadata.generation ?? 0) : n(prev.observedGeneration);
      if (observed) status.observedGeneration = observed;
      if (c.updated) status.updatedNumberScheduled = c.updated;
      if (c.available) status.numberAvailable = c.available;
      if (c.unavailable) status.numberUnavailable = c.unavailable;
      if (prev.collisionCount !== undefined && prev.collisionCount !== null) status.collisionCount = prev.collisionCount;
      if (Array.isArray(prev.conditions) && prev.conditions.length) status.conditions = prev.conditions;
      toUpdate.status = status;
      try {
        await this.client.update(R.daemonsets, ds.metadata.namespace ?? "", toUpdate, { subresource: "status" });
        return;
      } catch (err) {
        if (i >= STATUS_UPDATE_RETRIES) throw new Error(`error storing status for daemon set "${ds.metadata.name}": ${errorText(err)}`);
        toUpdate = structuredClone(await this.client.get(R.daemonsets, ds.metadata.namespace ?? "", ds.metadata.name!)) as KubeObject;
      }
    }
  }
}
