// The status conditions the namespace controller keeps on a terminating namespace (upstream
// pkg/controller/namespace/deletion/status_condition_utils.go): five condition types, each either
// the failure it saw or its "ok" variant, updated in place.
import { formatTime } from "../../../util/clock.js";

export interface NamespaceCondition {
  type: string;
  status: "True" | "False";
  lastTransitionTime: string;
  reason: string;
  message: string;
}

export const CONDITION_TYPES = [
  "NamespaceDeletionDiscoveryFailure",
  "NamespaceDeletionGroupVersionParsingFailure",
  "NamespaceDeletionContentFailure",
  "NamespaceContentRemaining",
  "NamespaceFinalizersRemaining",
] as const;

const OK: Record<string, { reason: string; message: string }> = {
  NamespaceDeletionDiscoveryFailure: { reason: "ResourcesDiscovered", message: "All resources successfully discovered" },
  NamespaceDeletionGroupVersionParsingFailure: { reason: "ParsedGroupVersions", message: "All legacy kube types successfully parsed" },
  NamespaceDeletionContentFailure: { reason: "ContentDeleted", message: "All content successfully deleted, may be waiting on finalization" },
  NamespaceContentRemaining: { reason: "ContentRemoved", message: "All content successfully removed" },
  NamespaceFinalizersRemaining: { reason: "ContentHasNoFinalizers", message: "All content-preserving finalizers finished" },
};

/** What one pass over a namespace's content found. */
export interface ContentTotals {
  /** "resource.group" → instances remaining. */
  remaining: Map<string, number>;
  /** finalizer → instances remaining with it. */
  finalizers: Map<string, number>;
}

/** Collects the failures of one pass (upstream namespaceConditionUpdater). */
export class ConditionUpdater {
  private readonly conditions: Omit<NamespaceCondition, "lastTransitionTime">[] = [];
  private readonly contentErrors: string[] = [];

  discoveryFailed(message: string): void {
    this.conditions.push({ type: "NamespaceDeletionDiscoveryFailure", status: "True", reason: "DiscoveryFailed", message });
  }

  groupVersionParsingFailed(message: string): void {
    this.conditions.push({ type: "NamespaceDeletionGroupVersionParsingFailure", status: "True", reason: "GroupVersionParsingFailed", message });
  }

  deleteContentFailed(message: string): void {
    this.contentErrors.push(message);
  }

  contentTotals(totals: ContentTotals): void {
    const remaining = [...totals.remaining].filter(([, n]) => n > 0).map(([gr, n]) => `${gr} has ${n} resource instances`);
    if (totals.remaining.size > 0)
      this.conditions.push({
        type: "NamespaceContentRemaining",
        status: "True",
        reason: "SomeResourcesRemain",
        message: `Some resources are remaining: ${remaining.sort().join(", ")}`,
      });
    const byFinalizer = [...totals.finalizers].filter(([, n]) => n > 0).map(([f, n]) => `${f} in ${n} resource instances`);
    if (totals.finalizers.size > 0)
      this.conditions.push({
        type: "NamespaceFinalizersRemaining",
        status: "True",
        reason: "SomeFinalizersRemain",
        message: `Some content in the namespace has finalizers remaining: ${byFinalizer.sort().join(", ")}`,
      });
  }

  /**
   * Applies the pass to the namespace's conditions in place (ok variants for types without a
   * failure); true when anything changed.
   */
  update(status: { conditions?: NamespaceCondition[] }, now: number): boolean {
    const fresh = [...this.conditions];
    if (!fresh.some((c) => c.type === "NamespaceDeletionContentFailure") && this.contentErrors.length > 0) {
      const msgs = [...this.contentErrors].sort();
      fresh.push({
        type: "NamespaceDeletionContentFailure",
        status: "True",
        reason: "ContentDeletionFailed",
        message: `Failed to delete all resource types, ${msgs.length} remaining: ${msgs.join(", ")}`,
      });
    }
    const time = formatTime(now);
    let changed = false;
    const conditions = (status.conditions ??= []);
    for (const type of CONDITION_TYPES) {
      const next = fresh.find((c) => c.type === type) ?? { type, status: "False" as const, ...OK[type]! };
      const old = conditions.find((c) => c.type === type);
      if (!old) {
        conditions.push({ type, status: next.status, lastTransitionTime: time, reason: next.reason, message: next.message });
        changed = true;
      } else if (old.status !== next.status || old.message !== next.message || old.reason !== next.reason) {
        if (old.status !== next.status) old.lastTransitionTime = time;
        old.status = next.status;
        old.reason = next.reason;
        old.message = next.message;
        changed = true;
      }
    }
    return changed;
  }
}
