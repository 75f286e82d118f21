// PodDisruptionBudget arithmetic shared by the disruption controller and its tests (upstream
// pkg/controller/disruption, k8s.io/component-helpers/apps/poddisruptionbudget and
// intstr.GetScaledValueFromIntOrPercent).
import { fromMetaLabelSelector, type LabelSelector, type MetaLabelSelector } from "../../../apimachinery/labels.js";
import type { KubeObject } from "../../../apimachinery/types.js";
import { formatTime } from "../../../util/clock.js";

/** How long an eviction's entry in status.disruptedPods holds before the pod must be deleting. */
export const DELETION_TIMEOUT_MS = 2 * 60_000;
/** How long a DisruptionTarget condition may stay on a pod that is not deleting. */
export const STALE_POD_DISRUPTION_TIMEOUT_MS = 2 * 60_000;

export const DISRUPTION_ALLOWED = "DisruptionAllowed";
export const SUFFICIENT_PODS = "SufficientPods";
export const INSUFFICIENT_PODS = "InsufficientPods";
export const SYNC_FAILED = "SyncFailed";

export interface Condition {
  type: string;
  status: "True" | "False" | "Unknown";
  observedGeneration?: number;
  lastTransitionTime: string;
  reason: string;
  message: string;
}

export interface PdbStatus {
  observedGeneration?: number;
  disruptedPods?: Record<string, string>;
  disruptionsAllowed: number;
  currentHealthy: number;
  desiredHealthy: number;
  expectedPods: number;
  conditions?: Condition[];
}

export interface PdbSpec {
  minAvailable?: number | string;
  maxUnavailable?: number | string;
  selector?: MetaLabelSelector | null;
  unhealthyPodEvictionPolicy?: string;
}

export const specOfPdb = (pdb: KubeObject): PdbSpec => (pdb.spec ?? {}) as PdbSpec;

export function statusOfPdb(pdb: KubeObject): PdbStatus {
  const s = (pdb.status ?? {}) as Partial<PdbStatus>;
  return {
    ...(s.observedGeneration !== undefined ? { observedGeneration: s.observedGeneration } : {}),
    ...(s.disruptedPods ? { disruptedPods: s.disruptedPods } : {}),
    disruptionsAllowed: s.disruptionsAllowed ?? 0,
    currentHealthy: s.currentHealthy ?? 0,
    desiredHealthy: s.desiredHealthy ?? 0,
    expectedPods: s.expectedPods ?? 0,
    ...(s.conditions ? { conditions: s.conditions } : {}),
  };
}

/** A pod whose Ready condition is True (upstream IsPodReady, the PDB's notion of healthy). */
export function isPodReady(pod: KubeObject): boolean {
  const conditions = ((pod.status as { conditions?: { type?: string; status?: string }[] } | undefined)?.conditions ?? []).filter(Boolean);
  return conditions.some((c) => c.type === "Ready" && c.status === "True");
}

/** intstr.GetScaledValueFromIntOrPercent; throws with upstream's messages. */
export function scaledValue(v: number | string | undefined, total: number, roundUp: boolean): number {
  if (v === undefined || v === null) throw new Error("nil value for IntOrString");
  if (typeof v === "number") return v;
  if (!v.endsWith("%")) throw new Error("invalid value for IntOrString: invalid type: string is not a percentage");
  const digits = v.slice(0, -1);
  if (!/^[+-]?\d+$/.test(digits)) throw new Error(`invalid value for IntOrString: invalid value ${JSON.stringify(v)}: strconv.Atoi: parsing ${JSON.stringify(digits)}: invalid syntax`);
  const percent = Number(digits);
  const exact = (percent * total) / 100;
  return roundUp ? Math.ceil(exact) : Math.floor(exact);
}

/** apimeta.SetStatusCondition: true when anything changed. */
export function setStatusCondition(conditions: Condition[], next: Omit<Condition, "lastTransitionTime">, now: number): boolean {
  const existing = conditions.find((c) => c.type === next.type);
  if (!existing) {
    conditions.push(conditionJson({ ...next, lastTransitionTime: formatTime(now) }));
    return true;
  }
  let changed = false;
  if (existing.status !== next.status) {
    existing.status = next.status;
    existing.lastTransitionTime = formatTime(now);
    changed = true;
  }
  if (existing.reason !== next.reason) {
    existing.reason = next.reason;
    changed = true;
  }
  if (existing.message !== next.message) {
    existing.message = next.message;
    changed = true;
  }
  if ((existing.observedGeneration ?? 0) !== (next.observedGeneration ?? 0)) {
    if (next.observedGeneration) existing.observedGeneration = next.observedGeneration;
    else delete existing.observedGeneration;
    changed = true;
  }
  const i = conditions.indexOf(existing);
  conditions[i] = conditionJson(existing);
  return changed;
}

/** metav1.Condition in Go's field order (observedGeneration omitted when 0). */
function conditionJson(c: Condition): Condition {
  return {
    type: c.type,
    status: c.status,
    ...(c.observedGeneration ? { observedGeneration: c.observedGeneration } : {}),
    lastTransitionTime: c.lastTransitionTime,
    reason: c.reason,
    message: c.message,
  };
}

/** pdbhelper.UpdateDisruptionAllowedCondition. */
export function updateDisruptionAllowedCondition(status: PdbStatus, now: number): void {
  const conditions = (status.conditions ??= []);
  const allowed = status.disruptionsAllowed > 0;
  setStatusCondition(
    conditions,
    {
      type: DISRUPTION_ALLOWED,
      status: allowed ? "True" : "False",
      reason: allowed ? SUFFICIENT_PODS : INSUFFICIENT_PODS,
      message: "",
      ...(status.observedGeneration ? { observedGeneration: status.observedGeneration } : {}),
    },
    now,
  );
}

/** pdbhelper.ConditionsAreUpToDate. */
export function conditionsAreUpToDate(pdb: KubeObject): boolean {
  const status = statusOfPdb(pdb);
  const cond = status.conditions?.find((c) => c.type === DISRUPTION_ALLOWED);
  if (!cond) return false;
  if ((status.observedGeneration ?? 0) !== (pdb.metadata.generation ?? 0)) return false;
  if (status.disruptionsAllowed > 0) return cond.status === "True" && cond.reason === SUFFICIENT_PODS;
  return cond.status === "False" && cond.reason === INSUFFICIENT_PODS;
}

/** The PDB's selector; a nil one selects nothing, {} everything (policy/v1). Undefined when invalid. */
export function pdbSelector(pdb: KubeObject): LabelSelector | undefined {
  try {
    return fromMetaLabelSelector(specOfPdb(pdb).selector);
  } catch {
    return undefined;
  }
}

/** Pods that count as healthy: not deleting, not recently evicted, Ready. */
export function countHealthyPods(pods: KubeObject[], disruptedPods: Record<string, string>, now: number): number {
  let healthy = 0;
  for (const pod of pods) {
    if (pod.metadata.deletionTimestamp) continue;
    const disrupted = disruptedPods[pod.metadata.name!];
    if (disrupted !== undefined && Date.parse(disrupted) + DELETION_TIMEOUT_MS > now) continue;
    if (isPodReady(pod)) healthy++;
  }
  return healthy;
}

/**
 * The disruptedPods entries still pending (their pods exist, are not deleting and the timeout has
 * not passed), the earliest time one expires, and the pods whose entry expired without deletion.
 */
export function buildDisruptedPodMap(
  pods: KubeObject[],
  pdb: KubeObject,
  now: number,
): { disruptedPods: Record<string, string>; recheckAt: number | undefined; notDeleted: KubeObject[] } {
  const previous = statusOfPdb(pdb).disruptedPods;
  const disruptedPods: Record<string, string> = {};
  const notDeleted: KubeObject[] = [];
  let recheckAt: number | undefined;
  if (!previous) return { disruptedPods, recheckAt, notDeleted };
  for (const pod of pods) {
    if (pod.metadata.deletionTimestamp) continue;
    const at = previous[pod.metadata.name!];
    if (at === undefined) continue;
    const expected = Date.parse(at) + DELETION_TIMEOUT_MS;
    if (expected < now) notDeleted.push(pod);
    else {
      if (recheckAt === undefined || expected < recheckAt) recheckAt = expected;
      disruptedPods[pod.metadata.name!] = at;
    }
  }
  return { disruptedPods, recheckAt, notDeleted };
}

/** The status the controller writes for the numbers it computed. */
export function nextStatus(
  pdb: KubeObject,
  currentHealthy: number,
  desiredHealthy: number,
  expectedPods: number,
  disruptedPods: Record<string, string>,
  now: number,
): PdbStatus | undefined {
  let disruptionsAllowed = currentHealthy - desiredHealthy;
  if (expectedPods <= 0 || disruptionsAllowed <= 0) disruptionsAllowed = 0;
  const old = statusOfPdb(pdb);
  const generation = pdb.metadata.generation ?? 0;
  if (
    old.currentHealthy === currentHealthy &&
    old.desiredHealthy === desiredHealthy &&
    old.expectedPods === expectedPods &&
    old.disruptionsAllowed === disruptionsAllowed &&
    sameDisruptedPods(old.disruptedPods ?? {}, disruptedPods) &&
    (old.observedGeneration ?? 0) === generation &&
    conditionsAreUpToDate(pdb)
  )
    return undefined;
  const status: PdbStatus = {
    ...(generation ? { observedGeneration: generation } : {}),
    ...(Object.keys(disruptedPods).length ? { disruptedPods } : {}),
    disruptionsAllowed,
    currentHealthy,
    desiredHealthy,
    expectedPods,
    ...(old.conditions ? { conditions: structuredClone(old.conditions) } : {}),
  };
  updateDisruptionAllowedCondition(status, now);
  return status;
}

function sameDisruptedPods(a: Record<string, string>, b: Record<string, string>): boolean {
  const ka = Object.keys(a);
  if (ka.length !== Object.keys(b).length) return false;
  return ka.every((k) => b[k] !== undefined && Date.parse(a[k]!) === Date.parse(b[k]!));
}

/** Go's %v of a *metav1.LabelSelector (its generated String()), as in the UnmanagedPods event. */
export function labelSelectorGoString(sel: MetaLabelSelector | null | undefined): string {
  if (!sel) return "nil";
  const labels = Object.keys(sel.matchLabels ?? {})
    .sort()
    .map((k) => `${k}: ${sel.matchLabels![k]},`)
    .join("");
  const exprs = (sel.matchExpressions ?? [])
    .map((e) => `LabelSelectorRequirement{Key:${e.key},Operator:${e.operator},Values:[${(e.values ?? []).join(" ")}],},`)
    .join("");
  return `&LabelSelector{MatchLabels:map[string]string{${labels}},MatchExpressions:[]LabelSelectorRequirement{${exprs}},}`;
}
