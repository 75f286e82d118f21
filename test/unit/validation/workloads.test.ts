// apps/v1 and core/v1 controllers (upstream pkg/apis/apps/validation, ValidateReplicationController).
import { describe } from "node:test";
import { table } from "./helpers.js";

const podSpec = {
  restartPolicy: "Always",
  dnsPolicy: "ClusterFirst",
  terminationGracePeriodSeconds: 30,
  containers: [{ name: "web", image: "nginx", imagePullPolicy: "Always", terminationMessagePolicy: "File" }],
};
const template = { metadata: { labels: { app: "web" } }, spec: podSpec };

const deployment = {
  apiVersion: "apps/v1",
  kind: "Deployment",
  metadata: { name: "web", namespace: "default" },
  spec: {
    replicas: 3,
    selector: { matchLabels: { app: "web" } },
    template,
    strategy: { type: "RollingUpdate", rollingUpdate: { maxSurge: "25%", maxUnavailable: "25%" } },
    revisionHistoryLimit: 10,
    progressDeadlineSeconds: 600,
  },
};

const SELECTOR_MISMATCH = 'spec.template.metadata.labels: Invalid value: map[string]string{"app":"web"}: `selector` does not match template `labels`';

describe("Deployment validation", () =>
  table("apps", "Deployment", deployment, [
    { name: "selector required", mutate: (o) => delete o.spec.selector, want: ["spec.selector: Required value", SELECTOR_MISMATCH] },
    { name: "selector must match the template", mutate: (o) => (o.spec.selector.matchLabels.app = "api"), want: [SELECTOR_MISMATCH] },
    {
      name: "empty selector",
      mutate: (o) => (o.spec.selector = {}),
      want: ["spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string(nil), MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: empty selector is invalid for deployment"],
    },
    {
      name: "selector operator",
      mutate: (o) => (o.spec.selector = { matchExpressions: [{ key: "app", operator: "Near", values: ["web"] }] }),
      want: [
        'spec.selector.matchExpressions[0].operator: Invalid value: "Near": not a valid selector operator',
        'spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string(nil), MatchExpressions:[]v1.LabelSelectorRequirement{v1.LabelSelectorRequirement{Key:"app", Operator:"Near", Values:[]string{"web"}}}}: invalid label selector',
      ],
    },
    { name: "negative replicas", mutate: (o) => (o.spec.replicas = -1), want: ["spec.replicas: Invalid value: -1: must be greater than or equal to 0"] },
    {
      name: "maxSurge and maxUnavailable both 0",
      mutate: (o) => (o.spec.strategy.rollingUpdate = { maxSurge: 0, maxUnavailable: 0 }),
      want: ['spec.strategy.rollingUpdate.maxUnavailable: Invalid value: intstr.IntOrString{Type:0, IntVal:0, StrVal:""}: may not be 0 when `maxSurge` is 0'],
    },
    {
      name: "maxUnavailable above 100%",
      mutate: (o) => (o.spec.strategy.rollingUpdate.maxUnavailable = "110%"),
      want: ['spec.strategy.rollingUpdate.maxUnavailable: Invalid value: intstr.IntOrString{Type:1, IntVal:0, StrVal:"110%"}: must not be greater than 100%'],
    },
    {
      name: "bad percent",
      mutate: (o) => (o.spec.strategy.rollingUpdate.maxSurge = "ten"),
      want: [
        "spec.strategy.rollingUpdate.maxSurge: Invalid value: intstr.IntOrString{Type:1, IntVal:0, StrVal:\"ten\"}: a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')",
      ],
    },
    {
      name: "rollingUpdate with Recreate",
      mutate: (o) => (o.spec.strategy.type = "Recreate"),
      want: ["spec.strategy.rollingUpdate: Forbidden: may not be specified when strategy `type` is 'Recreate'"],
    },
    {
      name: "unknown strategy type",
      mutate: (o) => (o.spec.strategy = { type: "BlueGreen" }),
      want: ['spec.strategy: Unsupported value: apps.DeploymentStrategy{Type:"BlueGreen", RollingUpdate:(*apps.RollingUpdateDeployment)(nil)}: supported values: "Recreate", "RollingUpdate"'],
    },
    { name: "negative revisionHistoryLimit", mutate: (o) => (o.spec.revisionHistoryLimit = -1), want: ["spec.revisionHistoryLimit: Invalid value: -1: must be greater than or equal to 0"] },
    {
      name: "progressDeadlineSeconds not above minReadySeconds",
      mutate: (o) => (o.spec.minReadySeconds = 600),
      want: ["spec.progressDeadlineSeconds: Invalid value: 600: must be greater than minReadySeconds"],
    },
    {
      name: "template restartPolicy must be Always",
      mutate: (o) => (o.spec.template.spec.restartPolicy = "Never"),
      want: ['spec.template.spec.restartPolicy: Unsupported value: "Never": supported values: "Always"'],
    },
    { name: "template container without image", mutate: (o) => delete o.spec.template.spec.containers[0].image, want: ["spec.template.spec.containers[0].image: Required value"] },
  ]));

const rs = { apiVersion: "apps/v1", kind: "ReplicaSet", metadata: { name: "web", namespace: "default" }, spec: { replicas: 1, selector: { matchLabels: { app: "web" } }, template } };
describe("ReplicaSet validation", () =>
  table("apps", "ReplicaSet", rs, [
    { name: "negative minReadySeconds", mutate: (o) => (o.spec.minReadySeconds = -5), want: ["spec.minReadySeconds: Invalid value: -5: must be greater than or equal to 0"] },
    {
      name: "activeDeadlineSeconds in the template",
      mutate: (o) => (o.spec.template.spec.activeDeadlineSeconds = 10),
      want: ["spec.template.spec.activeDeadlineSeconds: Forbidden: activeDeadlineSeconds in ReplicaSet is not Supported"],
    },
  ]));

const sts = {
  apiVersion: "apps/v1",
  kind: "StatefulSet",
  metadata: { name: "db", namespace: "default" },
  spec: { replicas: 1, serviceName: "db", podManagementPolicy: "OrderedReady", updateStrategy: { type: "RollingUpdate", rollingUpdate: { partition: 0 } }, selector: { matchLabels: { app: "web" } }, template },
};
describe("StatefulSet validation", () =>
  table("apps", "StatefulSet", sts, [
    { name: "podManagementPolicy", mutate: (o) => (o.spec.podManagementPolicy = "Random"), want: ['spec.podManagementPolicy: Invalid value: "Random": must be \'OrderedReady\' or \'Parallel\''] },
    { name: "negative partition", mutate: (o) => (o.spec.updateStrategy.rollingUpdate.partition = -1), want: ["spec.updateStrategy.rollingUpdate.partition: Invalid value: -1: must be greater than or equal to 0"] },
    {
      name: "empty selector",
      mutate: (o) => (o.spec.selector = { matchLabels: {} }),
      want: ["spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string{}, MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: empty selector is invalid for statefulset"],
    },
    { name: "selector mismatch", mutate: (o) => (o.spec.template.metadata.labels = { app: "db" }), want: ['spec.template.metadata.labels: Invalid value: map[string]string{"app":"db"}: `selector` does not match template `labels`'] },
  ]));

const ds = {
  apiVersion: "apps/v1",
  kind: "DaemonSet",
  metadata: { name: "agent", namespace: "default" },
  spec: { selector: { matchLabels: { app: "web" } }, template, updateStrategy: { type: "RollingUpdate", rollingUpdate: { maxUnavailable: 1, maxSurge: 0 } }, revisionHistoryLimit: 10 },
};
describe("DaemonSet validation", () =>
  table("apps", "DaemonSet", ds, [
    { name: "maxSurge and maxUnavailable both 0", mutate: (o) => (o.spec.updateStrategy.rollingUpdate.maxUnavailable = 0), want: ["spec.updateStrategy.rollingUpdate.maxUnavailable: Required value: cannot be 0 when maxSurge is 0"] },
    {
      name: "maxSurge with maxUnavailable",
      mutate: (o) => (o.spec.updateStrategy.rollingUpdate.maxSurge = 1),
      want: ['spec.updateStrategy.rollingUpdate.maxSurge: Invalid value: intstr.IntOrString{Type:0, IntVal:1, StrVal:""}: may not be set when maxUnavailable is non-zero'],
    },
    { name: "nil selector never matches", mutate: (o) => delete o.spec.selector, want: ['spec.template.metadata.labels: Invalid value: map[string]string{"app":"web"}: `selector` does not match template `labels`'] },
  ]));

const rc = { apiVersion: "v1", kind: "ReplicationController", metadata: { name: "rc", namespace: "default" }, spec: { replicas: 1, selector: { app: "web" }, template } };
describe("ReplicationController validation", () =>
  table("", "ReplicationController", rc, [
    { name: "selector required", mutate: (o) => delete o.spec.selector, want: ["spec.selector: Required value"] },
    { name: "selector mismatch", mutate: (o) => (o.spec.selector = { app: "x" }), want: ['spec.template.metadata.labels: Invalid value: map[string]string{"app":"web"}: `selector` does not match template `labels`'] },
    { name: "negative replicas", mutate: (o) => (o.spec.replicas = -2), want: ["spec.replicas: Invalid value: -2: must be greater than or equal to 0"] },
  ]));
