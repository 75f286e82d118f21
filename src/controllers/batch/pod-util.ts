// Pod helpers the Job controller shares with upstream's controller utilities
// (pkg/controller/controller_utils.go, pkg/api/v1/pod): active and terminating pods, readiness,
// the ActivePods deletion order, and when a pod finished (backoff_utils.go getFinishedTime).
import { parseTime, type ContainerStatus, type Pod } from "./types.js";

export function isTerminalPhase(p: Pod): boolean {
  const phase = p.status?.phase;
  return phase === "Succeeded" || phase === "Failed";
}

/** FilterActivePods: not terminal and not being deleted. */
export function isActive(p: Pod): boolean {
  return !isTerminalPhase(p) && !p.metadata.deletionTimestamp;
}

/** Being deleted but not yet terminal (CountTerminatingPods / FilterTerminatingPods). */
export function isTerminating(p: Pod): boolean {
  return !!p.metadata.deletionTimestamp && !isTerminalPhase(p);
}

export function isPodReady(p: Pod): boolean {
  return p.status?.conditions?.some((c) => c.type === "Ready" && c.status === "True") === true;
}

function readyTime(p: Pod): number | undefined {
  const c = p.status?.conditions?.find((x) => x.type === "Ready" && x.status === "True");
  return parseTime(c?.lastTransitionTime ?? undefined);
}

function maxRestarts(p: Pod): number {
  let n = 0;
  for (const c of p.status?.containerStatuses ?? []) n = Math.max(n, c.restartCount ?? 0);
  return n;
}

const PHASE_ORDINAL: Record<string, number> = { Pending: 0, Unknown: 1, Running: 2 };

/** afterOrZero: a zero time counts as later than anything. */
function afterOrZero(a: number | undefined, b: number | undefined): boolean {
  if (a === undefined || b === undefined) return a === undefined;
  return a > b;
}

/** controller.ActivePods ordering: pods earlier in the order are deleted first. */
export function activePodsLess(a: Pod, b: Pod): boolean {
  const na = a.spec?.nodeName ?? "";
  const nb = b.spec?.nodeName ?? "";
  if (na !== nb && (na === "" || nb === "")) return na === "";
  const pa = PHASE_ORDINAL[a.status?.phase ?? ""] ?? 0;
  const pb = PHASE_ORDINAL[b.status?.phase ?? ""] ?? 0;
  if (pa !== pb) return pa < pb;
  const ra = isPodReady(a);
  const rb = isPodReady(b);
  if (ra !== rb) return !ra;
  if (ra && rb) {
    const ta = readyTime(a);
    const tb = readyTime(b);
    if (ta !== tb) return afterOrZero(ta, tb);
  }
  const ma = maxRestarts(a);
  const mb = maxRestarts(b);
  if (ma !== mb) return ma > mb;
  const ca = parseTime(a.metadata.creationTimestamp);
  const cb = parseTime(b.metadata.creationTimestamp);
  if (ca !== cb) return afterOrZero(ca, cb);
  return false;
}

export function sortActivePods(pods: Pod[]): Pod[] {
  return pods.sort((a, b) => (activePodsLess(a, b) ? -1 : activePodsLess(b, a) ? 1 : 0));
}

export function hasFinalizer(p: Pod, finalizer: string): boolean {
  return p.metadata.finalizers?.includes(finalizer) === true;
}

function latestFinishTime(prev: number | undefined, statuses: ContainerStatus[], check?: (s: ContainerStatus) => boolean): number | undefined | null {
  let finish = prev;
  for (const s of statuses) {
    if (check && !check(s)) continue;
    const at = parseTime(s.state?.terminated?.finishedAt ?? undefined);
    if (!s.state?.terminated || at === undefined) return null;
    if (finish === undefined || finish < at) finish = at;
  }
  return finish;
}

/** getFinishedTime: the last container's finish, else Ready=False's transition, else deletion minus grace, else creation. */
export function podFinishedTime(p: Pod): number {
  const fromContainers = (() => {
    const t = latestFinishTime(undefined, p.status?.containerStatuses ?? []);
    if (t === null) return undefined;
    const sidecars = new Set((p.spec?.initContainers ?? []).filter((c) => c.restartPolicy === "Always").map((c) => c.name));
    const t2 = latestFinishTime(t, p.status?.initContainerStatuses ?? [], (s) => sidecars.has(s.name));
    return t2 === null ? undefined : t2;
  })();
  if (fromContainers !== undefined) return fromContainers;
  const ready = p.status?.conditions?.find((c) => c.type === "Ready");
  const readyFalse = ready && ready.status === "False" ? parseTime(ready.lastTransitionTime ?? undefined) : undefined;
  if (readyFalse !== undefined) return readyFalse;
  const del = parseTime(p.metadata.deletionTimestamp);
  if (del !== undefined) return del - (p.metadata.deletionGracePeriodSeconds ?? 0) * 1000;
  return parseTime(p.metadata.creationTimestamp) ?? 0;
}
