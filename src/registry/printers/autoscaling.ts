// autoscaling printers: HorizontalPodAutoscaler (v1 and v2 shapes; v1 objects are read as upstream's
// v1 -> internal conversion does, including the round-trip metric annotations) and Scale.
import type { KubeObject } from "../../apimachinery/types.js";
import type { Printer } from "../printer.js";
import { formatQuantity, formatQuantityPtr } from "./quantity.js";
import { ageColumn, ageOf, column, get, has, int, list, nameColumn, nameOf, obj, printer, str } from "./util.js";

/** A metric target or current value in the internal (v2) shape. */
interface MetricValue {
  value?: unknown;
  averageValue?: unknown;
  averageUtilization?: number;
}

/** One spec metric or status metric, internal (v2) shape: type plus name and target/current. */
interface Metric {
  type: string;
  name: string;
  value: MetricValue | undefined;
}

function metricValue(v: unknown): MetricValue {
  const out: MetricValue = { value: get(v, "value"), averageValue: get(v, "averageValue") };
  if (has(v, "averageUtilization")) out.averageUtilization = int(v, "averageUtilization");
  return out;
}

const SOURCE_FIELD: Record<string, string> = {
  Resource: "resource",
  ContainerResource: "containerResource",
  Pods: "pods",
  Object: "object",
  External: "external",
};

/** v2 spec.metrics[i] / status.currentMetrics[i] -> Metric. */
function v2Metric(m: unknown, key: "target" | "current"): Metric {
  const type = str(m, "type");
  const source = get(m, SOURCE_FIELD[type] ?? "");
  if (source === undefined || source === null) return { type, name: "", value: undefined };
  return { type, name: str(source, "name"), value: metricValue(get(source, key)) };
}

/** autoscaling/v1 MetricSpec (round-trip annotation shape) -> Metric, as Convert_v1_MetricSpec_To_autoscaling does. */
function v1SpecMetric(m: unknown): Metric {
  const type = str(m, "type");
  const s = obj(m, SOURCE_FIELD[type] ?? "");
  const value: MetricValue = {};
  switch (type) {
    case "Resource":
    case "ContainerResource":
      value.averageValue = get(s, "targetAverageValue");
      if (has(s, "targetAverageUtilization")) value.averageUtilization = int(s, "targetAverageUtilization");
      break;
    case "Pods":
      value.averageValue = get(s, "targetAverageValue") ?? "0";
      break;
    case "Object":
      value.value = get(s, "targetValue") ?? "0";
      value.averageValue = get(s, "averageValue");
      break;
    case "External":
      value.value = get(s, "targetValue");
      value.averageValue = get(s, "targetAverageValue");
      break;
  }
  return { type, name: str(s, "name"), value };
}

/** autoscaling/v1 MetricStatus (round-trip annotation shape) -> Metric. */
function v1StatusMetric(m: unknown): Metric {
  const type = str(m, "type");
  const s = obj(m, SOURCE_FIELD[type] ?? "");
  const value: MetricValue = {};
  switch (type) {
    case "Resource":
    case "ContainerResource":
      value.averageValue = get(s, "currentAverageValue") ?? "0";
      if (has(s, "currentAverageUtilization")) value.averageUtilization = int(s, "currentAverageUtilization");
      break;
    case "Pods":
      value.averageValue = get(s, "currentAverageValue") ?? "0";
      break;
    case "Object":
      value.value = get(s, "currentValue") ?? "0";
      value.averageValue = get(s, "averageValue");
      break;
    case "External":
      value.value = get(s, "currentValue") ?? "0";
      value.averageValue = get(s, "currentAverageValue");
      break;
  }
  return { type, name: str(s, "name"), value };
}

function annotationList(o: KubeObject, key: string): unknown[] | undefined {
  const raw = get(o, "metadata", "annotations", key);
  if (typeof raw !== "string") return undefined;
  try {
    const parsed: unknown = JSON.parse(raw);
    return Array.isArray(parsed) ? parsed : undefined;
  } catch {
    return undefined;
  }
}

/** Spec and status metrics of an HPA in the internal shape, from a v1 or v2 object. */
export function hpaMetrics(o: KubeObject): { specs: Metric[]; statuses: Metric[] } {
  const spec = obj(o, "spec");
  const status = obj(o, "status");
  if (!has(spec, "targetCPUUtilizationPercentage") && !has(status, "currentCPUUtilizationPercentage") && !isV1(o)) {
    return {
      specs: list(spec, "metrics").map((m) => v2Metric(m, "target")),
      statuses: list(status, "currentMetrics").map((m) => v2Metric(m, "current")),
    };
  }
  const specs: Metric[] = [];
  const other = annotationList(o, "autoscaling.alpha.kubernetes.io/metrics");
  if (other) specs.push(...other.map(v1SpecMetric));
  if (has(spec, "targetCPUUtilizationPercentage")) {
    specs.push({ type: "Resource", name: "cpu", value: { averageUtilization: int(spec, "targetCPUUtilizationPercentage") } });
  }
  let statuses: Metric[] = [];
  if (has(status, "currentCPUUtilizationPercentage")) {
    statuses.push({ type: "Resource", name: "cpu", value: { averageUtilization: int(status, "currentCPUUtilizationPercentage") } });
  }
  const current = annotationList(o, "autoscaling.alpha.kubernetes.io/current-metrics");
  if (current) statuses = current.map(v1StatusMetric);
  return { specs, statuses };
}

function isV1(o: KubeObject): boolean {
  return o.apiVersion === "autoscaling/v1";
}

function percent(n: number | undefined, fallback: string): string {
  return n === undefined ? fallback : `${n}%`;
}

/** The TARGETS cell (upstream formatHPAMetrics): at most two metrics, then `+ N more...`. */
export function formatHPAMetrics(specs: Metric[], statuses: Metric[]): string {
  if (specs.length === 0) return "<none>";
  const items = specs.map((spec, i) => {
    const target = spec.value ?? {};
    const st = statuses[i];
    const current = st !== undefined && st.type === spec.type ? st.value : undefined;
    switch (spec.type) {
      case "External":
      case "Object":
        if (has(target, "averageValue")) {
          const cur = current && has(current, "averageValue") ? formatQuantity(current.averageValue) : "<unknown>";
          return `${cur}/${formatQuantity(target.averageValue)} (avg)`;
        }
        return `${current ? formatQuantityPtr(current.value) : "<unknown>"}/${formatQuantityPtr(target.value)}`;
      case "Pods":
        return `${current ? formatQuantityPtr(current.averageValue) : "<unknown>"}/${formatQuantityPtr(target.averageValue)}`;
      case "Resource":
      case "ContainerResource":
        if (has(target, "averageValue")) {
          const cur = current ? formatQuantityPtr(current.averageValue) : "<unknown>";
          return `${spec.name}: ${cur}/${formatQuantity(target.averageValue)}`;
        }
        return `${spec.name}: ${percent(current?.averageUtilization, "<unknown>")}/${percent(target.averageUtilization, "<auto>")}`;
    }
    return "<unknown type>";
  });
  const max = 2;
  const shown = items.slice(0, max).join(", ");
  return items.length > max ? `${shown} + ${items.length - max} more...` : shown;
}

export const horizontalPodAutoscalerPrinter: Printer = printer(
  [
    nameColumn(),
    column("Reference", "string", "scaleTargetRef points to the target resource to scale, and is used to the pods for which metrics should be collected, as well as to actually change the replica count."),
    column("Targets", "string", "metrics contains the specifications for which to use to calculate the desired replica count (the maximum replica count across all metrics will be used).  The desired replica count is calculated multiplying the ratio between the target value and the current value by the current number of pods.  Ergo, metrics used must decrease as the pod count is increased, and vice-versa.  See the individual metric source types for more information about how each type of metric must respond."),
    column("MinPods", "string", "minReplicas is the lower limit for the number of replicas to which the autoscaler can scale down.  It defaults to 1 pod.  minReplicas is allowed to be 0 if the alpha feature gate HPAScaleToZero is enabled and at least one Object or External metric is configured.  Scaling is active as long as at least one metric value is available."),
    column("MaxPods", "string", "maxReplicas is the upper limit for the number of replicas to which the autoscaler can scale up. It cannot be less that minReplicas."),
    column("Replicas", "string", "currentReplicas is current number of replicas of pods managed by this autoscaler, as last seen by the autoscaler."),
    ageColumn(),
  ],
  (o, ctx) => {
    const ref = obj(o, "spec", "scaleTargetRef");
    const { specs, statuses } = hpaMetrics(o);
    return [
      nameOf(o),
      `${str(ref, "kind")}/${str(ref, "name")}`,
      formatHPAMetrics(specs, statuses),
      has(o, "spec", "minReplicas") ? String(int(o, "spec", "minReplicas")) : "<unset>",
      int(o, "spec", "maxReplicas"),
      int(o, "status", "currentReplicas"),
      ageOf(o, ctx),
    ];
  },
);

/** autoscaling/v1 Scale (the scale subresource). Its Name column has no name format upstream. */
export const scalePrinter: Printer = printer(
  [
    column("Name", "string", "Name must be unique within a namespace. Is required when creating resources, although some resources may allow a client to request the generation of an appropriate name automatically. Name is primarily intended for creation idempotence and configuration definition. Cannot be updated. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/names#names"),
    column("Desired", "integer", "replicas is the desired number of instances for the scaled object."),
    column("Available", "integer", "replicas is the actual number of observed instances of the scaled object."),
    ageColumn(),
  ],
  (o, ctx) => [nameOf(o), int(o, "spec", "replicas"), int(o, "status", "replicas"), ageOf(o, ctx)],
);

