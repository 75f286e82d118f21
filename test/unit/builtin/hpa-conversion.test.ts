// autoscaling/v1 <-> v2 HorizontalPodAutoscaler conversion, with upstream's round-trip annotations.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { isApiError } from "../../../src/apimachinery/errors.js";
import type { KubeObject } from "../../../src/apimachinery/types.js";
import {
  BEHAVIOR_ANNOTATION,
  CONDITIONS_ANNOTATION,
  METRIC_SPECS_ANNOTATION,
  METRIC_STATUSES_ANNOTATION,
  hpaV1ToV2,
  hpaV2ToV1,
} from "../../../src/registry/builtin/autoscaling/hpa-conversion.js";
import { horizontalpodautoscalersV2 } from "../../../src/registry/builtin/autoscaling/horizontalpodautoscalers.js";

const meta = () => ({ name: "web", namespace: "default", uid: "u-1", resourceVersion: "42", annotations: { team: "a" } });

/** A v2 HPA using every metric source; the CPU utilization metric is last, where v1 -> v2 puts it. */
function richV2(): KubeObject {
  return {
    kind: "HorizontalPodAutoscaler",
    apiVersion: "autoscaling/v2",
    metadata: meta(),
    spec: {
      scaleTargetRef: { kind: "Deployment", name: "web", apiVersion: "apps/v1" },
      minReplicas: 2,
      maxReplicas: 10,
      metrics: [
        { type: "Resource", resource: { name: "memory", target: { type: "AverageValue", averageValue: "500Mi" } } },
        { type: "Pods", pods: { metric: { name: "packets-per-second" }, target: { type: "AverageValue", averageValue: "1k" } } },
        {
          type: "Object",
          object: {
            describedObject: { kind: "Ingress", name: "main-route", apiVersion: "networking.k8s.io/v1" },
            target: { type: "Value", value: "10k" },
            metric: { name: "requests-per-second" },
          },
        },
        {
          type: "External",
          external: { metric: { name: "queue_messages_ready", selector: { matchLabels: { queue: "worker_tasks" } } }, target: { type: "AverageValue", averageValue: "30" } },
        },
        { type: "ContainerResource", containerResource: { name: "cpu", target: { type: "Utilization", averageUtilization: 70 }, container: "app" } },
        { type: "Resource", resource: { name: "cpu", target: { type: "Utilization", averageUtilization: 60 } } },
      ],
      behavior: {
        scaleUp: { stabilizationWindowSeconds: 0, selectPolicy: "Max", policies: [{ type: "Pods", value: 4, periodSeconds: 15 }] },
        scaleDown: { stabilizationWindowSeconds: 300, policies: [{ type: "Percent", value: 100, periodSeconds: 15 }] },
      },
    },
    status: {
      observedGeneration: 1,
      lastScaleTime: "2026-01-01T00:00:00Z",
      currentReplicas: 3,
      desiredReplicas: 4,
      currentMetrics: [
        { type: "Resource", resource: { name: "cpu", current: { averageValue: "250m", averageUtilization: 55 } } },
        { type: "Pods", pods: { metric: { name: "packets-per-second" }, current: { averageValue: "900" } } },
        {
          type: "Object",
          object: { metric: { name: "requests-per-second" }, current: { value: "12k" }, describedObject: { kind: "Ingress", name: "main-route", apiVersion: "networking.k8s.io/v1" } },
        },
      ],
      conditions: [
        { type: "AbleToScale", status: "True", lastTransitionTime: "2026-01-01T00:00:00Z", reason: "ReadyForNewScale", message: "recommended size matches current size" },
      ],
    },
  };
}

describe("HPA v2 -> v1", () => {
  const v1 = hpaV2ToV1(richV2());

  it("maps the CPU utilization metric to targetCPUUtilizationPercentage", () => {
    assert.equal(v1.apiVersion, "autoscaling/v1");
    assert.deepEqual(v1.spec, { scaleTargetRef: { kind: "Deployment", name: "web", apiVersion: "apps/v1" }, minReplicas: 2, maxReplicas: 10, targetCPUUtilizationPercentage: 60 });
    assert.deepEqual(v1.status, { observedGeneration: 1, lastScaleTime: "2026-01-01T00:00:00Z", currentReplicas: 3, desiredReplicas: 4, currentCPUUtilizationPercentage: 55 });
  });

  it("keeps other metrics, metric statuses, conditions and behavior in annotations", () => {
    const a = v1.metadata.annotations!;
    assert.deepEqual(Object.keys(a).sort(), [BEHAVIOR_ANNOTATION, CONDITIONS_ANNOTATION, METRIC_STATUSES_ANNOTATION, METRIC_SPECS_ANNOTATION, "team"].sort());
    assert.equal(
      a[METRIC_SPECS_ANNOTATION],
      '[{"type":"Resource","resource":{"name":"memory","targetAverageValue":"500Mi"}},' +
        '{"type":"Pods","pods":{"metricName":"packets-per-second","targetAverageValue":"1k"}},' +
        '{"type":"Object","object":{"target":{"kind":"Ingress","name":"main-route","apiVersion":"networking.k8s.io/v1"},"metricName":"requests-per-second","targetValue":"10k"}},' +
        '{"type":"External","external":{"metricName":"queue_messages_ready","metricSelector":{"matchLabels":{"queue":"worker_tasks"}},"targetAverageValue":"30"}},' +
        '{"type":"ContainerResource","containerResource":{"name":"cpu","targetAverageUtilization":70,"container":"app"}}]',
    );
    assert.equal(
      a[METRIC_STATUSES_ANNOTATION],
      '[{"type":"Resource","resource":{"name":"cpu","currentAverageUtilization":55,"currentAverageValue":"250m"}},' +
        '{"type":"Pods","pods":{"metricName":"packets-per-second","currentAverageValue":"900"}},' +
        '{"type":"Object","object":{"target":{"kind":"Ingress","name":"main-route","apiVersion":"networking.k8s.io/v1"},"metricName":"requests-per-second","currentValue":"12k"}}]',
    );
    assert.equal(
      a[CONDITIONS_ANNOTATION],
      '[{"type":"AbleToScale","status":"True","lastTransitionTime":"2026-01-01T00:00:00Z","reason":"ReadyForNewScale","message":"recommended size matches current size"}]',
    );
    assert.equal(
      a[BEHAVIOR_ANNOTATION],
      '{"ScaleUp":{"StabilizationWindowSeconds":0,"SelectPolicy":"Max","Policies":[{"Type":"Pods","Value":4,"PeriodSeconds":15}],"Tolerance":null},' +
        '"ScaleDown":{"StabilizationWindowSeconds":300,"SelectPolicy":null,"Policies":[{"Type":"Percent","Value":100,"PeriodSeconds":15}],"Tolerance":null}}',
    );
  });

  it("does not mutate its input", () => {
    const input = richV2();
    hpaV2ToV1(input);
    assert.deepEqual(input, richV2());
  });

  it("drops stale round-trip annotations a v2 client left on the object", () => {
    const v2 = richV2();
    v2.metadata.annotations = { [METRIC_SPECS_ANNOTATION]: "[]", [CONDITIONS_ANNOTATION]: "junk" };
    delete (v2.spec as Record<string, unknown>).behavior;
    (v2.spec as Record<string, unknown>).metrics = [{ type: "Resource", resource: { name: "cpu", target: { type: "Utilization", averageUtilization: 50 } } }];
    delete v2.status;
    const out = hpaV2ToV1(v2);
    assert.equal(out.metadata.annotations, undefined);
    assert.equal((out.spec as Record<string, unknown>).targetCPUUtilizationPercentage, 50);
  });
});

describe("HPA round trips", () => {
  it("v2 -> v1 -> v2 is the identity (all metric sources, statuses, conditions, behavior)", () => {
    assert.deepEqual(hpaV1ToV2(hpaV2ToV1(richV2())), richV2());
  });

  it("v1 -> v2 -> v1 is the identity for a plain v1 HPA", () => {
    const v1: KubeObject = {
      kind: "HorizontalPodAutoscaler",
      apiVersion: "autoscaling/v1",
      metadata: meta(),
      spec: { scaleTargetRef: { kind: "Deployment", name: "web", apiVersion: "apps/v1" }, minReplicas: 1, maxReplicas: 5, targetCPUUtilizationPercentage: 50 },
    };
    const v2 = hpaV1ToV2(v1);
    assert.deepEqual((v2.spec as Record<string, unknown>).metrics, [{ type: "Resource", resource: { name: "cpu", target: { type: "Utilization", averageUtilization: 50 } } }]);
    assert.deepEqual(hpaV2ToV1(v2), v1);
  });

  it("a v1 HPA without a target gets the 80% CPU default", () => {
    const v2 = hpaV1ToV2({ kind: "HorizontalPodAutoscaler", apiVersion: "autoscaling/v1", metadata: { name: "x" }, spec: { scaleTargetRef: { kind: "Deployment", name: "x" }, maxReplicas: 3 } });
    assert.deepEqual((v2.spec as Record<string, unknown>).metrics, [{ type: "Resource", resource: { name: "cpu", target: { type: "Utilization", averageUtilization: 80 } } }]);
  });

  it("v1 status alone becomes a CPU metric status", () => {
    const v2 = hpaV1ToV2({
      kind: "HorizontalPodAutoscaler",
      apiVersion: "autoscaling/v1",
      metadata: { name: "x" },
      spec: { scaleTargetRef: { kind: "Deployment", name: "x" }, maxReplicas: 3, targetCPUUtilizationPercentage: 50 },
      status: { currentReplicas: 2, desiredReplicas: 2, currentCPUUtilizationPercentage: 40 },
    });
    assert.deepEqual(v2.status, {
      currentReplicas: 2,
      desiredReplicas: 2,
      currentMetrics: [{ type: "Resource", resource: { name: "cpu", current: { averageUtilization: 40 } } }],
    });
  });

  it("like upstream, a required v1 quantity left unset comes back as \"0\"", () => {
    const v2 = richV2();
    (v2.status as { currentMetrics: unknown[] }).currentMetrics = [{ type: "Resource", resource: { name: "cpu", current: { averageUtilization: 55 } } }];
    const back = hpaV1ToV2(hpaV2ToV1(v2));
    assert.deepEqual((back.status as { currentMetrics: unknown[] }).currentMetrics, [
      { type: "Resource", resource: { name: "cpu", current: { averageValue: "0", averageUtilization: 55 } } },
    ]);
  });

  it("a v1 annotation that is not JSON is a BadRequest", () => {
    assert.throws(
      () => hpaV1ToV2({ kind: "HorizontalPodAutoscaler", metadata: { name: "x", annotations: { [METRIC_SPECS_ANNOTATION]: "{nope" } }, spec: { maxReplicas: 1 } }),
      (err: unknown) => isApiError(err) && err.code === 400,
    );
  });
});

describe("HPA v2 strategy", () => {
  it("never stores v1 round-trip annotations", () => {
    const obj: KubeObject = { kind: "HorizontalPodAutoscaler", metadata: { name: "x", annotations: { [BEHAVIOR_ANNOTATION]: "{}", keep: "me" } } };
    horizontalpodautoscalersV2.strategy!.canonicalize!(obj);
    assert.deepEqual(obj.metadata.annotations, { keep: "me" });
  });
});
