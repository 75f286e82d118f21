// autoscaling/v1 <-> autoscaling/v2 HorizontalPodAutoscaler, as upstream converts through the
// internal type (pkg/apis/autoscaling/v1/conversion.go). v1 only has a CPU utilization target; every
// other metric, the metric statuses, the conditions and the scaling behavior ride along in
// autoscaling.alpha.kubernetes.io/* annotations, in the v1 (v2beta1-shaped) metric form and, for the
// behavior, as upstream marshals its internal struct (Go field names).
import { errors } from "../../../apimachinery/errors.js";
import type { KubeObject } from "../../../apimachinery/types.js";
import { type JsonObject, asArray, asObject, asString, buildObject as build, deepCopy, specOf } from "../strategy-helpers.js";
import {
  convertCondition,
  crossVersionRef,
  metricSpecToV1,
  metricSpecToV2,
  metricStatusToV1,
  metricStatusToV2,
  opt,
  optNumber,
  optString,
} from "./hpa-metrics.js";

export const METRIC_SPECS_ANNOTATION = "autoscaling.alpha.kubernetes.io/metrics";
export const METRIC_STATUSES_ANNOTATION = "autoscaling.alpha.kubernetes.io/current-metrics";
export const CONDITIONS_ANNOTATION = "autoscaling.alpha.kubernetes.io/conditions";
export const BEHAVIOR_ANNOTATION = "autoscaling.alpha.kubernetes.io/behavior";
export const ROUND_TRIP_ANNOTATIONS = [METRIC_SPECS_ANNOTATION, BEHAVIOR_ANNOTATION, METRIC_STATUSES_ANNOTATION, CONDITIONS_ANNOTATION];

/** The CPU utilization target a v1 HPA without one (and without other metrics) gets. */
export const DEFAULT_CPU_UTILIZATION = 80;

const isCPUUtilization = (m: JsonObject): boolean => {
  const resource = asObject(m.resource);
  return m.type === "Resource" && !!resource && resource.name === "cpu" && typeof asObject(resource.target)?.averageUtilization === "number";
};

/** Drops round-trip annotations a stored object must not carry (upstream DropRoundTripHorizontalPodAutoscalerAnnotations). */
export function dropRoundTripAnnotations(obj: KubeObject): void {
  const annotations = obj.metadata.annotations;
  if (!annotations || !ROUND_TRIP_ANNOTATIONS.some((k) => k in annotations)) return;
  const kept = { ...annotations };
  for (const k of ROUND_TRIP_ANNOTATIONS) delete kept[k];
  obj.metadata.annotations = kept;
}

// ---- behavior: the internal struct as encoding/json writes it (no json tags) ----

function behaviorToAnnotation(behavior: JsonObject): string {
  const rules = (v: unknown) => {
    const r = asObject(v);
    if (!r) return null;
    return {
      StabilizationWindowSeconds: optNumber(r.stabilizationWindowSeconds) ?? null,
      SelectPolicy: optString(r.selectPolicy) ?? null,
      Policies: Array.isArray(r.policies)
        ? r.policies.map((p) => {
            const policy = asObject(p) ?? {};
            return { Type: asString(policy.type), Value: optNumber(policy.value) ?? 0, PeriodSeconds: optNumber(policy.periodSeconds) ?? 0 };
          })
        : null,
      Tolerance: opt(r.tolerance) ?? null,
    };
  };
  return JSON.stringify({ ScaleUp: rules(behavior.scaleUp), ScaleDown: rules(behavior.scaleDown) });
}

/** encoding/json matches struct fields case-insensitively. */
function field(obj: JsonObject, name: string): unknown {
  const lower = name.toLowerCase();
  const key = Object.keys(obj).find((k) => k.toLowerCase() === lower);
  return key === undefined ? undefined : obj[key];
}

function behaviorFromAnnotation(text: string): JsonObject {
  const parsed = asObject(parseAnnotation(BEHAVIOR_ANNOTATION, text)) ?? {};
  const rules = (v: unknown) => {
    const r = asObject(v);
    if (!r) return undefined;
    const policies = field(r, "Policies");
    return build([
      ["stabilizationWindowSeconds", optNumber(field(r, "StabilizationWindowSeconds"))],
      ["selectPolicy", optString(field(r, "SelectPolicy"))],
      [
        "policies",
        Array.isArray(policies) && policies.length > 0
          ? policies.map((p) => {
              const policy = asObject(p) ?? {};
              return { type: asString(field(policy, "Type")), value: optNumber(field(policy, "Value")) ?? 0, periodSeconds: optNumber(field(policy, "PeriodSeconds")) ?? 0 };
            })
          : undefined,
      ],
      ["tolerance", opt(field(r, "Tolerance"))],
    ]);
  };
  return build([
    ["scaleUp", rules(field(parsed, "ScaleUp"))],
    ["scaleDown", rules(field(parsed, "ScaleDown"))],
  ]);
}

function parseAnnotation(key: string, text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (err) {
    throw errors.badRequest(`unable to decode annotation ${key}: ${(err as Error).message}`);
  }
}

function parseList(key: string, text: string): JsonObject[] {
  return asArray(parseAnnotation(key, text)).map((e) => asObject(e) ?? {});
}

// ---- the two directions ----

/** autoscaling/v2 (the storage form) -> autoscaling/v1. */
export function hpaV2ToV1(hpa: KubeObject): KubeObject {
  const spec = specOf(hpa);
  const status = asObject(hpa.status);
  const metadata = deepCopy(hpa.metadata);
  const annotations: Record<string, string> = { ...(metadata.annotations ?? {}) };
  for (const k of ROUND_TRIP_ANNOTATIONS) delete annotations[k];

  const metrics = asArray(spec.metrics).map((m) => asObject(m) ?? {});
  let targetCPU: number | undefined;
  const firstCPU = metrics.find((m) => m.type === "Resource" && asObject(m.resource)?.name === "cpu");
  if (firstCPU) targetCPU = optNumber(asObject(asObject(firstCPU.resource)?.target)?.averageUtilization);
  const otherMetrics = metrics.filter((m) => !isCPUUtilization(m)).map(metricSpecToV1);
  if (otherMetrics.length > 0) annotations[METRIC_SPECS_ANNOTATION] = JSON.stringify(otherMetrics);

  let v1Status: JsonObject | undefined;
  if (status) {
    let currentCPU: number | undefined;
    const currentMetrics = asArray(status.currentMetrics).map((m) => asObject(m) ?? {});
    for (const m of currentMetrics) {
      const resource = asObject(m.resource);
      if (m.type === "Resource" && resource?.name === "cpu") {
        const utilization = optNumber(asObject(resource.current)?.averageUtilization);
        if (utilization !== undefined) currentCPU = utilization;
      }
    }
    if (currentMetrics.length > 0) annotations[METRIC_STATUSES_ANNOTATION] = JSON.stringify(currentMetrics.map(metricStatusToV1));
    const conditions = asArray(status.conditions);
    if (conditions.length > 0) annotations[CONDITIONS_ANNOTATION] = JSON.stringify(conditions.map(convertCondition));
    v1Status = build([
      ["observedGeneration", optNumber(status.observedGeneration)],
      ["lastScaleTime", opt(status.lastScaleTime)],
      ["currentReplicas", optNumber(status.currentReplicas) ?? 0],
      ["desiredReplicas", optNumber(status.desiredReplicas) ?? 0],
      ["currentCPUUtilizationPercentage", currentCPU],
    ]);
  }
  const behavior = asObject(spec.behavior);
  if (behavior) annotations[BEHAVIOR_ANNOTATION] = behaviorToAnnotation(behavior);

  if (Object.keys(annotations).length > 0) metadata.annotations = annotations;
  else delete metadata.annotations;
  return build([
    ["kind", "HorizontalPodAutoscaler"],
    ["apiVersion", "autoscaling/v1"],
    ["metadata", metadata],
    [
      "spec",
      build([
        ["scaleTargetRef", crossVersionRef(spec.scaleTargetRef)],
        ["minReplicas", optNumber(spec.minReplicas)],
        ["maxReplicas", optNumber(spec.maxReplicas) ?? 0],
        ["targetCPUUtilizationPercentage", targetCPU],
      ]),
    ],
    ["status", v1Status],
  ]) as KubeObject;
}

/** autoscaling/v1 -> autoscaling/v2 (the storage form). */
export function hpaV1ToV2(hpa: KubeObject): KubeObject {
  const spec = specOf(hpa);
  const status = asObject(hpa.status);
  const metadata = deepCopy(hpa.metadata);
  const annotations: Record<string, string> = { ...(metadata.annotations ?? {}) };

  const targetCPU = optNumber(spec.targetCPUUtilizationPercentage);
  const cpuMetric = (utilization: number) => ({
    type: "Resource",
    resource: { name: "cpu", target: { type: "Utilization", averageUtilization: utilization } },
  });
  let metrics: JsonObject[] = targetCPU === undefined ? [] : [cpuMetric(targetCPU)];
  if (METRIC_SPECS_ANNOTATION in annotations) {
    metrics = [...parseList(METRIC_SPECS_ANNOTATION, annotations[METRIC_SPECS_ANNOTATION]!).map(metricSpecToV2), ...metrics];
    delete annotations[METRIC_SPECS_ANNOTATION];
  }
  if (metrics.length === 0) metrics = [cpuMetric(DEFAULT_CPU_UTILIZATION)];

  let currentMetrics: JsonObject[] | undefined;
  const currentCPU = optNumber(status?.currentCPUUtilizationPercentage);
  if (currentCPU !== undefined) currentMetrics = [{ type: "Resource", resource: { name: "cpu", current: { averageUtilization: currentCPU } } }];
  if (METRIC_STATUSES_ANNOTATION in annotations) {
    currentMetrics = parseList(METRIC_STATUSES_ANNOTATION, annotations[METRIC_STATUSES_ANNOTATION]!).map(metricStatusToV2);
    delete annotations[METRIC_STATUSES_ANNOTATION];
  }
  let conditions: JsonObject[] | undefined;
  if (CONDITIONS_ANNOTATION in annotations) {
    conditions = parseList(CONDITIONS_ANNOTATION, annotations[CONDITIONS_ANNOTATION]!).map(convertCondition);
    delete annotations[CONDITIONS_ANNOTATION];
  }
  let behavior: JsonObject | undefined;
  if (BEHAVIOR_ANNOTATION in annotations) {
    behavior = behaviorFromAnnotation(annotations[BEHAVIOR_ANNOTATION]!);
    delete annotations[BEHAVIOR_ANNOTATION];
  }

  if (Object.keys(annotations).length > 0) metadata.annotations = annotations;
  else delete metadata.annotations;

  const v2Status =
    status || currentMetrics || conditions
      ? build([
          ["observedGeneration", optNumber(status?.observedGeneration)],
          ["lastScaleTime", opt(status?.lastScaleTime)],
          ["currentReplicas", optNumber(status?.currentReplicas) || undefined],
          ["desiredReplicas", optNumber(status?.desiredReplicas) ?? 0],
          ["currentMetrics", currentMetrics?.length ? currentMetrics : undefined],
          ["conditions", conditions?.length ? conditions : undefined],
        ])
      : undefined;
  return build([
    ["kind", "HorizontalPodAutoscaler"],
    ["apiVersion", "autoscaling/v2"],
    ["metadata", metadata],
    [
      "spec",
      build([
        ["scaleTargetRef", crossVersionRef(spec.scaleTargetRef)],
        ["minReplicas", optNumber(spec.minReplicas)],
        ["maxReplicas", optNumber(spec.maxReplicas) ?? 0],
        ["metrics", metrics],
        ["behavior", behavior],
      ]),
    ],
    ["status", v2Status],
  ]) as KubeObject;
}
