// Matching helpers of the scheduler: label selectors of pod (anti-)affinity terms and topology
// spread constraints. Node affinity and taints live in src/apimachinery (shared with controllers).
import { fromMetaLabelSelector, nothing, type LabelSelector, type MetaLabelSelector } from "../apimachinery/labels.js";

/** A label selector from a metav1.LabelSelector; invalid selectors select nothing (as upstream ignores them). */
export function labelSelectorOf(sel: MetaLabelSelector | null | undefined): LabelSelector {
  try {
    return fromMetaLabelSelector(sel);
  } catch {
    return nothing;
  }
}

/** Selectors ANDed (upstream Selector.Add of another selector's requirements). */
export function andSelectors(parts: readonly LabelSelector[]): LabelSelector {
  if (parts.some((p) => p === nothing)) return nothing;
  const nonEmpty = parts.filter((p) => !p.empty);
  if (nonEmpty.length === 0) return parts[0] ?? nothing;
  if (nonEmpty.length === 1) return nonEmpty[0]!;
  const requirements = nonEmpty.flatMap((p) => p.requirements);
  const text = nonEmpty.map((p) => p.toString()).join(",");
  return {
    requirements,
    empty: false,
    matches: (labels) => nonEmpty.every((p) => p.matches(labels)),
    toString: () => text,
  };
}

/** A stable text of a selector for caching (nothing and everything differ). */
export function selectorKey(sel: LabelSelector): string {
  if (sel === nothing) return "<nothing>";
  return sel.toString();
}
