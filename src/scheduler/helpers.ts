// Matching helpers of the scheduler: node selector terms (upstream component-helpers nodeaffinity,
// with Gt/Lt and matchFields metadata.name), taints and tolerations (v1helper), label selectors
// of pod (anti-)affinity terms and topology spread constraints.
import { fromMetaLabelSelector, nothing, type LabelSelector, type MetaLabelSelector } from "../apimachinery/labels.js";

export type Labels = Readonly<Record<string, string>>;

export interface NodeSelectorRequirement {
  key: string;
  operator: string;
  values?: string[];
}

export interface NodeSelectorTerm {
  matchExpressions?: NodeSelectorRequirement[] | null;
  matchFields?: NodeSelectorRequirement[] | null;
}

export interface Taint {
  key: string;
  value?: string;
  effect: string;
}

export interface Toleration {
  key?: string;
  operator?: string;
  value?: string;
  effect?: string;
  tolerationSeconds?: number;
}

const INT = /^[+-]?\d+$/;

function requirementMatches(r: NodeSelectorRequirement, get: (key: string) => string | undefined): boolean {
  const v = get(r.key);
  const values = r.values ?? [];
  switch (r.operator) {
    case "In":
      return v !== undefined && values.includes(v);
    case "NotIn":
      return v === undefined || !values.includes(v);
    case "Exists":
      return v !== undefined;
    case "DoesNotExist":
      return v === undefined;
    case "Gt":
    case "Lt": {
      if (v === undefined || values.length !== 1 || !INT.test(values[0]!) || !INT.test(v)) return false;
      const a = BigInt(v);
      const b = BigInt(values[0]!);
      return r.operator === "Gt" ? a > b : a < b;
    }
    default:
      return false;
  }
}

/** A compiled node selector term: labels requirements ANDed with metadata.name field requirements. */
export class CompiledTerm {
  readonly empty: boolean;
  private readonly valid: boolean;
  constructor(private readonly term: NodeSelectorTerm) {
    const exprs = term.matchExpressions ?? [];
    const fields = term.matchFields ?? [];
    this.empty = exprs.length === 0 && fields.length === 0;
    // upstream: field requirements support only metadata.name with In/NotIn and one value
    this.valid = fields.every((f) => f.key === "metadata.name" && (f.operator === "In" || f.operator === "NotIn") && (f.values ?? []).length === 1);
  }

  matches(nodeName: string, labels: Labels | undefined): boolean {
    if (this.empty || !this.valid) return false;
    for (const r of this.term.matchExpressions ?? []) if (!requirementMatches(r, (k) => labels?.[k])) return false;
    for (const r of this.term.matchFields ?? []) if (!requirementMatches(r, (k) => (k === "metadata.name" ? nodeName : undefined))) return false;
    return true;
  }
}

/** Required node affinity of a pod (upstream GetRequiredNodeAffinity): nodeSelector AND any of the required terms. */
export class RequiredNodeAffinity {
  private readonly selector: [string, string][];
  private readonly terms: CompiledTerm[] | undefined;
  readonly trivial: boolean;

  constructor(spec: Record<string, unknown> | undefined) {
    const sel = (spec?.nodeSelector ?? {}) as Record<string, string>;
    this.selector = Object.entries(sel);
    const required = (spec?.affinity as { nodeAffinity?: { requiredDuringSchedulingIgnoredDuringExecution?: { nodeSelectorTerms?: NodeSelectorTerm[] } } } | undefined)?.nodeAffinity
      ?.requiredDuringSchedulingIgnoredDuringExecution;
    this.terms = required ? (required.nodeSelectorTerms ?? []).map((t) => new CompiledTerm(t ?? {})) : undefined;
    this.trivial = this.selector.length === 0 && this.terms === undefined;
  }

  matches(nodeName: string, labels: Labels | undefined): boolean {
    for (const [k, v] of this.selector) if (labels?.[k] !== v) return false;
    if (this.terms === undefined) return true;
    for (const t of this.terms) if (t.matches(nodeName, labels)) return true;
    return false;
  }
}

/** Upstream Toleration.ToleratesTaint. */
export function toleratesTaint(t: Toleration, taint: Taint): boolean {
  if (t.effect && t.effect !== taint.effect) return false;
  if (t.key && t.key !== taint.key) return false;
  switch (t.operator ?? "") {
    case "":
    case "Equal":
      return (t.value ?? "") === (taint.value ?? "");
    case "Exists":
      return true;
    default:
      return false;
  }
}

export function tolerationsTolerateTaint(tolerations: readonly Toleration[], taint: Taint): boolean {
  for (const t of tolerations) if (toleratesTaint(t, taint)) return true;
  return false;
}

/** Upstream FindMatchingUntoleratedTaint: the first taint passing the filter that no toleration tolerates. */
export function findUntoleratedTaint(taints: readonly Taint[], tolerations: readonly Toleration[], filter: (t: Taint) => boolean): Taint | undefined {
  for (const taint of taints) {
    if (!filter(taint)) continue;
    if (!tolerationsTolerateTaint(tolerations, taint)) return taint;
  }
  return undefined;
}

export const isNoScheduleOrNoExecute = (t: Taint) => t.effect === "NoSchedule" || t.effect === "NoExecute";

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
