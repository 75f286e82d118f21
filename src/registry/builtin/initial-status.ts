// What a new object's status is on a real 1.33 cluster: the JSON of the kind's zero status struct.
// Go writes fields without omitempty even when zero, so these are not all {} (facts read from the
// k8s.io/api types' json tags).
const INITIAL_STATUS: Record<string, Record<string, unknown>> = {
  "apps/ReplicaSet": { replicas: 0 },
  "apps/StatefulSet": { availableReplicas: 0, replicas: 0 },
  "apps/DaemonSet": { currentNumberScheduled: 0, desiredNumberScheduled: 0, numberMisscheduled: 0, numberReady: 0 },
  "policy/PodDisruptionBudget": { currentHealthy: 0, desiredHealthy: 0, disruptionsAllowed: 0, expectedPods: 0 },
  "autoscaling/HorizontalPodAutoscaler": { currentMetrics: null, desiredReplicas: 0 },
  "/Service": { loadBalancer: {} },
  "networking.k8s.io/Ingress": { loadBalancer: {} },
  "/ReplicationController": { replicas: 0 },
};

export function initialStatusOf(group: string, kind: string): Record<string, unknown> | undefined {
  return INITIAL_STATUS[`${group}/${kind}`];
}
