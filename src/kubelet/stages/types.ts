// Stages, after KWOK's Stage API (kwok.x-k8s.io/v1alpha1 Stage: resourceRef, selector with
// matchExpressions, delay with jitter, next): a stage matches a pod (or one of its containers) by
// facts about it, waits, then applies one runtime operation and records events. The lifecycle of
// every simulated pod is the default stage list in ./default.ts; more can be loaded from YAML.

export type Operator = "In" | "NotIn" | "Exists" | "DoesNotExist";

export interface MatchExpression {
  /** A fact name (see ./facts.ts): pod.phase, pod.deleting, container.state, ... */
  key: string;
  operator: Operator;
  values?: string[];
}

export interface StageDelay {
  /** Fixed delay (scaled by the kubelet time scale: it models runtime latency). */
  durationMilliseconds?: number;
  /** A fact holding the delay in ms (not scaled: run times, back-offs, probe delays). */
  durationFrom?: string;
  /** Up to this much more, chosen deterministically per pod (scaled). */
  jitterDurationMilliseconds?: number;
}

export interface StageEvent {
  type: "Normal" | "Warning";
  reason: string;
  /** `{{name}}` is replaced by a fact or a value the operation returned. */
  message: string;
}

export interface Stage {
  name: string;
  /** What the stage matches: the pod, or each of its containers. */
  resource: "pod" | "container";
  selector: { matchExpressions: MatchExpression[] };
  delay?: StageDelay;
  next: {
    /** The runtime operation (see ACTIONS in ../runtime.ts). */
    action: string;
    events?: StageEvent[];
  };
}

export type FactValue = string | number | boolean | undefined;
export type Facts = Record<string, FactValue>;

function present(v: FactValue): boolean {
  return v !== undefined && v !== false && v !== "";
}

export function matches(stage: Stage, facts: Facts): boolean {
  for (const e of stage.selector.matchExpressions) {
    const v = facts[e.key];
    switch (e.operator) {
      case "Exists":
        if (!present(v)) return false;
        break;
      case "DoesNotExist":
        if (present(v)) return false;
        break;
      case "In":
        if (v === undefined || !(e.values ?? []).includes(String(v))) return false;
        break;
      case "NotIn":
        if (v !== undefined && (e.values ?? []).includes(String(v))) return false;
        break;
    }
  }
  return true;
}

const PLACEHOLDER = /\{\{\s*([\w.]+)\s*\}\}/g;

export function render(template: string, values: Record<string, FactValue>): string {
  return template.replace(PLACEHOLDER, (_, k: string) => String(values[k] ?? ""));
}

const placeholderCache = new Map<string, string[]>();

/** The names a template refers to ({{name}}). */
export function placeholders(template: string): string[] {
  let names = placeholderCache.get(template);
  if (!names) {
    names = [...template.matchAll(PLACEHOLDER)].map((m) => m[1]!);
    placeholderCache.set(template, names);
  }
  return names;
}
