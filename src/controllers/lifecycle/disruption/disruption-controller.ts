// The disruption controller (upstream pkg/controller/disruption): keeps every PodDisruptionBudget's
// status — expected pods (from the pods' controllers' scale for percentages and maxUnavailable),
// desired and current healthy pods, disruptions allowed, the DisruptionAllowed condition, the
// disruptedPods bookkeeping of evictions — and resets DisruptionTarget conditions left on pods
// whose eviction never happened.
import { ApiError } from "../../../apimachinery/errors.js";
import type { KubeObject, OwnerReference } from "../../../apimachinery/types.js";
import { R, type Client } from "../../../client/interface.js";
import type { SharedInformer } from "../../../client/informers/shared-informer.js";
import type { ControllerContext } from "../../../controlplane/context.js";
import { formatTime } from "../../../util/clock.js";
import { Controller, splitKey, type Runnable } from "../../runtime/controller.js";
import type { EventRecorder } from "../../runtime/events.js";
import { controllerRef } from "../../runtime/owner-refs.js";
import { gvrOf, RestMapper, type ResourceDiscovery } from "../discovery.js";
import {
  buildDisruptedPodMap,
  countHealthyPods,
  DISRUPTION_ALLOWED,
  labelSelectorGoString,
  nextStatus,
  pdbSelector,
  scaledValue,
  setStatusCondition,
  specOfPdb,
  STALE_POD_DISRUPTION_TIMEOUT_MS,
  statusOfPdb,
  SYNC_FAILED,
  type PdbStatus,
} from "./pdb.js";

const isReason = (err: unknown, reason: string) => err instanceof ApiError && err.reason === reason;

interface ControllerAndScale {
  uid: string;
  scale: number;
}

const groupOf = (apiVersion: string) => (apiVersion.includes("/") ? apiVersion.slice(0, apiVersion.indexOf("/")) : "");
const verifyGroupKind = (ref: OwnerReference, kind: string, groups: string[]) => ref.kind === kind && groups.includes(groupOf(ref.apiVersion));
const replicasOf = (obj: KubeObject) => {
  const r = (obj.spec as { replicas?: number } | undefined)?.replicas;
  return typeof r === "number" ? r : 1;
};

export class DisruptionController implements Runnable {
  readonly name = "disruption-controller";
  private readonly controller: Controller;
  private readonly staleController: Controller;
  private readonly pods: SharedInformer;
  private readonly pdbs: SharedInformer;
  private readonly rcs: SharedInformer;
  private readonly replicaSets: SharedInformer;
  private readonly deployments: SharedInformer;
  private readonly statefulSets: SharedInformer;
  private readonly client: Client;
  private readonly recorder: EventRecorder;

  constructor(
    private readonly ctx: ControllerContext,
    private readonly discovery: ResourceDiscovery,
  ) {
    this.client = ctx.clientFor("kube-controller-manager");
    this.recorder = ctx.recorder("controllermanager");
    this.pods = ctx.informers.informerFor(R.pods);
    this.pdbs = ctx.informers.informerFor(R.poddisruptionbudgets);
    this.rcs = ctx.informers.informerFor(R.replicationcontrollers);
    this.replicaSets = ctx.informers.informerFor(R.replicasets);
    this.deployments = ctx.informers.informerFor(R.deployments);
    this.statefulSets = ctx.informers.informerFor(R.statefulsets);
    this.controller = new Controller("disruption", (key) => this.sync(key), ctx.clock, 1);
    this.staleController = new Controller("stale_pod_disruption", (key) => this.syncStalePodDisruption(key), ctx.clock, 1);

    const enqueuePdb = (pdb: KubeObject) => this.controller.enqueue(`${pdb.metadata.namespace}/${pdb.metadata.name}`);
    this.pdbs.addEventHandler({ onAdd: enqueuePdb, onUpdate: (_o, pdb) => enqueuePdb(pdb), onDelete: enqueuePdb });
    const onPod = (pod: KubeObject, checkStale: boolean) => {
      const pdb = this.pdbForPod(pod);
      if (pdb) enqueuePdb(pdb);
      if (!checkStale) return;
      const stale = this.staleDisruptionCondition(pod);
      if (stale) this.staleController.enqueueAfter(`${pod.metadata.namespace}/${pod.metadata.name}`, stale.cleanAfterMs);
    };
    this.pods.addEventHandler({ onAdd: (p) => onPod(p, true), onUpdate: (_o, p) => onPod(p, true), onDelete: (p) => onPod(p, false) });
  }

  start(): void {
    this.controller.start();
    this.staleController.start();
  }

  async stop(): Promise<void> {
    await Promise.all([this.controller.stop(), this.staleController.stop()]);
  }

  /** The PDBs in the pod's namespace whose selector matches it (upstream GetPodPodDisruptionBudgets). */
  private pdbsForPod(pod: KubeObject): KubeObject[] {
    const out: KubeObject[] = [];
    for (const pdb of this.pdbs.list(pod.metadata.namespace!)) {
      const sel = pdbSelector(pdb);
      if (sel?.matches(pod.metadata.labels ?? {})) out.push(pdb);
    }
    return out;
  }

  private pdbForPod(pod: KubeObject): KubeObject | undefined {
    const pdbs = this.pdbsForPod(pod);
    if (pdbs.length === 0) return undefined;
    if (pdbs.length > 1) {
      const msg = `Pod ${JSON.stringify(pod.metadata.namespace)}/${JSON.stringify(pod.metadata.name)} matches multiple PodDisruptionBudgets.  Chose ${JSON.stringify(pdbs[0]!.metadata.name)} arbitrarily.`;
      this.recorder.event(pod, "Warning", "MultiplePodDisruptionBudgets", msg);
    }
    return pdbs[0];
  }

  private podsForPdb(pdb: KubeObject): KubeObject[] {
    const sel = pdbSelector(pdb);
    if (!sel) throw new Error("invalid selector");
    return this.pods.list(pdb.metadata.namespace!).filter((p) => sel.matches(p.metadata.labels ?? {}));
  }

  private async sync(key: string): Promise<void> {
    const { namespace, name } = splitKey(key);
    const pdb = this.pdbs.get(namespace, name);
    if (!pdb) return;
    try {
      await this.trySync(pdb);
    } catch (err) {
      // a conflict is retried without giving up the budget
      if (isReason(err, "Conflict")) throw err;
      await this.failSafe(pdb, err as Error);
    }
  }

  private async trySync(pdb: KubeObject): Promise<void> {
    let pods: KubeObject[];
    try {
      pods = this.podsForPdb(pdb);
    } catch (err) {
      this.recorder.event(pdb, "Warning", "NoPods", `Failed to get pods: ${(err as Error).message}`);
      throw err;
    }
    if (pods.length === 0) this.recorder.event(pdb, "Normal", "NoPods", "No matching pods found");

    let counts: { expectedCount: number; desiredHealthy: number; unmanagedPods: string[] };
    try {
      counts = await this.expectedPodCount(pdb, pods);
    } catch (err) {
      this.recorder.event(pdb, "Warning", "CalculateExpectedPodCountFailed", `Failed to calculate the number of expected pods: ${(err as Error).message}`);
      throw err;
    }
    if (counts.unmanagedPods.length > 0)
      this.recorder.event(
        pdb,
        "Warning",
        "UnmanagedPods",
        `Pods selected by this PodDisruptionBudget (selector: ${labelSelectorGoString(specOfPdb(pdb).selector)}) were found ` +
          "to be unmanaged. As a result, the status of the PDB cannot be calculated correctly, which may result in undefined behavior. " +
          'To account for these pods please set ".spec.minAvailable" field of the PDB to an integer value.',
      );

    const now = this.ctx.clock.now();
    const { disruptedPods, recheckAt, notDeleted } = buildDisruptedPodMap(pods, pdb, now);
    for (const pod of notDeleted)
      this.recorder.event(pod, "Warning", "NotDeleted", `Pod was expected by PDB ${pdb.metadata.namespace}/${pdb.metadata.namespace} to be deleted but it wasn't`);
    const currentHealthy = countHealthyPods(pods, disruptedPods, now);
    const status = nextStatus(pdb, currentHealthy, counts.desiredHealthy, counts.expectedCount, disruptedPods, now);
    if (status) await this.writeStatus(pdb, status);
    // at least 1 ms: an entry expires strictly after its deadline, and time must move for that
    if (recheckAt !== undefined) this.controller.enqueueAfter(`${pdb.metadata.namespace}/${pdb.metadata.name}`, Math.max(1, recheckAt - now));
  }

  private async writeStatus(pdb: KubeObject, status: PdbStatus): Promise<void> {
    const next = structuredClone(pdb);
    next.status = status;
    await this.client.update(R.poddisruptionbudgets, pdb.metadata.namespace!, next, { subresource: "status" });
  }

  /** If everything else fails, at least allow no disruption (upstream failSafe). */
  private async failSafe(pdb: KubeObject, err: Error): Promise<void> {
    const status = structuredClone(statusOfPdb(pdb));
    status.disruptionsAllowed = 0;
    const conditions = (status.conditions ??= []);
    setStatusCondition(
      conditions,
      {
        type: DISRUPTION_ALLOWED,
        status: "False",
        reason: SYNC_FAILED,
        message: err.message,
        ...(status.observedGeneration ? { observedGeneration: status.observedGeneration } : {}),
      },
      this.ctx.clock.now(),
    );
    await this.writeStatus(pdb, status);
  }

  /** upstream getExpectedPodCount. */
  private async expectedPodCount(pdb: KubeObject, pods: KubeObject[]): Promise<{ expectedCount: number; desiredHealthy: number; unmanagedPods: string[] }> {
    const spec = specOfPdb(pdb);
    if (spec.maxUnavailable !== undefined && spec.maxUnavailable !== null) {
      const { expectedCount, unmanagedPods } = await this.expectedScale(pods);
      const maxUnavailable = scaledValue(spec.maxUnavailable, expectedCount, true);
      return { expectedCount, desiredHealthy: Math.max(0, expectedCount - maxUnavailable), unmanagedPods };
    }
    if (spec.minAvailable !== undefined && spec.minAvailable !== null) {
      if (typeof spec.minAvailable === "number") return { expectedCount: pods.length, desiredHealthy: spec.minAvailable, unmanagedPods: [] };
      const { expectedCount, unmanagedPods } = await this.expectedScale(pods);
      return { expectedCount, desiredHealthy: scaledValue(spec.minAvailable, expectedCount, true), unmanagedPods };
    }
    return { expectedCount: 0, desiredHealthy: 0, unmanagedPods: [] };
  }

  /** The sum of the scales of the pods' controllers (upstream getExpectedScale). */
  private async expectedScale(pods: KubeObject[]): Promise<{ expectedCount: number; unmanagedPods: string[] }> {
    const scales = new Map<string, number>();
    const unmanagedPods: string[] = [];
    for (const pod of pods) {
      const ref = controllerRef(pod);
      if (!ref) {
        unmanagedPods.push(pod.metadata.name!);
        continue;
      }
      if (scales.has(ref.uid)) continue;
      let found: ControllerAndScale | undefined;
      for (const finder of [this.podReplicationController, this.podDeployment, this.podReplicaSet, this.podStatefulSet, this.scaleController]) {
        found = await finder.call(this, ref, pod.metadata.namespace!);
        if (found) break;
      }
      if (!found) throw new Error(`found no controllers for pod ${JSON.stringify(pod.metadata.name)}`);
      scales.set(found.uid, found.scale);
    }
    let expectedCount = 0;
    for (const n of scales.values()) expectedCount += n;
    return { expectedCount, unmanagedPods };
  }

  private async podReplicaSet(ref: OwnerReference, namespace: string): Promise<ControllerAndScale | undefined> {
    if (!verifyGroupKind(ref, "ReplicaSet", ["apps", "extensions"])) return undefined;
    const rs = this.replicaSets.get(namespace, ref.name);
    if (!rs || rs.metadata.uid !== ref.uid) return undefined;
    if (controllerRef(rs)?.kind === "Deployment") return undefined;
    return { uid: rs.metadata.uid, scale: replicasOf(rs) };
  }

  private async podStatefulSet(ref: OwnerReference, namespace: string): Promise<ControllerAndScale | undefined> {
    if (!verifyGroupKind(ref, "StatefulSet", ["apps"])) return undefined;
    const ss = this.statefulSets.get(namespace, ref.name);
    if (!ss || ss.metadata.uid !== ref.uid) return undefined;
    return { uid: ss.metadata.uid, scale: replicasOf(ss) };
  }

  private async podDeployment(ref: OwnerReference, namespace: string): Promise<ControllerAndScale | undefined> {
    if (!verifyGroupKind(ref, "ReplicaSet", ["apps", "extensions"])) return undefined;
    const rs = this.replicaSets.get(namespace, ref.name);
    if (!rs || rs.metadata.uid !== ref.uid) return undefined;
    const dref = controllerRef(rs);
    if (!dref || !verifyGroupKind(dref, "Deployment", ["apps", "extensions"])) return undefined;
    const d = this.deployments.get(rs.metadata.namespace!, dref.name);
    if (!d || d.metadata.uid !== dref.uid) return undefined;
    return { uid: d.metadata.uid, scale: replicasOf(d) };
  }

  private async podReplicationController(ref: OwnerReference, namespace: string): Promise<ControllerAndScale | undefined> {
    if (!verifyGroupKind(ref, "ReplicationController", [""])) return undefined;
    const rc = this.rcs.get(namespace, ref.name);
    if (!rc || rc.metadata.uid !== ref.uid) return undefined;
    return { uid: rc.metadata.uid, scale: replicasOf(rc) };
  }

  /** Any other controller through its scale subresource. */
  private async scaleController(ref: OwnerReference, namespace: string): Promise<ControllerAndScale | undefined> {
    const m = new RestMapper(this.discovery.resources()).mapping(ref.apiVersion, ref.kind);
    if (!m) throw new Error(`no matches for kind "${ref.kind}" in version "${ref.apiVersion}"`);
    let scale: KubeObject;
    try {
      scale = await this.client.get(gvrOf(m), m.namespaced ? namespace : "", ref.name, "scale");
    } catch (err) {
      if (isReason(err, "NotFound")) {
        // a missing object, or a resource without a scale subresource
        if ((err as ApiError).details?.name) return undefined;
        throw new Error(`${m.group ? `${m.resource}.${m.group}` : m.resource} does not implement the scale subresource`);
      }
      throw err;
    }
    if (scale.metadata.uid !== ref.uid) return undefined;
    const replicas = (scale.spec as { replicas?: number } | undefined)?.replicas;
    return { uid: ref.uid, scale: replicas ?? 0 };
  }

  /** A DisruptionTarget=True condition on a pod that is not going away (upstream nonTerminatingPodHasStaleDisruptionCondition). */
  private staleDisruptionCondition(pod: KubeObject): { cleanAfterMs: number } | undefined {
    if (pod.metadata.deletionTimestamp) return undefined;
    const status = (pod.status ?? {}) as { phase?: string; conditions?: { type?: string; status?: string; reason?: string; lastTransitionTime?: string }[] };
    const cond = (status.conditions ?? []).find((c) => c?.type === "DisruptionTarget");
    if (!cond || cond.status !== "True" || cond.reason === "TerminationByKubelet" || status.phase === "Succeeded" || status.phase === "Failed") return undefined;
    const since = cond.lastTransitionTime ? Date.parse(cond.lastTransitionTime) : 0;
    return { cleanAfterMs: Math.max(0, STALE_POD_DISRUPTION_TIMEOUT_MS - (this.ctx.clock.now() - since)) };
  }

  private async syncStalePodDisruption(key: string): Promise<void> {
    const { namespace, name } = splitKey(key);
    const pod = this.pods.get(namespace, name);
    if (!pod) return;
    const stale = this.staleDisruptionCondition(pod);
    if (!stale) return;
    if (stale.cleanAfterMs > 0) {
      this.staleController.enqueueAfter(key, stale.cleanAfterMs);
      return;
    }
    const next = structuredClone(pod);
    const status = (next.status ??= {}) as { conditions?: Record<string, unknown>[] };
    const conditions = status.conditions ?? [];
    const i = conditions.findIndex((c) => c?.type === "DisruptionTarget");
    if (i < 0) return;
    conditions[i] = { type: "DisruptionTarget", status: "False", lastProbeTime: null, lastTransitionTime: formatTime(this.ctx.clock.now()) };
    await this.client.update(R.pods, namespace, next, { subresource: "status" });
  }
}
