// The parts of batch/v1 and core/v1 objects the batch controllers read and write, as JSON shapes.
import type { KubeObject } from "../../apimachinery/types.js";

export interface ContainerStatus {
  name: string;
  restartCount?: number;
  state?: {
    terminated?: { exitCode?: number; finishedAt?: string | null; reason?: string };
    running?: Record<string, unknown>;
    waiting?: Record<string, unknown>;
  };
}

export interface PodCondition {
  type: string;
  status: string;
  lastTransitionTime?: string | null;
}

export interface Pod extends KubeObject {
  spec?: {
    nodeName?: string;
    restartPolicy?: string;
    initContainers?: { name: string; restartPolicy?: string }[];
    [k: string]: unknown;
  };
  status?: {
    phase?: string;
    conditions?: PodCondition[];
    containerStatuses?: ContainerStatus[];
    initContainerStatuses?: ContainerStatus[];
    [k: string]: unknown;
  };
}

export interface JobCondition {
  type: string;
  status: string;
  lastProbeTime?: string | null;
  lastTransitionTime?: string | null;
  reason?: string;
  message?: string;
}

export interface PodFailurePolicyRule {
  action: string;
  onExitCodes?: { containerName?: string; operator: string; values: number[] } | null;
  onPodConditions?: { type: string; status?: string }[] | null;
}

export interface PodFailurePolicy {
  rules: PodFailurePolicyRule[];
}

export interface SuccessPolicy {
  rules: { succeededIndexes?: string; succeededCount?: number }[];
}

export interface PodTemplate {
  metadata?: { labels?: Record<string, string>; annotations?: Record<string, string>; finalizers?: string[]; [k: string]: unknown };
  spec?: Record<string, unknown> & {
    containers?: Record<string, unknown>[];
    initContainers?: Record<string, unknown>[];
    restartPolicy?: string;
    hostname?: string;
  };
}

export interface JobSpec {
  parallelism?: number;
  completions?: number | null;
  activeDeadlineSeconds?: number | null;
  podFailurePolicy?: PodFailurePolicy | null;
  successPolicy?: SuccessPolicy | null;
  backoffLimit?: number;
  backoffLimitPerIndex?: number | null;
  maxFailedIndexes?: number | null;
  selector?: { matchLabels?: Record<string, string>; matchExpressions?: { key: string; operator: string; values?: string[] }[] };
  manualSelector?: boolean;
  template: PodTemplate;
  ttlSecondsAfterFinished?: number | null;
  completionMode?: string;
  suspend?: boolean;
  podReplacementPolicy?: string;
  managedBy?: string;
}

export interface UncountedTerminatedPods {
  succeeded?: string[];
  failed?: string[];
}

export interface JobStatus {
  conditions?: JobCondition[];
  startTime?: string | null;
  completionTime?: string | null;
  active?: number;
  succeeded?: number;
  failed?: number;
  terminating?: number | null;
  completedIndexes?: string;
  failedIndexes?: string | null;
  uncountedTerminatedPods?: UncountedTerminatedPods | null;
  ready?: number | null;
}

export interface Job extends KubeObject {
  spec: JobSpec;
  status?: JobStatus;
}

export interface ObjectReference {
  kind?: string;
  namespace?: string;
  name?: string;
  uid?: string;
  apiVersion?: string;
  resourceVersion?: string;
}

export interface CronJobSpec {
  schedule: string;
  timeZone?: string | null;
  startingDeadlineSeconds?: number | null;
  concurrencyPolicy?: string;
  suspend?: boolean;
  jobTemplate: { metadata?: { labels?: Record<string, string>; annotations?: Record<string, string> }; spec: JobSpec };
  successfulJobsHistoryLimit?: number | null;
  failedJobsHistoryLimit?: number | null;
}

export interface CronJob extends KubeObject {
  spec: CronJobSpec;
  status?: { active?: ObjectReference[]; lastScheduleTime?: string | null; lastSuccessfulTime?: string | null };
}

// label, annotation and finalizer keys (k8s.io/api/batch/v1)
export const JOB_TRACKING_FINALIZER = "batch.kubernetes.io/job-tracking";
export const JOB_COMPLETION_INDEX = "batch.kubernetes.io/job-completion-index";
export const JOB_INDEX_FAILURE_COUNT = "batch.kubernetes.io/job-index-failure-count";
export const JOB_INDEX_IGNORED_FAILURE_COUNT = "batch.kubernetes.io/job-index-ignored-failure-count";
export const CRONJOB_SCHEDULED_TIMESTAMP = "batch.kubernetes.io/cronjob-scheduled-timestamp";
export const JOB_CONTROLLER_NAME = "kubernetes.io/job-controller";

/** Parses a metav1.Time (RFC 3339); undefined when absent or unparseable. */
export function parseTime(t: string | null | undefined): number | undefined {
  if (!t) return undefined;
  const ms = Date.parse(t);
  return Number.isNaN(ms) ? undefined : ms;
}
