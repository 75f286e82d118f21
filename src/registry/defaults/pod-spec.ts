// The PodSpec family of core/v1 defaulting (pkg/apis/core/v1/defaults.go and what
// zz_generated.defaults.go calls for every PodSpec: in Pods, PodTemplates, ReplicationControllers
// and the templates of Deployments, ReplicaSets, StatefulSets, DaemonSets, Jobs and CronJobs),
// plus the "+default=" markers of k8s.io/api core/v1 types, as of Kubernetes 1.33 with default
// feature gates (PodLevelResources and ImageVolume off, so neither is defaulted).
//
// Also written here: what Go's encoder always emits for these types and a client therefore reads
// back — an embedded ObjectMeta's `creationTimestamp: null`, a container's `resources: {}`, a
// resourceFieldRef's `divisor: "0"`.
import { defaultPullPolicy } from "./image.js";
import { canonicalQuantity, defaultQuantityField, defaultResourceList } from "./quantity.js";
import {
  type Json,
  child,
  defaultEmbeddedMeta,
  defaultNil,
  defaultNumber,
  defaultString,
  ensureChild,
  isNil,
  isZero,
  items,
  obj,
} from "./util.js";

/** v1.SecretVolumeSourceDefaultMode and friends: 0644. */
export const DEFAULT_VOLUME_MODE = 0o644;
export const DEFAULT_TERMINATION_GRACE_PERIOD_SECONDS = 30;
export const DEFAULT_SCHEDULER_NAME = "default-scheduler";
export const TERMINATION_MESSAGE_PATH = "/dev/termination-log";
/** ServiceAccountTokenProjection.expirationSeconds default: one hour. */
export const DEFAULT_TOKEN_EXPIRATION_SECONDS = 3600;

/** Every member of v1.VolumeSource: a volume with none of them set gets an emptyDir. */
const VOLUME_SOURCES = [
  "hostPath",
  "emptyDir",
  "gcePersistentDisk",
  "awsElasticBlockStore",
  "gitRepo",
  "secret",
  "nfs",
  "iscsi",
  "glusterfs",
  "persistentVolumeClaim",
  "rbd",
  "flexVolume",
  "cinder",
  "cephfs",
  "flocker",
  "downwardAPI",
  "fc",
  "azureFile",
  "configMap",
  "vsphereVolume",
  "quobyte",
  "azureDisk",
  "photonPersistentDisk",
  "projected",
  "portworxVolume",
  "scaleIO",
  "storageos",
  "csi",
  "ephemeral",
  "image",
];

// ---- small pieces shared by volumes, env and PVs ----

/** SetDefaults_ObjectFieldSelector. */
function defaultFieldRef(ref: Json | undefined): void {
  if (ref) defaultString(ref, "apiVersion", "v1");
}

/** A ResourceFieldSelector: divisor is a non-pointer Quantity, written as "0" when unset. */
function defaultResourceFieldRef(ref: Json | undefined): void {
  if (!ref) return;
  ref.divisor = isNil(ref.divisor) ? "0" : canonicalQuantity(ref.divisor);
}

/** Items of a downwardAPI volume or projection. */
function defaultDownwardAPIItems(source: Json): void {
  for (const item of items(source, "items")) {
    defaultFieldRef(child(item, "fieldRef"));
    defaultResourceFieldRef(child(item, "resourceFieldRef"));
  }
}

export function defaultHostPath(source: Json | undefined): void {
  if (source) defaultNil(source, "type", "");
}

/** "+default" markers of RBDVolumeSource / RBDPersistentVolumeSource. */
export function defaultRBD(source: Json | undefined): void {
  if (!source) return;
  defaultString(source, "pool", "rbd");
  defaultString(source, "user", "admin");
  defaultString(source, "keyring", "/etc/ceph/keyring");
}

/** "+default" marker of ISCSIVolumeSource / ISCSIPersistentVolumeSource. */
export function defaultISCSI(source: Json | undefined): void {
  if (source) defaultString(source, "iscsiInterface", "default");
}

/** "+default" markers of AzureDiskVolumeSource. */
export function defaultAzureDisk(source: Json | undefined): void {
  if (!source) return;
  defaultNil(source, "cachingMode", "ReadWrite");
  defaultNil(source, "fsType", "ext4");
  defaultNil(source, "readOnly", false);
  defaultNil(source, "kind", "Shared");
}

/** "+default" markers of ScaleIOVolumeSource / ScaleIOPersistentVolumeSource. */
export function defaultScaleIO(source: Json | undefined): void {
  if (!source) return;
  defaultString(source, "storageMode", "ThinProvisioned");
  defaultString(source, "fsType", "xfs");
}

/**
 * SetDefaults_PersistentVolumeClaimSpec and the ResourceLists under it; `resources` is a
 * non-pointer struct Go always writes. Used by claims, claim templates and ephemeral volumes.
 */
export function defaultPVCSpec(spec: Json | undefined): void {
  if (!spec) return;
  defaultNil(spec, "volumeMode", "Filesystem");
  const resources = ensureChild(spec, "resources");
  defaultResourceList(resources, "limits");
  defaultResourceList(resources, "requests");
}

// ---- volumes ----

function defaultVolume(volume: Json): void {
  // SetDefaults_Volume: no source at all means an emptyDir
  if (VOLUME_SOURCES.every((k) => isNil(volume[k]))) volume.emptyDir = {};
  defaultHostPath(child(volume, "hostPath"));
  defaultQuantityField(child(volume, "emptyDir"), "sizeLimit");
  const secret = child(volume, "secret");
  if (secret) defaultNil(secret, "defaultMode", DEFAULT_VOLUME_MODE);
  const configMap = child(volume, "configMap");
  if (configMap) defaultNil(configMap, "defaultMode", DEFAULT_VOLUME_MODE);
  const downwardAPI = child(volume, "downwardAPI");
  if (downwardAPI) {
    defaultNil(downwardAPI, "defaultMode", DEFAULT_VOLUME_MODE);
    defaultDownwardAPIItems(downwardAPI);
  }
  const projected = child(volume, "projected");
  if (projected) {
    defaultNil(projected, "defaultMode", DEFAULT_VOLUME_MODE);
    // `sources` has no omitempty: Go writes null for a missing list
    if (projected.sources === undefined) projected.sources = null;
    for (const source of items(projected, "sources")) {
      const projectedDownwardAPI = child(source, "downwardAPI");
      if (projectedDownwardAPI) defaultDownwardAPIItems(projectedDownwardAPI);
      const token = child(source, "serviceAccountToken");
      if (token) defaultNil(token, "expirationSeconds", DEFAULT_TOKEN_EXPIRATION_SECONDS);
    }
  }
  defaultISCSI(child(volume, "iscsi"));
  defaultRBD(child(volume, "rbd"));
  defaultAzureDisk(child(volume, "azureDisk"));
  defaultScaleIO(child(volume, "scaleIO"));
  const claimTemplate = child(child(volume, "ephemeral"), "volumeClaimTemplate");
  if (claimTemplate) {
    defaultEmbeddedMeta(claimTemplate);
    defaultPVCSpec(child(claimTemplate, "spec"));
  }
}

// ---- containers ----

/** SetDefaults_HTTPGetAction. */
function defaultHTTPGet(action: Json | undefined): void {
  if (!action) return;
  defaultString(action, "path", "/");
  defaultString(action, "scheme", "HTTP");
}

/** SetDefaults_Probe, with its handler's HTTPGetAction and GRPCAction ("+default" service ""). */
function defaultProbe(probe: Json | undefined): void {
  if (!probe) return;
  defaultNumber(probe, "timeoutSeconds", 1);
  defaultNumber(probe, "periodSeconds", 10);
  defaultNumber(probe, "successThreshold", 1);
  defaultNumber(probe, "failureThreshold", 3);
  defaultHTTPGet(child(probe, "httpGet"));
  const grpc = child(probe, "grpc");
  if (grpc) defaultNil(grpc, "service", "");
}

/** SetDefaults_Container (regular, init and ephemeral containers) and what nests in a container. */
export function defaultContainer(container: Json): void {
  if (isNil(container.imagePullPolicy) || container.imagePullPolicy === "") {
    container.imagePullPolicy = defaultPullPolicy(container.image);
  }
  defaultString(container, "terminationMessagePath", TERMINATION_MESSAGE_PATH);
  defaultString(container, "terminationMessagePolicy", "File");
  for (const port of items(container, "ports")) defaultString(port, "protocol", "TCP");
  for (const env of items(container, "env")) {
    const valueFrom = child(env, "valueFrom");
    defaultFieldRef(child(valueFrom, "fieldRef"));
    defaultResourceFieldRef(child(valueFrom, "resourceFieldRef"));
  }
  const resources = ensureChild(container, "resources");
  defaultResourceList(resources, "limits");
  defaultResourceList(resources, "requests");
  defaultProbe(child(container, "livenessProbe"));
  defaultProbe(child(container, "readinessProbe"));
  defaultProbe(child(container, "startupProbe"));
  const lifecycle = child(container, "lifecycle");
  defaultHTTPGet(child(child(lifecycle, "postStart"), "httpGet"));
  defaultHTTPGet(child(child(lifecycle, "preStop"), "httpGet"));
}

// ---- PodSpec, PodTemplateSpec, Pod ----

/** SetDefaults_PodSpec and the generated walk over volumes, containers and overhead. */
export function defaultPodSpec(spec: Json | undefined): void {
  if (!spec) return;
  defaultString(spec, "dnsPolicy", "ClusterFirst");
  defaultString(spec, "restartPolicy", "Always");
  defaultNil(spec, "securityContext", {});
  defaultNil(spec, "terminationGracePeriodSeconds", DEFAULT_TERMINATION_GRACE_PERIOD_SECONDS);
  defaultString(spec, "schedulerName", DEFAULT_SCHEDULER_NAME);
  for (const volume of items(spec, "volumes")) defaultVolume(volume);
  for (const key of ["initContainers", "containers", "ephemeralContainers"]) {
    for (const container of items(spec, key)) defaultContainer(container);
  }
  defaultResourceList(spec, "overhead");
  // pod-level resources (PodLevelResources, off in 1.33) are still rounded when present
  const podResources = child(spec, "resources");
  defaultResourceList(podResources, "limits");
  defaultResourceList(podResources, "requests");
}

/** A PodTemplateSpec: the embedded metadata Go always writes, and its PodSpec. */
export function defaultPodTemplateSpec(template: Json | undefined): void {
  if (!template) return;
  defaultEmbeddedMeta(template);
  defaultPodSpec(child(template, "spec"));
}

/** SetDefaults_Pod's per-container part: requests default to limits, key by key. */
function defaultRequestsFromLimits(container: Json): void {
  const resources = child(container, "resources");
  const limits = child(resources, "limits");
  if (!resources || !limits || Object.keys(limits).length === 0) return;
  const requests = child(resources, "requests") ?? {};
  for (const [name, value] of Object.entries(limits)) if (!(name in requests)) requests[name] = value;
  resources.requests = requests;
}

/** With hostNetwork every container port without a hostPort gets hostPort = containerPort. */
function defaultHostNetworkPorts(container: Json): void {
  for (const port of items(container, "ports")) {
    if (isZero(port.hostPort) && typeof port.containerPort === "number") port.hostPort = port.containerPort;
  }
}

/** Container statuses carry ResourceLists too (allocatedResources, resources). */
function defaultContainerStatuses(status: Json | undefined): void {
  for (const key of ["initContainerStatuses", "containerStatuses", "ephemeralContainerStatuses"]) {
    for (const cs of items(status, key)) {
      defaultResourceList(cs, "allocatedResources");
      const resources = child(cs, "resources");
      defaultResourceList(resources, "limits");
      defaultResourceList(resources, "requests");
    }
  }
}

/** SetObjectDefaults_Pod: SetDefaults_Pod, then the PodSpec family, then status ResourceLists. */
export function defaultPod(pod: Json): void {
  const spec = obj(pod.spec);
  if (spec) {
    for (const key of ["containers", "initContainers"]) {
      for (const container of items(spec, key)) defaultRequestsFromLimits(container);
    }
    defaultNil(spec, "enableServiceLinks", true);
    if (spec.hostNetwork === true) {
      for (const key of ["containers", "initContainers"]) {
        for (const container of items(spec, key)) defaultHostNetworkPorts(container);
      }
    }
    defaultPodSpec(spec);
  }
  defaultContainerStatuses(obj(pod.status));
}
