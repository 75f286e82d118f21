// The Deployment bookkeeping of upstream pkg/controller/deployment/util: revisions and the
// annotations a Deployment keeps on its ReplicaSets, maxSurge/maxUnavailable arithmetic,
// proportional scaling, conditions, and which ReplicaSet is new.
import type { KubeObject } from "../../apimachinery/types.js";
import type { MetaLabelSelector } from "../../apimachinery/labels.js";
import { semanticEqual } from "../../util/deep-equal.js";
import type { PodTemplateSpec, ReplicaSetLike } from "./replica-set.js";

export const REVISION_ANNOTATION = "deployment.kubernetes.io/revision";
export const REVISION_HISTORY_ANNOTATION = "deployment.kubernetes.io/revision-history";
export const DESIRED_REPLICAS_ANNOTATION = "deployment.kubernetes.io/desired-replicas";
export const MAX_REPLICAS_ANNOTATION = "deployment.kubernetes.io/max-replicas";
export const DEPRECATED_ROLLBACK_TO = "deprecated.deployment.rollback.to";
export const LAST_APPLIED_CONFIG_ANNOTATION = "kubectl.kubernetes.io/last-applied-configuration";
export const CHANGE_CAUSE_ANNOTATION = "kubernetes.io/change-cause";
export const DEFAULT_DEPLOYMENT_UNIQUE_LABEL_KEY = "pod-template-hash";

// Progressing reasons
export const REPLICA_SET_UPDATED_REASON = "ReplicaSetUpdated";
export const FAILED_RS_CREATE_REASON = "ReplicaSetCreateError";
export const NEW_REPLICA_SET_REASON = "NewReplicaSetCreated";
export const FOUND_NEW_RS_REASON = "FoundNewReplicaSet";
export const NEW_RS_AVAILABLE_REASON = "NewReplicaSetAvailable";
export const TIMED_OUT_REASON = "ProgressDeadlineExceeded";
export const PAUSED_DEPLOY_REASON = "DeploymentPaused";
export const RESUMED_DEPLOY_REASON = "DeploymentResumed";
// Available reasons
export const MINIMUM_REPLICAS_AVAILABLE = "MinimumReplicasAvailable";
export const MINIMUM_REPLICAS_UNAVAILABLE = "MinimumReplicasUnavailable";
// rollback event reasons
export const ROLLBACK_REVISION_NOT_FOUND = "DeploymentRollbackRevisionNotFound";
export const ROLLBACK_TEMPLATE_UNCHANGED = "DeploymentRollbackTemplateUnchanged";
export const ROLLBACK_DONE = "DeploymentRollback";

/** Revision history kept on a ReplicaSet is limited to about 2000 characters (upstream). */
export const MAX_REV_HISTORY_LENGTH_IN_CHARS = 2000;
const MAX_INT32 = 2147483647;

export type IntOrString = number | string;

export interface DeploymentCondition {
  type: string;
  status: string;
  lastUpdateTime?: string;
  lastTransitionTime?: string;
  reason?: string;
  message?: string;
}

export interface DeploymentStatus {
  observedGeneration?: number;
  replicas?: number;
  updatedReplicas?: number;
  readyReplicas?: number;
  availableReplicas?: number;
  unavailableReplicas?: number;
  conditions?: DeploymentCondition[];
  collisionCount?: number;
}

export interface Deployment extends KubeObject {
  spec: {
    replicas?: number;
    selector?: MetaLabelSelector | null;
    template?: PodTemplateSpec;
    strategy?: { type?: string; rollingUpdate?: { maxSurge?: IntOrString; maxUnavailable?: IntOrString } };
    minReadySeconds?: number;
    revisionHistoryLimit?: number;
    paused?: boolean;
    progressDeadlineSeconds?: number;
    [k: string]: unknown;
  };
  status?: DeploymentStatus;
}

export type RS = ReplicaSetLike;

export function replicasOf(obj: { spec?: { replicas?: number } } | undefined): number {
  return obj?.spec?.replicas ?? 1;
}

// ---- intstr ----

/** upstream intstr.GetScaledValueFromIntOrPercent. */
export function scaledValue(v: IntOrString | undefined, total: number, roundUp: boolean): number {
  if (v === undefined || v === null) return 0;
  if (typeof v === "number") return v;
  if (!v.endsWith("%")) {
    const n = Number(v);
    if (!Number.isInteger(n)) throw new Error(`invalid value for IntOrString: invalid type: string is not a percentage`);
    return n;
  }
  const pct = Number.parseInt(v.slice(0, -1), 10);
  if (Number.isNaN(pct) || !/^-?\d+%$/.test(v)) throw new Error(`invalid value for IntOrString: invalid value "${v}": strconv.Atoi: parsing "${v.slice(0, -1)}": invalid syntax`);
  const exact = (pct * total) / 100;
  return roundUp ? Math.ceil(exact) : Math.floor(exact);
}

export function isRollingUpdate(d: Deployment): boolean {
  return d.spec.strategy?.type === "RollingUpdate";
}

/** upstream ResolveFenceposts: surge rounds up, unavailability down; both zero means one unavailable. */
export function resolveFenceposts(maxSurge: IntOrString | undefined, maxUnavailable: IntOrString | undefined, desired: number): { surge: number; unavailable: number } {
  const surge = scaledValue(maxSurge ?? 0, desired, true);
  let unavailable = scaledValue(maxUnavailable ?? 0, desired, false);
  if (surge === 0 && unavailable === 0) unavailable = 1;
  return { surge, unavailable };
}

export function maxSurge(d: Deployment): number {
  if (!isRollingUpdate(d)) return 0;
  const ru = d.spec.strategy?.rollingUpdate;
  return resolveFenceposts(ru?.maxSurge, ru?.maxUnavailable, replicasOf(d)).surge;
}

export function maxUnavailable(d: Deployment): number {
  const replicas = replicasOf(d);
  if (!isRollingUpdate(d) || replicas === 0) return 0;
  const ru = d.spec.strategy?.rollingUpdate;
  const { unavailable } = resolveFenceposts(ru?.maxSurge, ru?.maxUnavailable, replicas);
  return Math.min(unavailable, replicas);
}

export function minAvailable(d: Deployment): number {
  if (!isRollingUpdate(d)) return 0;
  return replicasOf(d) - maxUnavailable(d);
}

// ---- revisions and annotations ----

/** The revision of an object (0 when unannotated; NaN when unparseable). */
export function revisionOf(obj: KubeObject): number {
  const v = obj.metadata.annotations?.[REVISION_ANNOTATION];
  if (v === undefined) return 0;
  return /^[+-]?\d+$/.test(v) ? Number(v) : Number.NaN;
}

export function maxRevision(rss: (RS | undefined)[]): number {
  let max = 0;
  for (const rs of rss) {
    if (!rs) continue;
    const v = revisionOf(rs);
    if (!Number.isNaN(v) && v > max) max = v;
  }
  return max;
}

/** The second highest revision (the one before the current). */
export function lastRevision(rss: (RS | undefined)[]): number {
  let max = 0;
  let second = 0;
  for (const rs of rss) {
    if (!rs) continue;
    const v = revisionOf(rs);
    if (Number.isNaN(v)) continue;
    if (v >= max) {
      second = max;
      max = v;
    } else if (v > second) second = v;
  }
  return second;
}

const ANNOTATIONS_TO_SKIP = new Set([
  LAST_APPLIED_CONFIG_ANNOTATION,
  REVISION_ANNOTATION,
  REVISION_HISTORY_ANNOTATION,
  DESIRED_REPLICAS_ANNOTATION,
  MAX_REPLICAS_ANNOTATION,
  DEPRECATED_ROLLBACK_TO,
]);

export function skipCopyAnnotation(key: string): boolean {
  return ANNOTATIONS_TO_SKIP.has(key);
}

/** Copies the deployment's annotations (all but the skipped ones) onto rs; true if rs changed. */
export function copyDeploymentAnnotationsToReplicaSet(d: Deployment, rs: RS): boolean {
  let changed = false;
  const annotations = (rs.metadata.annotations ??= {});
  for (const [k, v] of Object.entries(d.metadata.annotations ?? {})) {
    if (skipCopyAnnotation(k) || annotations[k] === v) continue;
    annotations[k] = v;
    changed = true;
  }
  return changed;
}

/** On rollback the deployment takes the annotations of the ReplicaSet it rolls back to. */
export function setDeploymentAnnotationsTo(d: Deployment, rs: RS): void {
  const kept: Record<string, string> = {};
  for (const [k, v] of Object.entries(d.metadata.annotations ?? {})) if (skipCopyAnnotation(k)) kept[k] = v;
  for (const [k, v] of Object.entries(rs.metadata.annotations ?? {})) if (!skipCopyAnnotation(k)) kept[k] = v;
  d.metadata.annotations = kept;
}

export function setReplicasAnnotations(rs: RS, desired: number, max: number): boolean {
  let updated = false;
  const annotations = (rs.metadata.annotations ??= {});
  const d = String(desired);
  if (annotations[DESIRED_REPLICAS_ANNOTATION] !== d) {
    annotations[DESIRED_REPLICAS_ANNOTATION] = d;
    updated = true;
  }
  const m = String(max);
  if (annotations[MAX_REPLICAS_ANNOTATION] !== m) {
    annotations[MAX_REPLICAS_ANNOTATION] = m;
    updated = true;
  }
  return updated;
}

export function replicasAnnotationsNeedUpdate(rs: RS, desired: number, max: number): boolean {
  const a = rs.metadata.annotations;
  if (!a) return true;
  return a[DESIRED_REPLICAS_ANNOTATION] !== String(desired) || a[MAX_REPLICAS_ANNOTATION] !== String(max);
}

function intAnnotation(rs: RS, key: string): number | undefined {
  const v = rs.metadata.annotations?.[key];
  if (v === undefined || !/^[+-]?\d+$/.test(v)) return undefined;
  return Number(v);
}

export function desiredReplicasAnnotation(rs: RS): number | undefined {
  return intAnnotation(rs, DESIRED_REPLICAS_ANNOTATION);
}

export function maxReplicasAnnotation(rs: RS): number | undefined {
  return intAnnotation(rs, MAX_REPLICAS_ANNOTATION);
}

/**
 * upstream SetNewReplicaSetAnnotations: copies the deployment's annotations, raises the revision
 * to newRevision when it is higher (recording the old one in revision-history, bounded in
 * length), and on creation sets desired/max replicas. True when rs changed.
 */
export function setNewReplicaSetAnnotations(d: Deployment, rs: RS, newRevision: string, exists: boolean, revHistoryLimitInChars = MAX_REV_HISTORY_LENGTH_IN_CHARS): boolean {
  let changed = copyDeploymentAnnotationsToReplicaSet(d, rs);
  const annotations = (rs.metadata.annotations ??= {});
  const had = Object.prototype.hasOwnProperty.call(annotations, REVISION_ANNOTATION);
  const oldRevision = annotations[REVISION_ANNOTATION] ?? "";
  let oldInt = 0;
  if (oldRevision !== "") {
    if (!/^[+-]?\d+$/.test(oldRevision)) return false;
    oldInt = Number(oldRevision);
  }
  if (!/^[+-]?\d+$/.test(newRevision)) return false;
  const newInt = Number(newRevision);
  if (oldInt < newInt) {
    annotations[REVISION_ANNOTATION] = newRevision;
    changed = true;
  }
  if (had && oldInt < newInt) {
    const history = annotations[REVISION_HISTORY_ANNOTATION] ?? "";
    const old = history.split(",");
    if (old[0]!.length === 0) annotations[REVISION_HISTORY_ANNOTATION] = oldRevision;
    else {
      let total = history.length + oldRevision.length + 1;
      let start = 0;
      while (total > revHistoryLimitInChars && start < old.length) {
        total -= old[start]!.length + 1;
        start++;
      }
      if (total <= revHistoryLimitInChars) annotations[REVISION_HISTORY_ANNOTATION] = [...old.slice(start), oldRevision].join(",");
    }
  }
  if (!exists && setReplicasAnnotations(rs, replicasOf(d), replicasOf(d) + maxSurge(d))) changed = true;
  return changed;
}

export function setDeploymentRevision(d: Deployment, revision: string): boolean {
  const annotations = (d.metadata.annotations ??= {});
  if (annotations[REVISION_ANNOTATION] === revision) return false;
  annotations[REVISION_ANNOTATION] = revision;
  return true;
}

// ---- which ReplicaSet is which ----

function creationMs(obj: KubeObject): number {
  const t = obj.metadata.creationTimestamp;
  const ms = t ? Date.parse(t) : Number.NaN;
  return Number.isNaN(ms) ? 0 : ms;
}

/** upstream ReplicaSetsByCreationTimestamp: older first, then by name. */
export function byCreationTimestamp(a: RS, b: RS): number {
  const d = creationMs(a) - creationMs(b);
  if (d !== 0) return d;
  const an = a.metadata.name ?? "";
  const bn = b.metadata.name ?? "";
  return an < bn ? -1 : an > bn ? 1 : 0;
}

/** Larger first; equal sizes older first (scaling down). */
export function bySizeOlder(a: RS, b: RS): number {
  const d = replicasOf(b) - replicasOf(a);
  return d !== 0 ? d : byCreationTimestamp(a, b);
}

/** Larger first; equal sizes newer first (scaling up). */
export function bySizeNewer(a: RS, b: RS): number {
  const d = replicasOf(b) - replicasOf(a);
  return d !== 0 ? d : byCreationTimestamp(b, a);
}

/** upstream ReplicaSetsByRevision: lower revision first, creation time on ties. */
export function byRevision(a: RS, b: RS): number {
  const ra = revisionOf(a);
  const rb = revisionOf(b);
  if (ra === rb || Number.isNaN(ra) || Number.isNaN(rb)) return byCreationTimestamp(a, b);
  return ra - rb;
}

export function filterActiveReplicaSets(rss: (RS | undefined)[]): RS[] {
  return rss.filter((rs): rs is RS => !!rs && replicasOf(rs) > 0);
}

function withoutHashLabel(t: PodTemplateSpec | undefined): PodTemplateSpec {
  const copy: PodTemplateSpec = { ...(t ?? {}) };
  if (t?.metadata?.labels) {
    const labels = { ...t.metadata.labels };
    delete labels[DEFAULT_DEPLOYMENT_UNIQUE_LABEL_KEY];
    copy.metadata = { ...t.metadata, labels };
  }
  return copy;
}

/** Templates equal but for the pod-template-hash label (upstream EqualIgnoreHash). */
export function equalIgnoreHash(a: PodTemplateSpec | undefined, b: PodTemplateSpec | undefined): boolean {
  return semanticEqual(withoutHashLabel(a), withoutHashLabel(b));
}

/** The oldest ReplicaSet whose template is the deployment's. */
export function findNewReplicaSet(d: Deployment, rsList: RS[]): RS | undefined {
  const sorted = [...rsList].sort(byCreationTimestamp);
  return sorted.find((rs) => equalIgnoreHash(rs.spec?.template, d.spec.template));
}

/** All ReplicaSets but the new one, and those of them that still have replicas. */
export function findOldReplicaSets(d: Deployment, rsList: RS[], newRS?: RS): { withReplicas: RS[]; all: RS[] } {
  const n = newRS ?? findNewReplicaSet(d, rsList);
  const all: RS[] = [];
  const withReplicas: RS[] = [];
  for (const rs of rsList) {
    if (n && rs.metadata.uid === n.metadata.uid) continue;
    all.push(rs);
    if (replicasOf(rs) !== 0) withReplicas.push(rs);
  }
  return { withReplicas, all };
}

/** The one active ReplicaSet, or the newest when none is active; undefined when several are. */
export function findActiveOrLatest(newRS: RS | undefined, oldRSs: RS[]): RS | undefined {
  if (!newRS && oldRSs.length === 0) return undefined;
  const sorted = [...oldRSs].sort((a, b) => byCreationTimestamp(b, a));
  const active = filterActiveReplicaSets([...sorted, newRS]);
  if (active.length === 0) return newRS ?? sorted[0];
  if (active.length === 1) return active[0];
  return undefined;
}

// ---- counts ----

export function replicaCount(rss: (RS | undefined)[]): number {
  let n = 0;
  for (const rs of rss) if (rs) n += replicasOf(rs);
  return n;
}

export function actualReplicaCount(rss: (RS | undefined)[]): number {
  let n = 0;
  for (const rs of rss) if (rs) n += rs.status?.replicas ?? 0;
  return n;
}

export function readyReplicaCount(rss: (RS | undefined)[]): number {
  let n = 0;
  for (const rs of rss) if (rs) n += rs.status?.readyReplicas ?? 0;
  return n;
}

export function availableReplicaCount(rss: (RS | undefined)[]): number {
  let n = 0;
  for (const rs of rss) if (rs) n += rs.status?.availableReplicas ?? 0;
  return n;
}

// ---- scaling arithmetic ----

/** How many replicas the new ReplicaSet may have now (upstream NewRSNewReplicas). */
export function newRSNewReplicas(d: Deployment, allRSs: (RS | undefined)[], newRS: RS): number {
  const desired = replicasOf(d);
  switch (d.spec.strategy?.type) {
    case "RollingUpdate": {
      const surge = scaledValue(d.spec.strategy.rollingUpdate?.maxSurge ?? 0, desired, true);
      const current = replicaCount(allRSs);
      const maxTotal = desired + surge;
      if (current >= maxTotal) return replicasOf(newRS);
      const up = Math.min(maxTotal - current, desired - replicasOf(newRS));
      return replicasOf(newRS) + up;
    }
    case "Recreate":
      return desired;
    default:
      throw new Error(`deployment type ${d.spec.strategy?.type} isn't supported`);
  }
}

/** The new ReplicaSet has all the deployment's replicas, available (upstream IsSaturated). */
export function isSaturated(d: Deployment, rs: RS | undefined): boolean {
  if (!rs) return false;
  const desired = desiredReplicasAnnotation(rs);
  if (desired === undefined) return false;
  const n = replicasOf(d);
  return replicasOf(rs) === n && desired === n && (rs.status?.availableReplicas ?? 0) === n;
}

/** upstream integer.RoundToInt32: half away from zero. */
function roundToInt(a: number): number {
  return a < 0 ? Math.trunc(a - 0.5) : Math.trunc(a + 0.5);
}

function replicaSetFraction(rs: RS, d: Deployment): number {
  if (replicasOf(d) === 0) return -replicasOf(rs);
  const deploymentMax = replicasOf(d) + maxSurge(d);
  let annotated = maxReplicasAnnotation(rs);
  if (annotated === undefined || annotated === 0) annotated = d.status?.replicas ?? 0;
  if (annotated === 0) return 0;
  const size = (replicasOf(rs) * deploymentMax) / annotated;
  return roundToInt(size) - replicasOf(rs);
}

/** The share of a scaling event a ReplicaSet takes (upstream GetProportion). */
export function getProportion(rs: RS | undefined, d: Deployment, toAdd: number, added: number): number {
  if (!rs || replicasOf(rs) === 0 || toAdd === 0 || toAdd === added) return 0;
  const fraction = replicaSetFraction(rs, d);
  const allowed = toAdd - added;
  return toAdd > 0 ? Math.min(fraction, allowed) : Math.max(fraction, allowed);
}

// ---- conditions ----

export function newCondition(type: string, status: string, reason: string, message: string, now: string): DeploymentCondition {
  return { type, status, lastUpdateTime: now, lastTransitionTime: now, reason, message };
}

export function getCondition(status: DeploymentStatus | undefined, type: string): DeploymentCondition | undefined {
  return status?.conditions?.find((c) => c.type === type);
}

/** Adds or replaces a condition; same status and reason is a no-op; same status keeps lastTransitionTime. */
export function setCondition(status: DeploymentStatus, cond: DeploymentCondition): void {
  const cur = getCondition(status, cond.type);
  if (cur && cur.status === cond.status && cur.reason === cond.reason) return;
  const next = { ...cond };
  if (cur && cur.status === cond.status && cur.lastTransitionTime !== undefined) next.lastTransitionTime = cur.lastTransitionTime;
  status.conditions = [...(status.conditions ?? []).filter((c) => c.type !== cond.type), next];
}

export function removeCondition(status: DeploymentStatus, type: string): void {
  const rest = (status.conditions ?? []).filter((c) => c.type !== type);
  if (rest.length) status.conditions = rest;
  else delete status.conditions;
}

export function hasProgressDeadline(d: Deployment): boolean {
  const p = d.spec.progressDeadlineSeconds;
  return p !== undefined && p !== null && p !== MAX_INT32;
}

export function hasRevisionHistoryLimit(d: Deployment): boolean {
  const l = d.spec.revisionHistoryLimit;
  return l !== undefined && l !== null && l !== MAX_INT32;
}

/** All replicas updated and available, no old pods, the latest generation observed. */
export function deploymentComplete(d: Deployment, s: DeploymentStatus): boolean {
  const n = replicasOf(d);
  return (s.updatedReplicas ?? 0) === n && (s.replicas ?? 0) === n && (s.availableReplicas ?? 0) === n && (s.observedGeneration ?? 0) >= (d.metadata.generation ?? 0);
}

/** New pods added, ready or available, or old ones gone since the last status. */
export function deploymentProgressing(d: Deployment, s: DeploymentStatus): boolean {
  const old = d.status ?? {};
  const oldOld = (old.replicas ?? 0) - (old.updatedReplicas ?? 0);
  const newOld = (s.replicas ?? 0) - (s.updatedReplicas ?? 0);
  return (
    (s.updatedReplicas ?? 0) > (old.updatedReplicas ?? 0) ||
    newOld < oldOld ||
    (s.readyReplicas ?? 0) > (old.readyReplicas ?? 0) ||
    (s.availableReplicas ?? 0) > (old.availableReplicas ?? 0)
  );
}

/** The Progressing condition was last updated more than progressDeadlineSeconds ago. */
export function deploymentTimedOut(d: Deployment, s: DeploymentStatus, now: number): boolean {
  if (!hasProgressDeadline(d)) return false;
  const cond = getCondition(s, "Progressing");
  if (!cond) return false;
  if (cond.reason === NEW_RS_AVAILABLE_REASON) return false;
  if (cond.reason === TIMED_OUT_REASON) return true;
  const from = cond.lastUpdateTime ? Date.parse(cond.lastUpdateTime) : Number.NaN;
  if (Number.isNaN(from)) return false;
  return from + d.spec.progressDeadlineSeconds! * 1000 < now;
}
