// batch/v1 jobs (upstream pkg/registry/batch/job). Unless spec.manualSelector is true, the selector
// is generated from the Job's uid on create and the pod template gets the matching labels. Deleting a
// Job without a propagation policy orphans its pods (batch/v1 compatibility), with a warning.
import type { KubeObject } from "../../../apimachinery/types.js";
import { defineResource } from "../../definition.js";
import { asObject, ensureObject, immutableLabelSelector, nameNotDNSLabelWarning, specOf, statusOf } from "../strategy-helpers.js";

export const JOB_NAME_LABEL = "batch.kubernetes.io/job-name";
export const LEGACY_JOB_NAME_LABEL = "job-name";
export const CONTROLLER_UID_LABEL = "batch.kubernetes.io/controller-uid";
export const LEGACY_CONTROLLER_UID_LABEL = "controller-uid";

/** The warning of a Job delete that leaves the propagation policy to the default (upstream job REST). */
export const JOB_DELETE_ORPHAN_WARNING =
  "child pods are preserved by default when jobs are deleted; set propagationPolicy=Background to remove them or set propagationPolicy=Orphan to suppress this warning";

/** Labels the pod template and selects on the controller uid; labels the user set are kept. */
export function generateJobSelector(job: KubeObject): void {
  const spec = ensureObject(job, "spec");
  if (spec.manualSelector === true) return;
  const template = ensureObject(spec, "template");
  const templateMeta = ensureObject(template, "metadata");
  const labels = { ...((asObject(templateMeta.labels) ?? {}) as Record<string, string>) };
  const name = job.metadata.name ?? "";
  const uid = job.metadata.uid ?? "";
  for (const key of [LEGACY_JOB_NAME_LABEL, JOB_NAME_LABEL]) if (!(key in labels)) labels[key] = name;
  for (const key of [LEGACY_CONTROLLER_UID_LABEL, CONTROLLER_UID_LABEL]) if (!(key in labels)) labels[key] = uid;
  templateMeta.labels = labels;
  const selector = ensureObject(spec, "selector");
  const matchLabels = { ...((asObject(selector.matchLabels) ?? {}) as Record<string, string>) };
  if (!(CONTROLLER_UID_LABEL in matchLabels)) matchLabels[CONTROLLER_UID_LABEL] = uid;
  selector.matchLabels = matchLabels;
}

export const jobs = defineResource({
  group: "batch",
  version: "v1",
  kind: "Job",
  plural: "jobs",
  singular: "job",
  namespaced: true,
  categories: ["all"],
  schema: "io.k8s.api.batch.v1.Job",
  subresources: { status: true },
  fieldSelectors: {
    "status.successful": (o) => String(typeof statusOf(o).succeeded === "number" ? statusOf(o).succeeded : 0),
  },
  strategy: {
    generation: "spec",
    nameValidation: "DNS1123Subdomain",
    allowCreateOnUpdate: false,
    allowUnconditionalUpdate: true,
    defaultGarbageCollectionPolicy: "OrphanDependents",
    prepareForCreate: (_ctx, job) => generateJobSelector(job),
    warningsOnCreate: (_ctx, job) => nameNotDNSLabelWarning(job.metadata.name, "this is used in Pod names and hostnames"),
    validateUpdate: (_ctx, obj, old) => immutableLabelSelector("spec.selector", specOf(obj).selector, specOf(old).selector),
  },
});
