// List, map and patch semantics of the properties of apps, batch, autoscaling and policy (upstream +listType, +listMapKey,
// +mapType, +structType, +patchStrategy and +patchMergeKey markers of the 1.33 API types).
// Notation: see field-spec.ts.
import type { FieldTable } from "./field-spec.js";

export const FIELDS_WORKLOADS: FieldTable = {
  "io.k8s.api.apps.v1.DaemonSetStatus": { conditions: "merge(type) map[type]" },
  "io.k8s.api.apps.v1.DeploymentSpec": { strategy: "retainKeys" },
  "io.k8s.api.apps.v1.DeploymentStatus": { conditions: "merge(type) map[type]" },
  "io.k8s.api.apps.v1.ReplicaSetStatus": { conditions: "merge(type) map[type]" },
  "io.k8s.api.apps.v1.StatefulSetSpec": { volumeClaimTemplates: "atomic" },
  "io.k8s.api.apps.v1.StatefulSetStatus": { conditions: "merge(type) map[type]" },
  "io.k8s.api.autoscaling.v2.HPAScalingRules": { policies: "atomic" },
  "io.k8s.api.autoscaling.v2.HorizontalPodAutoscalerSpec": { metrics: "atomic" },
  "io.k8s.api.autoscaling.v2.HorizontalPodAutoscalerStatus": { conditions: "merge(type) map[type]", currentMetrics: "atomic" },
  "io.k8s.api.batch.v1.CronJobStatus": { active: "atomic" },
  "io.k8s.api.batch.v1.JobStatus": { conditions: "merge(type) atomic" },
  "io.k8s.api.batch.v1.PodFailurePolicy": { rules: "atomic" },
  "io.k8s.api.batch.v1.PodFailurePolicyOnExitCodesRequirement": { values: "set" },
  "io.k8s.api.batch.v1.PodFailurePolicyRule": { onPodConditions: "atomic" },
  "io.k8s.api.batch.v1.SuccessPolicy": { rules: "atomic" },
  "io.k8s.api.batch.v1.UncountedTerminatedPods": { failed: "set", succeeded: "set" },
  "io.k8s.api.policy.v1.PodDisruptionBudgetSpec": { selector: "replace" },
  "io.k8s.api.policy.v1.PodDisruptionBudgetStatus": { conditions: "merge(type) map[type]" },
};
