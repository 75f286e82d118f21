// Core (v1) printers other than pods and events: services, endpoints, nodes, namespaces, secrets,
// service accounts, config maps, component statuses, resource quotas and persistent volumes/claims.
import type { Printer } from "../printer.js";
import { formatQuantity } from "./quantity.js";
import {
  ageColumn,
  ageOf,
  column,
  compareStrings,
  findCondition,
  formatLabels,
  get,
  has,
  int,
  list,
  mapSize,
  nameColumn,
  nameOf,
  obj,
  printer,
  str,
  stringMap,
  type Obj,
} from "./util.js";

/** Sorted, de-duplicated IPs (or hostnames) of load-balancer ingress points, comma-joined. */
export function loadBalancerIngress(ingress: unknown[]): string {
  const set = new Set<string>();
  for (const i of ingress) {
    const value = str(i, "ip") || str(i, "hostname");
    if (value !== "") set.add(value);
  }
  return [...set].sort(compareStrings).join(",");
}

function serviceExternalIP(svc: Obj): string {
  const spec = obj(svc, "spec");
  const externalIPs = list(spec, "externalIPs").map((v) => (typeof v === "string" ? v : ""));
  switch (str(spec, "type")) {
    case "ClusterIP":
    case "NodePort":
      return externalIPs.length > 0 ? externalIPs.join(",") : "<none>";
    case "LoadBalancer": {
      // The server prints wide, so load-balancer addresses are never truncated.
      const lb = loadBalancerIngress(list(svc, "status", "loadBalancer", "ingress"));
      if (externalIPs.length > 0) return [...(lb ? lb.split(",") : []), ...externalIPs].join(",");
      return lb || "<pending>";
    }
    case "ExternalName":
      return str(spec, "externalName");
  }
  return "<unknown>";
}

function servicePorts(ports: unknown[]): string {
  return ports
    .map((p) => {
      const nodePort = int(p, "nodePort");
      const protocol = str(p, "protocol");
      return nodePort > 0 ? `${int(p, "port")}:${nodePort}/${protocol}` : `${int(p, "port")}/${protocol}`;
    })
    .join(",");
}

export const servicePrinter: Printer = printer(
  [
    nameColumn(),
    column("Type", "string", "type determines how the Service is exposed. Defaults to ClusterIP. Valid options are ExternalName, ClusterIP, NodePort, and LoadBalancer. \"ClusterIP\" allocates a cluster-internal IP address for load-balancing to endpoints. Endpoints are determined by the selector or if that is not specified, by manual construction of an Endpoints object or EndpointSlice objects. If clusterIP is \"None\", no virtual IP is allocated and the endpoints are published as a set of endpoints rather than a virtual IP. \"NodePort\" builds on ClusterIP and allocates a port on every node which routes to the same endpoints as the clusterIP. \"LoadBalancer\" builds on NodePort and creates an external load-balancer (if supported in the current cloud) which routes to the same endpoints as the clusterIP. \"ExternalName\" aliases this service to the specified externalName. Several other fields do not apply to ExternalName services. More info: https://kubernetes.io/docs/concepts/services-networking/service/#publishing-services-service-types"),
    column("Cluster-IP", "string", "clusterIP is the IP address of the service and is usually assigned randomly. If an address is specified manually, is in-range (as per system configuration), and is not in use, it will be allocated to the service; otherwise creation of the service will fail. This field may not be changed through updates unless the type field is also being changed to ExternalName (which requires this field to be blank) or the type field is being changed from ExternalName (in which case this field may optionally be specified, as describe above).  Valid values are \"None\", empty string (\"\"), or a valid IP address. Setting this to \"None\" makes a \"headless service\" (no virtual IP), which is useful when direct endpoint connections are preferred and proxying is not required.  Only applies to types ClusterIP, NodePort, and LoadBalancer. If this field is specified when creating a Service of type ExternalName, creation will fail. This field will be wiped when updating a Service to type ExternalName. More info: https://kubernetes.io/docs/concepts/services-networking/service/#virtual-ips-and-service-proxies"),
    column("External-IP", "string", "externalIPs is a list of IP addresses for which nodes in the cluster will also accept traffic for this service.  These IPs are not managed by Kubernetes.  The user is responsible for ensuring that traffic arrives at a node with this IP.  A common example is external load-balancers that are not part of the Kubernetes system."),
    column("Port(s)", "string", "The list of ports that are exposed by this service. More info: https://kubernetes.io/docs/concepts/services-networking/service/#virtual-ips-and-service-proxies"),
    ageColumn(),
    column("Selector", "string", "Route service traffic to pods with label keys and values matching this selector. If empty or not present, the service is assumed to have an external process managing its endpoints, which Kubernetes will not modify. Only applies to types ClusterIP, NodePort, and LoadBalancer. Ignored if type is ExternalName. More info: https://kubernetes.io/docs/concepts/services-networking/service/", 1),
  ],
  (o, ctx) => {
    const spec = obj(o, "spec");
    // v1 clusterIP is authoritative over clusterIPs[0] (upstream's v1 -> internal conversion).
    const firstIP = list(spec, "clusterIPs")[0];
    const clusterIP = str(spec, "clusterIP") || (typeof firstIP === "string" ? firstIP : "");
    return [
      nameOf(o),
      str(spec, "type"),
      clusterIP || "<none>",
      serviceExternalIP(o),
      servicePorts(list(spec, "ports")) || "<none>",
      ageOf(o, ctx),
      formatLabels(stringMap(spec, "selector")),
    ];
  },
);

/** net.JoinHostPort: IPv6 (any host with a colon) is bracketed. */
function joinHostPort(host: string, port: number): string {
  return host.includes(":") ? `[${host}]:${port}` : `${host}:${port}`;
}

/** Upstream formatEndpoints with all ports: up to three ip:port pairs, then `+ N more...`. */
export function formatEndpoints(subsets: unknown[]): string {
  if (subsets.length === 0) return "<none>";
  const shown: string[] = [];
  const max = 3;
  let more = false;
  let count = 0;
  for (const ss of subsets) {
    const addresses = list(ss, "addresses");
    const ports = list(ss, "ports");
    if (ports.length === 0) {
      // Headless services may have no ports.
      count += addresses.length;
      for (const a of addresses) {
        if (shown.length === max) {
          more = true;
          break;
        }
        shown.push(str(a, "ip"));
      }
      continue;
    }
    for (const port of ports) {
      count += addresses.length;
      for (const a of addresses) {
        if (shown.length === max) {
          more = true;
          break;
        }
        shown.push(joinHostPort(str(a, "ip"), int(port, "port")));
      }
    }
  }
  const text = shown.join(",");
  return more ? `${text} + ${count - max} more...` : text;
}

export const endpointsPrinter: Printer = printer(
  [nameColumn(), column("Endpoints", "string", "The set of all endpoints is the union of all subsets. Addresses are placed into subsets according to the IPs they share. A single address with multiple ports, some of which are ready and some of which are not (because they come from different containers) will result in the address being displayed in different subsets for the different ports. No address will appear in both Addresses and NotReadyAddresses in the same subset. Sets of addresses and ports that comprise a service."), ageColumn()],
  (o, ctx) => [nameOf(o), formatEndpoints(list(o, "subsets")), ageOf(o, ctx)],
);

const NODE_ROLE_PREFIX = "node-role.kubernetes.io/";

/** Roles from `node-role.kubernetes.io/<role>` label keys and the `kubernetes.io/role` value, sorted. */
export function nodeRoles(labels: Record<string, string>): string[] {
  const roles = new Set<string>();
  for (const [k, v] of Object.entries(labels)) {
    if (k.startsWith(NODE_ROLE_PREFIX)) {
      const role = k.slice(NODE_ROLE_PREFIX.length);
      if (role !== "") roles.add(role);
    } else if (k === "kubernetes.io/role" && v !== "") {
      roles.add(v);
    }
  }
  return [...roles].sort(compareStrings);
}

function nodeStatus(node: Obj): string {
  // Only the Ready condition is shown; a later duplicate wins, as in upstream's condition map.
  let ready: Obj | undefined;
  for (const c of list(node, "status", "conditions")) if (str(c, "type") === "Ready") ready = obj(c);
  const status = ready === undefined ? ["Unknown"] : [str(ready, "status") === "True" ? "Ready" : "NotReady"];
  if (get(node, "spec", "unschedulable") === true) status.push("SchedulingDisabled");
  return status.join(",");
}

function nodeAddress(node: Obj, type: string): string {
  const a = list(node, "status", "addresses").find((a) => str(a, "type") === type);
  return a === undefined ? "<none>" : str(a, "address");
}

export const nodePrinter: Printer = printer(
  [
    nameColumn(),
    column("Status", "string", "The status of the node"),
    column("Roles", "string", "The roles of the node"),
    ageColumn(),
    column("Version", "string", "Kubelet Version reported by the node."),
    column("Internal-IP", "string", "List of addresses reachable to the node. Queried from cloud provider, if available. More info: https://kubernetes.io/docs/reference/node/node-status/#addresses Note: This field is declared as mergeable, but the merge key is not sufficiently unique, which can cause data corruption when it is merged. Callers should instead use a full-replacement patch. See https://pr.k8s.io/79391 for an example. Consumers should assume that addresses can change during the lifetime of a Node. However, there are some exceptions where this may not be possible, such as Pods that inherit a Node's address in its own status or consumers of the downward API (status.hostIP).", 1),
    column("External-IP", "string", "List of addresses reachable to the node. Queried from cloud provider, if available. More info: https://kubernetes.io/docs/reference/node/node-status/#addresses Note: This field is declared as mergeable, but the merge key is not sufficiently unique, which can cause data corruption when it is merged. Callers should instead use a full-replacement patch. See https://pr.k8s.io/79391 for an example. Consumers should assume that addresses can change during the lifetime of a Node. However, there are some exceptions where this may not be possible, such as Pods that inherit a Node's address in its own status or consumers of the downward API (status.hostIP).", 1),
    column("OS-Image", "string", "OS Image reported by the node from /etc/os-release (e.g. Debian GNU/Linux 7 (wheezy)).", 1),
    column("Kernel-Version", "string", "Kernel Version reported by the node from 'uname -r' (e.g. 3.16.0-0.bpo.4-amd64).", 1),
    column("Container-Runtime", "string", "ContainerRuntime Version reported by the node through runtime remote API (e.g. containerd://1.4.2).", 1),
  ],
  (o, ctx) => {
    const info = obj(o, "status", "nodeInfo");
    return [
      nameOf(o),
      nodeStatus(o),
      nodeRoles(stringMap(o, "metadata", "labels")).join(",") || "<none>",
      ageOf(o, ctx),
      str(info, "kubeletVersion"),
      nodeAddress(o, "InternalIP"),
      nodeAddress(o, "ExternalIP"),
      str(info, "osImage") || "<unknown>",
      str(info, "kernelVersion") || "<unknown>",
      str(info, "containerRuntimeVersion") || "<unknown>",
    ];
  },
);

export const namespacePrinter: Printer = printer(
  [nameColumn(), column("Status", "string", "The status of the namespace"), ageColumn()],
  (o, ctx) => [nameOf(o), str(o, "status", "phase"), ageOf(o, ctx)],
);

export const secretPrinter: Printer = printer(
  [
    nameColumn(),
    column("Type", "string", "Used to facilitate programmatic handling of secret data. More info: https://kubernetes.io/docs/concepts/configuration/secret/#secret-types"),
    column("Data", "string", "Data contains the secret data. Each key must consist of alphanumeric characters, '-', '_' or '.'. The serialized form of the secret data is a base64 encoded string, representing the arbitrary (possibly non-string) data value here. Described in https://tools.ietf.org/html/rfc4648#section-4"),
    ageColumn(),
  ],
  (o, ctx) => [nameOf(o), str(o, "type"), mapSize(o, "data"), ageOf(o, ctx)],
);

export const serviceAccountPrinter: Printer = printer(
  [nameColumn(), column("Secrets", "string", "Secrets is a list of the secrets in the same namespace that pods running using this ServiceAccount are allowed to use. Pods are only limited to this list if this service account has a \"kubernetes.io/enforce-mountable-secrets\" annotation set to \"true\". The \"kubernetes.io/enforce-mountable-secrets\" annotation is deprecated since v1.32. Prefer separate namespaces to isolate access to mounted secrets. This field should not be used to find auto-generated service account token secrets for use outside of pods. Instead, tokens can be requested directly using the TokenRequest API, or service account token secrets can be manually created. More info: https://kubernetes.io/docs/concepts/configuration/secret"), ageColumn()],
  (o, ctx) => [nameOf(o), list(o, "secrets").length, ageOf(o, ctx)],
);

export const configMapPrinter: Printer = printer(
  [nameColumn(), column("Data", "string", "Data contains the configuration data. Each key must consist of alphanumeric characters, '-', '_' or '.'. Values with non-UTF-8 byte sequences must use the BinaryData field. The keys stored in Data must not overlap with the keys in the BinaryData field, this is enforced during validation process."), ageColumn()],
  (o, ctx) => [nameOf(o), mapSize(o, "data") + mapSize(o, "binaryData"), ageOf(o, ctx)],
);

export const componentStatusPrinter: Printer = printer(
  [
    nameColumn(),
    column("Status", "string", "Status of the component conditions"),
    column("Message", "string", "Message of the component conditions"),
    column("Error", "string", "Error of the component conditions"),
  ],
  (o) => {
    const c = findCondition(list(o, "conditions"), "Healthy");
    if (c === undefined) return [nameOf(o), "Unknown", "", ""];
    return [nameOf(o), str(c, "status") === "True" ? "Healthy" : "Unhealthy", str(c, "message"), str(c, "error")];
  },
);

export const resourceQuotaPrinter: Printer = printer(
  [
    nameColumn(),
    column("Request", "string", "Request represents a minimum amount of cpu/memory that a container may consume."),
    column(
      "Limit",
      "string",
      "Limits control the maximum amount of cpu/memory that a container may use independent of contention on the node.",
    ),
    ageColumn(),
  ],
  (o, ctx) => {
    const hard = obj(o, "status", "hard");
    const used = obj(o, "status", "used");
    const requests: string[] = [];
    const limits: string[] = [];
    for (const resource of Object.keys(hard).sort(compareStrings)) {
      const pieces = resource.split(".");
      const target = pieces.length > 1 && pieces[0] === "limits" ? limits : requests;
      target.push(`${resource}: ${formatQuantity(used[resource])}/${formatQuantity(hard[resource])}`);
    }
    return [nameOf(o), requests.join(", "), limits.join(", "), ageOf(o, ctx)];
  },
);

/** helper.GetAccessModesAsString: RWO, ROX, RWX, RWOP in that order, each once. */
export function accessModes(modes: unknown[]): string {
  const order: [string, string][] = [
    ["ReadWriteOnce", "RWO"],
    ["ReadOnlyMany", "ROX"],
    ["ReadWriteMany", "RWX"],
    ["ReadWriteOncePod", "RWOP"],
  ];
  return order
    .filter(([mode]) => modes.includes(mode))
    .map(([, short]) => short)
    .join(",");
}

const BETA_STORAGE_CLASS_ANNOTATION = "volume.beta.kubernetes.io/storage-class";

/** The class of a PV or PVC: the beta annotation wins over spec.storageClassName. */
function storageClassOf(o: Obj): string {
  const annotations = obj(o, "metadata", "annotations");
  const beta = annotations[BETA_STORAGE_CLASS_ANNOTATION];
  if (beta !== undefined) return typeof beta === "string" ? beta : "";
  return str(o, "spec", "storageClassName");
}

export const persistentVolumePrinter: Printer = printer(
  [
    nameColumn(),
    column("Capacity", "string", "capacity is the description of the persistent volume's resources and capacity. More info: https://kubernetes.io/docs/concepts/storage/persistent-volumes#capacity"),
    column("Access Modes", "string", "accessModes contains all ways the volume can be mounted. More info: https://kubernetes.io/docs/concepts/storage/persistent-volumes#access-modes"),
    column("Reclaim Policy", "string", "persistentVolumeReclaimPolicy defines what happens to a persistent volume when released from its claim. Valid options are Retain (default for manually created PersistentVolumes), Delete (default for dynamically provisioned PersistentVolumes), and Recycle (deprecated). Recycle must be supported by the volume plugin underlying this PersistentVolume. More info: https://kubernetes.io/docs/concepts/storage/persistent-volumes#reclaiming"),
    column("Status", "string", "phase indicates if a volume is available, bound to a claim, or released by a claim. More info: https://kubernetes.io/docs/concepts/storage/persistent-volumes#phase"),
    column("Claim", "string", "claimRef is part of a bi-directional binding between PersistentVolume and PersistentVolumeClaim. Expected to be non-nil when bound. claim.VolumeName is the authoritative bind between PV and PVC. More info: https://kubernetes.io/docs/concepts/storage/persistent-volumes#binding"),
    column("StorageClass", "string", "StorageClass of the pv"),
    column("VolumeAttributesClass", "string", "VolumeAttributesClass of the pv"),
    column("Reason", "string", "reason is a brief CamelCase string that describes any failure and is meant for machine parsing and tidy display in the CLI."),
    ageColumn(),
    column("VolumeMode", "string", "volumeMode defines if a volume is intended to be used with a formatted filesystem or to remain in raw block state. Value of Filesystem is implied when not included in spec.", 1),
  ],
  (o, ctx) => {
    const spec = obj(o, "spec");
    const claim = has(spec, "claimRef") ? `${str(spec, "claimRef", "namespace")}/${str(spec, "claimRef", "name")}` : "";
    const phase = has(o, "metadata", "deletionTimestamp") ? "Terminating" : str(o, "status", "phase");
    return [
      nameOf(o),
      formatQuantity(get(spec, "capacity", "storage")),
      accessModes(list(spec, "accessModes")),
      str(spec, "persistentVolumeReclaimPolicy"),
      phase,
      claim,
      storageClassOf(o),
      has(spec, "volumeAttributesClassName") ? str(spec, "volumeAttributesClassName") : "<unset>",
      str(o, "status", "reason"),
      ageOf(o, ctx),
      has(spec, "volumeMode") ? str(spec, "volumeMode") : "<unset>",
    ];
  },
);

export const persistentVolumeClaimPrinter: Printer = printer(
  [
    nameColumn(),
    column("Status", "string", "phase represents the current phase of PersistentVolumeClaim."),
    column("Volume", "string", "volumeName is the binding reference to the PersistentVolume backing this claim."),
    column("Capacity", "string", "capacity represents the actual resources of the underlying volume."),
    column("Access Modes", "string", "accessModes contains the actual access modes the volume backing the PVC has. More info: https://kubernetes.io/docs/concepts/storage/persistent-volumes#access-modes-1"),
    column("StorageClass", "string", "StorageClass of the pvc"),
    column("VolumeAttributesClass", "string", "VolumeAttributesClass of the pvc"),
    ageColumn(),
    column("VolumeMode", "string", "volumeMode defines what type of volume is required by the claim. Value of Filesystem is implied when not included in claim spec.", 1),
  ],
  (o, ctx) => {
    const spec = obj(o, "spec");
    const volumeName = str(spec, "volumeName");
    const bound = volumeName !== "";
    return [
      nameOf(o),
      has(o, "metadata", "deletionTimestamp") ? "Terminating" : str(o, "status", "phase"),
      volumeName,
      bound ? formatQuantity(get(o, "status", "capacity", "storage")) : "",
      bound ? accessModes(list(o, "status", "accessModes")) : "",
      storageClassOf(o),
      has(spec, "volumeAttributesClassName") ? str(spec, "volumeAttributesClassName") : "<unset>",
      ageOf(o, ctx),
      has(spec, "volumeMode") ? str(spec, "volumeMode") : "<unset>",
    ];
  },
);
