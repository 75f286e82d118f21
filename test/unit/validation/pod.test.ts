// Pod / PodSpec / Container validation (upstream pkg/apis/core/validation ValidatePodCreate/Update).
import { describe } from "node:test";
import { type Case, DNS_LABEL_MSG, table } from "./helpers.js";

const pod = {
  apiVersion: "v1",
  kind: "Pod",
  metadata: { name: "web", namespace: "default", uid: "u1" },
  spec: {
    restartPolicy: "Always",
    dnsPolicy: "ClusterFirst",
    terminationGracePeriodSeconds: 30,
    schedulerName: "default-scheduler",
    volumes: [{ name: "data", emptyDir: {} }, { name: "cfg", configMap: { name: "cfg", defaultMode: 420 } }],
    containers: [
      {
        name: "app",
        image: "nginx:1.27",
        imagePullPolicy: "IfNotPresent",
        terminationMessagePolicy: "File",
        terminationMessagePath: "/dev/termination-log",
        ports: [{ name: "http", containerPort: 80, protocol: "TCP" }],
        env: [{ name: "MODE", value: "prod" }, { name: "POD", valueFrom: { fieldRef: { apiVersion: "v1", fieldPath: "metadata.name" } } }],
        volumeMounts: [{ name: "data", mountPath: "/data" }],
        resources: { requests: { cpu: "100m", memory: "64Mi" }, limits: { cpu: "1", memory: "128Mi" } },
        livenessProbe: { httpGet: { path: "/", port: 80, scheme: "HTTP" }, timeoutSeconds: 1, periodSeconds: 10, successThreshold: 1, failureThreshold: 3 },
      },
    ],
    initContainers: [{ name: "init", image: "busybox", imagePullPolicy: "Always", terminationMessagePolicy: "File" }],
    tolerations: [{ key: "node.kubernetes.io/not-ready", operator: "Exists", effect: "NoExecute", tolerationSeconds: 300 }],
  },
};

const c0 = "spec.containers[0]";
const cases: Case[] = [
  { name: "no containers", mutate: (o) => (o.spec.containers = []), want: ["spec.containers: Required value"] },
  { name: "missing image", mutate: (o) => delete o.spec.containers[0].image, want: [`${c0}.image: Required value`] },
  { name: "missing container name", mutate: (o) => delete o.spec.containers[0].name, want: [`${c0}.name: Required value`] },
  { name: "container name not a DNS label", mutate: (o) => (o.spec.containers[0].name = "App_1"), want: [`${c0}.name: Invalid value: "App_1": ${DNS_LABEL_MSG}`] },
  {
    name: "duplicate name across containers and initContainers",
    mutate: (o) => (o.spec.initContainers[0].name = "app"),
    want: ['spec.initContainers[0].name: Duplicate value: "app"'],
  },
  {
    name: "duplicate container names",
    mutate: (o) => o.spec.containers.push({ ...o.spec.containers[0], ports: [] }),
    want: ['spec.containers[1].name: Duplicate value: "app"'],
  },
  { name: "port out of range", mutate: (o) => (o.spec.containers[0].ports[0].containerPort = 70000), want: [`${c0}.ports[0].containerPort: Invalid value: 70000: must be between 1 and 65535, inclusive`] },
  { name: "port zero", mutate: (o) => (o.spec.containers[0].ports[0].containerPort = 0), want: [`${c0}.ports[0].containerPort: Required value`] },
  {
    name: "unsupported protocol",
    mutate: (o) => (o.spec.containers[0].ports[0].protocol = "ICMP"),
    want: [`${c0}.ports[0].protocol: Unsupported value: "ICMP": supported values: "SCTP", "TCP", "UDP"`],
  },
  {
    name: "duplicate port names",
    mutate: (o) => o.spec.containers[0].ports.push({ name: "http", containerPort: 81, protocol: "TCP" }),
    want: [`${c0}.ports[1].name: Duplicate value: "http"`],
  },
  {
    name: "bad port name",
    mutate: (o) => (o.spec.containers[0].ports[0].name = "HTTP--1"),
    want: [
      `${c0}.ports[0].name: Invalid value: "HTTP--1": must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)`,
      `${c0}.ports[0].name: Invalid value: "HTTP--1": must contain at least one letter (a-z)`,
      `${c0}.ports[0].name: Invalid value: "HTTP--1": must not contain consecutive hyphens`,
    ],
  },
  {
    name: "duplicate host ports",
    mutate: (o) => {
      o.spec.containers[0].ports = [
        { containerPort: 80, hostPort: 8080, protocol: "TCP" },
        { containerPort: 81, hostPort: 8080, protocol: "TCP" },
      ];
    },
    want: [`${c0}.ports[1].hostPort: Duplicate value: "TCP//8080"`],
  },
  {
    name: "env var name with '='",
    mutate: (o) => (o.spec.containers[0].env[0].name = "A=B"),
    want: [`${c0}.env[0].name: Invalid value: "A=B": a valid environment variable name must consist only of printable ASCII characters other than '='`],
  },
  { name: "env var without name", mutate: (o) => (o.spec.containers[0].env[0].name = ""), want: [`${c0}.env[0].name: Required value`] },
  {
    name: "env value and valueFrom",
    mutate: (o) => (o.spec.containers[0].env[1].value = "x"),
    want: [`${c0}.env[1].valueFrom: Invalid value: "": may not be specified when \`value\` is not empty`],
  },
  {
    name: "unsupported fieldRef path",
    mutate: (o) => (o.spec.containers[0].env[1].valueFrom.fieldRef.fieldPath = "spec.nodeName2"),
    want: [`${c0}.env[1].valueFrom.fieldRef.fieldPath: Invalid value: "spec.nodeName2": error converting fieldPath: field label not supported: spec.nodeName2`],
  },
  {
    name: "mount of a missing volume",
    mutate: (o) => (o.spec.containers[0].volumeMounts[0].name = "missing"),
    want: [`${c0}.volumeMounts[0].name: Not found: "missing"`],
  },
  {
    name: "duplicate mount path",
    mutate: (o) => o.spec.containers[0].volumeMounts.push({ name: "cfg", mountPath: "/data" }),
    want: [`${c0}.volumeMounts[1].mountPath: Invalid value: "/data": must be unique`],
  },
  { name: "volume without a source", mutate: (o) => o.spec.volumes.push({ name: "empty" }), want: ["spec.volumes[2]: Required value: must specify a volume type"] },
  {
    name: "volume with two sources (and a mount of it)",
    mutate: (o) => (o.spec.volumes[0].hostPath = { path: "/tmp" }),
    want: ["spec.volumes[0].hostPath: Forbidden: may not specify more than 1 volume type", `${c0}.volumeMounts[0].name: Not found: "data"`],
  },
  {
    name: "duplicate volume names",
    mutate: (o) => (o.spec.volumes[1].name = "data"),
    want: ['spec.volumes[1].name: Duplicate value: "data"'],
  },
  { name: "volume name not a DNS label", mutate: (o) => (o.spec.volumes[1].name = "Cfg"), want: [`spec.volumes[1].name: Invalid value: "Cfg": ${DNS_LABEL_MSG}`] },
  { name: "configMap volume without name", mutate: (o) => (o.spec.volumes[1].configMap.name = ""), want: ["spec.volumes[1].configMap.name: Required value"] },
  {
    name: "file mode out of range",
    mutate: (o) => (o.spec.volumes[1].configMap.defaultMode = 1000),
    want: ["spec.volumes[1].configMap.defaultMode: Invalid value: 1000: must be a number between 0 and 0777 (octal), both inclusive"],
  },
  {
    name: "request above limit",
    mutate: (o) => (o.spec.containers[0].resources.requests.cpu = "2"),
    want: [`${c0}.resources.requests: Invalid value: "2": must be less than or equal to cpu limit of 1`],
  },
  {
    name: "memory request above limit (canonical quantities)",
    mutate: (o) => (o.spec.containers[0].resources.requests.memory = "1024Mi"),
    want: [`${c0}.resources.requests: Invalid value: "1Gi": must be less than or equal to memory limit of 128Mi`],
  },
  {
    name: "negative quantity",
    mutate: (o) => (o.spec.containers[0].resources.limits.cpu = "-1"),
    want: [
      `${c0}.resources.limits[cpu]: Invalid value: "-1": must be greater than or equal to 0`,
      `${c0}.resources.requests: Invalid value: "100m": must be less than or equal to cpu limit of -1`,
    ],
  },
  {
    name: "unknown resource name",
    mutate: (o) => (o.spec.containers[0].resources.limits.gpu = "1"),
    want: [`${c0}.resources.limits[gpu]: Invalid value: "gpu": must be a standard resource type or fully qualified`, `${c0}.resources.limits[gpu]: Invalid value: "gpu": must be a standard resource for containers`],
  },
  {
    name: "extended resource request without limit",
    mutate: (o) => (o.spec.containers[0].resources.requests["example.com/gpu"] = "1"),
    want: [`${c0}.resources.limits: Required value: Limit must be set for non overcommitable resources`],
  },
  {
    name: "restartPolicy enum",
    mutate: (o) => (o.spec.restartPolicy = "Sometimes"),
    want: ['spec.restartPolicy: Unsupported value: "Sometimes": supported values: "Always", "OnFailure", "Never"'],
  },
  {
    name: "dnsPolicy enum",
    mutate: (o) => (o.spec.dnsPolicy = "Nope"),
    want: ['spec.dnsPolicy: Unsupported value: "Nope": supported values: "ClusterFirstWithHostNet", "ClusterFirst", "Default", "None"'],
  },
  { name: "probe without handler", mutate: (o) => (o.spec.containers[0].livenessProbe = { periodSeconds: 10 }), want: [`${c0}.livenessProbe: Required value: must specify a handler type`] },
  {
    name: "probe with two handlers",
    mutate: (o) => (o.spec.containers[0].livenessProbe.tcpSocket = { port: 80 }),
    want: [`${c0}.livenessProbe.tcpSocket: Forbidden: may not specify more than 1 handler type`],
  },
  {
    name: "liveness successThreshold must be 1",
    mutate: (o) => (o.spec.containers[0].livenessProbe.successThreshold = 2),
    want: [`${c0}.livenessProbe.successThreshold: Invalid value: 2: must be 1`],
  },
  {
    name: "negative probe period",
    mutate: (o) => (o.spec.containers[0].livenessProbe.periodSeconds = -1),
    want: [`${c0}.livenessProbe.periodSeconds: Invalid value: -1: must be greater than or equal to 0`],
  },
  {
    name: "exec probe without command",
    mutate: (o) => (o.spec.containers[0].readinessProbe = { exec: {} }),
    want: [`${c0}.readinessProbe.exec.command: Required value`],
  },
  {
    name: "init container probes need restartPolicy Always",
    mutate: (o) => (o.spec.initContainers[0].readinessProbe = { exec: { command: ["true"] } }),
    want: ["spec.initContainers[0].readinessProbe: Forbidden: may not be set for init containers without restartPolicy=Always"],
  },
  {
    name: "restartPolicy on a regular container",
    mutate: (o) => (o.spec.containers[0].restartPolicy = "Always"),
    want: [`${c0}.restartPolicy: Forbidden: may not be set for non-init containers`],
  },
  {
    name: "toleration with empty key needs Exists",
    mutate: (o) => (o.spec.tolerations = [{ operator: "Equal", value: "x" }]),
    want: ['spec.tolerations[0].operator: Invalid value: "Equal": operator must be Exists when `key` is empty, which means "match all values and all keys"'],
  },
  {
    name: "image with trailing whitespace",
    mutate: (o) => (o.spec.containers[0].image = "nginx "),
    want: [`${c0}.image: Invalid value: "nginx ": must not have leading or trailing whitespace`],
  },
  {
    name: "activeDeadlineSeconds range",
    mutate: (o) => (o.spec.activeDeadlineSeconds = 0),
    want: ["spec.activeDeadlineSeconds: Invalid value: 0: must be between 1 and 2147483647, inclusive"],
  },
  { name: "hostname not a DNS label", mutate: (o) => (o.spec.hostname = "a.b"), want: ['spec.hostname: Invalid value: "a.b": must not contain dots'] },
  {
    name: "nodeSelector label value",
    mutate: (o) => (o.spec.nodeSelector = { disk: "a b" }),
    want: [
      "spec.nodeSelector: Invalid value: \"a b\": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')",
    ],
  },
  {
    name: "node affinity operator",
    mutate: (o) => (o.spec.affinity = { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: "zone", operator: "Near" }] }] } } }),
    want: ['spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions[0].operator: Invalid value: "Near": not a valid selector operator'],
  },
  {
    name: "pod anti-affinity without topologyKey",
    mutate: (o) => (o.spec.affinity = { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ labelSelector: { matchLabels: { app: "web" } } }] } }),
    want: [
      "spec.affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution[0].topologyKey: Required value: can not be empty",
      `spec.affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution[0].topologyKey: Invalid value: "": name part must be non-empty`,
      `spec.affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution[0].topologyKey: Invalid value: "": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')`,
    ],
  },
  {
    name: "topology spread whenUnsatisfiable",
    mutate: (o) => (o.spec.topologySpreadConstraints = [{ maxSkew: 0, topologyKey: "zone", whenUnsatisfiable: "Maybe" }]),
    want: [
      "spec.topologySpreadConstraints[0].maxSkew: Invalid value: 0: must be greater than zero",
      'spec.topologySpreadConstraints[0].whenUnsatisfiable: Unsupported value: "Maybe": supported values: "DoNotSchedule", "ScheduleAnyway"',
    ],
  },
  {
    name: "ephemeral containers cannot be set on create",
    mutate: (o) => (o.spec.ephemeralContainers = [{ name: "debug", image: "busybox" }]),
    want: ["spec.ephemeralContainers: Forbidden: cannot be set on create"],
  },
  {
    name: "runAsUser out of range",
    mutate: (o) => (o.spec.securityContext = { runAsUser: -1 }),
    want: ["spec.securityContext.runAsUser: Invalid value: -1: must be between 0 and 4294967295, inclusive"],
  },
  {
    name: "update may change the image",
    update: true,
    mutate: (o) => (o.spec.containers[0].image = "nginx:1.28"),
    want: [],
  },
  {
    name: "update may not add containers",
    update: true,
    mutate: (o) => o.spec.containers.push({ name: "side", image: "x" }),
    want: ["spec.containers: Forbidden: pod updates may not add or remove containers"],
  },
  {
    name: "activeDeadlineSeconds may only decrease",
    update: true,
    mutate: (o) => (o.spec.activeDeadlineSeconds = 10),
    want: [],
  },
  {
    name: "tolerations may only be added",
    update: true,
    mutate: (o) => (o.spec.tolerations = []),
    want: ["spec.tolerations: Forbidden: existing toleration can not be modified except its tolerationSeconds"],
  },
];

describe("Pod validation", () => table("", "Pod", pod, cases));

describe("Pod update: other spec fields are immutable", () => {
  table("", "Pod", pod, [
    {
      name: "changing restartPolicy",
      update: true,
      mutate: (o) => (o.spec.restartPolicy = "Never"),
      want: [
        'spec: Forbidden: pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)\n  core.PodSpec{\n- \trestartPolicy: "Always",\n+ \trestartPolicy: "Never",\n  }',
      ],
    },
  ]);
});

describe("PodTemplate validation", () => {
  table("", "PodTemplate", { apiVersion: "v1", kind: "PodTemplate", metadata: { name: "t", namespace: "default" }, template: { metadata: { labels: { a: "b" } }, spec: pod.spec } }, [
    { name: "template container without image", mutate: (o) => delete o.template.spec.containers[0].image, want: ["template.spec.containers[0].image: Required value"] },
    {
      name: "ephemeral containers in a template",
      mutate: (o) => (o.template.spec.ephemeralContainers = [{ name: "d", image: "x" }]),
      want: ["template.spec.ephemeralContainers: Forbidden: ephemeral containers not allowed in pod template"],
    },
  ]);
});
