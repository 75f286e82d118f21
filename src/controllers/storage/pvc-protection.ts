// The PVC protection controller (upstream pkg/controller/volume/pvcprotection): a claim being
// deleted keeps its kubernetes.io/pvc-protection finalizer while a scheduled pod refers to it
// (through a persistentVolumeClaim volume, or a generic ephemeral volume of a pod not yet shut
// down) — looked up in the pod informer, then confirmed with a live list of the namespace's pods —
// and loses it once none does. Claims that lack the finalizer (made before the admission plugin
// existed) get it.
import type { KubeObject } from "../../apimachinery/types.js";
import { R, type Client } from "../../client/interface.js";
import type { SharedInformer } from "../../client/informers/shared-informer.js";
import type { ControllerContext } from "../../controlplane/context.js";
import { deepCopy } from "../../storage/codec.js";
import { Controller, type Runnable, splitKey } from "../runtime/controller.js";
import {
  claimKey,
  isDeletionCandidate,
  isPodTerminated,
  needToAddFinalizer,
  POD_PVC_INDEX,
  podClaimKeys,
  podPVCIndexFunc,
  PVC_PROTECTION_FINALIZER,
  specOf,
} from "./helpers.js";

const WORKERS = 3;

type Json = Record<string, unknown>;

/** podIsShutDown: the kubelet is done with the pod (deleted with grace 0) or it was force-deleted. */
const podIsShutDown = (pod: KubeObject): boolean => !!pod.metadata.deletionTimestamp && pod.metadata.deletionGracePeriodSeconds === 0;

/** podUsesPVC: only scheduled pods count (the kubelet refuses to start with a claim being deleted). */
export function podUsesPVC(pod: KubeObject, pvc: KubeObject): boolean {
  if (!specOf(pod).nodeName) return false;
  const volumes = Array.isArray(specOf(pod).volumes) ? (specOf(pod).volumes as Json[]) : [];
  for (const v of volumes) {
    const source = v.persistentVolumeClaim as Json | undefined;
    if (source && source.claimName === pvc.metadata.name) return true;
    if (!podIsShutDown(pod) && v.ephemeral && `${pod.metadata.name}-${String(v.name)}` === pvc.metadata.name && ephemeralVolumeIsForPod(pod, pvc)) return true;
  }
  return false;
}

/** ephemeral.VolumeIsForPod: the claim is controlled by the pod. */
function ephemeralVolumeIsForPod(pod: KubeObject, pvc: KubeObject): boolean {
  return (pvc.metadata.ownerReferences ?? []).some((r) => r.controller === true && r.uid === pod.metadata.uid);
}

export class PVCProtectionController implements Runnable {
  readonly name = "persistentvolumeclaim-protection-controller";
  private readonly client: Client;
  private readonly pvcs: SharedInformer;
  private readonly pods: SharedInformer;
  readonly controller: Controller;

  constructor(ctx: ControllerContext) {
    this.client = ctx.clientFor("kube-controller-manager");
    this.pvcs = ctx.informers.informerFor(R.persistentvolumeclaims);
    this.pods = ctx.informers.informerFor(R.pods);
    this.pods.addIndexer(POD_PVC_INDEX, podPVCIndexFunc);
    this.controller = new Controller("pvcprotection", (key) => this.processPVC(key), ctx.clock, WORKERS);
    const onClaim = (pvc: KubeObject) => {
      if (needToAddFinalizer(pvc, PVC_PROTECTION_FINALIZER) || isDeletionCandidate(pvc, PVC_PROTECTION_FINALIZER)) this.controller.enqueue(claimKey(pvc));
    };
    this.pvcs.addEventHandler({ onAdd: onClaim, onUpdate: (_o, pvc) => onClaim(pvc) });
    this.pods.addEventHandler({
      onAdd: (pod) => this.podChanged(undefined, pod, false),
      onUpdate: (old, pod) => this.podChanged(old, pod, false),
      onDelete: (pod) => this.podChanged(undefined, pod, true),
    });
  }

  start(): void {
    this.controller.start();
  }

  stop(): Promise<void> {
    return this.controller.stop();
  }

  private podChanged(old: KubeObject | undefined, pod: KubeObject, deleted: boolean): void {
    this.enqueuePVCs(pod, deleted);
    // an update may hide the deletion of a pod and the creation of another with its name
    if (old && old.metadata.uid !== pod.metadata.uid) this.enqueuePVCs(old, true);
  }

  /** Only pods that may let a finalizer go: deleted, terminated or not scheduled. */
  private enqueuePVCs(pod: KubeObject, deleted: boolean): void {
    if (!deleted && !isPodTerminated(pod) && specOf(pod).nodeName) return;
    for (const key of podClaimKeys(pod)) this.controller.enqueue(key);
  }

  private async processPVC(key: string): Promise<void> {
    const { namespace, name } = splitKey(key);
    const pvc = this.pvcs.get(namespace, name);
    if (!pvc) return;
    if (isDeletionCandidate(pvc, PVC_PROTECTION_FINALIZER)) {
      if (!(await this.isBeingUsed(pvc))) return this.removeFinalizer(pvc);
    }
    if (needToAddFinalizer(pvc, PVC_PROTECTION_FINALIZER)) return this.addFinalizer(pvc);
  }

  private async isBeingUsed(pvc: KubeObject): Promise<boolean> {
    if (this.pods.byIndex(POD_PVC_INDEX, claimKey(pvc)).some((p) => podUsesPVC(p, pvc))) return true;
    // not in the cache does not mean there is none: a live list decides
    const live = await this.client.list(R.pods, pvc.metadata.namespace!);
    return live.items.some((p) => podUsesPVC(p, pvc));
  }

  private async addFinalizer(pvc: KubeObject): Promise<void> {
    const clone = deepCopy(pvc);
    clone.metadata.finalizers = [...(clone.metadata.finalizers ?? []), PVC_PROTECTION_FINALIZER];
    await this.client.update(R.persistentvolumeclaims, clone.metadata.namespace!, clone);
  }

  private async removeFinalizer(pvc: KubeObject): Promise<void> {
    const clone = deepCopy(pvc);
    clone.metadata.finalizers = (clone.metadata.finalizers ?? []).filter((f) => f !== PVC_PROTECTION_FINALIZER);
    await this.client.update(R.persistentvolumeclaims, clone.metadata.namespace!, clone);
  }
}
