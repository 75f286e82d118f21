// Pod helpers shared by the StatefulSet and DaemonSet controllers (upstream pkg/api/v1/pod and
// pkg/controller/controller_utils.go): readiness and availability, pods from templates, owner
// references, adoption and release (ControllerRefManager), IntOrString scaling.
import { isApiError } from "../../apimachinery/errors.js";
import type { LabelSelector } from "../../apimachinery/labels.js";
import type { KubeObject, OwnerReference } from "../../apimachinery/types.js";
import type { Client, GroupVersionResourceRef } from "../../client/interface.js";
import { controllerRef } from "../runtime/owner-refs.js";

/* eslint-disable @typescript-eslint/no-explicit-any */
export type Obj = Record<string, any>;

export interface PodCondition {
  type?: string;
  status?: string;
  lastTransitionTime?: string | null;
}

export function podSpec(pod: KubeObject): Obj {
  return (pod.spec ?? {}) as Obj;
}

export function podStatus(pod: KubeObject): Obj {
  return (pod.status ?? {}) as Obj;
}

export function podPhase(pod: KubeObject): string {
  return (podStatus(pod).phase as string | undefined) ?? "";
}

export function readyCondition(pod: KubeObject): PodCondition | undefined {
  const conds = podStatus(pod).conditions as PodCondition[] | undefined;
  return conds?.find((c) => c.type === "Ready");
}

/** podutil.IsPodReady. */
export function isPodReady(pod: KubeObject): boolean {
  return readyCondition(pod)?.status === "True";
}

/** podutil.IsPodAvailable: ready for at least minReadySeconds (strictly before now). */
export function isPodAvailable(pod: KubeObject, minReadySeconds: number, nowMs: number): boolean {
  if (!isPodReady(pod)) return false;
  if (!minReadySeconds) return true;
  const t = readyCondition(pod)?.lastTransitionTime;
  if (!t) return false;
  return Date.parse(t) + minReadySeconds * 1000 < nowMs;
}

/** The time (ms, on the injected clock) at which a ready pod becomes available, if later than now. */
export function availableAt(pod: KubeObject, minReadySeconds: number): number | undefined {
  const t = readyCondition(pod)?.lastTransitionTime;
  if (!isPodReady(pod) || !minReadySeconds || !t) return undefined;
  return Date.parse(t) + minReadySeconds * 1000;
}

export function isPodTerminal(pod: KubeObject): boolean {
  const p = podPhase(pod);
  return p === "Failed" || p === "Succeeded";
}

export function isTerminating(obj: KubeObject): boolean {
  return !!obj.metadata.deletionTimestamp;
}

/** getPodsPrefix: `<name>-`, or the bare name when the dash would make it too long. */
export function podsPrefix(name: string): string {
  return name.length + 1 > 253 ? name : `${name}-`;
}

/** controller.GetPodFromTemplate: labels, annotations and finalizers of the template, its spec, generateName. */
export function podFromTemplate(template: Obj | undefined, parent: KubeObject, ref: OwnerReference | undefined): KubeObject {
  const meta = (template?.metadata ?? {}) as Obj;
  const metadata: Obj = { generateName: podsPrefix(parent.metadata.name!) };
  if (meta.labels && Object.keys(meta.labels).length) metadata.labels = { ...meta.labels };
  if (meta.annotations && Object.keys(meta.annotations).length) metadata.annotations = { ...meta.annotations };
  if (Array.isArray(meta.finalizers) && meta.finalizers.length) metadata.finalizers = [...meta.finalizers];
  if (ref) metadata.ownerReferences = [{ ...ref }];
  return {
    apiVersion: "v1",
    kind: "Pod",
    metadata,
    spec: structuredClone(template?.spec ?? {}),
  };
}

/** intstr.GetScaledValueFromIntOrPercent. */
export function scaledValue(v: unknown, total: number, roundUp: boolean): number {
  if (v === undefined || v === null) return 0;
  if (typeof v === "number") return v;
  if (typeof v === "string") {
    const m = /^(-?\d+)%$/.exec(v);
    if (!m) throw new Error("invalid value for IntOrString: invalid type: string is not a percentage");
    const pct = Number(m[1]);
    const x = (pct * total) / 100;
    return roundUp ? Math.ceil(x) : Math.floor(x);
  }
  throw new Error("invalid value for IntOrString: invalid type: neither int nor percentage");
}

export function isNotFound(err: unknown): boolean {
  return isApiError(err) && err.code === 404;
}

export function isAlreadyExists(err: unknown): boolean {
  return isApiError(err) && err.code === 409 && err.reason === "AlreadyExists";
}

export function isConflict(err: unknown): boolean {
  return isApiError(err) && err.code === 409 && err.reason === "Conflict";
}

/** apierrors.HasStatusCause(err, NamespaceTerminatingCause). */
export function isNamespaceTerminating(err: unknown): boolean {
  return isApiError(err) && !!err.details?.causes?.some((c) => c.reason === "NamespaceTerminating");
}

/**
 * The ControllerRefManager's claim (upstream ClaimPods / ClaimControllerRevisions): objects owned
 * by the owner that no longer match are released, matching orphans are adopted (unless the owner
 * is being deleted). Returns the objects the owner controls afterwards.
 */
export async function claimObjects(opts: {
  client: Client;
  gvr: GroupVersionResourceRef;
  owner: KubeObject;
  selector: LabelSelector;
  /** Owned and orphan candidates (from an informer index). */
  candidates: KubeObject[];
  /** An extra membership test (StatefulSet: the pod's name belongs to the set). */
  filter?: (obj: KubeObject) => boolean;
  /** Rechecks, uncached, that the owner may still adopt (RecheckDeletionTimestamp). */
  canAdopt: () => Promise<boolean>;
}): Promise<KubeObject[]> {
  const { client, gvr, owner, selector, filter } = opts;
  const uid = owner.metadata.uid!;
  const match = (o: KubeObject) => selector.matches(o.metadata.labels) && (!filter || filter(o));
  const claimed: KubeObject[] = [];
  let adoptChecked: boolean | undefined;
  for (const obj of opts.candidates) {
    const ref = controllerRef(obj);
    if (ref) {
      if (ref.uid !== uid) continue;
      if (match(obj)) {
        claimed.push(obj);
        continue;
      }
      // owned but no longer selected: release (unless the owner is going away)
      if (owner.metadata.deletionTimestamp) continue;
      try {
        await client.patch(gvr, obj.metadata.namespace ?? "", obj.metadata.name!, "strategic", {
          metadata: { ownerReferences: [{ $patch: "delete", uid }], uid: obj.metadata.uid },
        });
      } catch (err) {
        if (!isNotFound(err) && !(isApiError(err) && err.code === 422)) throw err;
      }
      continue;
    }
    // an orphan
    if (owner.metadata.deletionTimestamp || !match(obj) || obj.metadata.deletionTimestamp) continue;
    if (adoptChecked === undefined) adoptChecked = await opts.canAdopt();
    if (!adoptChecked) continue;
    try {
      const adopted = await client.patch(gvr, obj.metadata.namespace ?? "", obj.metadata.name!, "strategic", {
        metadata: {
          ownerReferences: [{ apiVersion: owner.apiVersion, kind: owner.kind, name: owner.metadata.name, uid, controller: true, blockOwnerDeletion: true }],
          uid: obj.metadata.uid,
        },
      });
      claimed.push(adopted);
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
  }
  return claimed;
}

/** The index function upstream's AddPodControllerUIDIndexer installs (orphans by namespace here). */
export function controllerUIDIndex(obj: KubeObject): string[] {
  const ref = controllerRef(obj);
  if (ref) return [ref.uid];
  return [`${ORPHAN_PREFIX}${obj.metadata.namespace ?? ""}`];
}

export const ORPHAN_PREFIX = "_ORPHAN/";

/**
 * Counts each pod's deletion once for expectations: when its deletionTimestamp first appears or,
 * for pods removed at once, when it disappears.
 */
export class DeletionObserver {
  private readonly terminating = new Set<string>();

  /** True when this event is the first sign of the pod's deletion. */
  observe(pod: KubeObject, removed: boolean): boolean {
    const uid = pod.metadata.uid ?? "";
    if (removed) return !this.terminating.delete(uid);
    if (!pod.metadata.deletionTimestamp || this.terminating.has(uid)) return false;
    this.terminating.add(uid);
    return true;
  }
}
