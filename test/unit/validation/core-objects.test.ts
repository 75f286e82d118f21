// core/v1 Services, ConfigMaps, Secrets, Namespaces, Endpoints, LimitRanges, ResourceQuotas, PVs,
// PVCs, Nodes and Events (upstream pkg/apis/core/validation).
import { describe } from "node:test";
import { CONFIG_KEY_MSG, DNS_LABEL_MSG, DNS_SUBDOMAIN_MSG, table } from "./helpers.js";

const service = {
  apiVersion: "v1",
  kind: "Service",
  metadata: { name: "web", namespace: "default" },
  spec: {
    type: "ClusterIP",
    clusterIP: "10.96.0.10",
    clusterIPs: ["10.96.0.10"],
    ipFamilies: ["IPv4"],
    ipFamilyPolicy: "SingleStack",
    sessionAffinity: "None",
    internalTrafficPolicy: "Cluster",
    selector: { app: "web" },
    ports: [
      { name: "http", port: 80, targetPort: 8080, protocol: "TCP" },
      { name: "https", port: 443, targetPort: "https", protocol: "TCP" },
    ],
  },
};

describe("Service validation", () =>
  table("", "Service", service, [
    { name: "ports required", mutate: (o) => (o.spec.ports = []), want: ["spec.ports: Required value"] },
    { name: "headless needs no ports", mutate: (o) => Object.assign(o.spec, { ports: [], clusterIP: "None", clusterIPs: ["None"] }), want: [] },
    { name: "ExternalName needs no ports", mutate: (o) => (o.spec = { type: "ExternalName", externalName: "db.example.com", sessionAffinity: "None" }), want: [] },
    {
      name: "ExternalName must be a DNS name",
      mutate: (o) => (o.spec = { type: "ExternalName", externalName: "db_example", sessionAffinity: "None" }),
      want: [`spec.externalName: Invalid value: "db_example": ${DNS_SUBDOMAIN_MSG}`],
    },
    { name: "port names required with several ports", mutate: (o) => delete o.spec.ports[1].name, want: ["spec.ports[1].name: Required value"] },
    { name: "port out of range", mutate: (o) => (o.spec.ports[0].port = 0), want: ["spec.ports[0].port: Invalid value: 0: must be between 1 and 65535, inclusive"] },
    { name: "duplicate port names", mutate: (o) => (o.spec.ports[1].name = "http"), want: ['spec.ports[1].name: Duplicate value: "http"'] },
    {
      name: "duplicate ports",
      mutate: (o) => (o.spec.ports[1].port = 80),
      want: ['spec.ports[1]: Duplicate value: core.ServicePort{Name:"", Protocol:"TCP", AppProtocol:(*string)(nil), Port:80, TargetPort:intstr.IntOrString{Type:0, IntVal:0, StrVal:""}, NodePort:0}'],
    },
    { name: "nodePort with ClusterIP", mutate: (o) => (o.spec.ports[0].nodePort = 30080), want: ["spec.ports[0].nodePort: Forbidden: may not be used when `type` is 'ClusterIP'"] },
    { name: "nodePort with NodePort type", mutate: (o) => Object.assign(o.spec, { type: "NodePort", externalTrafficPolicy: "Cluster" }) && (o.spec.ports[0].nodePort = 30080), want: [] },
    {
      name: "type enum",
      mutate: (o) => (o.spec.type = "Internal"),
      want: ['spec.type: Unsupported value: "Internal": supported values: "ClusterIP", "ExternalName", "LoadBalancer", "NodePort"'],
    },
    {
      name: "selector label value",
      mutate: (o) => (o.spec.selector = { app: "web app" }),
      want: [
        "spec.selector: Invalid value: \"web app\": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')",
      ],
    },
    {
      name: "targetPort name",
      mutate: (o) => (o.spec.ports[1].targetPort = "HTTPS"),
      want: [
        'spec.ports[1].targetPort: Invalid value: "HTTPS": must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)',
        'spec.ports[1].targetPort: Invalid value: "HTTPS": must contain at least one letter (a-z)',
      ],
    },
    {
      name: "externalTrafficPolicy on a ClusterIP service",
      mutate: (o) => (o.spec.externalTrafficPolicy = "Local"),
      want: ['spec.externalTrafficPolicy: Invalid value: "Local": may only be set for externally-accessible services'],
    },
    {
      name: "clusterIP may not change",
      update: true,
      mutate: (o) => Object.assign(o.spec, { clusterIP: "10.96.0.11", clusterIPs: ["10.96.0.11"] }),
      want: ['spec.clusterIPs[0]: Invalid value: []string{"10.96.0.11"}: may not change once set'],
    },
    {
      name: "clusterIPs must follow clusterIP",
      mutate: (o) => (o.spec.clusterIPs = ["10.96.0.12"]),
      want: ['spec.clusterIPs: Invalid value: []string{"10.96.0.12"}: first value must match `clusterIP`'],
    },
  ]));

const cm = { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "cfg", namespace: "default" }, data: { "app.properties": "a=b", KEY_NAME: "v" }, binaryData: { "logo.png": "iVBORw0K" } };
describe("ConfigMap validation", () =>
  table("", "ConfigMap", cm, [
    { name: "key with a space", mutate: (o) => (o.data["a b"] = "x"), want: [`data[a b]: Invalid value: "a b": ${CONFIG_KEY_MSG}`] },
    { name: "key '..'", mutate: (o) => (o.data[".."] = "x"), want: ['data[..]: Invalid value: "..": must not be \'..\''] },
    { name: "key in both data and binaryData", mutate: (o) => (o.data["logo.png"] = "x"), want: ['data[logo.png]: Invalid value: "logo.png": duplicate of key present in binaryData'] },
    { name: "over 1MiB", mutate: (o) => (o.data.big = "x".repeat(1024 * 1024)), want: ["[]: Too long: may not be more than 1048576 bytes"] },
  ]));

const secret = { apiVersion: "v1", kind: "Secret", metadata: { name: "s", namespace: "default" }, type: "Opaque", data: { password: Buffer.from("hunter2").toString("base64") } };
describe("Secret validation", () =>
  table("", "Secret", secret, [
    { name: "key with a slash", mutate: (o) => (o.data["a/b"] = ""), want: [`data[a/b]: Invalid value: "a/b": ${CONFIG_KEY_MSG}`] },
    { name: "over 1MiB", mutate: (o) => (o.data.big = Buffer.alloc(1024 * 1024).toString("base64")), want: ["data: Too long: may not be more than 1048576 bytes"] },
    { name: "tls needs tls.crt and tls.key", mutate: (o) => (o.type = "kubernetes.io/tls"), want: ["data[tls.crt]: Required value", "data[tls.key]: Required value"] },
    { name: "dockerconfigjson needs its key", mutate: (o) => (o.type = "kubernetes.io/dockerconfigjson"), want: ["data[.dockerconfigjson]: Required value"] },
    {
      name: "dockerconfigjson must be JSON",
      mutate: (o) => {
        o.type = "kubernetes.io/dockerconfigjson";
        o.data[".dockerconfigjson"] = Buffer.from("nope").toString("base64");
      },
      want: ['data[.dockerconfigjson]: Invalid value: "<secret contents redacted>": invalid character looking for beginning of value'],
    },
    {
      name: "service account token needs the annotation",
      mutate: (o) => (o.type = "kubernetes.io/service-account-token"),
      want: ["metadata.annotations[kubernetes.io/service-account.name]: Required value"],
    },
    { name: "basic-auth needs username or password", mutate: (o) => Object.assign(o, { type: "kubernetes.io/basic-auth", data: {} }), want: ["data[username]: Required value", "data[password]: Required value"] },
  ]));

describe("Namespace validation", () =>
  table("", "Namespace", { apiVersion: "v1", kind: "Namespace", metadata: { name: "team" }, spec: { finalizers: ["kubernetes"] } }, [
    {
      name: "unqualified finalizer",
      mutate: (o) => (o.spec.finalizers = ["custom"]),
      want: ['spec.finalizers: Invalid value: "custom": name is neither a standard finalizer name nor is it fully qualified'],
    },
  ]));

describe("Endpoints validation", () =>
  table("", "Endpoints", { apiVersion: "v1", kind: "Endpoints", metadata: { name: "web", namespace: "default" }, subsets: [{ addresses: [{ ip: "10.1.2.3" }], ports: [{ port: 80, protocol: "TCP" }] }] }, [
    { name: "no addresses", mutate: (o) => (o.subsets[0].addresses = []), want: ["subsets[0]: Required value: must specify `addresses` or `notReadyAddresses`"] },
    { name: "bad IP", mutate: (o) => (o.subsets[0].addresses[0].ip = "10.1.2"), want: ['subsets[0].addresses[0].ip: Invalid value: "10.1.2": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)', 'subsets[0].addresses[0].ip: Invalid value: "10.1.2": must be a valid IP address'] },
    { name: "loopback IP", mutate: (o) => (o.subsets[0].addresses[0].ip = "127.0.0.1"), want: ['subsets[0].addresses[0].ip: Invalid value: "127.0.0.1": may not be in the loopback range (127.0.0.0/8, ::1/128)'] },
  ]));

describe("LimitRange validation", () =>
  table("", "LimitRange", { apiVersion: "v1", kind: "LimitRange", metadata: { name: "lr", namespace: "default" }, spec: { limits: [{ type: "Container", min: { cpu: "100m" }, max: { cpu: "2" }, default: { cpu: "500m" }, defaultRequest: { cpu: "200m" } }] } }, [
    { name: "min above max", mutate: (o) => (o.spec.limits[0].min.cpu = "3"), want: [
      'spec.limits[0].min[cpu]: Invalid value: "3": min value 3 is greater than max value 2',
      'spec.limits[0].defaultRequest[cpu]: Invalid value: "200m": min value 3 is greater than default request value 200m',
      'spec.limits[0].default[cpu]: Invalid value: "3": min value 3 is greater than default value 500m',
    ] },
    { name: "unknown type", mutate: (o) => (o.spec.limits[0].type = "Node"), want: ['spec.limits[0].type: Invalid value: "Node": must be a standard limit type or fully qualified'] },
  ]));

describe("ResourceQuota validation", () =>
  table("", "ResourceQuota", { apiVersion: "v1", kind: "ResourceQuota", metadata: { name: "q", namespace: "default" }, spec: { hard: { pods: "10", "requests.cpu": "4" } } }, [
    { name: "negative quota", mutate: (o) => (o.spec.hard.pods = "-1"), want: ['spec.hard[pods]: Invalid value: "-1": must be greater than or equal to 0'] },
    { name: "unknown resource", mutate: (o) => (o.spec.hard.widgets = "1"), want: ['spec.hard[widgets]: Invalid value: "widgets": must be a standard resource type or fully qualified', 'spec.hard[widgets]: Invalid value: "widgets": must be a standard resource for quota'] },
    { name: "conflicting scopes", mutate: (o) => (o.spec.scopes = ["BestEffort", "NotBestEffort"]), want: ['spec.scopes: Invalid value: []string{"BestEffort", "NotBestEffort"}: conflicting scopes'] },
  ]));

const pvc = { apiVersion: "v1", kind: "PersistentVolumeClaim", metadata: { name: "data", namespace: "default" }, spec: { accessModes: ["ReadWriteOnce"], resources: { requests: { storage: "1Gi" } }, volumeMode: "Filesystem" } };
describe("PersistentVolumeClaim validation", () =>
  table("", "PersistentVolumeClaim", pvc, [
    { name: "access modes required", mutate: (o) => (o.spec.accessModes = []), want: ["spec.accessModes: Required value: at least 1 access mode is required"] },
    { name: "storage request required", mutate: (o) => delete o.spec.resources.requests.storage, want: ["spec.resources[storage]: Required value"] },
    { name: "storage must be positive", mutate: (o) => (o.spec.resources.requests.storage = "0"), want: ['spec.resources[storage]: Invalid value: "0": must be greater than zero'] },
    {
      name: "unknown access mode",
      mutate: (o) => (o.spec.accessModes = ["ReadWriteSometimes"]),
      want: ['spec.accessModes: Unsupported value: "ReadWriteSometimes": supported values: "ReadOnlyMany", "ReadWriteMany", "ReadWriteOnce", "ReadWriteOncePod"'],
    },
    { name: "storageClassName may be set once from nil", update: true, mutate: (o) => (o.spec.storageClassName = "fast"), want: [] },
    { name: "spec is immutable", update: true, mutate: (o) => (o.spec.accessModes = ["ReadWriteMany"]), want: ["spec: Forbidden: spec is immutable after creation except resources.requests and volumeAttributesClassName for bound claims"] },
  ]));

const pv = { apiVersion: "v1", kind: "PersistentVolume", metadata: { name: "pv1" }, spec: { capacity: { storage: "10Gi" }, accessModes: ["ReadWriteOnce"], persistentVolumeReclaimPolicy: "Retain", hostPath: { path: "/data" } } };
describe("PersistentVolume validation", () =>
  table("", "PersistentVolume", pv, [
    { name: "no volume source", mutate: (o) => delete o.spec.hostPath, want: ["spec: Required value: must specify a volume type"] },
    { name: "reclaim policy", mutate: (o) => (o.spec.persistentVolumeReclaimPolicy = "Keep"), want: ['spec.persistentVolumeReclaimPolicy: Unsupported value: "Keep": supported values: "Delete", "Recycle", "Retain"'] },
    { name: "source is immutable", update: true, mutate: (o) => (o.spec.hostPath.path = "/other"), want: ["spec.persistentvolumesource: Forbidden: spec.persistentvolumesource is immutable after creation"] },
  ]));

describe("Node validation", () =>
  table("", "Node", { apiVersion: "v1", kind: "Node", metadata: { name: "n1" }, spec: { podCIDRs: ["10.244.0.0/24"], taints: [{ key: "dedicated", value: "gpu", effect: "NoSchedule" }] } }, [
    { name: "taint effect", mutate: (o) => (o.spec.taints[0].effect = "Never"), want: ['metadata.taints[0].effect: Unsupported value: "Never": supported values: "NoSchedule", "PreferNoSchedule", "NoExecute"'] },
    { name: "podCIDR", mutate: (o) => (o.spec.podCIDRs = ["10.244.0.0"]), want: ['spec.podCIDRs[0]: Invalid value: "10.244.0.0": must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)'] },
    { name: "podCIDRs may not change", update: true, mutate: (o) => (o.spec.podCIDRs = ["10.245.0.0/24"]), want: ['spec.podCIDRs: Forbidden: node updates may not change podCIDR except from "" to valid'] },
  ]));

describe("Event validation", () =>
  table("", "Event", { apiVersion: "v1", kind: "Event", metadata: { name: "e.1", namespace: "default" }, involvedObject: { kind: "Pod", name: "web", namespace: "default" }, reason: "Started", type: "Normal" }, [
    { name: "namespace mismatch", mutate: (o) => (o.involvedObject.namespace = "other"), want: ['involvedObject.namespace: Invalid value: "other": does not match event.namespace'] },
  ]));

void DNS_LABEL_MSG;
