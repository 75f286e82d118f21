// autoscaling/v1 and autoscaling/v2 HorizontalPodAutoscaler defaulting
// (pkg/apis/autoscaling/v{1,2}/defaults.go, Kubernetes 1.33). v1 defaults only minReplicas; a v1
// object without a CPU target reads back with 80% because the v2 storage form gets the default
// CPU metric (done by the v1<->v2 conversion in builtin/autoscaling).
import type { KubeObject } from "../../apimachinery/types.js";
import { defaultQuantityField } from "./quantity.js";
import { type Json, child, defaultNil, isEmptyCollection, isNil, items, obj } from "./util.js";

/** autoscaling.DefaultCPUUtilization. */
export const DEFAULT_CPU_UTILIZATION = 80;

/** Scale-up rules when behavior is given: no stabilization, the larger of +4 pods and +100% per 15s. */
function defaultScaleUpRules(): Json {
  return {
    stabilizationWindowSeconds: 0,
    selectPolicy: "Max",
    policies: [
      { type: "Pods", value: 4, periodSeconds: 15 },
      { type: "Percent", value: 100, periodSeconds: 15 },
    ],
  };
}

/** Scale-down rules: -100% per 15s; the stabilization window stays unset (the controller's flag decides). */
function defaultScaleDownRules(): Json {
  return { selectPolicy: "Max", policies: [{ type: "Percent", value: 100, periodSeconds: 15 }] };
}

/** copyHPAScalingRules: the client's non-nil fields over the defaults. */
function mergeRules(given: unknown, defaults: Json): Json {
  const rules = obj(given);
  if (!rules) return defaults;
  const out: Json = { ...rules };
  for (const key of ["selectPolicy", "stabilizationWindowSeconds", "policies", "tolerance"]) {
    if (isNil(rules[key])) {
      if (defaults[key] === undefined) delete out[key];
      else out[key] = defaults[key];
    }
  }
  return out;
}

/** A MetricTarget / MetricValueStatus: its quantities in canonical form. */
function canonicalMetricValues(target: Json | undefined): void {
  defaultQuantityField(target, "value");
  defaultQuantityField(target, "averageValue");
}

const METRIC_SOURCES = ["object", "pods", "resource", "containerResource", "external"];

export function defaultHPAv1(hpa: KubeObject): void {
  const spec = obj(hpa.spec);
  if (spec) defaultNil(spec, "minReplicas", 1);
}

/** SetDefaults_HorizontalPodAutoscaler (v2) with SetDefaults_HorizontalPodAutoscalerBehavior. */
export function defaultHPAv2(hpa: KubeObject): void {
  const spec = obj(hpa.spec);
  if (spec) {
    defaultNil(spec, "minReplicas", 1);
    if (isEmptyCollection(spec.metrics)) {
      spec.metrics = [
        { type: "Resource", resource: { name: "cpu", target: { type: "Utilization", averageUtilization: DEFAULT_CPU_UTILIZATION } } },
      ];
    }
    const behavior = child(spec, "behavior");
    if (behavior) {
      behavior.scaleUp = mergeRules(behavior.scaleUp, defaultScaleUpRules());
      behavior.scaleDown = mergeRules(behavior.scaleDown, defaultScaleDownRules());
      defaultQuantityField(child(behavior, "scaleUp"), "tolerance");
      defaultQuantityField(child(behavior, "scaleDown"), "tolerance");
    }
    for (const metric of items(spec, "metrics")) {
      for (const source of METRIC_SOURCES) canonicalMetricValues(child(child(metric, source), "target"));
    }
  }
  for (const metric of items(obj(hpa.status), "currentMetrics")) {
    for (const source of METRIC_SOURCES) canonicalMetricValues(child(child(metric, source), "current"));
  }
}
