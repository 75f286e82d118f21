// The other API groups: networking, policy, rbac, scheduling, storage, coordination, discovery,
// autoscaling, certificates, admissionregistration, node and apiextensions.
import { describe } from "node:test";
import { DNS1035_MSG, table } from "./helpers.js";

describe("Ingress validation", () =>
  table(
    "networking.k8s.io",
    "Ingress",
    {
      apiVersion: "networking.k8s.io/v1",
      kind: "Ingress",
      metadata: { name: "web", namespace: "default" },
      spec: { ingressClassName: "nginx", rules: [{ host: "www.example.com", http: { paths: [{ path: "/", pathType: "Prefix", backend: { service: { name: "web", port: { number: 80 } } } }] } }] },
    },
    [
      { name: "neither rules nor defaultBackend", mutate: (o) => delete o.spec.rules, want: ["spec: Invalid value: []networking.IngressRule(nil): either `defaultBackend` or `rules` must be specified"] },
      { name: "pathType required", mutate: (o) => delete o.spec.rules[0].http.paths[0].pathType, want: ["spec.rules[0].http.paths[0].pathType: Required value: pathType must be specified"] },
      {
        name: "unknown pathType",
        mutate: (o) => (o.spec.rules[0].http.paths[0].pathType = "Regex"),
        want: ['spec.rules[0].http.paths[0].pathType: Unsupported value: "Regex": supported values: "Exact", "ImplementationSpecific", "Prefix"'],
      },
      { name: "relative path", mutate: (o) => (o.spec.rules[0].http.paths[0].path = "api"), want: ['spec.rules[0].http.paths[0].path: Invalid value: "api": must be an absolute path'] },
      { name: "path with //", mutate: (o) => (o.spec.rules[0].http.paths[0].path = "/a//b"), want: ["spec.rules[0].http.paths[0].path: Invalid value: \"/a//b\": must not contain '//'"] },
      { name: "IP host", mutate: (o) => (o.spec.rules[0].host = "10.0.0.1"), want: ['spec.rules[0].host: Invalid value: "10.0.0.1": must be a DNS name, not an IP address'] },
      { name: "backend port required", mutate: (o) => delete o.spec.rules[0].http.paths[0].backend.service.port, want: ["spec.rules[0].http.paths[0].backend: Required value: port name or number is required"] },
      {
        name: "backend service name",
        mutate: (o) => (o.spec.rules[0].http.paths[0].backend.service.name = "1web"),
        want: [`spec.rules[0].http.paths[0].backend.service.name: Invalid value: "1web": ${DNS1035_MSG}`],
      },
      { name: "no backend", mutate: (o) => (o.spec.rules[0].http.paths[0].backend = {}), want: ['spec.rules[0].http.paths[0].backend: Invalid value: "": resource or service backend is required'] },
    ],
  ));

describe("NetworkPolicy validation", () =>
  table(
    "networking.k8s.io",
    "NetworkPolicy",
    {
      apiVersion: "networking.k8s.io/v1",
      kind: "NetworkPolicy",
      metadata: { name: "np", namespace: "default" },
      spec: { podSelector: { matchLabels: { app: "web" } }, policyTypes: ["Ingress"], ingress: [{ from: [{ ipBlock: { cidr: "10.0.0.0/8", except: ["10.1.0.0/16"] } }], ports: [{ protocol: "TCP", port: 80 }] }] },
    },
    [
      { name: "empty peer", mutate: (o) => (o.spec.ingress[0].from = [{}]), want: ["spec.ingress[0].from[0]: Required value: must specify a peer"] },
      { name: "except outside cidr", mutate: (o) => (o.spec.ingress[0].from[0].ipBlock.except = ["192.168.0.0/16"]), want: ['spec.ingress[0].from[0].ipBlock.except[0]: Invalid value: "192.168.0.0/16": must be a strict subset of `cidr`'] },
      { name: "endPort below port", mutate: (o) => (o.spec.ingress[0].ports[0].endPort = 79), want: ["spec.ingress[0].ports[0].endPort: Invalid value: 80: must be greater than or equal to `port`"] },
      { name: "policy type", mutate: (o) => (o.spec.policyTypes = ["Both"]), want: ['spec.policyTypes[0]: Unsupported value: "Both": supported values: "Ingress", "Egress"'] },
    ],
  ));

describe("PodDisruptionBudget validation", () =>
  table("policy", "PodDisruptionBudget", { apiVersion: "policy/v1", kind: "PodDisruptionBudget", metadata: { name: "pdb", namespace: "default" }, spec: { minAvailable: "50%", selector: { matchLabels: { app: "web" } } } }, [
    {
      name: "minAvailable and maxUnavailable",
      mutate: (o) => (o.spec.maxUnavailable = 1),
      want: [
        "spec: Invalid value: policy.PodDisruptionBudgetSpec{MinAvailable:(*intstr.IntOrString)(0xc000000000), Selector:(*v1.LabelSelector)(0xc000000000), MaxUnavailable:(*intstr.IntOrString)(0xc000000000), UnhealthyPodEvictionPolicy:(*policy.UnhealthyPodEvictionPolicyType)(nil)}: minAvailable and maxUnavailable cannot be both set",
      ],
    },
    { name: "negative minAvailable", mutate: (o) => (o.spec.minAvailable = -1), want: ["spec.minAvailable: Invalid value: -1: must be greater than or equal to 0"] },
    { name: "percent above 100", mutate: (o) => (o.spec.minAvailable = "120%"), want: ['spec.minAvailable: Invalid value: intstr.IntOrString{Type:1, IntVal:0, StrVal:"120%"}: must not be greater than 100%'] },
  ]));

describe("RBAC validation", () => {
  table("rbac.authorization.k8s.io", "Role", { apiVersion: "rbac.authorization.k8s.io/v1", kind: "Role", metadata: { name: "r", namespace: "default" }, rules: [{ apiGroups: [""], resources: ["pods"], verbs: ["get"] }] }, [
    { name: "verbs required", mutate: (o) => (o.rules[0].verbs = []), want: ["rules[0].verbs: Required value: verbs must contain at least one value"] },
    { name: "apiGroups required", mutate: (o) => delete o.rules[0].apiGroups, want: ["rules[0].apiGroups: Required value: resource rules must supply at least one api group"] },
    {
      name: "non-resource URLs in a Role",
      mutate: (o) => (o.rules = [{ nonResourceURLs: ["/healthz"], verbs: ["get"] }]),
      want: ['rules[0].nonResourceURLs: Invalid value: []string{"/healthz"}: namespaced rules cannot apply to non-resource URLs'],
    },
  ]);
  table(
    "rbac.authorization.k8s.io",
    "RoleBinding",
    {
      apiVersion: "rbac.authorization.k8s.io/v1",
      kind: "RoleBinding",
      metadata: { name: "rb", namespace: "default" },
      roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: "r" },
      subjects: [{ kind: "ServiceAccount", name: "default", namespace: "default" }, { kind: "User", apiGroup: "rbac.authorization.k8s.io", name: "jane" }],
    },
    [
      { name: "roleRef kind", mutate: (o) => (o.roleRef.kind = "Deployment"), want: ['roleRef.kind: Unsupported value: "Deployment": supported values: "Role", "ClusterRole"'] },
      { name: "roleRef name required", mutate: (o) => (o.roleRef.name = ""), want: ["roleRef.name: Required value"] },
      { name: "subject kind", mutate: (o) => (o.subjects[1].kind = "Robot"), want: ['subjects[1].kind: Unsupported value: "Robot": supported values: "ServiceAccount", "User", "Group"'] },
      { name: "subject name required", mutate: (o) => (o.subjects[1].name = ""), want: ["subjects[1].name: Required value"] },
    ],
  );
  table(
    "rbac.authorization.k8s.io",
    "ClusterRoleBinding",
    { apiVersion: "rbac.authorization.k8s.io/v1", kind: "ClusterRoleBinding", metadata: { name: "crb" }, roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: "view" }, subjects: [{ kind: "ServiceAccount", name: "sa", namespace: "default" }] },
    [
      { name: "service account namespace required", mutate: (o) => delete o.subjects[0].namespace, want: ["subjects[0].namespace: Required value"] },
      { name: "roleRef must be a ClusterRole", mutate: (o) => (o.roleRef.kind = "Role"), want: ['roleRef.kind: Unsupported value: "Role": supported values: "ClusterRole"'] },
    ],
  );
});

describe("PriorityClass validation", () =>
  table("scheduling.k8s.io", "PriorityClass", { apiVersion: "scheduling.k8s.io/v1", kind: "PriorityClass", metadata: { name: "high" }, value: 1000, preemptionPolicy: "PreemptLowerPriority" }, [
    { name: "value above user range", mutate: (o) => (o.value = 2000000000), want: ["value: Forbidden: maximum allowed value of a user defined priority is 1000000000"] },
    {
      name: "system- prefix",
      mutate: (o) => (o.metadata.name = "system-high"),
      want: ["metadata.name: Forbidden: priority class names with 'system-' prefix are reserved for system use only. error: system-high is not a known system priority class"],
    },
    {
      name: "known system class with a wrong value",
      mutate: (o) => (o.metadata.name = "system-node-critical"),
      want: ["metadata.name: Forbidden: priority class names with 'system-' prefix are reserved for system use only. error: value of system-node-critical PriorityClass must be 2000001000"],
    },
  ]));

describe("StorageClass validation", () =>
  table("storage.k8s.io", "StorageClass", { apiVersion: "storage.k8s.io/v1", kind: "StorageClass", metadata: { name: "fast" }, provisioner: "kubernetes.io/no-provisioner", reclaimPolicy: "Delete", volumeBindingMode: "WaitForFirstConsumer" }, [
    { name: "provisioner required", mutate: (o) => (o.provisioner = ""), want: ["provisioner: Required value"] },
    { name: "reclaimPolicy", mutate: (o) => (o.reclaimPolicy = "Recycle"), want: ['reclaimPolicy: Unsupported value: "Recycle": supported values: "Delete", "Retain"'] },
    { name: "volumeBindingMode", mutate: (o) => (o.volumeBindingMode = "Later"), want: ['volumeBindingMode: Unsupported value: "Later": supported values: "Immediate", "WaitForFirstConsumer"'] },
  ]));

describe("Lease validation", () =>
  table("coordination.k8s.io", "Lease", { apiVersion: "coordination.k8s.io/v1", kind: "Lease", metadata: { name: "l", namespace: "default" }, spec: { holderIdentity: "a", leaseDurationSeconds: 15 } }, [
    { name: "non-positive duration", mutate: (o) => (o.spec.leaseDurationSeconds = 0), want: ["spec.leaseDurationSeconds: Invalid value: 0: must be greater than 0"] },
    { name: "negative transitions", mutate: (o) => (o.spec.leaseTransitions = -1), want: ["spec.leaseTransitions: Invalid value: -1: must be greater than or equal to 0"] },
  ]));

describe("EndpointSlice validation", () =>
  table("discovery.k8s.io", "EndpointSlice", { apiVersion: "discovery.k8s.io/v1", kind: "EndpointSlice", metadata: { name: "web-abc", namespace: "default" }, addressType: "IPv4", endpoints: [{ addresses: ["10.1.2.3"] }], ports: [{ name: "http", port: 80, protocol: "TCP" }] }, [
    { name: "address type", mutate: (o) => (o.addressType = "IPv5"), want: ['addressType: Unsupported value: "IPv5": supported values: "FQDN", "IPv4", "IPv6"'] },
    { name: "addresses required", mutate: (o) => (o.endpoints[0].addresses = []), want: ["endpoints[0].addresses: Required value: must contain at least 1 address"] },
    { name: "IPv6 address in an IPv4 slice", mutate: (o) => (o.endpoints[0].addresses = ["fd00::1"]), want: ['endpoints[0].addresses[0]: Invalid value: "fd00::1": must be a valid IPv4 address'] },
    { name: "duplicate port names", mutate: (o) => o.ports.push({ name: "http", port: 81, protocol: "TCP" }), want: ['ports[1].name: Duplicate value: "http"'] },
    { name: "address type is immutable", update: true, mutate: (o) => Object.assign(o, { addressType: "IPv6", endpoints: [{ addresses: ["fd00::1"] }] }), want: ['addressType: Invalid value: "IPv6": field is immutable'] },
  ]));

describe("HorizontalPodAutoscaler validation", () =>
  table("autoscaling", "HorizontalPodAutoscaler", { apiVersion: "autoscaling/v2", kind: "HorizontalPodAutoscaler", metadata: { name: "web", namespace: "default" }, spec: { scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name: "web" }, minReplicas: 1, maxReplicas: 5 } }, [
    { name: "minReplicas 0", mutate: (o) => (o.spec.minReplicas = 0), want: ["spec.minReplicas: Invalid value: 0: must be greater than or equal to 1"] },
    { name: "max below min", mutate: (o) => (o.spec.minReplicas = 6), want: ["spec.maxReplicas: Invalid value: 5: must be greater than or equal to `minReplicas`"] },
    { name: "target kind required", mutate: (o) => (o.spec.scaleTargetRef.kind = ""), want: ["spec.scaleTargetRef.kind: Required value"] },
  ]));

describe("ValidatingWebhookConfiguration validation", () =>
  table(
    "admissionregistration.k8s.io",
    "ValidatingWebhookConfiguration",
    {
      apiVersion: "admissionregistration.k8s.io/v1",
      kind: "ValidatingWebhookConfiguration",
      metadata: { name: "v" },
      webhooks: [
        {
          name: "check.example.com",
          clientConfig: { service: { name: "svc", namespace: "default", port: 443 } },
          rules: [{ operations: ["CREATE"], apiGroups: [""], apiVersions: ["v1"], resources: ["pods"] }],
          sideEffects: "None",
          admissionReviewVersions: ["v1"],
          failurePolicy: "Fail",
          timeoutSeconds: 10,
        },
      ],
    },
    [
      { name: "name needs three segments", mutate: (o) => (o.webhooks[0].name = "check.example"), want: ['webhooks[0].name: Invalid value: "check.example": should be a domain with at least three segments separated by dots'] },
      { name: "sideEffects required", mutate: (o) => delete o.webhooks[0].sideEffects, want: ["webhooks[0].sideEffects: Required value: must specify one of None, NoneOnDryRun"] },
      { name: "client config", mutate: (o) => (o.webhooks[0].clientConfig = {}), want: ["webhooks[0].clientConfig: Required value: exactly one of url or service is required"] },
      { name: "timeout", mutate: (o) => (o.webhooks[0].timeoutSeconds = 31), want: ["webhooks[0].timeoutSeconds: Invalid value: 31: the timeout value must be between 1 and 30 seconds"] },
      { name: "admissionReviewVersions required", mutate: (o) => (o.webhooks[0].admissionReviewVersions = []), want: ["webhooks[0].admissionReviewVersions: Required value: must specify one of v1, v1beta1"] },
      { name: "duplicate names", mutate: (o) => o.webhooks.push({ ...o.webhooks[0] }), want: ['webhooks[1].name: Duplicate value: "check.example.com"'] },
    ],
  ));

describe("CustomResourceDefinition validation (top level)", () =>
  table(
    "apiextensions.k8s.io",
    "CustomResourceDefinition",
    {
      apiVersion: "apiextensions.k8s.io/v1",
      kind: "CustomResourceDefinition",
      metadata: { name: "widgets.example.com" },
      spec: { group: "example.com", scope: "Namespaced", names: { plural: "widgets", singular: "widget", kind: "Widget", listKind: "WidgetList" }, versions: [{ name: "v1", served: true, storage: true, schema: { openAPIV3Schema: { type: "object" } } }] },
    },
    [
      { name: "exactly one storage version", mutate: (o) => (o.spec.versions[0].storage = false), want: ["spec.versions: Invalid value: []apiextensions.CustomResourceDefinitionVersion{...}: must have exactly one version marked as storage version"] },
      { name: "scope", mutate: (o) => (o.spec.scope = "Global"), want: ['spec.scope: Unsupported value: "Global": supported values: "Cluster", "Namespaced"'] },
      { name: "group needs a dot", mutate: (o) => (o.spec.group = "example"), want: ['spec.group: Invalid value: "example": should be a domain with at least one dot'] },
      { name: "kind required", mutate: (o) => (o.spec.names.kind = ""), want: ["spec.names.kind: Required value"] },
    ],
  ));
