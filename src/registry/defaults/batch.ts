// batch/v1 defaulting (pkg/apis/batch/v1/defaults.go, Kubernetes 1.33: JobPodReplacementPolicy is
// beta and on; spec.manualSelector is defaulted to false since 1.29). A CronJob's job template
// gets the PodSpec defaults but not SetDefaults_Job (that takes a Job, not a JobSpec); its pod
// failure policy conditions get their status default (SetDefaults_PodFailurePolicyOnPodConditions
// Pattern, kubernetes#131525, the 1.33 patch-release fix of CronJobs failing validation).
import type { KubeObject } from "../../apimachinery/types.js";
import { defaultPodTemplateSpec } from "./pod-spec.js";
import { type Json, child, defaultEmbeddedMeta, defaultNil, defaultString, isEmptyCollection, isNil, items, obj } from "./util.js";

/** The backoffLimit of a Job that sets backoffLimitPerIndex: math.MaxInt32. */
export const MAX_INT32 = 2147483647;

/** The status of each onPodConditions pattern of a pod failure policy defaults to "True". */
function defaultPodFailurePolicy(spec: Json): void {
  for (const rule of items(child(spec, "podFailurePolicy"), "rules")) {
    for (const pattern of items(rule, "onPodConditions")) defaultString(pattern, "status", "True");
  }
}

/** SetDefaults_Job and the template. */
export function defaultJob(job: KubeObject): void {
  const spec = obj(job.spec);
  if (!spec) return;
  if (isNil(spec.completions) && isNil(spec.parallelism)) {
    spec.completions = 1;
    spec.parallelism = 1;
  }
  defaultNil(spec, "parallelism", 1);
  if (isNil(spec.backoffLimit)) spec.backoffLimit = isNil(spec.backoffLimitPerIndex) ? 6 : MAX_INT32;
  const template = child(spec, "template");
  const labels = child(child(template, "metadata"), "labels");
  if (labels && Object.keys(labels).length > 0 && isEmptyCollection(job.metadata.labels)) {
    job.metadata.labels = { ...(labels as Record<string, string>) };
  }
  defaultNil(spec, "completionMode", "NonIndexed");
  defaultNil(spec, "suspend", false);
  defaultPodFailurePolicy(spec);
  defaultNil(spec, "podReplacementPolicy", isNil(spec.podFailurePolicy) ? "TerminatingOrFailed" : "Failed");
  defaultNil(spec, "manualSelector", false);
  defaultPodTemplateSpec(template);
}

/** SetDefaults_CronJob, the job template's embedded metadata and its pod template. */
export function defaultCronJob(cronJob: KubeObject): void {
  const spec = obj(cronJob.spec);
  if (!spec) return;
  defaultString(spec, "concurrencyPolicy", "Allow");
  defaultNil(spec, "suspend", false);
  defaultNil(spec, "successfulJobsHistoryLimit", 3);
  defaultNil(spec, "failedJobsHistoryLimit", 1);
  const jobTemplate = child(spec, "jobTemplate");
  if (!jobTemplate) return;
  defaultEmbeddedMeta(jobTemplate);
  const jobSpec = child(jobTemplate, "spec");
  if (!jobSpec) return;
  defaultPodFailurePolicy(jobSpec);
  defaultPodTemplateSpec(child(jobSpec, "template"));
}
