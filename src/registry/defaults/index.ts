// Upstream's defaulting (pkg/apis/<group>/<version>/defaults.go and the generated defaulters),
// per served group/version/kind, as a Kubernetes 1.33 API server with default feature gates
// applies it to every object a client writes. Defaulters fill only what is unset and are
// idempotent. Kinds without a defaulter upstream (ConfigMap, ServiceAccount, Ingress, IPAddress,
// ServiceCIDR, PodDisruptionBudget, Lease, CertificateSigningRequest, ControllerRevision, CSINode,
// events.k8s.io Event) are absent.
//
// Besides the defaulting functions, the defaulters write what Go's encoder always emits for the
// types they walk (a client reads it back even though no defaulter set it): an embedded
// ObjectMeta's `creationTimestamp: null`, a container's `resources: {}`, canonical quantities
// (see quantity.ts), and a few null/zero fields without omitempty (noted where they are set).
import type { KubeObject } from "../../apimachinery/types.js";
import {
  defaultMutatingWebhookConfiguration,
  defaultValidatingAdmissionPolicy,
  defaultValidatingAdmissionPolicyBinding,
  defaultValidatingWebhookConfiguration,
} from "./admissionregistration.js";
import { defaultCustomResourceDefinition } from "./apiextensions.js";
import { defaultAPIService } from "./apiregistration.js";
import { defaultDaemonSet, defaultDeployment, defaultReplicaSet, defaultStatefulSet } from "./apps.js";
import { defaultHPAv1, defaultHPAv2 } from "./autoscaling.js";
import { defaultCronJob, defaultJob } from "./batch.js";
import {
  defaultEndpoints,
  defaultEvent,
  defaultLimitRange,
  defaultNamespace,
  defaultNode,
  defaultPersistentVolume,
  defaultPersistentVolumeClaim,
  defaultPodObject,
  defaultPodTemplate,
  defaultReplicationController,
  defaultResourceQuota,
  defaultSecret,
  defaultService,
} from "./core.js";
import { defaultEndpointSlice } from "./discovery.js";
import { defaultFlowSchema, defaultPriorityLevelConfiguration } from "./flowcontrol.js";
import { defaultIngressClass, defaultNetworkPolicy } from "./networking.js";
import { defaultRuntimeClass } from "./node.js";
import { defaultBinding, defaultRole } from "./rbac.js";
import { defaultPriorityClass } from "./scheduling.js";
import { defaultCSIDriver, defaultCSIStorageCapacity, defaultStorageClass, defaultVolumeAttachment } from "./storage.js";

export type Defaulter = (obj: KubeObject) => void;

/** [group, version, kind, defaulter] */
const REGISTRATIONS: [string, string, string, Defaulter][] = [
  ["", "v1", "Pod", defaultPodObject],
  ["", "v1", "PodTemplate", defaultPodTemplate],
  ["", "v1", "ReplicationController", defaultReplicationController],
  ["", "v1", "Service", defaultService],
  ["", "v1", "Endpoints", defaultEndpoints],
  ["", "v1", "Secret", defaultSecret],
  ["", "v1", "Namespace", defaultNamespace],
  ["", "v1", "Node", defaultNode],
  ["", "v1", "PersistentVolume", defaultPersistentVolume],
  ["", "v1", "PersistentVolumeClaim", defaultPersistentVolumeClaim],
  ["", "v1", "LimitRange", defaultLimitRange],
  ["", "v1", "ResourceQuota", defaultResourceQuota],
  ["", "v1", "Event", defaultEvent],
  ["apps", "v1", "Deployment", defaultDeployment],
  ["apps", "v1", "ReplicaSet", defaultReplicaSet],
  ["apps", "v1", "StatefulSet", defaultStatefulSet],
  ["apps", "v1", "DaemonSet", defaultDaemonSet],
  ["batch", "v1", "Job", defaultJob],
  ["batch", "v1", "CronJob", defaultCronJob],
  ["autoscaling", "v1", "HorizontalPodAutoscaler", defaultHPAv1],
  ["autoscaling", "v2", "HorizontalPodAutoscaler", defaultHPAv2],
  ["networking.k8s.io", "v1", "NetworkPolicy", defaultNetworkPolicy],
  ["networking.k8s.io", "v1", "IngressClass", defaultIngressClass],
  ["rbac.authorization.k8s.io", "v1", "Role", defaultRole],
  ["rbac.authorization.k8s.io", "v1", "ClusterRole", defaultRole],
  ["rbac.authorization.k8s.io", "v1", "RoleBinding", defaultBinding],
  ["rbac.authorization.k8s.io", "v1", "ClusterRoleBinding", defaultBinding],
  ["storage.k8s.io", "v1", "StorageClass", defaultStorageClass],
  ["storage.k8s.io", "v1", "CSIDriver", defaultCSIDriver],
  ["storage.k8s.io", "v1", "VolumeAttachment", defaultVolumeAttachment],
  ["storage.k8s.io", "v1", "CSIStorageCapacity", defaultCSIStorageCapacity],
  ["scheduling.k8s.io", "v1", "PriorityClass", defaultPriorityClass],
  ["discovery.k8s.io", "v1", "EndpointSlice", defaultEndpointSlice],
  ["node.k8s.io", "v1", "RuntimeClass", defaultRuntimeClass],
  ["admissionregistration.k8s.io", "v1", "ValidatingWebhookConfiguration", defaultValidatingWebhookConfiguration],
  ["admissionregistration.k8s.io", "v1", "MutatingWebhookConfiguration", defaultMutatingWebhookConfiguration],
  ["admissionregistration.k8s.io", "v1", "ValidatingAdmissionPolicy", defaultValidatingAdmissionPolicy],
  ["admissionregistration.k8s.io", "v1", "ValidatingAdmissionPolicyBinding", defaultValidatingAdmissionPolicyBinding],
  ["flowcontrol.apiserver.k8s.io", "v1", "FlowSchema", defaultFlowSchema],
  ["flowcontrol.apiserver.k8s.io", "v1", "PriorityLevelConfiguration", defaultPriorityLevelConfiguration],
  ["apiextensions.k8s.io", "v1", "CustomResourceDefinition", defaultCustomResourceDefinition],
  ["apiregistration.k8s.io", "v1", "APIService", defaultAPIService],
];

const defaulters = new Map<string, Defaulter>(REGISTRATIONS.map(([group, version, kind, fn]) => [`${group}/${version}/${kind}`, fn]));

/** The defaulting function of a served kind, if upstream defaults it. */
export function defaulterFor(group: string, version: string, kind: string): Defaulter | undefined {
  return defaulters.get(`${group}/${version}/${kind}`);
}

/** Every group/version/kind with a defaulter (for tests and documentation). */
export function defaultedKinds(): string[] {
  return [...defaulters.keys()];
}
