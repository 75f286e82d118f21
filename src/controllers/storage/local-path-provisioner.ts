// A simulated rancher.io/local-path provisioner, the external provisioner behind kind's default
// `standard` StorageClass (rancher/local-path-provisioner on sig-storage-lib-external-provisioner):
// - a claim whose volume.kubernetes.io/storage-provisioner names it (set by the PV controller) and
//   whose class is WaitForFirstConsumer is provisioned once the scheduler has set
//   volume.kubernetes.io/selected-node; Immediate classes are provisioned at once on a node picked
//   from the claim's UID (the real provisioner refuses them: "configuration error, no node was
//   specified"; here they work, so a cluster without a scheduler can still bind volumes);
// - the PV `pvc-<claim uid>` is a hostPath directory /var/local-path-provisioner/<pv>_<ns>_<claim>
//   (DirectoryOrCreate) pinned to the node by kubernetes.io/hostname node affinity, with the claim's
//   access modes, requested size and volumeMode, the class's reclaim policy, pre-bound to the claim
//   (the PV controller completes the binding); events Provisioning and ProvisioningSucceeded (or
//   ProvisioningFailed) come from "rancher.io/local-path_<provisioner pod>_<uuid>";
// - a Released volume it made with reclaim policy Delete is deleted (the directory with it).
import { randomUUID } from "node:crypto";
import { ApiError } from "../../apimachinery/errors.js";
import type { KubeObject } from "../../apimachinery/types.js";
import { R, type Client } from "../../client/interface.js";
import type { SharedInformer } from "../../client/informers/shared-informer.js";
import type { ControllerContext } from "../../controlplane/context.js";
import { deepCopy } from "../../storage/codec.js";
import { Controller, type Runnable, splitKey } from "../runtime/controller.js";
import type { EventRecorder } from "../runtime/events.js";
import {
  ANN_BETA_STORAGE_PROVISIONER,
  ANN_DYNAMICALLY_PROVISIONED,
  ANN_SELECTED_NODE,
  ANN_STORAGE_PROVISIONER,
  annotationsOf,
  bindingModeOf,
  claimClass,
  claimKey,
  claimReference,
  phaseOf,
  specOf,
  volumeNameOf,
} from "./helpers.js";

export const LOCAL_PATH_PROVISIONER = "rancher.io/local-path";
export const LOCAL_PATH_BASE = "/var/local-path-provisioner";
/** Set by local-path-provisioner on the volumes it makes. */
export const ANN_LOCAL_PATH_SELECTED_NODE = "local.path.provisioner/selected-node";
export const LOCAL_PATH_NAMESPACE = "local-path-storage";
export const LOCAL_PATH_SERVICE_ACCOUNT = "local-path-provisioner-service-account";
const KEY_NODE = "kubernetes.io/hostname";
const WORKERS = 4;

type Json = Record<string, unknown>;

const SAFE = "bcdfghjklmnpqrstvwxz2456789";
const randomSafe = (n: number): string => Array.from({ length: n }, () => SAFE[Math.floor(Math.random() * SAFE.length)]).join("");

/** The provisioner's event source: <provisioner>_<its pod's name>_<uuid>, as the library names it. */
export function provisionerIdentity(): string {
  return `${LOCAL_PATH_PROVISIONER}_local-path-provisioner-${randomSafe(10)}-${randomSafe(5)}_${randomUUID()}`;
}

/** A deterministic pick among names for a claim (Immediate binding, no scheduler input). */
function pick(names: string[], seed: string): string | undefined {
  if (names.length === 0) return undefined;
  let h = 0;
  for (const ch of seed) h = (h * 31 + ch.charCodeAt(0)) >>> 0;
  return names[h % names.length];
}

class ProvisioningError extends Error {}

export class LocalPathProvisioner implements Runnable {
  readonly name = "local-path-provisioner";
  readonly identity: string;
  private readonly client: Client;
  private readonly recorder: EventRecorder;
  private readonly pvcs: SharedInformer;
  private readonly pvs: SharedInformer;
  private readonly classes: SharedInformer;
  private readonly nodes: SharedInformer;
  readonly claimQueue: Controller;
  readonly volumeQueue: Controller;
  /** Volumes created whose informer event has not arrived yet. */
  private readonly created = new Set<string>();

  constructor(ctx: ControllerContext, identity = provisionerIdentity()) {
    this.identity = identity;
    this.client = ctx.clientFor("local-path-provisioner", {
      username: `system:serviceaccount:${LOCAL_PATH_NAMESPACE}:${LOCAL_PATH_SERVICE_ACCOUNT}`,
      groups: ["system:serviceaccounts", `system:serviceaccounts:${LOCAL_PATH_NAMESPACE}`, "system:authenticated"],
    });
    this.recorder = ctx.recorder(identity);
    this.pvcs = ctx.informers.informerFor(R.persistentvolumeclaims);
    this.pvs = ctx.informers.informerFor(R.persistentvolumes);
    this.classes = ctx.informers.informerFor(R.storageclasses);
    this.nodes = ctx.informers.informerFor(R.nodes);
    this.claimQueue = new Controller("local-path-claims", (key) => this.syncClaim(key), ctx.clock, WORKERS);
    this.volumeQueue = new Controller("local-path-volumes", (key) => this.syncVolume(key), ctx.clock, 1);
    const onClaim = (pvc: KubeObject) => {
      if (this.wants(pvc)) this.claimQueue.enqueue(claimKey(pvc));
    };
    this.pvcs.addEventHandler({ onAdd: onClaim, onUpdate: (_o, pvc) => onClaim(pvc) });
    const onVolume = (pv: KubeObject) => {
      this.created.delete(pv.metadata.name!);
      if (annotationsOf(pv)[ANN_DYNAMICALLY_PROVISIONED] === LOCAL_PATH_PROVISIONER) this.volumeQueue.enqueue(pv.metadata.name!);
    };
    this.pvs.addEventHandler({ onAdd: onVolume, onUpdate: (_o, pv) => onVolume(pv) });
    this.classes.addEventHandler({
      // a class appearing late releases claims waiting for it
      onAdd: () => {
        for (const pvc of this.pvcs.list()) onClaim(pvc);
      },
    });
  }

  start(): void {
    this.claimQueue.start();
    this.volumeQueue.start();
  }

  async stop(): Promise<void> {
    await Promise.all([this.claimQueue.stop(), this.volumeQueue.stop()]);
  }

  /** The claim names this provisioner and still needs a volume. */
  private wants(pvc: KubeObject): boolean {
    if (volumeNameOf(pvc)) return false;
    const ann = annotationsOf(pvc);
    return (ann[ANN_STORAGE_PROVISIONER] ?? ann[ANN_BETA_STORAGE_PROVISIONER]) === LOCAL_PATH_PROVISIONER;
  }

  /** shouldProvision (sig-storage-lib-external-provisioner). */
  private shouldProvision(pvc: KubeObject): KubeObject | undefined {
    if (!this.wants(pvc)) return undefined;
    const sc = this.classes.get("", claimClass(pvc));
    if (!sc) return undefined;
    if (bindingModeOf(sc) === "WaitForFirstConsumer" && !annotationsOf(pvc)[ANN_SELECTED_NODE]) return undefined;
    return sc;
  }

  private async syncClaim(key: string): Promise<void> {
    const { namespace, name } = splitKey(key);
    const pvc = this.pvcs.get(namespace, name);
    if (!pvc || pvc.metadata.deletionTimestamp) return;
    const sc = this.shouldProvision(pvc);
    if (!sc) return;
    const pvName = `pvc-${pvc.metadata.uid}`;
    if (this.pvs.get("", pvName) || this.created.has(pvName)) return;
    const nodeName = annotationsOf(pvc)[ANN_SELECTED_NODE];
    let node: KubeObject | undefined;
    if (nodeName) {
      node = this.nodes.get("", nodeName);
      if (!node) {
        // the node is gone: the scheduler picks again (ProvisioningReschedule)
        await this.reschedule(pvc);
        return;
      }
    }
    this.recorder.event(pvc, "Normal", "Provisioning", `External provisioner is provisioning volume for claim "${claimKey(pvc)}"`);
    let volume: KubeObject;
    try {
      if (!nodeName) node = this.nodes.get("", pick(this.nodes.list().map((n) => n.metadata.name!).sort(), pvc.metadata.uid ?? "") ?? "");
      volume = this.volumeFor(pvc, sc, pvName, node);
    } catch (err) {
      if (!(err instanceof ProvisioningError)) throw err;
      this.recorder.event(pvc, "Warning", "ProvisioningFailed", `failed to provision volume with StorageClass "${claimClass(pvc)}": ${err.message}`);
      throw err;
    }
    try {
      await this.client.create(R.persistentvolumes, "", volume);
      this.created.add(pvName);
    } catch (err) {
      if (!(err instanceof ApiError && err.reason === "AlreadyExists")) {
        this.recorder.event(pvc, "Warning", "ProvisioningFailed", `failed to provision volume with StorageClass "${claimClass(pvc)}": ${(err as Error).message}`);
        throw err;
      }
    }
    this.recorder.event(pvc, "Normal", "ProvisioningSucceeded", `Successfully provisioned volume ${pvName}`);
  }

  /** LocalPathProvisioner.Provision plus the library's claimRef, class and provisioned-by. */
  private volumeFor(pvc: KubeObject, sc: KubeObject, pvName: string, node: KubeObject | undefined): KubeObject {
    const spec = specOf(pvc);
    if (spec.selector !== undefined && spec.selector !== null) throw new ProvisioningError("claim.Spec.Selector is not supported");
    const modes = Array.isArray(spec.accessModes) ? (spec.accessModes as string[]) : [];
    for (const m of modes)
      if (m !== "ReadWriteOnce" && m !== "ReadWriteOncePod")
        throw new ProvisioningError("NodePath only supports ReadWriteOnce and ReadWriteOncePod (1.22+) access modes");
    if (!node) throw new ProvisioningError("configuration error, no node was specified");
    const nodeName = node.metadata.name!;
    const hostname = node.metadata.labels?.[KEY_NODE] ?? nodeName;
    const storage = ((spec.resources as Json | undefined)?.requests as Json | undefined)?.storage;
    const pvSpec: Json = {
      persistentVolumeReclaimPolicy: typeof sc.reclaimPolicy === "string" ? sc.reclaimPolicy : "Delete",
      accessModes: deepCopy(modes),
      volumeMode: "Filesystem",
      capacity: storage !== undefined ? { storage } : {},
      hostPath: { path: `${LOCAL_PATH_BASE}/${pvName}_${pvc.metadata.namespace}_${pvc.metadata.name}`, type: "DirectoryOrCreate" },
      nodeAffinity: { required: { nodeSelectorTerms: [{ matchExpressions: [{ key: KEY_NODE, operator: "In", values: [hostname] }] }] } },
      claimRef: claimReference(pvc),
      storageClassName: claimClass(pvc),
    };
    if (Array.isArray(sc.mountOptions)) pvSpec.mountOptions = deepCopy(sc.mountOptions);
    return {
      apiVersion: "v1",
      kind: "PersistentVolume",
      metadata: {
        name: pvName,
        annotations: { [ANN_LOCAL_PATH_SELECTED_NODE]: nodeName, [ANN_DYNAMICALLY_PROVISIONED]: LOCAL_PATH_PROVISIONER },
      },
      spec: pvSpec,
    };
  }

  private async reschedule(pvc: KubeObject): Promise<void> {
    const clone = deepCopy(pvc);
    const ann = { ...(clone.metadata.annotations ?? {}) };
    delete ann[ANN_SELECTED_NODE];
    clone.metadata.annotations = ann;
    await this.client.update(R.persistentvolumeclaims, clone.metadata.namespace!, clone);
  }

  /** shouldDelete / deleteVolumeOperation: a Released volume of ours with reclaim policy Delete goes. */
  private async syncVolume(name: string): Promise<void> {
    const pv = this.pvs.get("", name);
    if (!pv || pv.metadata.deletionTimestamp) return;
    if (annotationsOf(pv)[ANN_DYNAMICALLY_PROVISIONED] !== LOCAL_PATH_PROVISIONER) return;
    if (phaseOf(pv) !== "Released" || specOf(pv).persistentVolumeReclaimPolicy !== "Delete") return;
    try {
      await this.client.delete(R.persistentvolumes, "", name);
    } catch (err) {
      if (!(err instanceof ApiError && err.reason === "NotFound")) throw err;
    }
  }
}
