import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { KubeObject } from "../../../src/apimachinery/types.js";
import { printerFor, rowConditionsFor } from "../../../src/registry/printers/index.js";

const now = Date.parse("2025-05-01T12:00:00Z");
const ago = (ms: number) => new Date(now - ms).toISOString().replace(/\.\d{3}Z$/, "Z");
const MIN = 60_000;
const pods = printerFor("", "Pod");

function pod(spec: Record<string, unknown>, status: Record<string, unknown>, meta: Record<string, unknown> = {}): KubeObject {
  return {
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name: "web", namespace: "default", creationTimestamp: ago(5 * MIN), ...meta },
    spec: { containers: [{ name: "app", image: "nginx" }], ...spec },
    status,
  };
}

const running = (extra: Record<string, unknown> = {}) => ({ name: "app", ready: true, restartCount: 0, started: true, state: { running: { startedAt: ago(4 * MIN) } }, ...extra });
const readyConds = [
  { type: "Initialized", status: "True" },
  { type: "Ready", status: "True" },
  { type: "ContainersReady", status: "True" },
  { type: "PodScheduled", status: "True" },
];

describe("Pod printer", () => {
  it("has upstream's columns", () => {
    assert.deepEqual(
      pods.columns.map((c) => [c.name, c.type, c.format, c.priority]),
      [
        ["Name", "string", "name", 0],
        ["Ready", "string", "", 0],
        ["Status", "string", "", 0],
        ["Restarts", "string", "", 0],
        ["Age", "string", "", 0],
        ["IP", "string", "", 1],
        ["Node", "string", "", 1],
        ["Nominated Node", "string", "", 1],
        ["Readiness Gates", "string", "", 1],
      ],
    );
    assert.equal(pods.columns[5]?.description, "podIP address allocated to the pod. Routable at least within the cluster. Empty if not yet allocated.");
  });

  const cases: { name: string; pod: KubeObject; want: unknown[] }[] = [
    {
      name: "running and ready",
      pod: pod({ nodeName: "node-1" }, { phase: "Running", podIP: "10.244.1.7", podIPs: [{ ip: "10.244.1.7" }], conditions: readyConds, containerStatuses: [running()] }),
      want: ["web", "1/1", "Running", "0", "5m", "10.244.1.7", "node-1", "<none>", "<none>"],
    },
    {
      name: "restarts with the time of the last one",
      pod: pod({}, {
        phase: "Running",
        conditions: readyConds,
        containerStatuses: [running({ restartCount: 2, lastState: { terminated: { exitCode: 1, reason: "Error", finishedAt: ago(3 * MIN) } } })],
      }),
      want: ["web", "1/1", "Running", "2 (3m ago)", "5m", "<none>", "<none>", "<none>", "<none>"],
    },
    {
      name: "crash loop",
      pod: pod({}, {
        phase: "Running",
        containerStatuses: [{
          name: "app", ready: false, restartCount: 5,
          state: { waiting: { reason: "CrashLoopBackOff", message: "back-off 2m40s" } },
          lastState: { terminated: { exitCode: 1, reason: "Error", finishedAt: ago(90_000) } },
        }],
      }),
      want: ["web", "0/1", "CrashLoopBackOff", "5 (90s ago)", "5m", "<none>", "<none>", "<none>", "<none>"],
    },
    {
      name: "pending, creating containers",
      pod: pod({ nodeName: "node-1" }, { phase: "Pending", containerStatuses: [{ name: "app", ready: false, restartCount: 0, state: { waiting: { reason: "ContainerCreating" } } }] }),
      want: ["web", "0/1", "ContainerCreating", "0", "5m", "<none>", "node-1", "<none>", "<none>"],
    },
    {
      name: "pending without status",
      pod: pod({}, { phase: "Pending" }),
      want: ["web", "0/1", "Pending", "0", "5m", "<none>", "<none>", "<none>", "<none>"],
    },
    {
      name: "no status at all",
      pod: { metadata: { name: "bare" }, spec: {} },
      want: ["bare", "0/0", "", "0", "<unknown>", "<none>", "<none>", "<none>", "<none>"],
    },
    {
      name: "waiting for the first init container",
      pod: pod({ initContainers: [{ name: "init" }] }, {
        phase: "Pending",
        initContainerStatuses: [{ name: "init", ready: false, restartCount: 0, state: { running: {} } }],
        containerStatuses: [{ name: "app", ready: false, restartCount: 0, state: { waiting: { reason: "PodInitializing" } } }],
      }),
      want: ["web", "0/1", "Init:0/1", "0", "5m", "<none>", "<none>", "<none>", "<none>"],
    },
    {
      name: "second of two init containers",
      pod: pod({ initContainers: [{ name: "a" }, { name: "b" }] }, {
        phase: "Pending",
        initContainerStatuses: [
          { name: "a", ready: true, restartCount: 0, state: { terminated: { exitCode: 0, reason: "Completed" } } },
          { name: "b", ready: false, restartCount: 0, state: { waiting: { reason: "PodInitializing" } } },
        ],
      }),
      want: ["web", "0/1", "Init:1/2", "0", "5m", "<none>", "<none>", "<none>", "<none>"],
    },
    {
      name: "crash-looping init container counts init restarts",
      pod: pod({ initContainers: [{ name: "init" }] }, {
        phase: "Pending",
        initContainerStatuses: [{
          name: "init", ready: false, restartCount: 3,
          state: { waiting: { reason: "CrashLoopBackOff" } },
          lastState: { terminated: { exitCode: 1, finishedAt: ago(2 * MIN) } },
        }],
        containerStatuses: [{ name: "app", ready: false, restartCount: 0, state: { waiting: { reason: "PodInitializing" } } }],
      }),
      want: ["web", "0/1", "Init:CrashLoopBackOff", "3 (2m ago)", "5m", "<none>", "<none>", "<none>", "<none>"],
    },
    {
      name: "failed init container without a reason",
      pod: pod({ initContainers: [{ name: "init" }] }, {
        phase: "Pending",
        initContainerStatuses: [{ name: "init", ready: false, restartCount: 0, state: { terminated: { exitCode: 2 } } }],
      }),
      want: ["web", "0/1", "Init:ExitCode:2", "0", "5m", "<none>", "<none>", "<none>", "<none>"],
    },
    {
      name: "init container killed by a signal",
      pod: pod({ initContainers: [{ name: "init" }] }, {
        phase: "Pending",
        initContainerStatuses: [{ name: "init", ready: false, restartCount: 0, state: { terminated: { exitCode: 137, signal: 9 } } }],
      }),
      want: ["web", "0/1", "Init:Signal:9", "0", "5m", "<none>", "<none>", "<none>", "<none>"],
    },
    {
      name: "running sidecar (restartable init container) counts in READY",
      pod: pod({ initContainers: [{ name: "proxy", restartPolicy: "Always" }] }, {
        phase: "Running",
        conditions: readyConds,
        initContainerStatuses: [{ name: "proxy", ready: true, started: true, restartCount: 1, state: { running: {} }, lastState: { terminated: { exitCode: 1, finishedAt: ago(4 * MIN) } } }],
        containerStatuses: [running()],
      }),
      want: ["web", "2/2", "Running", "1 (4m ago)", "5m", "<none>", "<none>", "<none>", "<none>"],
    },
    {
      name: "completed job pod",
      pod: pod({ restartPolicy: "Never" }, {
        phase: "Succeeded",
        containerStatuses: [{ name: "app", ready: false, restartCount: 0, state: { terminated: { exitCode: 0, reason: "Completed" } } }],
      }),
      want: ["web", "0/1", "Completed", "0", "5m", "<none>", "<none>", "<none>", "<none>"],
    },
    {
      name: "failed container",
      pod: pod({}, {
        phase: "Failed",
        containerStatuses: [{ name: "app", ready: false, restartCount: 0, state: { terminated: { exitCode: 1, reason: "Error" } } }],
      }),
      want: ["web", "0/1", "Error", "0", "5m", "<none>", "<none>", "<none>", "<none>"],
    },
    {
      name: "terminated without a reason prints the exit code",
      pod: pod({}, { phase: "Running", containerStatuses: [{ name: "app", restartCount: 0, state: { terminated: { exitCode: 3 } } }] }),
      want: ["web", "0/1", "ExitCode:3", "0", "5m", "<none>", "<none>", "<none>", "<none>"],
    },
    {
      name: "one container completed while another still runs",
      pod: pod({ containers: [{ name: "app" }, { name: "job" }] }, {
        phase: "Running",
        conditions: [{ type: "Ready", status: "False" }],
        containerStatuses: [running(), { name: "job", ready: false, restartCount: 0, state: { terminated: { exitCode: 0, reason: "Completed" } } }],
      }),
      want: ["web", "1/2", "NotReady", "0", "5m", "<none>", "<none>", "<none>", "<none>"],
    },
    {
      name: "completed container with the pod ready is Running",
      pod: pod({ containers: [{ name: "app" }, { name: "job" }] }, {
        phase: "Running",
        conditions: readyConds,
        containerStatuses: [running(), { name: "job", ready: false, restartCount: 0, state: { terminated: { exitCode: 0, reason: "Completed" } } }],
      }),
      want: ["web", "1/2", "Running", "0", "5m", "<none>", "<none>", "<none>", "<none>"],
    },
    {
      name: "terminating",
      pod: pod({ nodeName: "node-1" }, { phase: "Running", conditions: readyConds, containerStatuses: [running()] }, { deletionTimestamp: ago(10_000) }),
      want: ["web", "1/1", "Terminating", "0", "5m", "<none>", "node-1", "<none>", "<none>"],
    },
    {
      name: "deleted while its node is lost",
      pod: pod({}, { phase: "Running", reason: "NodeLost", containerStatuses: [running()] }, { deletionTimestamp: ago(10_000) }),
      want: ["web", "1/1", "Unknown", "0", "5m", "<none>", "<none>", "<none>", "<none>"],
    },
    {
      name: "a finished pod being deleted keeps its status",
      pod: pod({}, { phase: "Succeeded", containerStatuses: [{ name: "app", restartCount: 0, state: { terminated: { exitCode: 0, reason: "Completed" } } }] }, { deletionTimestamp: ago(10_000) }),
      want: ["web", "0/1", "Completed", "0", "5m", "<none>", "<none>", "<none>", "<none>"],
    },
    {
      name: "scheduling gated",
      pod: pod({ schedulingGates: [{ name: "example.com/gate" }] }, { phase: "Pending", conditions: [{ type: "PodScheduled", status: "False", reason: "SchedulingGated" }] }),
      want: ["web", "0/1", "SchedulingGated", "0", "5m", "<none>", "<none>", "<none>", "<none>"],
    },
    {
      name: "evicted pod shows the status reason",
      pod: pod({}, { phase: "Failed", reason: "Evicted", message: "The node was low on resource: memory." }),
      want: ["web", "0/1", "Evicted", "0", "5m", "<none>", "<none>", "<none>", "<none>"],
    },
    {
      name: "wide cells: IP from podIPs, nominated node, readiness gates",
      pod: pod({ readinessGates: [{ conditionType: "example.com/ready" }, { conditionType: "example.com/lb" }] }, {
        phase: "Pending",
        podIPs: [{ ip: "fd00::7" }, { ip: "10.0.0.7" }],
        nominatedNodeName: "node-2",
        conditions: [{ type: "example.com/ready", status: "True" }, { type: "example.com/lb", status: "False" }],
      }),
      want: ["web", "0/1", "Pending", "0", "5m", "fd00::7", "<none>", "node-2", "1/2"],
    },
  ];
  for (const c of cases) {
    it(c.name, () => assert.deepEqual(pods.cells(c.pod, { now }), c.want));
  }

  it("marks finished pods' rows Completed", () => {
    assert.deepEqual(rowConditionsFor("", "Pod", pod({}, { phase: "Succeeded" })), [
      { type: "Completed", status: "True", reason: "Succeeded", message: "The pod has completed successfully." },
    ]);
    assert.deepEqual(rowConditionsFor("", "Pod", pod({}, { phase: "Failed" })), [
      { type: "Completed", status: "True", reason: "Failed", message: "The pod failed." },
    ]);
    assert.equal(rowConditionsFor("", "Pod", pod({}, { phase: "Running" })), undefined);
    assert.equal(rowConditionsFor("apps", "Deployment", pod({}, { phase: "Failed" })), undefined);
  });
});

describe("PodTemplate and ReplicationController printers", () => {
  it("prints a pod template", () => {
    const o: KubeObject = {
      metadata: { name: "tpl" },
      template: { metadata: { labels: { app: "web", tier: "fe" } }, spec: { containers: [{ name: "a", image: "nginx:1.27" }, { name: "b", image: "busybox" }] } },
    };
    assert.deepEqual(printerFor("", "PodTemplate").columns.map((c) => c.name), ["Name", "Containers", "Images", "Pod Labels"]);
    assert.deepEqual(printerFor("", "PodTemplate").cells(o, { now }), ["tpl", "a,b", "nginx:1.27,busybox", "app=web,tier=fe"]);
  });
  it("prints a replication controller", () => {
    const o: KubeObject = {
      metadata: { name: "rc", creationTimestamp: ago(2 * 60 * MIN) },
      spec: { replicas: 3, selector: { app: "web" }, template: { spec: { containers: [{ name: "web", image: "nginx" }] } } },
      status: { replicas: 3, readyReplicas: 2 },
    };
    assert.deepEqual(printerFor("", "ReplicationController").cells(o, { now }), ["rc", 3, 3, 2, "120m", "web", "nginx", "app=web"]);
    assert.deepEqual(printerFor("", "ReplicationController").cells({ metadata: { name: "empty" } }, { now }), [
      "empty", 0, 0, 0, "<unknown>", "", "", "<none>",
    ]);
  });
});
