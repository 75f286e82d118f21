// Upstream's API validation of the built-in kinds (pkg/apis/<group>/validation), per kind.
// Metadata is validated generically by the store; each module here validates the rest of its
// kind, with upstream's field paths, messages and order. Fields upstream defaults are not
// reported missing (objects are validated as upstream sees them: defaulted).
import type { FieldError } from "../../apimachinery/field-errors.js";
import type { KubeObject } from "../../apimachinery/types.js";
import * as admission from "./admissionregistration.js";
import { validateCRD } from "./apiextensions.js";
import { validateAPIService } from "./apiregistration.js";
import * as apps from "./apps.js";
import { validateHPA } from "./autoscaling.js";
import * as batch from "./batch.js";
import { validateCSR } from "./certificates.js";
import { validateLease } from "./coordination.js";
import * as cluster from "./core/cluster.js";
import { validateConfigMap, validateSecret } from "./core/config.js";
import { validateEvent } from "./core/events.js";
import { validatePodCreate, validatePodTemplate, validatePodUpdate } from "./core/pod.js";
import { validateService, validateServiceUpdate } from "./core/service.js";
import * as coreStorage from "./core/storage.js";
import { validateEndpointSlice, validateEndpointSliceUpdate } from "./discovery.js";
import * as networking from "./networking.js";
import { validateRuntimeClass } from "./node.js";
import { validatePodDisruptionBudget } from "./policy.js";
import * as rbac from "./rbac.js";
import { validatePriorityClass } from "./scheduling.js";
import * as storage from "./storage.js";

export interface KindValidation {
  create?(obj: KubeObject): FieldError[];
  update?(obj: KubeObject, old: KubeObject): FieldError[];
}

type Validate = (obj: KubeObject) => FieldError[];

/** A kind whose update is validated like its create (upstream ValidateXUpdate = meta + ValidateX). */
const same = (v: Validate): KindValidation => ({ create: v, update: (obj) => v(obj) });

const validations = new Map<string, KindValidation>([
  // core/v1
  ["/Pod", { create: validatePodCreate, update: validatePodUpdate }],
  ["/PodTemplate", same(validatePodTemplate)],
  ["/ReplicationController", same(cluster.validateReplicationController)],
  ["/Service", { create: validateService, update: validateServiceUpdate }],
  ["/ConfigMap", same(validateConfigMap)],
  ["/Secret", same(validateSecret)],
  ["/Namespace", { create: cluster.validateNamespace }],
  ["/Node", { create: cluster.validateNode, update: cluster.validateNodeUpdate }],
  ["/Endpoints", same(cluster.validateEndpoints)],
  ["/Event", same(validateEvent)],
  ["/LimitRange", same(cluster.validateLimitRange)],
  ["/ResourceQuota", { create: cluster.validateResourceQuota, update: cluster.validateResourceQuotaUpdate }],
  ["/PersistentVolume", { create: coreStorage.validatePersistentVolume, update: coreStorage.validatePersistentVolumeUpdate }],
  ["/PersistentVolumeClaim", { create: coreStorage.validatePersistentVolumeClaim, update: coreStorage.validatePersistentVolumeClaimUpdate }],
  // apps/v1
  ["apps/Deployment", same(apps.validateDeployment)],
  ["apps/ReplicaSet", same(apps.validateReplicaSet)],
  ["apps/StatefulSet", same(apps.validateStatefulSet)],
  ["apps/DaemonSet", { create: apps.validateDaemonSet, update: apps.validateDaemonSetUpdate }],
  ["apps/ControllerRevision", { create: apps.validateControllerRevision, update: apps.validateControllerRevisionUpdate }],
  // batch/v1
  ["batch/Job", { create: batch.validateJob, update: batch.validateJobUpdate }],
  ["batch/CronJob", { create: batch.validateCronJob, update: batch.validateCronJobUpdate }],
  // networking.k8s.io/v1
  ["networking.k8s.io/Ingress", { create: networking.validateIngressCreate, update: networking.validateIngress }],
  ["networking.k8s.io/IngressClass", same(networking.validateIngressClass)],
  ["networking.k8s.io/NetworkPolicy", same(networking.validateNetworkPolicy)],
  // policy/v1
  ["policy/PodDisruptionBudget", same(validatePodDisruptionBudget)],
  // rbac.authorization.k8s.io/v1
  ["rbac.authorization.k8s.io/Role", same(rbac.validateRole)],
  ["rbac.authorization.k8s.io/ClusterRole", same(rbac.validateClusterRole)],
  ["rbac.authorization.k8s.io/RoleBinding", same(rbac.validateRoleBinding)],
  ["rbac.authorization.k8s.io/ClusterRoleBinding", same(rbac.validateClusterRoleBinding)],
  // scheduling, storage, coordination, discovery, autoscaling, certificates, node
  ["scheduling.k8s.io/PriorityClass", same(validatePriorityClass)],
  ["storage.k8s.io/StorageClass", same(storage.validateStorageClass)],
  ["storage.k8s.io/VolumeAttachment", same(storage.validateVolumeAttachment)],
  ["storage.k8s.io/CSIDriver", same(storage.validateCSIDriver)],
  ["coordination.k8s.io/Lease", same(validateLease)],
  ["discovery.k8s.io/EndpointSlice", { create: validateEndpointSlice, update: validateEndpointSliceUpdate }],
  ["autoscaling/HorizontalPodAutoscaler", same(validateHPA)],
  ["certificates.k8s.io/CertificateSigningRequest", { create: validateCSR }],
  ["node.k8s.io/RuntimeClass", same(validateRuntimeClass)],
  // admissionregistration.k8s.io/v1
  ["admissionregistration.k8s.io/ValidatingWebhookConfiguration", same(admission.validateValidatingWebhookConfiguration)],
  ["admissionregistration.k8s.io/MutatingWebhookConfiguration", same(admission.validateMutatingWebhookConfiguration)],
  ["admissionregistration.k8s.io/ValidatingAdmissionPolicy", same(admission.validateValidatingAdmissionPolicy)],
  ["admissionregistration.k8s.io/ValidatingAdmissionPolicyBinding", same(admission.validateValidatingAdmissionPolicyBinding)],
  // apiextensions.k8s.io/v1
  ["apiextensions.k8s.io/CustomResourceDefinition", same(validateCRD)],
  // apiregistration.k8s.io/v1
  ["apiregistration.k8s.io/APIService", same(validateAPIService)],
]);

/** The validation of a built-in kind, if any. */
export function validationFor(group: string, kind: string): KindValidation | undefined {
  return validations.get(`${group}/${kind}`);
}
