// HPA metric specs, metric statuses and conditions between the autoscaling/v2 form and the v1
// annotation form (autoscalingv1.MetricSpec/MetricStatus, shaped like v2beta1), as upstream's
// conversion functions map them. Objects are built in Go struct field order, leaving out what Go's
// encoder omits; non-pointer quantities v1 requires are written as "0" when unset, as Go does.
import { type JsonObject, asObject, asString, buildObject as build, deepCopy } from "../strategy-helpers.js";

export const opt = (v: unknown): unknown => (v === undefined || v === null ? undefined : deepCopy(v));
export const optString = (v: unknown): string | undefined => (typeof v === "string" && v !== "" ? v : undefined);
export const optNumber = (v: unknown): number | undefined => (typeof v === "number" ? v : undefined);
/** A non-pointer resource.Quantity: Go writes its zero value as "0". */
const quantity = (v: unknown): unknown => opt(v) ?? "0";

export const crossVersionRef = (v: unknown): JsonObject => {
  const r = asObject(v) ?? {};
  return build([
    ["kind", asString(r.kind)],
    ["name", asString(r.name)],
    ["apiVersion", optString(r.apiVersion)],
  ]);
};

export function metricSpecToV1(m: JsonObject): JsonObject {
  const convert: Record<string, (s: JsonObject) => JsonObject> = {
    object: (s) => {
      const target = asObject(s.target) ?? {};
      const metric = asObject(s.metric) ?? {};
      return build([
        ["target", crossVersionRef(s.describedObject)],
        ["metricName", asString(metric.name)],
        ["targetValue", quantity(target.value)],
        ["selector", opt(metric.selector)],
        ["averageValue", opt(target.averageValue)],
      ]);
    },
    pods: (s) => {
      const metric = asObject(s.metric) ?? {};
      return build([
        ["metricName", asString(metric.name)],
        ["targetAverageValue", quantity(asObject(s.target)?.averageValue)],
        ["selector", opt(metric.selector)],
      ]);
    },
    resource: (s) => {
      const target = asObject(s.target) ?? {};
      return build([
        ["name", asString(s.name)],
        ["targetAverageUtilization", optNumber(target.averageUtilization)],
        ["targetAverageValue", opt(target.averageValue)],
      ]);
    },
    containerResource: (s) => {
      const target = asObject(s.target) ?? {};
      return build([
        ["name", asString(s.name)],
        ["targetAverageUtilization", optNumber(target.averageUtilization)],
        ["targetAverageValue", opt(target.averageValue)],
        ["container", asString(s.container)],
      ]);
    },
    external: (s) => {
      const target = asObject(s.target) ?? {};
      const metric = asObject(s.metric) ?? {};
      return build([
        ["metricName", asString(metric.name)],
        ["metricSelector", opt(metric.selector)],
        ["targetValue", opt(target.value)],
        ["targetAverageValue", opt(target.averageValue)],
      ]);
    },
  };
  return sourcesIn(m, convert);
}

export function metricSpecToV2(m: JsonObject): JsonObject {
  const convert: Record<string, (s: JsonObject) => JsonObject> = {
    object: (s) =>
      build([
        ["describedObject", crossVersionRef(s.target)],
        [
          "target",
          build([
            ["type", s.averageValue === undefined || s.averageValue === null ? "Value" : "AverageValue"],
            ["value", quantity(s.targetValue)],
            ["averageValue", opt(s.averageValue)],
          ]),
        ],
        ["metric", build([["name", asString(s.metricName)], ["selector", opt(s.selector)]])],
      ]),
    pods: (s) =>
      build([
        ["metric", build([["name", asString(s.metricName)], ["selector", opt(s.selector)]])],
        ["target", build([["type", "AverageValue"], ["averageValue", quantity(s.targetAverageValue)]])],
      ]),
    resource: (s) => build([["name", asString(s.name)], ["target", resourceTargetToV2(s)]]),
    containerResource: (s) => build([["name", asString(s.name)], ["target", resourceTargetToV2(s)], ["container", asString(s.container)]]),
    external: (s) =>
      build([
        ["metric", build([["name", asString(s.metricName)], ["selector", opt(s.metricSelector)]])],
        [
          "target",
          build([
            ["type", s.targetValue === undefined || s.targetValue === null ? "AverageValue" : "Value"],
            ["value", opt(s.targetValue)],
            ["averageValue", opt(s.targetAverageValue)],
          ]),
        ],
      ]),
  };
  return sourcesIn(m, convert);
}

function resourceTargetToV2(s: JsonObject): JsonObject {
  const utilization = optNumber(s.targetAverageUtilization);
  return build([
    ["type", utilization === undefined ? "AverageValue" : "Utilization"],
    ["averageValue", opt(s.targetAverageValue)],
    ["averageUtilization", utilization],
  ]);
}

export function metricStatusToV1(m: JsonObject): JsonObject {
  const convert: Record<string, (s: JsonObject) => JsonObject> = {
    object: (s) => {
      const current = asObject(s.current) ?? {};
      const metric = asObject(s.metric) ?? {};
      return build([
        ["target", crossVersionRef(s.describedObject)],
        ["metricName", asString(metric.name)],
        ["currentValue", quantity(current.value)],
        ["selector", opt(metric.selector)],
        ["averageValue", opt(current.averageValue)],
      ]);
    },
    pods: (s) => {
      const metric = asObject(s.metric) ?? {};
      return build([
        ["metricName", asString(metric.name)],
        ["currentAverageValue", quantity(asObject(s.current)?.averageValue)],
        ["selector", opt(metric.selector)],
      ]);
    },
    resource: (s) => {
      const current = asObject(s.current) ?? {};
      return build([
        ["name", asString(s.name)],
        ["currentAverageUtilization", optNumber(current.averageUtilization)],
        ["currentAverageValue", quantity(current.averageValue)],
      ]);
    },
    containerResource: (s) => {
      const current = asObject(s.current) ?? {};
      return build([
        ["name", asString(s.name)],
        ["currentAverageUtilization", optNumber(current.averageUtilization)],
        ["currentAverageValue", quantity(current.averageValue)],
        ["container", asString(s.container)],
      ]);
    },
    external: (s) => {
      const current = asObject(s.current) ?? {};
      const metric = asObject(s.metric) ?? {};
      return build([
        ["metricName", asString(metric.name)],
        ["metricSelector", opt(metric.selector)],
        ["currentValue", quantity(current.value)],
        ["currentAverageValue", opt(current.averageValue)],
      ]);
    },
  };
  return sourcesIn(m, convert);
}

export function metricStatusToV2(m: JsonObject): JsonObject {
  const resourceCurrent = (s: JsonObject) =>
    build([
      ["averageValue", quantity(s.currentAverageValue)],
      ["averageUtilization", optNumber(s.currentAverageUtilization)],
    ]);
  const convert: Record<string, (s: JsonObject) => JsonObject> = {
    object: (s) =>
      build([
        ["metric", build([["name", asString(s.metricName)], ["selector", opt(s.selector)]])],
        ["current", build([["value", quantity(s.currentValue)], ["averageValue", opt(s.averageValue)]])],
        ["describedObject", crossVersionRef(s.target)],
      ]),
    pods: (s) =>
      build([
        ["metric", build([["name", asString(s.metricName)], ["selector", opt(s.selector)]])],
        ["current", build([["averageValue", quantity(s.currentAverageValue)]])],
      ]),
    resource: (s) => build([["name", asString(s.name)], ["current", resourceCurrent(s)]]),
    containerResource: (s) => build([["name", asString(s.name)], ["current", resourceCurrent(s)], ["container", asString(s.container)]]),
    external: (s) =>
      build([
        ["metric", build([["name", asString(s.metricName)], ["selector", opt(s.metricSelector)]])],
        ["current", build([["value", quantity(s.currentValue)], ["averageValue", opt(s.currentAverageValue)]])],
      ]),
  };
  return sourcesIn(m, convert);
}

/** MetricSpec/MetricStatus: type, then each source that is set, converted (Go field order). */
function sourcesIn(m: JsonObject, convert: Record<string, (s: JsonObject) => JsonObject>): JsonObject {
  const entries: [string, unknown][] = [["type", asString(m.type)]];
  for (const key of ["object", "pods", "resource", "containerResource", "external"]) {
    const source = asObject(m[key]);
    entries.push([key, source ? convert[key]!(source) : undefined]);
  }
  return build(entries);
}

export function convertCondition(c: unknown): JsonObject {
  const cond = asObject(c) ?? {};
  return build([
    ["type", asString(cond.type)],
    ["status", asString(cond.status)],
    ["lastTransitionTime", opt(cond.lastTransitionTime) ?? null],
    ["reason", optString(cond.reason)],
    ["message", optString(cond.message)],
  ]);
}
