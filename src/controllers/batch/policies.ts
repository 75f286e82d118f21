// The Job's pod failure policy (upstream pod_failure_policy.go), success policy
// (success_policy.go) and pod failure backoff (backoff_utils.go).
import { parseIndexes, indexAbsoluteFailureCount, type OrderedIntervals } from "./indexed.js";
import { podFinishedTime } from "./pod-util.js";
import type { ContainerStatus, Pod, PodFailurePolicy, PodFailurePolicyRule, SuccessPolicy } from "./types.js";

export interface PolicyMatch {
  /** The Job failure message when a FailJob rule matched. */
  failJobMessage?: string;
  /** Whether the failure counts towards backoffLimit (false for Ignore). */
  countFailed: boolean;
  /** The action of the matched rule. */
  action?: "Ignore" | "Count" | "FailJob" | "FailIndex";
}

function exitCodeMatches(exitCode: number, req: NonNullable<PodFailurePolicyRule["onExitCodes"]>): boolean {
  const has = (req.values ?? []).includes(exitCode);
  if (req.operator === "In") return has;
  if (req.operator === "NotIn") return !has;
  return false;
}

function matchingContainer(statuses: ContainerStatus[] | undefined, req: NonNullable<PodFailurePolicyRule["onExitCodes"]>): ContainerStatus | undefined {
  for (const cs of statuses ?? []) {
    const term = cs.state?.terminated;
    if (!term) continue;
    if (req.containerName === undefined || req.containerName === null || req.containerName === cs.name) {
      const code = term.exitCode ?? 0;
      if (code !== 0 && exitCodeMatches(code, req)) return cs;
    }
  }
  return undefined;
}

/** What a matching rule's action decides; an unknown action lets the next rule decide. */
function ruleMatch(action: string | undefined, failJobMessage: () => string): PolicyMatch | undefined {
  switch (action) {
    case "Ignore":
      return { countFailed: false, action: "Ignore" };
    case "FailIndex":
      return { countFailed: true, action: "FailIndex" };
    case "Count":
      return { countFailed: true, action: "Count" };
    case "FailJob":
      return { countFailed: true, action: "FailJob", failJobMessage: failJobMessage() };
    default:
      return undefined;
  }
}

/** matchPodFailurePolicy: the first rule matching a failed pod decides. */
export function matchPodFailurePolicy(policy: PodFailurePolicy | null | undefined, pod: Pod): PolicyMatch {
  if (!policy) return { countFailed: true };
  const rules = policy.rules ?? [];
  for (let index = 0; index < rules.length; index++) {
    const rule = rules[index]!;
    if (rule.onExitCodes) {
      const cs = matchingContainer(pod.status?.containerStatuses, rule.onExitCodes) ?? matchingContainer(pod.status?.initContainerStatuses, rule.onExitCodes);
      if (!cs) continue;
      const m = ruleMatch(rule.action, () => `Container ${cs.name} for pod ${pod.metadata.namespace}/${pod.metadata.name} failed with exit code ${cs.state!.terminated!.exitCode ?? 0} matching ${rule.action} rule at index ${index}`);
      if (m) return m;
    } else if (rule.onPodConditions) {
      let matched: string | undefined;
      outer: for (const c of pod.status?.conditions ?? []) {
        for (const pattern of rule.onPodConditions) {
          if (c.type === pattern.type && c.status === (pattern.status ?? "True")) {
            matched = c.type;
            break outer;
          }
        }
      }
      if (matched === undefined) continue;
      const m = ruleMatch(rule.action, () => `Pod ${pod.metadata.namespace}/${pod.metadata.name} has condition ${matched} matching ${rule.action} rule at index ${index}`);
      if (m) return m;
    }
  }
  return { countFailed: true };
}

function succeededIndexesRuleMatches(rule: OrderedIntervals, succeeded: OrderedIntervals, succeededCount: number | undefined): boolean {
  let contains = 0;
  let s = 0;
  let r = 0;
  const ri = rule.intervals;
  const si = succeeded.intervals;
  while (r < ri.length && s < si.length) {
    const overlap = Math.min(ri[r]!.last, si[s]!.last) - Math.max(ri[r]!.first, si[s]!.first) + 1;
    if (overlap > 0) contains += overlap;
    if (si[s]!.last < ri[r]!.last) s++;
    else if (si[s]!.last > ri[r]!.last) r++;
    else {
      s++;
      r++;
    }
  }
  return contains === rule.total() || (succeededCount !== undefined && contains >= succeededCount);
}

/** matchSuccessPolicy: the message of the first matching rule ("Matched rules at index N"). */
export function matchSuccessPolicy(policy: SuccessPolicy | null | undefined, completions: number, succeeded: OrderedIntervals): string | undefined {
  if (!policy || succeeded.length === 0) return undefined;
  const rules = policy.rules ?? [];
  for (let index = 0; index < rules.length; index++) {
    const rule = rules[index]!;
    if (typeof rule.succeededIndexes === "string") {
      const required = parseIndexes(rule.succeededIndexes, completions);
      if (required.length === 0) continue;
      if (succeededIndexesRuleMatches(required, succeeded, rule.succeededCount ?? undefined)) return `Matched rules at index ${index}`;
    } else if (typeof rule.succeededCount === "number" && succeeded.total() >= rule.succeededCount) return `Matched rules at index ${index}`;
  }
  return undefined;
}

// ---- backoff of pod recreation ----

/** DefaultJobPodFailureBackOff and MaxJobPodFailureBackOff. */
export const POD_FAILURE_BACKOFF_MS = 10_000;
export const MAX_POD_FAILURE_BACKOFF_MS = 10 * 60_000;

export interface BackoffRecord {
  key: string;
  failuresAfterLastSuccess: number;
  lastFailureTime?: number;
}

/** newBackoffRecord: consecutive failures since the last success, from the newly finished pods. */
export function newBackoffRecord(previous: BackoffRecord | undefined, key: string, newSucceeded: Pod[], newFailed: Pod[]): BackoffRecord {
  const rec: BackoffRecord = previous ? { ...previous } : { key, failuresAfterLastSuccess: 0 };
  const byFinish = (pods: Pod[]) => pods.map((p) => podFinishedTime(p)).sort((a, b) => a - b);
  const succ = byFinish(newSucceeded);
  const fail = byFinish(newFailed);
  if (succ.length === 0) {
    if (fail.length === 0) return rec;
    rec.failuresAfterLastSuccess += fail.length;
    rec.lastFailureTime = fail[fail.length - 1]!;
    return rec;
  }
  rec.failuresAfterLastSuccess = 0;
  delete rec.lastFailureTime;
  const lastSuccess = succ[succ.length - 1]!;
  for (let i = fail.length - 1; i >= 0; i--) {
    if (!(fail[i]! > lastSuccess)) break;
    if (rec.lastFailureTime === undefined) rec.lastFailureTime = fail[i]!;
    rec.failuresAfterLastSuccess++;
  }
  return rec;
}

/** The delay before the n-th consecutive failure's replacement: 10s, 20s, 40s … capped at 10 minutes. */
export function backoffDelay(failures: number, base = POD_FAILURE_BACKOFF_MS, max = MAX_POD_FAILURE_BACKOFF_MS): number {
  if (failures <= 0) return 0;
  let d = base;
  for (let i = 1; i < failures; i++) {
    d *= 2;
    if (d >= max) return max;
  }
  return d;
}

export function remainingTimeForFailures(now: number, failures: number, lastFailureTime: number | undefined): number {
  if (failures === 0 || lastFailureTime === undefined) return 0;
  const d = backoffDelay(failures);
  const elapsed = now - lastFailureTime;
  return d < elapsed ? 0 : d - elapsed;
}

/** getRemainingTimePerIndex: from the failure counters of the index's last failed pod. */
export function remainingTimePerIndex(now: number, lastFailedPod: Pod | undefined): number {
  if (!lastFailedPod) return 0;
  return remainingTimeForFailures(now, indexAbsoluteFailureCount(lastFailedPod) + 1, podFinishedTime(lastFailedPod));
}
