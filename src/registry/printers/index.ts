// The table printers of every built-in kind (upstream pkg/printers/internalversion plus the
// aggregator's APIService convertor), looked up by served group and kind. Kinds without a printer
// get upstream's default table convertor: NAME and CREATED AT.
//
// The server always prints wide (upstream's TableConvertor generates with Wide: true): cells cover
// every column, and clients hide the priority-1 ones unless asked for `-o wide`.
import type { KubeObject } from "../../apimachinery/types.js";
import type { Printer } from "../printer.js";
import * as admission from "./admissionregistration.js";
import { apiServicePrinter } from "./apiregistration.js";
import * as apps from "./apps.js";
import { horizontalPodAutoscalerPrinter, scalePrinter } from "./autoscaling.js";
import { cronJobPrinter, jobPrinter } from "./batch.js";
import { certificateSigningRequestPrinter, clusterTrustBundlePrinter } from "./certificates.js";
import { leaseCandidatePrinter, leasePrinter } from "./coordination.js";
import * as core from "./core.js";
import { podPrinter, podRowConditions, podTemplatePrinter, replicationControllerPrinter, type TableRowCondition } from "./core-pod.js";
import { endpointSlicePrinter } from "./discovery.js";
import { eventPrinter, eventsEventPrinter } from "./events.js";
import { flowSchemaPrinter, priorityLevelConfigurationPrinter } from "./flowcontrol.js";
import { storageVersionMigrationPrinter, storageVersionPrinter } from "./internal.js";
import * as networking from "./networking.js";
import { runtimeClassPrinter } from "./node.js";
import { podDisruptionBudgetPrinter } from "./policy.js";
import { clusterRoleBindingPrinter, roleBindingPrinter } from "./rbac.js";
import * as dra from "./resource.js";
import { priorityClassPrinter } from "./scheduling.js";
import * as storage from "./storage.js";
import { column, CREATION_TIMESTAMP_DESCRIPTION, get, nameColumn, nameOf, parseTimestamp, printer } from "./util.js";

export type { TableRowCondition };

/** metav1.Time in RFC 3339 at second precision, UTC; Go's zero time when unset. */
function rfc3339(value: unknown): string {
  const ms = parseTimestamp(value) ?? Date.parse("0001-01-01T00:00:00Z");
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace(/\.\d{3}Z$/, "Z");
}

/** Upstream's default table convertor (rest.NewDefaultTableConvertor): NAME and CREATED AT. */
export const defaultPrinter: Printer = printer(
  [nameColumn(), column("Created At", "date", CREATION_TIMESTAMP_DESCRIPTION)],
  (o) => [nameOf(o), rfc3339(get(o, "metadata", "creationTimestamp"))],
);

const PRINTERS: Record<string, Record<string, Printer>> = {
  "": {
    Pod: podPrinter,
    PodTemplate: podTemplatePrinter,
    ReplicationController: replicationControllerPrinter,
    Service: core.servicePrinter,
    Endpoints: core.endpointsPrinter,
    Node: core.nodePrinter,
    Event: eventPrinter,
    Namespace: core.namespacePrinter,
    Secret: core.secretPrinter,
    ServiceAccount: core.serviceAccountPrinter,
    ConfigMap: core.configMapPrinter,
    ComponentStatus: core.componentStatusPrinter,
    ResourceQuota: core.resourceQuotaPrinter,
    PersistentVolume: core.persistentVolumePrinter,
    PersistentVolumeClaim: core.persistentVolumeClaimPrinter,
  },
  apps: {
    Deployment: apps.deploymentPrinter,
    ReplicaSet: apps.replicaSetPrinter,
    StatefulSet: apps.statefulSetPrinter,
    DaemonSet: apps.daemonSetPrinter,
    ControllerRevision: apps.controllerRevisionPrinter,
  },
  batch: { Job: jobPrinter, CronJob: cronJobPrinter },
  autoscaling: { HorizontalPodAutoscaler: horizontalPodAutoscalerPrinter, Scale: scalePrinter },
  "coordination.k8s.io": { Lease: leasePrinter, LeaseCandidate: leaseCandidatePrinter },
  "discovery.k8s.io": { EndpointSlice: endpointSlicePrinter },
  "events.k8s.io": { Event: eventsEventPrinter },
  "networking.k8s.io": {
    Ingress: networking.ingressPrinter,
    IngressClass: networking.ingressClassPrinter,
    NetworkPolicy: networking.networkPolicyPrinter,
    ServiceCIDR: networking.serviceCIDRPrinter,
    IPAddress: networking.ipAddressPrinter,
  },
  policy: { PodDisruptionBudget: podDisruptionBudgetPrinter },
  "rbac.authorization.k8s.io": { RoleBinding: roleBindingPrinter, ClusterRoleBinding: clusterRoleBindingPrinter },
  "storage.k8s.io": {
    StorageClass: storage.storageClassPrinter,
    VolumeAttachment: storage.volumeAttachmentPrinter,
    CSIDriver: storage.csiDriverPrinter,
    CSINode: storage.csiNodePrinter,
    VolumeAttributesClass: storage.volumeAttributesClassPrinter,
  },
  "scheduling.k8s.io": { PriorityClass: priorityClassPrinter },
  "certificates.k8s.io": {
    CertificateSigningRequest: certificateSigningRequestPrinter,
    ClusterTrustBundle: clusterTrustBundlePrinter,
  },
  "admissionregistration.k8s.io": {
    ValidatingWebhookConfiguration: admission.validatingWebhookConfigurationPrinter,
    MutatingWebhookConfiguration: admission.mutatingWebhookConfigurationPrinter,
    ValidatingAdmissionPolicy: admission.validatingAdmissionPolicyPrinter,
    ValidatingAdmissionPolicyBinding: admission.validatingAdmissionPolicyBindingPrinter,
    MutatingAdmissionPolicy: admission.mutatingAdmissionPolicyPrinter,
    MutatingAdmissionPolicyBinding: admission.mutatingAdmissionPolicyBindingPrinter,
  },
  "flowcontrol.apiserver.k8s.io": {
    FlowSchema: flowSchemaPrinter,
    PriorityLevelConfiguration: priorityLevelConfigurationPrinter,
  },
  "node.k8s.io": { RuntimeClass: runtimeClassPrinter },
  "apiregistration.k8s.io": { APIService: apiServicePrinter },
  "resource.k8s.io": {
    DeviceClass: dra.deviceClassPrinter,
    ResourceClaim: dra.resourceClaimPrinter,
    ResourceClaimTemplate: dra.resourceClaimTemplatePrinter,
    ResourceSlice: dra.resourceSlicePrinter,
  },
  "internal.apiserver.k8s.io": { StorageVersion: storageVersionPrinter },
  "storagemigration.k8s.io": { StorageVersionMigration: storageVersionMigrationPrinter },
};

/** Whether a built-in kind has its own printer (otherwise it prints with defaultPrinter). */
export function hasPrinter(group: string, kind: string): boolean {
  return Object.hasOwn(PRINTERS, group) && Object.hasOwn(PRINTERS[group] ?? {}, kind);
}

/**
 * The printer of a kind, by group as the API serves it ("" for core) and kind. Kinds upstream
 * prints with its default convertor (Role, ClusterRole, LimitRange, CustomResourceDefinition,
 * CSIStorageCapacity, ...) and unknown kinds get defaultPrinter.
 */
export function printerFor(group: string, kind: string): Printer {
  return (hasPrinter(group, kind) ? PRINTERS[group]?.[kind] : undefined) ?? defaultPrinter;
}

/**
 * Row conditions upstream attaches to a row (metav1.TableRow.conditions): only pods have them, a
 * `Completed` condition once they succeeded or failed. Undefined when the row has none.
 */
export function rowConditionsFor(group: string, kind: string, o: KubeObject): TableRowCondition[] | undefined {
  return group === "" && kind === "Pod" ? podRowConditions(o) : undefined;
}
