// Node selector terms and required node affinity (upstream component-helpers nodeaffinity): label
// requirements with In/NotIn/Exists/DoesNotExist/Gt/Lt, and matchFields on metadata.name (what
// DaemonSet pods are pinned with). Shared by the scheduler and the DaemonSet controller.

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

const INT = /^[+-]?\d+$/;

/** Whether a label requirement parses (labels.NewRequirement); a term with one that does not matches nothing. */
function validExpression(r: NodeSelectorRequirement): boolean {
  const n = (r.values ?? []).length;
  switch (r.operator) {
    case "In":
    case "NotIn":
      return n > 0;
    case "Exists":
    case "DoesNotExist":
      return n === 0;
    case "Gt":
    case "Lt":
      return n === 1 && INT.test(r.values![0]!);
    default:
      return false;
  }
}

/** Field requirements support only metadata.name with In/NotIn and exactly one value. */
function validField(f: NodeSelectorRequirement): boolean {
  return f.key === "metadata.name" && (f.operator === "In" || f.operator === "NotIn") && (f.values ?? []).length === 1;
}

function requirementMatches(r: NodeSelectorRequirement, v: string | undefined): boolean {
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
      if (v === undefined || !INT.test(v)) return false;
      const a = BigInt(v);
      const b = BigInt(values[0]!);
      return r.operator === "Gt" ? a > b : a < b;
    }
    default:
      return false;
  }
}

/** A compiled node selector term: label requirements ANDed with metadata.name field requirements. */
export class CompiledTerm {
  readonly empty: boolean;
  private readonly valid: boolean;
  constructor(private readonly term: NodeSelectorTerm) {
    const exprs = term.matchExpressions ?? [];
    const fields = term.matchFields ?? [];
    this.empty = exprs.length === 0 && fields.length === 0;
    this.valid = exprs.every(validExpression) && fields.every(validField);
  }

  matches(nodeName: string, labels: Labels | undefined): boolean {
    if (this.empty || !this.valid) return false;
    for (const r of this.term.matchExpressions ?? []) if (!requirementMatches(r, labels?.[r.key])) return false;
    for (const r of this.term.matchFields ?? []) if (!requirementMatches(r, nodeName)) return false;
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
    const required = (spec?.affinity as { nodeAffinity?: { requiredDuringSchedulingIgnoredDuringExecution?: { nodeSelectorTerms?: NodeSelectorTerm[] } | null } } | undefined)?.nodeAffinity
      ?.requiredDuringSchedulingIgnoredDuringExecution;
    this.terms = required ? (required.nodeSelectorTerms ?? []).map((t) => new CompiledTerm(t ?? {})) : undefined;
    this.trivial = this.selector.length === 0 && this.terms === undefined;
  }

  matches(nodeName: string, labels: Labels | undefined): boolean {
    for (const [k, v] of this.selector) if (labels?.[k] !== v) return false;
    if (this.terms === undefined) return true;
    return this.terms.some((t) => t.matches(nodeName, labels));
  }
}
