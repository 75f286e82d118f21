// Indexed Jobs (upstream pkg/controller/job/indexed_job_utils.go): completion indexes of pods,
// ordered intervals of indexes and their compressed text form ("1,3-5,7"), the first pending
// indexes, duplicated-index removal and the per-index failure counters.
import { isTerminating, sortActivePods } from "./pod-util.js";
import { JOB_COMPLETION_INDEX, JOB_INDEX_FAILURE_COUNT, JOB_INDEX_IGNORED_FAILURE_COUNT, type Pod } from "./types.js";

export const UNKNOWN_INDEX = -1;
const MAX_INT32 = 2147483647;

export interface Interval {
  first: number;
  last: number;
}

/** Sorted, non-overlapping, non-adjacent intervals. */
export class OrderedIntervals {
  constructor(readonly intervals: readonly Interval[] = []) {}

  get length(): number {
    return this.intervals.length;
  }

  total(): number {
    let n = 0;
    for (const iv of this.intervals) n += iv.last - iv.first + 1;
    return n;
  }

  has(ix: number): boolean {
    let lo = 0;
    let hi = this.intervals.length;
    while (hi > lo) {
      const mid = lo + ((hi - lo) >> 1);
      if (this.intervals[mid]!.last >= ix) hi = mid;
      else lo = mid + 1;
    }
    return hi < this.intervals.length && this.intervals[hi]!.first <= ix;
  }

  /** withOrderedIndexes: adds indexes given in increasing order. */
  withOrderedIndexes(indexes: readonly number[]): OrderedIntervals {
    return this.merge(new OrderedIntervals(indexes.map((i) => ({ first: i, last: i }))));
  }

  merge(other: OrderedIntervals): OrderedIntervals {
    const result: Interval[] = [];
    const push = (iv: Interval) => {
      const last = result[result.length - 1];
      if (!last || iv.first > last.last + 1) result.push({ ...iv });
      else if (last.last < iv.last) last.last = iv.last;
    };
    const a = this.intervals;
    const b = other.intervals;
    let i = 0;
    let j = 0;
    while (i < a.length && j < b.length) {
      if (a[i]!.first < b[j]!.first) push(a[i++]!);
      else push(b[j++]!);
    }
    while (i < a.length) push(a[i++]!);
    while (j < b.length) push(b[j++]!);
    return new OrderedIntervals(result);
  }

  toString(): string {
    let s = "";
    for (const v of this.intervals) {
      if (s.length > 0) s += ",";
      s += String(v.first);
      if (v.last > v.first) s += (v.last === v.first + 1 ? "," : "-") + String(v.last);
    }
    return s;
  }
}

/** Go strconv.Atoi acceptance. */
function atoi(s: string): number | undefined {
  if (!/^[+-]?\d+$/.test(s)) return undefined;
  const n = Number(s);
  return Number.isSafeInteger(n) ? n : undefined;
}

/** parseIndexesFromString: corrupt intervals are skipped; indexes ≥ completions are dropped. */
export function parseIndexes(text: string | null | undefined, completions: number): OrderedIntervals {
  if (!text) return new OrderedIntervals();
  const result: Interval[] = [];
  for (const part of text.split(",")) {
    const limits = part.split("-");
    const first = atoi(limits[0]!);
    if (first === undefined) continue;
    if (first >= completions) break;
    let last = first;
    if (limits.length > 1) {
      const l = atoi(limits[1]!);
      if (l === undefined) continue;
      last = l >= completions ? completions - 1 : l;
    }
    const prev = result[result.length - 1];
    if (prev && prev.last === first - 1) prev.last = last;
    else result.push({ first, last });
  }
  return new OrderedIntervals(result);
}

export function completionIndex(p: Pod): number {
  const v = p.metadata.annotations?.[JOB_COMPLETION_INDEX];
  if (v === undefined) return UNKNOWN_INDEX;
  const i = atoi(v);
  if (i === undefined || i < 0) return UNKNOWN_INDEX;
  return i;
}

export function indexesOf(pods: readonly Pod[]): Set<number> {
  const s = new Set<number>();
  for (const p of pods) {
    const ix = completionIndex(p);
    if (ix !== UNKNOWN_INDEX) s.add(ix);
  }
  return s;
}

const sortedList = (s: Set<number>) => [...s].sort((a, b) => a - b);

/** firstPendingIndexes: up to count indexes below completions not active, succeeded, failed (nor terminating when only failed pods are replaced). */
export function firstPendingIndexes(
  o: { activePods: readonly Pod[]; pods: readonly Pod[]; succeededIndexes: OrderedIntervals; failedIndexes?: OrderedIntervals; onlyReplaceFailed: boolean },
  count: number,
  completions: number,
): number[] {
  if (count === 0) return [];
  let nonPending = o.succeededIndexes.withOrderedIndexes(sortedList(indexesOf(o.activePods)));
  if (o.onlyReplaceFailed) nonPending = nonPending.withOrderedIndexes(sortedList(indexesOf(o.pods.filter(isTerminating))));
  if (o.failedIndexes) nonPending = nonPending.merge(o.failedIndexes);
  const result: number[] = [];
  let candidate = 0;
  for (const iv of nonPending.intervals) {
    for (; candidate < completions && result.length < count && candidate < iv.first; candidate++) result.push(candidate);
    if (candidate < iv.last + 1) candidate = iv.last + 1;
  }
  for (; candidate < completions && result.length < count; candidate++) result.push(candidate);
  return result;
}

/**
 * appendDuplicatedIndexPodsForRemoval: for each index held by n active pods, n-1 go (the first in
 * ActivePods order); pods without an index or with one out of range all go.
 */
export function duplicatedIndexPodsForRemoval(pods: readonly Pod[], completions: number): { rm: Pod[]; left: Pod[] } {
  const sorted = [...pods].sort((a, b) => completionIndex(a) - completionIndex(b));
  const rm: Pod[] = [];
  const left: Pod[] = [];
  const flush = (group: Pod[], ix: number) => {
    if (group.length === 0) return;
    if (ix === UNKNOWN_INDEX) {
      rm.push(...group);
      return;
    }
    if (group.length === 1) {
      left.push(group[0]!);
      return;
    }
    sortActivePods(group);
    rm.push(...group.slice(0, -1));
    left.push(group[group.length - 1]!);
  };
  let lastIndex = UNKNOWN_INDEX;
  let group: Pod[] = [];
  for (let i = 0; i < sorted.length; i++) {
    const ix = completionIndex(sorted[i]!);
    if (ix >= completions) {
      flush(group, lastIndex);
      group = [];
      rm.push(...sorted.slice(i));
      return { rm, left };
    }
    if (ix !== lastIndex) {
      flush(group, lastIndex);
      group = [];
      lastIndex = ix;
    }
    group.push(sorted[i]!);
  }
  flush(group, lastIndex);
  return { rm, left };
}

function parseInt32(v: string | undefined): number {
  if (v === undefined) return 0;
  const n = atoi(v);
  if (n === undefined || n < 0 || n > MAX_INT32) return 0;
  return n;
}

export function indexFailureCount(p: Pod): number {
  return parseInt32(p.metadata.annotations?.[JOB_INDEX_FAILURE_COUNT]);
}

export function indexIgnoredFailureCount(p: Pod): number {
  return parseInt32(p.metadata.annotations?.[JOB_INDEX_IGNORED_FAILURE_COUNT]);
}

export function indexAbsoluteFailureCount(p: Pod): number {
  return indexFailureCount(p) + indexIgnoredFailureCount(p);
}

/** podGenerateNameWithIndex: "<job>-<index>-", the job name shortened to keep it within 58 characters. */
export function podGenerateNameWithIndex(jobName: string, index: number): string {
  const suffix = `-${index}-`;
  const prefix = jobName + suffix;
  const max = 63 - 5;
  return prefix.length > max ? prefix.slice(0, max - suffix.length) + suffix : prefix;
}
