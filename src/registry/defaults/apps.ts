// apps/v1 defaulting (pkg/apis/apps/v1/defaults.go, Kubernetes 1.33: StatefulSetAutoDeletePVC is
// GA, so the claim retention policy is defaulted; MaxUnavailableStatefulSet is alpha and off).
// ControllerRevision has no defaulter.
import type { KubeObject } from "../../apimachinery/types.js";
import { defaultPersistentVolumeClaim } from "./core.js";
import { defaultPodTemplateSpec } from "./pod-spec.js";
import { type Json, child, defaultEmbeddedMeta, defaultNil, defaultString, ensureChild, items, obj } from "./util.js";

export const DEFAULT_REVISION_HISTORY_LIMIT = 10;
export const DEFAULT_PROGRESS_DEADLINE_SECONDS = 600;

/** SetDefaults_Deployment. */
export function defaultDeployment(deployment: KubeObject): void {
  const spec = obj(deployment.spec);
  if (!spec) return;
  defaultNil(spec, "replicas", 1);
  const strategy = ensureChild(spec, "strategy");
  if (strategy) {
    defaultString(strategy, "type", "RollingUpdate");
    if (strategy.type === "RollingUpdate") {
      const rollingUpdate = ensureChild(strategy, "rollingUpdate");
      if (rollingUpdate) {
        defaultNil(rollingUpdate, "maxUnavailable", "25%");
        defaultNil(rollingUpdate, "maxSurge", "25%");
      }
    }
  }
  defaultNil(spec, "revisionHistoryLimit", DEFAULT_REVISION_HISTORY_LIMIT);
  defaultNil(spec, "progressDeadlineSeconds", DEFAULT_PROGRESS_DEADLINE_SECONDS);
  defaultPodTemplateSpec(child(spec, "template"));
}

/** SetDefaults_ReplicaSet. */
export function defaultReplicaSet(rs: KubeObject): void {
  const spec = obj(rs.spec);
  if (!spec) return;
  defaultNil(spec, "replicas", 1);
  defaultPodTemplateSpec(child(spec, "template"));
}

/** SetDefaults_DaemonSet. */
export function defaultDaemonSet(ds: KubeObject): void {
  const spec = obj(ds.spec);
  if (!spec) return;
  const strategy = ensureChild(spec, "updateStrategy");
  if (strategy) {
    defaultString(strategy, "type", "RollingUpdate");
    if (strategy.type === "RollingUpdate") {
      const rollingUpdate = ensureChild(strategy, "rollingUpdate");
      if (rollingUpdate) {
        defaultNil(rollingUpdate, "maxUnavailable", 1);
        defaultNil(rollingUpdate, "maxSurge", 0);
      }
    }
  }
  defaultNil(spec, "revisionHistoryLimit", DEFAULT_REVISION_HISTORY_LIMIT);
  defaultPodTemplateSpec(child(spec, "template"));
}

/**
 * A volumeClaimTemplate: the v1 conversion always writes apiVersion v1 / kind
 * PersistentVolumeClaim (issue 87583), and the claim is defaulted like a PersistentVolumeClaim.
 */
function defaultVolumeClaimTemplate(claim: Json): void {
  claim.apiVersion = "v1";
  claim.kind = "PersistentVolumeClaim";
  defaultEmbeddedMeta(claim);
  defaultPersistentVolumeClaim(claim);
}

/** SetDefaults_StatefulSet. */
export function defaultStatefulSet(sts: KubeObject): void {
  const spec = obj(sts.spec);
  if (!spec) return;
  defaultString(spec, "podManagementPolicy", "OrderedReady");
  const strategy = ensureChild(spec, "updateStrategy");
  if (strategy) {
    if (strategy.type === undefined || strategy.type === null || strategy.type === "") {
      strategy.type = "RollingUpdate";
      defaultNil(strategy, "rollingUpdate", {});
    }
    const rollingUpdate = child(strategy, "rollingUpdate");
    if (strategy.type === "RollingUpdate" && rollingUpdate) defaultNil(rollingUpdate, "partition", 0);
  }
  const retention = ensureChild(spec, "persistentVolumeClaimRetentionPolicy");
  if (retention) {
    defaultString(retention, "whenDeleted", "Retain");
    defaultString(retention, "whenScaled", "Retain");
  }
  defaultNil(spec, "replicas", 1);
  defaultNil(spec, "revisionHistoryLimit", DEFAULT_REVISION_HISTORY_LIMIT);
  defaultPodTemplateSpec(child(spec, "template"));
  for (const claim of items(spec, "volumeClaimTemplates")) defaultVolumeClaimTemplate(claim);
}
