// The PersistentVolume controller (upstream pkg/controller/volume/persistentvolume, the
// "persistentvolume-binder-controller"): binds claims to volumes and keeps both sides' phases.
// - Unbound claim without volumeName: the pre-bound or smallest matching Available volume is bound
//   (volume first: claimRef + pv.kubernetes.io/bound-by-controller, phase Bound; then the claim:
//   volumeName, pv.kubernetes.io/bind-completed and bound-by-controller, status Bound with the
//   volume's access modes and capacity). With none: a claim without class gets the default class
//   (retroactive assignment); WaitForFirstConsumer claims wait (WaitForFirstConsumer /
//   WaitForPodScheduled events) until the scheduler sets volume.kubernetes.io/selected-node; then,
//   or at once for Immediate classes, provisioning is requested: external provisioners through the
//   volume.kubernetes.io/storage-provisioner (+beta) annotations and an ExternalProvisioning event.
//   A claim with no class and no volume: FailedBinding.
// - Claim naming a volume: bound if the volume satisfies it (else VolumeMismatch), Pending otherwise.
// - Bound claims whose volume vanished or was taken: Lost (ClaimLost / ClaimMisbound).
// - Volumes: Available when free or pre-bound, Bound when the claim points back, Released when
//   the claim is gone, then reclaimed: Retain keeps it, Delete removes it (in-tree hostPath under
//   /tmp here; external provisioners delete their own), Recycle scrubs it back to Available.
// Two queues with one worker each (syncClaim and syncVolume are not reentrant), a local cache of
// the last known versions (so our own writes are not undone by stale informer events), and a full
// resync every 15 s (--pvclaimbinder-sync-period).
import { ApiError } from "../../apimachinery/errors.js";
import type { KubeObject } from "../../apimachinery/types.js";
import { R, type Client } from "../../client/interface.js";
import type { SharedInformer } from "../../client/informers/shared-informer.js";
import type { ControllerContext } from "../../controlplane/context.js";
import { parseQuantity } from "../../registry/builtin/quantity.js";
import { deepCopy } from "../../storage/codec.js";
import type { Clock, Timer } from "../../util/clock.js";
import { Controller, type Runnable, splitKey } from "../runtime/controller.js";
import type { EventRecorder } from "../runtime/events.js";
import {
  ANN_BETA_STORAGE_PROVISIONER,
  ANN_BIND_COMPLETED,
  ANN_BOUND_BY_CONTROLLER,
  ANN_DYNAMICALLY_PROVISIONED,
  ANN_MIGRATED_TO,
  ANN_STORAGE_PROVISIONER,
  annotationsOf,
  claimClass,
  claimHasClass,
  claimKey,
  claimRefKey,
  claimRefOf,
  claimReference,
  defaultStorageClass,
  findBestMatchForClaim,
  hasAnnotation,
  isDelayBindingMode,
  isDelayBindingProvisioning,
  isPodTerminated,
  isVolumeBoundToClaim,
  phaseOf,
  POD_PVC_INDEX,
  podPVCIndexFunc,
  requestedStorage,
  specOf,
  statusOf,
  volumeCapacity,
  volumeClass,
  volumeModeMismatch,
  volumeNameOf,
  checkAccessModes,
} from "./helpers.js";

/** kube-controller-manager's --pvclaimbinder-sync-period. */
export const PV_RESYNC_PERIOD_MS = 15_000;
/** The in-tree deletion protection finalizer (HonorPVReclaimPolicy, GA in 1.33). */
export const PV_DELETION_IN_TREE_PROTECTION_FINALIZER = "kubernetes.io/pv-controller";
export const PV_DELETION_PROTECTION_FINALIZER = "external-provisioner.volume.kubernetes.io/finalizer";

/** In-tree provisioners migrated to CSI drivers (all CSI migrations are GA by 1.33). */
export const CSI_MIGRATED_PLUGINS: Record<string, string> = {
  "kubernetes.io/aws-ebs": "ebs.csi.aws.com",
  "kubernetes.io/gce-pd": "pd.csi.storage.gke.io",
  "kubernetes.io/azure-disk": "disk.csi.azure.com",
  "kubernetes.io/azure-file": "file.csi.azure.com",
  "kubernetes.io/cinder": "cinder.csi.openstack.org",
  "kubernetes.io/vsphere-volume": "csi.vsphere.vmware.com",
  "kubernetes.io/portworx-volume": "pxd.portworx.com",
};

/** In-tree volume plugins the controller still carries that can provision (disabled by default). */
const HOST_PATH_PLUGIN = "kubernetes.io/host-path";

type Json = Record<string, unknown>;

const isConflict = (err: unknown) => err instanceof ApiError && err.reason === "Conflict";
const isNotFound = (err: unknown) => err instanceof ApiError && err.reason === "NotFound";
const rvOf = (o: KubeObject): number => Number(o.metadata.resourceVersion ?? "0") || 0;

/** storeObjectUpdate: keeps the newest version; false when `obj` is older than what is cached. */
function storeObjectUpdate(cache: Map<string, KubeObject>, key: string, obj: KubeObject): boolean {
  const old = cache.get(key);
  if (old && rvOf(old) > rvOf(obj)) return false;
  cache.set(key, obj);
  return true;
}

function setAnnotation(o: KubeObject, key: string, value: string): void {
  o.metadata.annotations = { ...(o.metadata.annotations ?? {}), [key]: value };
}

export interface PVControllerOptions {
  /** --enable-dynamic-provisioning (default true). */
  enableDynamicProvisioning?: boolean;
  resyncPeriodMs?: number;
}

export class PersistentVolumeController implements Runnable {
  readonly name = "persistentvolume-binder-controller";
  private readonly client: Client;
  private readonly recorder: EventRecorder;
  private readonly clock: Clock;
  private readonly pvInformer: SharedInformer;
  private readonly pvcInformer: SharedInformer;
  private readonly classInformer: SharedInformer;
  private readonly podInformer: SharedInformer;
  /** The last known versions, ours included (upstream's volumes and claims caches). */
  private readonly volumes = new Map<string, KubeObject>();
  private readonly claims = new Map<string, KubeObject>();
  readonly claimQueue: Controller;
  readonly volumeQueue: Controller;
  private resyncTimer: Timer | undefined;
  private stopped = false;
  private readonly enableDynamicProvisioning: boolean;
  private readonly resyncPeriodMs: number;

  constructor(ctx: ControllerContext, opts: PVControllerOptions = {}) {
    this.client = ctx.clientFor("kube-controller-manager");
    this.recorder = ctx.recorder("persistentvolume-controller");
    this.clock = ctx.clock;
    this.enableDynamicProvisioning = opts.enableDynamicProvisioning ?? true;
    this.resyncPeriodMs = opts.resyncPeriodMs ?? PV_RESYNC_PERIOD_MS;
    this.pvInformer = ctx.informers.informerFor(R.persistentvolumes);
    this.pvcInformer = ctx.informers.informerFor(R.persistentvolumeclaims);
    this.classInformer = ctx.informers.informerFor(R.storageclasses);
    this.podInformer = ctx.informers.informerFor(R.pods);
    this.podInformer.addIndexer(POD_PVC_INDEX, podPVCIndexFunc);
    this.claimQueue = new Controller("claims", (key) => this.claimWorker(key), ctx.clock, 1);
    this.volumeQueue = new Controller("volumes", (key) => this.volumeWorker(key), ctx.clock, 1);
    const onVolume = (pv: KubeObject) => this.volumeQueue.enqueue(pv.metadata.name!);
    this.pvInformer.addEventHandler({ onAdd: onVolume, onUpdate: (_o, pv) => onVolume(pv), onDelete: onVolume });
    const onClaim = (pvc: KubeObject) => this.claimQueue.enqueue(claimKey(pvc));
    this.pvcInformer.addEventHandler({ onAdd: onClaim, onUpdate: (_o, pvc) => onClaim(pvc), onDelete: onClaim });
  }

  start(): void {
    this.stopped = false;
    // initializeCaches
    for (const pv of this.pvInformer.list()) storeObjectUpdate(this.volumes, pv.metadata.name!, pv);
    for (const pvc of this.pvcInformer.list()) storeObjectUpdate(this.claims, claimKey(pvc), pvc);
    this.claimQueue.start();
    this.volumeQueue.start();
    this.scheduleResync();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.resyncTimer?.cancel();
    await Promise.all([this.claimQueue.stop(), this.volumeQueue.stop()]);
  }

  private scheduleResync(): void {
    if (this.stopped) return;
    this.resyncTimer = this.clock.setTimer(this.resyncPeriodMs, () => {
      this.resync();
      this.scheduleResync();
    });
  }

  /** resync: every claim and volume is synced again. */
  resync(): void {
    for (const pvc of this.pvcInformer.list()) this.claimQueue.enqueue(claimKey(pvc));
    for (const pv of this.pvInformer.list()) this.volumeQueue.enqueue(pv.metadata.name!);
  }

  private getClass(name: string): KubeObject | undefined {
    return this.classInformer.get("", name);
  }

  // ---- workers ----

  private async claimWorker(key: string): Promise<void> {
    const { namespace, name } = splitKey(key);
    const claim = this.pvcInformer.get(namespace, name);
    if (claim) {
      if (!storeObjectUpdate(this.claims, key, claim)) return;
      await this.logErrors(() => this.syncClaim(claim));
      return;
    }
    const cached = this.claims.get(key);
    if (cached) this.deleteClaim(cached);
  }

  private async volumeWorker(name: string): Promise<void> {
    const volume = this.pvInformer.get("", name);
    if (volume) {
      if (!storeObjectUpdate(this.volumes, name, volume)) return;
      await this.logErrors(() => this.syncVolume(volume));
      return;
    }
    const cached = this.volumes.get(name);
    if (cached) this.deleteVolume(cached);
  }

  /** Errors are not retried here: the next event or the periodic resync syncs the object again. */
  private async logErrors(fn: () => Promise<void>): Promise<void> {
    try {
      await fn();
    } catch (err) {
      if (this.stopped || isConflict(err) || isNotFound(err)) return;
      console.error(`kubefacade: ${this.name}: ${(err as Error).message}`);
    }
  }

  private deleteClaim(claim: KubeObject): void {
    this.claims.delete(claimKey(claim));
    const volumeName = volumeNameOf(claim);
    // the volume learns at once that it is released
    if (volumeName) this.volumeQueue.enqueue(volumeName);
  }

  private deleteVolume(volume: KubeObject): void {
    this.volumes.delete(volume.metadata.name!);
    const ref = claimRefOf(volume);
    // the claim learns at once that it is lost
    if (ref) this.claimQueue.enqueue(claimRefKey(ref));
  }

  // ---- claims ----

  async syncClaim(claim: KubeObject): Promise<void> {
    claim = await this.updateClaimMigrationAnnotations(claim);
    if (!hasAnnotation(claim, ANN_BIND_COMPLETED)) return this.syncUnboundClaim(claim);
    return this.syncBoundClaim(claim);
  }

  private async syncUnboundClaim(claim: KubeObject): Promise<void> {
    const volumeName = volumeNameOf(claim);
    if (!volumeName) {
      const delayBinding = isDelayBindingMode(claim, (n) => this.getClass(n));
      const volume = findBestMatchForClaim(claim, this.volumes.values(), delayBinding);
      if (!volume) {
        if (await this.assignDefaultStorageClass(claim)) return;
        if (delayBinding && !isDelayBindingProvisioning(claim)) {
          this.emitEventForUnboundDelayBindingClaim(claim);
        } else if (claimClass(claim) !== "") {
          // provisioning runs (or is requested); the next sync binds what it makes
          await this.provisionClaim(claim);
          return;
        } else {
          this.recorder.event(claim, "Normal", "FailedBinding", "no persistent volumes available for this claim and no storage class is set");
        }
        await this.updateClaimStatus(claim, "Pending", undefined);
        return;
      }
      await this.bind(volume, claim);
      return;
    }
    // the user asked for a specific volume
    const volume = this.volumes.get(volumeName);
    if (!volume) {
      await this.updateClaimStatus(claim, "Pending", undefined);
      return;
    }
    const ref = claimRefOf(volume);
    if (!ref) {
      const mismatch = checkVolumeSatisfyClaim(volume, claim);
      if (mismatch) {
        this.recorder.event(claim, "Warning", "VolumeMismatch", `Cannot bind to requested volume "${volume.metadata.name}": ${mismatch}`);
        await this.updateClaimStatus(claim, "Pending", undefined);
        return;
      }
      await this.bind(volume, claim);
      return;
    }
    if (isVolumeBoundToClaim(volume, claim)) {
      // finish the binding: the claim UID goes into the claimRef
      await this.bind(volume, claim);
      return;
    }
    const msg = `volume "${volume.metadata.name}" already bound to a different claim.`;
    this.recorder.event(claim, "Warning", "FailedBinding", msg);
    if (!hasAnnotation(claim, ANN_BOUND_BY_CONTROLLER)) {
      await this.updateClaimStatus(claim, "Pending", undefined);
      return;
    }
    throw new Error(`invalid binding of claim "${claimKey(claim)}" to volume "${volumeName}": volume already claimed by "${claimRefKey(ref)}"`);
  }

  private async syncBoundClaim(claim: KubeObject): Promise<void> {
    const volumeName = volumeNameOf(claim);
    if (!volumeName) {
      await this.updateClaimStatusWithEvent(claim, "Lost", undefined, "Warning", "ClaimLost", "Bound claim has lost reference to PersistentVolume. Data on the volume is lost!");
      return;
    }
    const volume = this.volumes.get(volumeName);
    if (!volume) {
      await this.updateClaimStatusWithEvent(claim, "Lost", undefined, "Warning", "ClaimLost", "Bound claim has lost its PersistentVolume. Data on the volume is lost!");
      return;
    }
    const ref = claimRefOf(volume);
    if (!ref || ref.uid === claim.metadata.uid) {
      // volume came unbound (or all is well): bind() sets whatever is missing
      await this.bind(volume, claim);
      return;
    }
    await this.updateClaimStatusWithEvent(claim, "Lost", undefined, "Warning", "ClaimMisbound", "Two claims are bound to the same volume, this one is bound incorrectly");
  }

  /** emitEventForUnboundDelayBindingClaim */
  private emitEventForUnboundDelayBindingClaim(claim: KubeObject): void {
    const pods = this.findNonScheduledPodsByPVC(claim);
    if (pods.length === 0) {
      this.recorder.event(claim, "Normal", "WaitForFirstConsumer", "waiting for first consumer to be created before binding");
      return;
    }
    const message = pods.length > 1 ? `waiting for pods ${pods.join(",")} to be scheduled` : `waiting for pod ${pods[0]} to be scheduled`;
    this.recorder.event(claim, "Normal", "WaitForPodScheduled", message);
  }

  private podsUsingClaim(key: string): KubeObject[] {
    return this.podInformer.byIndex(POD_PVC_INDEX, key);
  }

  private findNonScheduledPodsByPVC(claim: KubeObject): string[] {
    return this.podsUsingClaim(claimKey(claim))
      .filter((p) => !isPodTerminated(p) && !specOf(p).nodeName)
      .map((p) => p.metadata.name!);
  }

  /** isVolumeUsed: the non-terminated pods (namespace/name, sorted) using the volume's claim. */
  private volumeUsers(volume: KubeObject): string[] {
    const ref = claimRefOf(volume);
    if (!ref) return [];
    const names = new Set(
      this.podsUsingClaim(claimRefKey(ref))
        .filter((p) => !isPodTerminated(p))
        .map((p) => `${p.metadata.namespace}/${p.metadata.name}`),
    );
    return [...names].sort();
  }

  /** assignDefaultStorageClass: a claim without any class gets the default one (retroactively). */
  private async assignDefaultStorageClass(claim: KubeObject): Promise<boolean> {
    if (claimHasClass(claim)) return false;
    const def = defaultStorageClass(this.classInformer.list());
    if (!def) return false;
    const clone = deepCopy(claim);
    (clone.spec as Json).storageClassName = def.metadata.name;
    await this.client.update(R.persistentvolumeclaims, clone.metadata.namespace!, clone);
    return true;
  }

  // ---- volumes ----

  async syncVolume(volume: KubeObject): Promise<void> {
    volume = await this.updateVolumeMigrationAnnotationsAndFinalizers(volume);
    const ref = claimRefOf(volume);
    if (!ref || !ref.uid) {
      // unused, or reserved for a claim that has not been bound to it yet
      await this.updateVolumePhase(volume, "Available", "");
      return;
    }
    let claim: KubeObject | undefined = this.claims.get(claimRefKey(ref));
    if (!claim && phaseOf(volume) !== "Released" && phaseOf(volume) !== "Failed") {
      // a provisioner or the scheduler may have been faster than our cache: ask the informer, then the API
      claim = this.pvcInformer.get(ref.namespace ?? "", ref.name ?? "") ?? (await this.getClaimLive(ref.namespace ?? "", ref.name ?? ""));
    }
    if (claim && claim.metadata.uid !== ref.uid) {
      // the cached claim may be older than the claimRef: the API decides
      claim = await this.getClaimLive(ref.namespace ?? "", ref.name ?? "");
      if (claim && claim.metadata.uid !== ref.uid) claim = undefined;
    }
    if (!claim) {
      if (phaseOf(volume) !== "Released" && phaseOf(volume) !== "Failed") volume = await this.updateVolumePhase(volume, "Released", "");
      await this.reclaimVolume(volume);
      return;
    }
    const claimVolume = volumeNameOf(claim);
    if (!claimVolume) {
      if (volumeModeMismatch(claim, volume)) {
        this.recorder.event(volume, "Warning", "VolumeMismatch", `Cannot bind PersistentVolume to requested PersistentVolumeClaim "${claim.metadata.name}" due to incompatible volumeMode.`);
        this.recorder.event(claim, "Warning", "VolumeMismatch", `Cannot bind PersistentVolume "${volume.metadata.name}" to requested PersistentVolumeClaim due to incompatible volumeMode.`);
        return;
      }
      // the claim sync finishes the binding (how provisioned volumes get bound)
      this.claimQueue.enqueue(claimKey(claim));
      return;
    }
    if (claimVolume === volume.metadata.name) {
      await this.updateVolumePhase(volume, "Bound", "");
      return;
    }
    // the claim is bound to another volume
    if (hasAnnotation(volume, ANN_DYNAMICALLY_PROVISIONED) && specOf(volume).persistentVolumeReclaimPolicy === "Delete") {
      if (phaseOf(volume) !== "Released" && phaseOf(volume) !== "Failed") volume = await this.updateVolumePhase(volume, "Released", "");
      await this.reclaimVolume(volume);
      return;
    }
    // bound by us: undo it; pre-bound by the user: keep the reservation, drop the UID
    await this.unbindVolume(volume);
  }

  private async getClaimLive(namespace: string, name: string): Promise<KubeObject | undefined> {
    try {
      return await this.client.get(R.persistentvolumeclaims, namespace, name);
    } catch (err) {
      if (isNotFound(err)) return undefined;
      throw err;
    }
  }

  // ---- writes ----

  private async updateClaimStatus(claim: KubeObject, phase: string, volume: KubeObject | undefined): Promise<KubeObject> {
    const status = statusOf(claim);
    const clone = deepCopy(claim);
    const next = { ...statusOf(clone) };
    let dirty = false;
    if (status.phase !== phase) {
      next.phase = phase;
      dirty = true;
    }
    if (!volume) {
      if (next.accessModes !== undefined) {
        delete next.accessModes;
        dirty = true;
      }
      if (next.capacity !== undefined) {
        delete next.capacity;
        dirty = true;
      }
    } else {
      const modes = specOf(volume).accessModes;
      if (JSON.stringify(status.accessModes ?? null) !== JSON.stringify(modes ?? null)) {
        if (modes === undefined) delete next.accessModes;
        else next.accessModes = deepCopy(modes);
        dirty = true;
      }
      // capacity only when the claim becomes Bound: a difference may be intended (filesystem resize)
      if (status.phase !== phase) {
        const capacity = (specOf(volume).capacity ?? undefined) as Json | undefined;
        if (!capacity || capacity.storage === undefined) throw new Error(`PersistentVolume "${volume.metadata.name}" is without a storage capacity`);
        const pre = annotationsOf(volume)["volume.alpha.kubernetes.io/pre-resize-capacity"];
        const claimCap = (status.capacity as Json | undefined)?.storage;
        if (pre !== undefined) {
          next.capacity = { ...((next.capacity as Json | undefined) ?? {}), storage: pre };
          dirty = true;
        } else if (claimCap === undefined || volumeCapacity(volume) !== parseQuantity(claimCap)) {
          next.capacity = deepCopy(capacity);
          dirty = true;
        }
      }
    }
    if (!dirty) return claim;
    clone.status = next;
    const saved = await this.client.update(R.persistentvolumeclaims, clone.metadata.namespace!, clone, { subresource: "status" });
    storeObjectUpdate(this.claims, claimKey(saved), saved);
    return saved;
  }

  private async updateClaimStatusWithEvent(
    claim: KubeObject,
    phase: string,
    volume: KubeObject | undefined,
    type: "Normal" | "Warning",
    reason: string,
    message: string,
  ): Promise<KubeObject> {
    if (phaseOf(claim) === phase) return claim;
    const saved = await this.updateClaimStatus(claim, phase, volume);
    this.recorder.event(saved, type, reason, message);
    return saved;
  }

  private async updateVolumePhase(volume: KubeObject, phase: string, message: string): Promise<KubeObject> {
    if (phaseOf(volume) === phase) return volume;
    const clone = deepCopy(volume);
    const status: Json = { ...statusOf(clone), phase };
    if (message) status.message = message;
    else delete status.message;
    clone.status = status;
    const saved = await this.client.update(R.persistentvolumes, "", clone, { subresource: "status" });
    storeObjectUpdate(this.volumes, saved.metadata.name!, saved);
    return saved;
  }

  private async updateVolumePhaseWithEvent(volume: KubeObject, phase: string, type: "Normal" | "Warning", reason: string, message: string): Promise<KubeObject> {
    if (phaseOf(volume) === phase) return volume;
    const saved = await this.updateVolumePhase(volume, phase, message);
    this.recorder.event(saved, type, reason, message);
    return saved;
  }

  /** bindVolumeToClaim (GetBindVolumeToClaim + update): the volume side of a binding. */
  private async bindVolumeToClaim(volume: KubeObject, claim: KubeObject): Promise<KubeObject> {
    const setBoundByController = !isVolumeBoundToClaim(volume, claim);
    const clone = deepCopy(volume);
    let dirty = false;
    const ref = claimRefOf(volume);
    if (!ref || ref.name !== claim.metadata.name || ref.namespace !== claim.metadata.namespace || ref.uid !== claim.metadata.uid) {
      (clone.spec as Json).claimRef = claimReference(claim);
      dirty = true;
    }
    if (setBoundByController && !hasAnnotation(clone, ANN_BOUND_BY_CONTROLLER)) {
      setAnnotation(clone, ANN_BOUND_BY_CONTROLLER, "yes");
      dirty = true;
    }
    if (!dirty) return volume;
    const saved = await this.client.update(R.persistentvolumes, "", clone);
    storeObjectUpdate(this.volumes, saved.metadata.name!, saved);
    return saved;
  }

  /** bindClaimToVolume: the claim side (volumeName and the two annotations). */
  private async bindClaimToVolume(claim: KubeObject, volume: KubeObject): Promise<KubeObject> {
    const clone = deepCopy(claim);
    let dirty = false;
    if (volume.metadata.name !== volumeNameOf(claim)) {
      (clone.spec as Json).volumeName = volume.metadata.name;
      if (!hasAnnotation(clone, ANN_BOUND_BY_CONTROLLER)) setAnnotation(clone, ANN_BOUND_BY_CONTROLLER, "yes");
      dirty = true;
    }
    if (!hasAnnotation(clone, ANN_BIND_COMPLETED)) {
      setAnnotation(clone, ANN_BIND_COMPLETED, "yes");
      dirty = true;
    }
    if (!dirty) return claim;
    const saved = await this.client.update(R.persistentvolumeclaims, clone.metadata.namespace!, clone);
    storeObjectUpdate(this.claims, claimKey(saved), saved);
    return saved;
  }

  /** bind: volume first (spec, then phase), then the claim (spec, then status). */
  private async bind(volume: KubeObject, claim: KubeObject): Promise<void> {
    volume = await this.bindVolumeToClaim(volume, claim);
    volume = await this.updateVolumePhase(volume, "Bound", "");
    claim = await this.bindClaimToVolume(claim, volume);
    await this.updateClaimStatus(claim, "Bound", volume);
  }

  /** unbindVolume: rolls back a binding (ours entirely; a user's pre-binding keeps its name). */
  private async unbindVolume(volume: KubeObject): Promise<void> {
    const clone = deepCopy(volume);
    if (hasAnnotation(volume, ANN_BOUND_BY_CONTROLLER)) {
      delete (clone.spec as Json).claimRef;
      const ann = { ...(clone.metadata.annotations ?? {}) };
      delete ann[ANN_BOUND_BY_CONTROLLER];
      if (Object.keys(ann).length) clone.metadata.annotations = ann;
      else delete clone.metadata.annotations;
    } else {
      const ref = { ...(claimRefOf(clone) ?? {}) };
      delete ref.uid;
      (clone.spec as Json).claimRef = ref;
    }
    const saved = await this.client.update(R.persistentvolumes, "", clone);
    storeObjectUpdate(this.volumes, saved.metadata.name!, saved);
    await this.updateVolumePhase(saved, "Available", "");
  }

  // ---- reclaiming ----

  private async reclaimVolume(volume: KubeObject): Promise<void> {
    // a migrated volume is the CSI driver's
    if (annotationsOf(volume)[ANN_MIGRATED_TO]) return;
    switch (specOf(volume).persistentVolumeReclaimPolicy) {
      case "Retain":
        return;
      case "Recycle":
        return this.recycleVolume(volume);
      case "Delete":
        return this.deleteVolumeOperation(volume);
      default:
        await this.updateVolumePhaseWithEvent(volume, "Failed", "Warning", "VolumeUnknownReclaimPolicy", "Volume has unrecognized PersistentVolumeReclaimPolicy");
    }
  }

  /** isVolumeReleased: bound to a claim that is gone (or bound elsewhere). */
  private isVolumeReleased(volume: KubeObject): boolean {
    const ref = claimRefOf(volume);
    if (!ref || !ref.uid) return false;
    const claim = this.claims.get(claimRefKey(ref));
    if (claim && claim.metadata.uid === ref.uid) {
      const bound = volumeNameOf(claim);
      return bound !== "" && bound !== volume.metadata.name;
    }
    return true;
  }

  private async recycleVolume(volume: KubeObject): Promise<void> {
    if (!this.isVolumeReleased(volume)) return;
    const ref = claimRefOf(volume);
    const users = this.volumeUsers(volume);
    if (users.length > 0 && !(ref && this.claims.has(claimRefKey(ref)))) {
      this.recorder.event(volume, "Normal", "VolumeFailedRecycle", `Volume is used by pods: ${users.join(",")}`);
      return;
    }
    const spec = specOf(volume);
    if (!spec.hostPath && !spec.nfs) {
      await this.updateVolumePhaseWithEvent(volume, "Failed", "Warning", "VolumeFailedRecycle", "No recycler plugin found for the volume!");
      return;
    }
    // the recycler (a scrubbing pod upstream) leaves the volume empty and free again
    this.recorder.event(volume, "Normal", "VolumeRecycled", "Volume recycled");
    await this.unbindVolume(volume);
  }

  /** deleteVolumeOperation: in-tree deletion here, external provisioners delete their own volumes. */
  private async deleteVolumeOperation(volume: KubeObject): Promise<void> {
    const current = this.volumes.get(volume.metadata.name!) ?? volume;
    if (!this.isVolumeReleased(current)) return;
    let deleted: boolean;
    try {
      deleted = await this.doDeleteVolume(current);
    } catch (err) {
      await this.updateVolumePhaseWithEvent(current, "Failed", "Warning", "VolumeFailedDelete", (err as Error).message);
      return;
    }
    if (!deleted) return;
    try {
      await this.client.delete(R.persistentvolumes, "", current.metadata.name!);
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
  }

  /** doDeleteVolume: true when an in-tree deleter removed the storage, false for external deleters. */
  private async doDeleteVolume(volume: KubeObject): Promise<boolean> {
    const spec = specOf(volume);
    const provisionedBy = annotationsOf(volume)[ANN_DYNAMICALLY_PROVISIONED];
    let plugin: string | undefined;
    if (provisionedBy) {
      if (!provisionedBy.startsWith("kubernetes.io/")) return false;
      if (provisionedBy !== HOST_PATH_PLUGIN) throw new Error(`no volume plugin matched name: ${provisionedBy}`);
      plugin = HOST_PATH_PLUGIN;
    } else {
      if (spec.csi) return false;
      if (!spec.hostPath) throw new Error(`error getting deleter volume plugin for volume "${volume.metadata.name}": no deletable volume plugin matched`);
      plugin = HOST_PATH_PLUGIN;
    }
    if (plugin === HOST_PATH_PLUGIN) {
      const path = String((spec.hostPath as Json | undefined)?.path ?? "");
      if (!/\/tmp\/.+/.test(path)) throw new Error(`host_path deleter only supports /tmp/.+ but received provided ${path}`);
    }
    await this.removeDeletionProtectionFinalizer(volume);
    return true;
  }

  private async removeDeletionProtectionFinalizer(volume: KubeObject): Promise<void> {
    const current = await this.client.get(R.persistentvolumes, "", volume.metadata.name!);
    const finalizers = current.metadata.finalizers ?? [];
    if (!finalizers.includes(PV_DELETION_IN_TREE_PROTECTION_FINALIZER)) return;
    const clone = deepCopy(current);
    clone.metadata.finalizers = finalizers.filter((f) => f !== PV_DELETION_IN_TREE_PROTECTION_FINALIZER);
    const saved = await this.client.update(R.persistentvolumes, "", clone);
    storeObjectUpdate(this.volumes, saved.metadata.name!, saved);
  }

  // ---- provisioning ----

  /** provisionClaim: asks the class's provisioner for a volume. */
  private async provisionClaim(claim: KubeObject): Promise<void> {
    if (!this.enableDynamicProvisioning) return;
    const className = claimClass(claim);
    const sc = this.getClass(className);
    if (!sc) {
      this.recorder.event(claim, "Warning", "ProvisioningFailed", `storageclass.storage.k8s.io "${className}" not found`);
      return;
    }
    const provisioner = typeof sc.provisioner === "string" ? sc.provisioner : "";
    const migratedTo = CSI_MIGRATED_PLUGINS[provisioner];
    if (migratedTo || !provisioner.startsWith("kubernetes.io/")) return this.provisionClaimOperationExternal(claim, migratedTo ?? provisioner);
    if (provisioner !== HOST_PATH_PLUGIN) {
      this.recorder.event(claim, "Warning", "ProvisioningFailed", `no volume plugin matched name: ${provisioner}`);
      return;
    }
    // the in-tree hostPath provisioner exists but is off (--enable-hostpath-provisioner=false)
    if (claim.spec && (claim.spec as Json).dataSource) {
      const msg = `plugin "${HOST_PATH_PLUGIN}" is not a CSI plugin. Only CSI plugin can provision a claim with a datasource`;
      this.recorder.event(claim, "Warning", "ProvisioningFailed", msg);
      return;
    }
    await this.setClaimProvisioner(claim, provisioner);
    this.recorder.event(claim, "Warning", "ProvisioningFailed", `Failed to create provisioner: provisioning in volume plugin "${HOST_PATH_PLUGIN}" is disabled`);
  }

  private async provisionClaimOperationExternal(claim: KubeObject, provisionerName: string): Promise<void> {
    let saved: KubeObject;
    try {
      saved = await this.setClaimProvisioner(claim, provisionerName);
    } catch (err) {
      this.recorder.event(claim, "Warning", "ProvisioningFailed", `Error saving claim: ${(err as Error).message}`);
      throw err;
    }
    this.recorder.event(
      saved,
      "Normal",
      "ExternalProvisioning",
      `Waiting for a volume to be created either by the external provisioner '${provisionerName}' or manually by the system administrator. If volume creation is delayed, please verify that the provisioner is running and correctly registered.`,
    );
  }

  /** setClaimProvisioner: both provisioner annotations (and migrated-to) on the claim. */
  private async setClaimProvisioner(claim: KubeObject, provisionerName: string): Promise<KubeObject> {
    if (annotationsOf(claim)[ANN_STORAGE_PROVISIONER] === provisionerName) return claim;
    const clone = deepCopy(claim);
    setAnnotation(clone, ANN_BETA_STORAGE_PROVISIONER, provisionerName);
    setAnnotation(clone, ANN_STORAGE_PROVISIONER, provisionerName);
    updateMigrationAnnotations(clone, true);
    const saved = await this.client.update(R.persistentvolumeclaims, clone.metadata.namespace!, clone);
    storeObjectUpdate(this.claims, claimKey(saved), saved);
    return saved;
  }

  private async updateClaimMigrationAnnotations(claim: KubeObject): Promise<KubeObject> {
    const clone = deepCopy(claim);
    if (!updateMigrationAnnotations(clone, true)) return claim;
    const saved = await this.client.update(R.persistentvolumeclaims, clone.metadata.namespace!, clone);
    storeObjectUpdate(this.claims, claimKey(saved), saved);
    return saved;
  }

  private async updateVolumeMigrationAnnotationsAndFinalizers(volume: KubeObject): Promise<KubeObject> {
    const clone = deepCopy(volume);
    const annChanged = updateMigrationAnnotations(clone, false);
    const finalizers = modifyDeletionFinalizers(clone);
    if (!annChanged && !finalizers) return volume;
    if (finalizers) clone.metadata.finalizers = finalizers;
    const saved = await this.client.update(R.persistentvolumes, "", clone);
    storeObjectUpdate(this.volumes, saved.metadata.name!, saved);
    return saved;
  }
}

/** checkVolumeSatisfyClaim: why a requested volume cannot serve the claim, undefined when it can. */
export function checkVolumeSatisfyClaim(volume: KubeObject, claim: KubeObject): string | undefined {
  if (volume.metadata.deletionTimestamp) return `the volume is marked for deletion "${volume.metadata.name}"`;
  if (volumeCapacity(volume) < requestedStorage(claim)) return "requested PV is too small";
  if (volumeClass(volume) !== claimClass(claim)) return "storageClassName does not match";
  if (volumeModeMismatch(claim, volume)) return "incompatible volumeMode";
  if (!checkAccessModes(claim, volume)) return "incompatible accessMode";
  return undefined;
}

/**
 * updateMigrationAnnotations: pv.kubernetes.io/migrated-to follows the provisioner (claims: the
 * storage-provisioner annotations; volumes: provisioned-by). Returns whether anything changed.
 */
export function updateMigrationAnnotations(o: KubeObject, claim: boolean): boolean {
  const ann = o.metadata.annotations;
  if (!ann) return false;
  const provisioner = claim ? (ann[ANN_STORAGE_PROVISIONER] ?? ann[ANN_BETA_STORAGE_PROVISIONER]) : ann[ANN_DYNAMICALLY_PROVISIONED];
  if (provisioner === undefined) return false;
  const driver = CSI_MIGRATED_PLUGINS[provisioner];
  const current = ann[ANN_MIGRATED_TO];
  if (driver) {
    if (current !== driver) {
      o.metadata.annotations = { ...ann, [ANN_MIGRATED_TO]: driver };
      return true;
    }
    return false;
  }
  if (current) {
    const next = { ...ann };
    delete next[ANN_MIGRATED_TO];
    o.metadata.annotations = next;
    return true;
  }
  return false;
}

/** modifyDeletionFinalizers: the new finalizer list, undefined when unchanged. */
export function modifyDeletionFinalizers(volume: KubeObject): string[] | undefined {
  const provisioner = annotationsOf(volume)[ANN_DYNAMICALLY_PROVISIONED];
  if (provisioner === undefined) return undefined;
  let out = [...(volume.metadata.finalizers ?? [])];
  let modified = false;
  if (CSI_MIGRATED_PLUGINS[provisioner]) {
    if (out.includes(PV_DELETION_IN_TREE_PROTECTION_FINALIZER)) {
      out = out.filter((f) => f !== PV_DELETION_IN_TREE_PROTECTION_FINALIZER);
      modified = true;
    }
    return modified ? out : undefined;
  }
  if (!provisioner.startsWith("kubernetes.io/")) return undefined;
  const policy = specOf(volume).persistentVolumeReclaimPolicy;
  if (policy === "Delete" && !out.includes(PV_DELETION_IN_TREE_PROTECTION_FINALIZER)) {
    out.push(PV_DELETION_IN_TREE_PROTECTION_FINALIZER);
    modified = true;
  } else if ((policy === "Retain" || policy === "Recycle") && out.includes(PV_DELETION_IN_TREE_PROTECTION_FINALIZER)) {
    out = out.filter((f) => f !== PV_DELETION_IN_TREE_PROTECTION_FINALIZER);
    modified = true;
  }
  if (out.includes(PV_DELETION_PROTECTION_FINALIZER)) {
    out = out.filter((f) => f !== PV_DELETION_PROTECTION_FINALIZER);
    modified = true;
  }
  return modified ? out : undefined;
}
