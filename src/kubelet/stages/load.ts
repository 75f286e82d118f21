// Stages from YAML (the kubelet's --kubelet-stages file): one Stage per document, KWOK-style.
//
//   apiVersion: kubefacade.io/v1alpha1
//   kind: Stage
//   metadata: { name: slow-start }
//   spec:
//     resource: container                 # or pod
//     selector:
//       matchExpressions:
//       - { key: container.state, operator: In, values: [pulled] }
//       - { key: pod.namespace, operator: In, values: [slow] }
//     delay: { durationMilliseconds: 20000, jitterDurationMilliseconds: 5000 }
//     next:
//       action: startContainer
//       events:
//       - { type: Normal, reason: Created, message: "Created container: {{container.name}}" }
//       - { type: Normal, reason: Started, message: "Started container {{container.name}}" }
//
// Loaded stages are tried before the defaults.
import { readFileSync } from "node:fs";
import { parseAllDocuments } from "yaml";
import { ACTIONS } from "../runtime.js";
import type { MatchExpression, Stage, StageEvent } from "./types.js";

const OPERATORS = new Set(["In", "NotIn", "Exists", "DoesNotExist"]);

type Obj = Record<string, unknown>;
const asObj = (v: unknown): Obj | undefined => (v && typeof v === "object" && !Array.isArray(v) ? (v as Obj) : undefined);

function fail(where: string, msg: string): never {
  throw new Error(`stage ${where}: ${msg}`);
}

export function parseStage(doc: unknown, where = "document"): Stage {
  const o = asObj(doc) ?? fail(where, "not an object");
  if (o.kind !== undefined && o.kind !== "Stage") fail(where, `kind must be Stage, got ${String(o.kind)}`);
  const name = String(asObj(o.metadata)?.name ?? "");
  if (!name) fail(where, "metadata.name is required");
  const spec = asObj(o.spec) ?? fail(name, "spec is required");
  const resource = spec.resource ?? "pod";
  if (resource !== "pod" && resource !== "container") fail(name, `spec.resource must be pod or container`);
  const exprs = (asObj(spec.selector)?.matchExpressions ?? []) as unknown[];
  if (!Array.isArray(exprs)) fail(name, "spec.selector.matchExpressions must be a list");
  const matchExpressions: MatchExpression[] = exprs.map((e, i) => {
    const x = asObj(e) ?? fail(name, `matchExpressions[${i}] is not an object`);
    if (typeof x.key !== "string") fail(name, `matchExpressions[${i}].key is required`);
    if (!OPERATORS.has(String(x.operator))) fail(name, `matchExpressions[${i}].operator must be one of In, NotIn, Exists, DoesNotExist`);
    const values = x.values === undefined ? undefined : (x.values as unknown[]).map(String);
    return { key: x.key, operator: x.operator as MatchExpression["operator"], ...(values ? { values } : {}) };
  });
  const next = asObj(spec.next) ?? fail(name, "spec.next is required");
  const action = String(next.action ?? "");
  if (!ACTIONS[action]) fail(name, `spec.next.action ${JSON.stringify(action)} is not one of ${Object.keys(ACTIONS).join(", ")}`);
  const events: StageEvent[] = ((next.events ?? []) as unknown[]).map((e, i) => {
    const x = asObj(e) ?? fail(name, `next.events[${i}] is not an object`);
    if (x.type !== "Normal" && x.type !== "Warning") fail(name, `next.events[${i}].type must be Normal or Warning`);
    return { type: x.type, reason: String(x.reason ?? ""), message: String(x.message ?? "") };
  });
  const d = asObj(spec.delay);
  const num = (v: unknown) => (typeof v === "number" && v >= 0 ? v : undefined);
  const delay = d
    ? {
        ...(num(d.durationMilliseconds) !== undefined ? { durationMilliseconds: num(d.durationMilliseconds)! } : {}),
        ...(typeof d.durationFrom === "string" ? { durationFrom: d.durationFrom } : {}),
        ...(num(d.jitterDurationMilliseconds) !== undefined ? { jitterDurationMilliseconds: num(d.jitterDurationMilliseconds)! } : {}),
      }
    : undefined;
  return { name, resource, selector: { matchExpressions }, ...(delay ? { delay } : {}), next: { action, ...(events.length ? { events } : {}) } };
}

export function parseStages(text: string, source = "stages"): Stage[] {
  return parseAllDocuments(text)
    .map((d, i) => ({ doc: d.toJS() as unknown, i }))
    .filter(({ doc }) => doc !== null && doc !== undefined)
    .map(({ doc, i }) => parseStage(doc, `${source}#${i}`));
}

export function loadStagesFile(path: string): Stage[] {
  return parseStages(readFileSync(path, "utf8"), path);
}
