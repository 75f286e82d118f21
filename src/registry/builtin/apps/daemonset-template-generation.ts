// DaemonSet template generation: upstream's internal spec.templateGeneration, carried in apps/v1 by
// an annotation the v1 conversion writes on every object (pkg/apis/apps/v1/conversion.go).
import type { KubeObject } from "../../../apimachinery/types.js";
import { asObject, ensureObject } from "../strategy-helpers.js";

/**
 * Upstream keeps the internal spec.templateGeneration in this annotation of apps/v1 DaemonSets (the
 * v1 conversion writes it on every object it returns); the DaemonSet controller copies it into its
 * pods' `pod-template-generation` label.
 */
export const TEMPLATE_GENERATION_ANNOTATION = "deprecated.daemonset.template.generation";

/** The template generation an object carries (0 when absent or not a number, as upstream's internal zero value). */
export function templateGeneration(ds: KubeObject): number {
  const value = asObject(ds.metadata.annotations)?.[TEMPLATE_GENERATION_ANNOTATION];
  const n = typeof value === "string" && /^-?\d+$/.test(value) ? Number(value) : 0;
  return Number.isSafeInteger(n) ? n : 0;
}

export function setTemplateGeneration(ds: KubeObject, generation: number): void {
  ensureObject(ds.metadata as Record<string, unknown>, "annotations")[TEMPLATE_GENERATION_ANNOTATION] = String(generation);
}

/**
 * What the v1 conversion does on the way in and out: the annotation is always present ("0" for
 * none), so a writer's managedFields include it as on a real cluster.
 */
export function convertTemplateGeneration(ds: KubeObject): void {
  setTemplateGeneration(ds, templateGeneration(ds));
}
