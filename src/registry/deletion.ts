// What a DELETE does to an object (upstream rest.BeforeDelete and the generic Store's
// updateForGracefulDeletionAndFinalizers): delete now, or mark it (deletionTimestamp, grace
// period, garbage-collection finalizers) and keep it until its finalizers are gone.
import { errors } from "../apimachinery/errors.js";
import type { GroupResource, KubeObject } from "../apimachinery/types.js";
import { deepCopy } from "../storage/codec.js";
import { formatTime } from "../util/clock.js";
import type { RequestContext } from "./context.js";
import type { Strategy } from "./definition.js";
import type { DeleteOptions, Preconditions, PropagationPolicy } from "./rest.js";

export const ORPHAN_FINALIZER = "orphan";
export const FOREGROUND_FINALIZER = "foregroundDeletion";

export type DeletionPlan = { action: "delete" } | { action: "update"; object: KubeObject } | { action: "pending" };

export function checkPreconditions(gr: GroupResource, obj: KubeObject, pre: Preconditions | undefined): void {
  if (!pre) return;
  const name = obj.metadata.name ?? "";
  if (pre.uid !== undefined && pre.uid !== obj.metadata.uid)
    throw errors.conflict(gr, name, `Precondition failed: UID in precondition: ${pre.uid}, UID in object meta: ${obj.metadata.uid ?? ""}`);
  if (pre.resourceVersion !== undefined && pre.resourceVersion !== obj.metadata.resourceVersion)
    throw errors.conflict(
      gr,
      name,
      `Precondition failed: ResourceVersion in precondition: ${pre.resourceVersion}, ResourceVersion in meta: ${obj.metadata.resourceVersion ?? ""}`,
    );
}

function propagation(opts: DeleteOptions, strategy: Strategy, finalizers: string[]): PropagationPolicy {
  if (opts.propagationPolicy) return opts.propagationPolicy;
  if (opts.orphanDependents !== undefined) return opts.orphanDependents ? "Orphan" : "Background";
  if (finalizers.includes(ORPHAN_FINALIZER)) return "Orphan";
  if (finalizers.includes(FOREGROUND_FINALIZER)) return "Foreground";
  return strategy.defaultGarbageCollectionPolicy === "OrphanDependents" ? "Orphan" : "Background";
}

function withGcFinalizers(finalizers: string[], policy: PropagationPolicy): string[] {
  const rest = finalizers.filter((f) => f !== ORPHAN_FINALIZER && f !== FOREGROUND_FINALIZER);
  if (policy === "Orphan") return [...rest, ORPHAN_FINALIZER];
  if (policy === "Foreground") return [...rest, FOREGROUND_FINALIZER];
  return rest;
}

function sameList(a: string[], b: string[]): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}

/** Whether a deleting object whose grace period is over may be removed now. */
export function readyToDelete(obj: KubeObject, strategy: Strategy): boolean {
  if (!obj.metadata.deletionTimestamp || obj.metadata.deletionGracePeriodSeconds !== 0) return false;
  return strategy.readyToDelete ? strategy.readyToDelete(obj) : !(obj.metadata.finalizers?.length);
}

export function planDeletion(ctx: RequestContext, current: KubeObject, opts: DeleteOptions, strategy: Strategy): DeletionPlan {
  const obj = deepCopy(current);
  const meta = obj.metadata;
  const before = meta.finalizers ?? [];
  const policy = propagation(opts, strategy, before);
  const graceful = strategy.gracePeriodSeconds !== undefined;
  const now = ctx.clock.now();

  if (meta.deletionTimestamp) {
    let changed = false;
    const finalizers = withGcFinalizers(before, policy);
    if (!sameList(finalizers, before)) {
      meta.finalizers = finalizers;
      changed = true;
    }
    const requested = opts.gracePeriodSeconds;
    const currentGrace = meta.deletionGracePeriodSeconds ?? 0;
    if (graceful && requested !== undefined && requested < currentGrace) {
      meta.deletionGracePeriodSeconds = requested;
      meta.deletionTimestamp = formatTime(now + requested * 1000);
      changed = true;
    }
    if (!changed) return { action: "pending" };
    if (meta.finalizers?.length === 0) delete meta.finalizers;
    return { action: "update", object: obj };
  }

  let grace = 0;
  if (graceful) grace = strategy.gracePeriodSeconds!(current, opts.gracePeriodSeconds) ?? 0;
  // the strategy's hook may add finalizers of its own (a CRD's cleanup finalizer) before GC's
  const keptByStrategy = strategy.beginDelete ? strategy.beginDelete(ctx, obj) : false;
  const finalizers = withGcFinalizers(meta.finalizers ?? [], policy);
  const keep = grace > 0 || finalizers.length > 0 || keptByStrategy;
  if (!keep) return { action: "delete" };
  if (finalizers.length) meta.finalizers = finalizers;
  else delete meta.finalizers;
  meta.deletionTimestamp = formatTime(now + grace * 1000);
  meta.deletionGracePeriodSeconds = grace;
  if (grace > 0 && (meta.generation ?? 0) > 0) meta.generation = meta.generation! + 1;
  return { action: "update", object: obj };
}
