// StatefulSet identity, storage, revision and status rules (upstream
// pkg/controller/statefulset/stateful_set_utils.go): ordinal pod names, hostname/subdomain,
// identity labels, PersistentVolumeClaims from volumeClaimTemplates and their owner references per
// persistentVolumeClaimRetentionPolicy, versioned pods, revisions, status bookkeeping.
import type { KubeObject, OwnerReference } from "../../apimachinery/types.js";
import { newControllerRef } from "../runtime/owner-refs.js";
import { type Obj, isPodAvailable, isPodReady, podFromTemplate, podPhase, isTerminating } from "./pods.js";
import { CONTROLLER_REVISION_HASH_LABEL, POD_REVISION_LABEL, controllerRevisionName, hashRevisionData, templatePatch } from "./revisions.js";

export const POD_NAME_LABEL = "statefulset.kubernetes.io/pod-name";
export const POD_INDEX_LABEL = "apps.kubernetes.io/pod-index";

const STATEFUL_POD = /^(.*)-([0-9]+)$/;

export function setSpec(set: KubeObject): Obj {
  return (set.spec ?? {}) as Obj;
}

export function setStatus(set: KubeObject): Obj {
  return (set.status ?? {}) as Obj;
}

export function specReplicas(set: KubeObject): number {
  const r = setSpec(set).replicas;
  return typeof r === "number" ? r : 1;
}

/** getParentNameAndOrdinal: the set name and ordinal encoded in a pod name (-1 when none). */
export function parentAndOrdinal(name: string): { parent: string; ordinal: number } {
  const m = STATEFUL_POD.exec(name);
  if (!m) return { parent: "", ordinal: -1 };
  const n = Number(m[2]);
  return { parent: m[1]!, ordinal: Number.isSafeInteger(n) && n <= 2147483647 ? n : -1 };
}

export function ordinalOf(pod: KubeObject): number {
  return parentAndOrdinal(pod.metadata.name ?? "").ordinal;
}

export function startOrdinal(set: KubeObject): number {
  const o = setSpec(set).ordinals as { start?: number } | undefined;
  return o && typeof o.start === "number" ? o.start : 0;
}

export function endOrdinal(set: KubeObject): number {
  return startOrdinal(set) + specReplicas(set) - 1;
}

export function podInOrdinalRange(pod: KubeObject, set: KubeObject): boolean {
  const o = ordinalOf(pod);
  return o >= startOrdinal(set) && o <= endOrdinal(set);
}

export function podName(set: KubeObject, ordinal: number): string {
  return `${set.metadata.name}-${ordinal}`;
}

export function claimName(set: KubeObject, claimTemplate: Obj, ordinal: number): string {
  return `${claimTemplate.metadata?.name ?? ""}-${set.metadata.name}-${ordinal}`;
}

export function isMemberOf(set: KubeObject, pod: KubeObject): boolean {
  return parentAndOrdinal(pod.metadata.name ?? "").parent === set.metadata.name;
}

export function claimTemplates(set: KubeObject): Obj[] {
  const t = setSpec(set).volumeClaimTemplates;
  return Array.isArray(t) ? (t as Obj[]) : [];
}

/** identityMatches: name, namespace and the pod-name label agree with the ordinal. */
export function identityMatches(set: KubeObject, pod: KubeObject): boolean {
  const { parent, ordinal } = parentAndOrdinal(pod.metadata.name ?? "");
  return (
    ordinal >= 0 &&
    parent === set.metadata.name &&
    pod.metadata.name === podName(set, ordinal) &&
    pod.metadata.namespace === set.metadata.namespace &&
    pod.metadata.labels?.[POD_NAME_LABEL] === pod.metadata.name
  );
}

/** storageMatches: every claim template is mounted from the pod's own claim. */
export function storageMatches(set: KubeObject, pod: KubeObject): boolean {
  const ordinal = ordinalOf(pod);
  if (ordinal < 0) return false;
  const volumes = new Map<string, Obj>();
  for (const v of ((pod.spec as Obj | undefined)?.volumes ?? []) as Obj[]) volumes.set(v.name, v);
  for (const claim of claimTemplates(set)) {
    const v = volumes.get(claim.metadata?.name);
    if (!v || !v.persistentVolumeClaim || v.persistentVolumeClaim.claimName !== claimName(set, claim, ordinal)) return false;
  }
  return true;
}

export interface RetentionPolicy {
  whenDeleted: string;
  whenScaled: string;
}

export function retentionPolicy(set: KubeObject): RetentionPolicy {
  const p = setSpec(set).persistentVolumeClaimRetentionPolicy as Partial<RetentionPolicy> | undefined;
  return { whenDeleted: p?.whenDeleted || "Retain", whenScaled: p?.whenScaled || "Retain" };
}

/** getPersistentVolumeClaims: the claims of the pod with the given ordinal, by template name. */
export function claimsFor(set: KubeObject, ordinal: number): Map<string, KubeObject> {
  const out = new Map<string, KubeObject>();
  const matchLabels = ((setSpec(set).selector as Obj | undefined)?.matchLabels ?? {}) as Record<string, string>;
  for (const template of claimTemplates(set)) {
    const claim = structuredClone(template) as Obj;
    claim.apiVersion = "v1";
    claim.kind = "PersistentVolumeClaim";
    const meta = (claim.metadata ?? {}) as Obj;
    claim.metadata = meta;
    meta.name = claimName(set, template, ordinal);
    meta.namespace = set.metadata.namespace;
    meta.labels = { ...(meta.labels ?? {}), ...matchLabels };
    if (Object.keys(meta.labels).length === 0) delete meta.labels;
    delete meta.creationTimestamp;
    delete claim.status;
    out.set(template.metadata?.name ?? "", claim as KubeObject);
  }
  return out;
}

/** updateStorage: mounts the pod's claims, keeping its other volumes. */
export function updateStorage(set: KubeObject, pod: KubeObject): void {
  const spec = (pod.spec ?? (pod.spec = {})) as Obj;
  const claims = claimsFor(set, ordinalOf(pod));
  const volumes: Obj[] = [];
  for (const [name, claim] of claims) volumes.push({ name, persistentVolumeClaim: { claimName: claim.metadata.name } });
  for (const v of (spec.volumes ?? []) as Obj[]) if (!claims.has(v.name)) volumes.push(v);
  if (volumes.length) spec.volumes = volumes;
}

/** updateIdentity: name, namespace and the pod-name and pod-index labels. */
export function updateIdentity(set: KubeObject, pod: KubeObject): void {
  const ordinal = ordinalOf(pod);
  pod.metadata.name = podName(set, ordinal);
  pod.metadata.namespace = set.metadata.namespace!;
  pod.metadata.labels = { ...(pod.metadata.labels ?? {}), [POD_NAME_LABEL]: pod.metadata.name, [POD_INDEX_LABEL]: String(ordinal) };
}

/** initIdentity: updateIdentity plus the immutable hostname and subdomain. */
export function initIdentity(set: KubeObject, pod: KubeObject): void {
  updateIdentity(set, pod);
  const spec = (pod.spec ?? (pod.spec = {})) as Obj;
  spec.hostname = pod.metadata.name;
  const serviceName = setSpec(set).serviceName;
  if (serviceName) spec.subdomain = serviceName;
}

export const isCreated = (pod: KubeObject) => podPhase(pod) !== "";
export const isPending = (pod: KubeObject) => podPhase(pod) === "Pending";
export const isFailed = (pod: KubeObject) => podPhase(pod) === "Failed";
export const isSucceeded = (pod: KubeObject) => podPhase(pod) === "Succeeded";
export const isRunningAndReady = (pod: KubeObject) => podPhase(pod) === "Running" && isPodReady(pod);
export const isRunningAndAvailable = (pod: KubeObject, minReadySeconds: number, nowMs: number) => isPodAvailable(pod, minReadySeconds, nowMs);
export const isHealthy = (pod: KubeObject) => isRunningAndReady(pod) && !isTerminating(pod);

export function podRevision(pod: KubeObject): string {
  return pod.metadata.labels?.[POD_REVISION_LABEL] ?? "";
}

export function setPodRevision(pod: KubeObject, revision: string): void {
  pod.metadata.labels = { ...(pod.metadata.labels ?? {}), [POD_REVISION_LABEL]: revision };
}

/** newStatefulSetPod: a pod from the set's template with the ordinal's identity and storage. */
export function newStatefulSetPod(set: KubeObject, ordinal: number): KubeObject {
  const pod = podFromTemplate(setSpec(set).template as Obj | undefined, set, newControllerRef(set));
  pod.metadata.name = podName(set, ordinal);
  initIdentity(set, pod);
  updateStorage(set, pod);
  return pod;
}

/**
 * newVersionedStatefulSetPod: ordinals below the partition (or below currentReplicas without a
 * rollingUpdate block) get the current revision, the others the update revision.
 */
export function newVersionedStatefulSetPod(currentSet: KubeObject, updateSet: KubeObject, currentRevision: string, updateRevision: string, ordinal: number): KubeObject {
  const strategy = (setSpec(currentSet).updateStrategy ?? {}) as Obj;
  const rolling = strategy.rollingUpdate as Obj | undefined | null;
  const start = startOrdinal(currentSet);
  const useCurrent =
    (strategy.type === "RollingUpdate" && !rolling && ordinal < start + ((setStatus(currentSet).currentReplicas as number | undefined) ?? 0)) ||
    (!!rolling && ordinal < start + ((rolling.partition as number | undefined) ?? 0));
  const pod = newStatefulSetPod(useCurrent ? currentSet : updateSet, ordinal);
  setPodRevision(pod, useCurrent ? currentRevision : updateRevision);
  return pod;
}

/** newRevision: the set's template as a ControllerRevision (name, hash label, owner, annotations). */
export function newStatefulSetRevision(set: KubeObject, revision: number, collisionCount: number): KubeObject {
  const data = templatePatch(setSpec(set).template);
  const hash = hashRevisionData(data, collisionCount);
  const labels = { ...(((setSpec(set).template as Obj | undefined)?.metadata?.labels ?? {}) as Record<string, string>), [CONTROLLER_REVISION_HASH_LABEL]: hash };
  const metadata: Obj = {
    name: controllerRevisionName(set.metadata.name!, hash),
    namespace: set.metadata.namespace,
    labels,
    ownerReferences: [newControllerRef(set)],
  };
  if (set.metadata.annotations && Object.keys(set.metadata.annotations).length) metadata.annotations = { ...set.metadata.annotations };
  return { apiVersion: "apps/v1", kind: "ControllerRevision", metadata, data, revision } as KubeObject;
}

/** A set with a revision's template applied (ApplyRevision). */
export function applyRevision(set: KubeObject, template: Obj | undefined): KubeObject {
  const clone = structuredClone(set) as Obj;
  if (template) clone.spec = { ...(clone.spec ?? {}), template: structuredClone(template) };
  return clone as KubeObject;
}

/** The fields of StatefulSetStatus the controller computes. */
export interface StatefulSetStatusFields {
  observedGeneration: number;
  replicas: number;
  readyReplicas: number;
  currentReplicas: number;
  updatedReplicas: number;
  availableReplicas: number;
  currentRevision: string;
  updateRevision: string;
  collisionCount: number;
}

/** updateStatus: counts over the given pod lists (created, ready, available, current, updated). */
export function countReplicas(status: StatefulSetStatusFields, minReadySeconds: number, nowMs: number, currentRevision: string, updateRevision: string, ...lists: KubeObject[][]): void {
  status.replicas = 0;
  status.readyReplicas = 0;
  status.availableReplicas = 0;
  status.currentReplicas = 0;
  status.updatedReplicas = 0;
  for (const list of lists)
    for (const pod of list) {
      if (isCreated(pod)) status.replicas++;
      if (isRunningAndReady(pod)) {
        status.readyReplicas++;
        if (isRunningAndAvailable(pod, minReadySeconds, nowMs)) status.availableReplicas++;
      }
      if (isCreated(pod) && !isTerminating(pod)) {
        const rev = podRevision(pod);
        if (rev === currentRevision) status.currentReplicas++;
        if (rev === updateRevision) status.updatedReplicas++;
      }
    }
}

/** completeRollingUpdate: once every replica is updated and ready the update revision becomes current. */
export function completeRollingUpdate(set: KubeObject, status: StatefulSetStatusFields): void {
  const replicas = specReplicas(set);
  if (
    ((setSpec(set).updateStrategy ?? {}) as Obj).type === "RollingUpdate" &&
    status.updatedReplicas === replicas &&
    status.readyReplicas === replicas &&
    status.replicas === replicas
  ) {
    status.currentReplicas = status.updatedReplicas;
    status.currentRevision = status.updateRevision;
  }
}

const num = (v: unknown) => (typeof v === "number" ? v : 0);

/** inconsistentStatus: the computed status differs from the set's. */
export function inconsistentStatus(set: KubeObject, status: StatefulSetStatusFields): boolean {
  const s = setStatus(set);
  return (
    status.observedGeneration > num(s.observedGeneration) ||
    status.replicas !== num(s.replicas) ||
    status.currentReplicas !== num(s.currentReplicas) ||
    status.readyReplicas !== num(s.readyReplicas) ||
    status.updatedReplicas !== num(s.updatedReplicas) ||
    status.currentRevision !== (s.currentRevision ?? "") ||
    status.availableReplicas !== num(s.availableReplicas) ||
    status.updateRevision !== (s.updateRevision ?? "")
  );
}

/** StatefulSetStatus as Go encodes it (omitempty fields dropped when zero). */
export function encodeStatefulSetStatus(status: StatefulSetStatusFields): Obj {
  const out: Obj = {};
  if (status.observedGeneration) out.observedGeneration = status.observedGeneration;
  out.replicas = status.replicas;
  if (status.readyReplicas) out.readyReplicas = status.readyReplicas;
  if (status.currentReplicas) out.currentReplicas = status.currentReplicas;
  if (status.updatedReplicas) out.updatedReplicas = status.updatedReplicas;
  if (status.currentRevision) out.currentRevision = status.currentRevision;
  if (status.updateRevision) out.updateRevision = status.updateRevision;
  out.collisionCount = status.collisionCount;
  out.availableReplicas = status.availableReplicas;
  return out;
}

// ---- PersistentVolumeClaim owner references (retention policy) ----

const SET_GV = { apiVersion: "apps/v1", kind: "StatefulSet" };
const POD_GV = { apiVersion: "v1", kind: "Pod" };

function matchesRef(ref: OwnerReference, obj: KubeObject, gvk: { apiVersion: string; kind: string }): boolean {
  return ref.apiVersion === gvk.apiVersion && ref.kind === gvk.kind && ref.name === obj.metadata.name;
}

function hasOwnerRef(target: KubeObject, owner: KubeObject): boolean {
  const uid = owner.metadata.uid ?? "";
  return (target.metadata.ownerReferences ?? []).some((r) => r.uid === uid);
}

/** hasStaleOwnerRef: a reference to the object's name with another UID. */
export function hasStaleOwnerRef(target: KubeObject, obj: KubeObject, gvk: { apiVersion: string; kind: string }): boolean {
  for (const ref of target.metadata.ownerReferences ?? []) if (matchesRef(ref, obj, gvk)) return ref.uid !== (obj.metadata.uid ?? "");
  return false;
}

export function hasStalePodRef(claim: KubeObject, pod: KubeObject): boolean {
  return hasStaleOwnerRef(claim, pod, POD_GV);
}

function hasUnexpectedController(claim: KubeObject, set: KubeObject, pod: KubeObject): boolean {
  const policy = retentionPolicy(set);
  if (policy.whenScaled === "Retain" && policy.whenDeleted === "Retain") return false;
  for (const ref of claim.metadata.ownerReferences ?? []) {
    if (matchesRef(ref, set, SET_GV)) {
      if (ref.uid !== set.metadata.uid) return true;
      continue;
    }
    if (matchesRef(ref, pod, POD_GV)) {
      if (ref.uid !== (pod.metadata.uid ?? "")) return true;
      continue;
    }
    if (ref.controller) return true;
  }
  return false;
}

function hasNonControllerOwner(claim: KubeObject, set: KubeObject, pod: KubeObject): boolean {
  return (claim.metadata.ownerReferences ?? []).some((r) => (r.uid === set.metadata.uid || r.uid === pod.metadata.uid) && !r.controller);
}

/** isClaimOwnerUpToDate: the claim's references agree with the retention policy. */
export function isClaimOwnerUpToDate(claim: KubeObject, set: KubeObject, pod: KubeObject): boolean {
  if (hasStaleOwnerRef(claim, set, SET_GV) || hasStaleOwnerRef(claim, pod, POD_GV)) return true;
  if (hasUnexpectedController(claim, set, pod)) return !(hasOwnerRef(claim, set) || hasOwnerRef(claim, pod));
  if (hasNonControllerOwner(claim, set, pod)) return false;
  const policy = retentionPolicy(set);
  const scaledDown = !podInOrdinalRange(pod, set);
  const del = (v: string) => v === "Delete";
  if (!del(policy.whenScaled) && del(policy.whenDeleted)) return hasOwnerRef(claim, set) && !hasOwnerRef(claim, pod);
  if (del(policy.whenScaled) && !del(policy.whenDeleted)) return !hasOwnerRef(claim, set) && scaledDown === hasOwnerRef(claim, pod);
  if (del(policy.whenScaled) && del(policy.whenDeleted)) return scaledDown !== hasOwnerRef(claim, set) && scaledDown === hasOwnerRef(claim, pod);
  return !hasOwnerRef(claim, set) && !hasOwnerRef(claim, pod);
}

/** updateClaimOwnerRefForSetAndPod: rewrites the claim's references to the set and pod per policy. */
export function updateClaimOwnerRefs(claim: KubeObject, set: KubeObject, pod: KubeObject): void {
  const unexpected = hasUnexpectedController(claim, set, pod);
  let refs = (claim.metadata.ownerReferences ?? []).filter((r) => !(matchesRef(r, set, SET_GV) || matchesRef(r, pod, POD_GV)));
  const add = (owner: KubeObject, gv: { apiVersion: string; kind: string }) => {
    if (refs.some((r) => r.uid === owner.metadata.uid)) return;
    refs = [...refs, { apiVersion: gv.apiVersion, kind: gv.kind, name: owner.metadata.name!, uid: owner.metadata.uid!, controller: true, blockOwnerDeletion: true }];
  };
  if (!unexpected) {
    const policy = retentionPolicy(set);
    const scaledDown = !podInOrdinalRange(pod, set);
    const del = (v: string) => v === "Delete";
    if (!del(policy.whenScaled) && del(policy.whenDeleted)) add(set, SET_GV);
    else if (del(policy.whenScaled) && !del(policy.whenDeleted)) {
      if (scaledDown) add(pod, POD_GV);
    } else if (del(policy.whenScaled) && del(policy.whenDeleted)) {
      if (scaledDown) add(pod, POD_GV);
      else add(set, SET_GV);
    }
  }
  if (refs.length) claim.metadata.ownerReferences = refs;
  else delete claim.metadata.ownerReferences;
}

/** descendingOrdinal / ascendingOrdinal comparators. */
export const byOrdinalAscending = (a: KubeObject, b: KubeObject) => ordinalOf(a) - ordinalOf(b);
export const byOrdinalDescending = (a: KubeObject, b: KubeObject) => ordinalOf(b) - ordinalOf(a);
