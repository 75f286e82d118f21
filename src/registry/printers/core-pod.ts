// Core printers for pods and their templates: Pod (with upstream's STATUS reason logic and sidecar
// aware READY/RESTARTS), PodTemplate and ReplicationController.
import { humanDuration } from "../../apimachinery/duration.js";
import type { KubeObject } from "../../apimachinery/types.js";
import type { PrintContext, Printer } from "../printer.js";
import {
  ageColumn,
  ageOf,
  column,
  containerCells,
  containersColumn,
  findCondition,
  formatLabels,
  get,
  has,
  imagesColumn,
  int,
  list,
  nameColumn,
  nameOf,
  obj,
  parseTimestamp,
  printer,
  str,
  stringMap,
  timeBefore,
  type Obj,
} from "./util.js";

/** A row condition of a Table (metav1.TableRowCondition). */
export interface TableRowCondition {
  type: string;
  status: string;
  reason?: string;
  message?: string;
}

/** Upstream marks rows of finished pods `Completed` so clients can de-emphasise them. */
export function podRowConditions(pod: KubeObject): TableRowCondition[] | undefined {
  switch (str(pod, "status", "phase")) {
    case "Succeeded":
      return [{ type: "Completed", status: "True", reason: "Succeeded", message: "The pod has completed successfully." }];
    case "Failed":
      return [{ type: "Completed", status: "True", reason: "Failed", message: "The pod failed." }];
  }
  return undefined;
}

function isRestartable(container: unknown): boolean {
  return str(container, "restartPolicy") === "Always";
}

function conditionTrue(conditions: unknown[], type: string): boolean {
  return str(findCondition(conditions, type), "status") === "True";
}

/** Time of a container's last termination (lastState.terminated.finishedAt), if it has one. */
function lastTermination(cs: unknown): { terminated: boolean; at: number | undefined } {
  if (!has(cs, "lastState", "terminated")) return { terminated: false, at: undefined };
  return { terminated: true, at: parseTimestamp(get(cs, "lastState", "terminated", "finishedAt")) };
}

function terminatedReason(terminated: Obj, prefix: string): string {
  const reason = str(terminated, "reason");
  if (reason !== "") return prefix + reason;
  const signal = int(terminated, "signal");
  return signal !== 0 ? `${prefix}Signal:${signal}` : `${prefix}ExitCode:${int(terminated, "exitCode")}`;
}

interface PodSummary {
  ready: number;
  total: number;
  reason: string;
  restarts: string;
}

/** READY, STATUS and RESTARTS of a pod, as upstream's printPod computes them. */
export function summarizePod(pod: KubeObject, now: number): PodSummary {
  const spec = obj(pod, "spec");
  const status = obj(pod, "status");
  const conditions = list(status, "conditions");
  const phase = str(status, "phase");
  const initContainers = list(spec, "initContainers");
  let total = list(spec, "containers").length;
  let ready = 0;
  let restarts = 0;
  let sidecarRestarts = 0;
  let lastRestart: number | undefined;
  let lastSidecarRestart: number | undefined;
  let reason = str(status, "reason") || phase;

  for (const c of conditions) {
    if (str(c, "type") === "PodScheduled" && str(c, "reason") === "SchedulingGated") reason = "SchedulingGated";
  }

  const initByName = new Map<string, unknown>();
  for (const c of initContainers) {
    initByName.set(str(c, "name"), c);
    if (isRestartable(c)) total++;
  }

  let initializing = false;
  const initStatuses = list(status, "initContainerStatuses");
  for (let i = 0; i < initStatuses.length; i++) {
    const cs = initStatuses[i];
    const sidecar = isRestartable(initByName.get(str(cs, "name")));
    const count = int(cs, "restartCount");
    const last = lastTermination(cs);
    restarts += count;
    if (last.terminated && timeBefore(lastRestart, last.at)) lastRestart = last.at;
    if (sidecar) {
      sidecarRestarts += count;
      if (last.terminated && timeBefore(lastSidecarRestart, last.at)) lastSidecarRestart = last.at;
    }
    const terminated = get(cs, "state", "terminated");
    const waitingReason = str(cs, "state", "waiting", "reason");
    if (has(cs, "state", "terminated") && int(terminated, "exitCode") === 0) continue;
    if (sidecar && get(cs, "started") === true) {
      if (get(cs, "ready") === true) ready++;
      continue;
    }
    if (has(cs, "state", "terminated")) {
      reason = terminatedReason(obj(cs, "state", "terminated"), "Init:");
    } else if (has(cs, "state", "waiting") && waitingReason !== "" && waitingReason !== "PodInitializing") {
      reason = `Init:${waitingReason}`;
    } else {
      reason = `Init:${i}/${initContainers.length}`;
    }
    initializing = true;
    break;
  }

  if (!initializing || conditionTrue(conditions, "Initialized")) {
    restarts = sidecarRestarts;
    lastRestart = lastSidecarRestart;
    let hasRunning = false;
    const statuses = list(status, "containerStatuses");
    for (let i = statuses.length - 1; i >= 0; i--) {
      const cs = statuses[i];
      restarts += int(cs, "restartCount");
      const last = lastTermination(cs);
      if (last.terminated && timeBefore(lastRestart, last.at)) lastRestart = last.at;
      const waitingReason = str(cs, "state", "waiting", "reason");
      if (has(cs, "state", "waiting") && waitingReason !== "") {
        reason = waitingReason;
      } else if (has(cs, "state", "terminated")) {
        reason = terminatedReason(obj(cs, "state", "terminated"), "");
      } else if (get(cs, "ready") === true && has(cs, "state", "running")) {
        hasRunning = true;
        ready++;
      }
    }
    // A pod whose last container completed but others still run is reported as running.
    if (reason === "Completed" && hasRunning) reason = conditionTrue(conditions, "Ready") ? "Running" : "NotReady";
  }

  if (has(pod, "metadata", "deletionTimestamp")) {
    if (str(status, "reason") === "NodeLost") reason = "Unknown";
    else if (phase !== "Failed" && phase !== "Succeeded") reason = "Terminating";
  }

  let restartsText = String(restarts);
  if (restarts !== 0 && lastRestart !== undefined) {
    restartsText = `${restarts} (${humanDuration(now - lastRestart)} ago)`;
  }
  return { ready, total, reason, restarts: restartsText };
}

function podIP(status: Obj): string {
  // v1 podIP is authoritative over podIPs[0] (upstream's v1 -> internal conversion).
  return str(status, "podIP") || str(list(status, "podIPs")[0], "ip");
}

function readinessGates(spec: Obj, status: Obj): string {
  const gates = list(spec, "readinessGates");
  if (gates.length === 0) return "<none>";
  const conditions = list(status, "conditions");
  let trueCount = 0;
  for (const gate of gates) {
    const c = findCondition(conditions, str(gate, "conditionType"));
    if (c && str(c, "status") === "True") trueCount++;
  }
  return `${trueCount}/${gates.length}`;
}

export const podPrinter: Printer = printer(
  [
    nameColumn(),
    column("Ready", "string", "The aggregate readiness state of this pod for accepting traffic."),
    column("Status", "string", "The aggregate status of the containers in this pod."),
    column(
      "Restarts",
      "string",
      "The number of times the containers in this pod have been restarted and when the last container in this pod has restarted.",
    ),
    ageColumn(),
    column("IP", "string", "podIP address allocated to the pod. Routable at least within the cluster. Empty if not yet allocated.", 1),
    column("Node", "string", "NodeName indicates in which node this pod is scheduled. If empty, this pod is a candidate for scheduling by the scheduler defined in schedulerName. Once this field is set, the kubelet for this node becomes responsible for the lifecycle of this pod. This field should not be used to express a desire for the pod to be scheduled on a specific node. https://kubernetes.io/docs/concepts/scheduling-eviction/assign-pod-node/#nodename", 1),
    column("Nominated Node", "string", "nominatedNodeName is set only when this pod preempts other pods on the node, but it cannot be scheduled right away as preemption victims receive their graceful termination periods. This field does not guarantee that the pod will be scheduled on this node. Scheduler may decide to place the pod elsewhere if other nodes become available sooner. Scheduler may also decide to give the resources on this node to a higher priority pod that is created after preemption. As a result, this field may be different than PodSpec.nodeName when the pod is scheduled.", 1),
    column("Readiness Gates", "string", "If specified, all readiness gates will be evaluated for pod readiness. A pod is ready when all its containers are ready AND all conditions specified in the readiness gates have status equal to \"True\" More info: https://git.k8s.io/enhancements/keps/sig-network/580-pod-readiness-gates", 1),
  ],
  (pod: KubeObject, ctx: PrintContext) => {
    const spec = obj(pod, "spec");
    const status = obj(pod, "status");
    const s = summarizePod(pod, ctx.now);
    return [
      nameOf(pod),
      `${s.ready}/${s.total}`,
      s.reason,
      s.restarts,
      ageOf(pod, ctx),
      podIP(status) || "<none>",
      str(spec, "nodeName") || "<none>",
      str(status, "nominatedNodeName") || "<none>",
      readinessGates(spec, status),
    ];
  },
);

export const podTemplatePrinter: Printer = printer(
  [
    nameColumn(),
    containersColumn(0),
    imagesColumn(0),
    column("Pod Labels", "string", "The labels for the pod template."),
  ],
  (o) => {
    const [names, images] = containerCells(list(o, "template", "spec", "containers"));
    return [nameOf(o), names, images, formatLabels(stringMap(o, "template", "metadata", "labels"))];
  },
);

export const replicationControllerPrinter: Printer = printer(
  [
    nameColumn(),
    column("Desired", "integer", "Replicas is the number of desired replicas. This is a pointer to distinguish between explicit zero and unspecified. Defaults to 1. More info: https://kubernetes.io/docs/concepts/workloads/controllers/replicationcontroller#what-is-a-replicationcontroller"),
    column("Current", "integer", "Replicas is the most recently observed number of replicas. More info: https://kubernetes.io/docs/concepts/workloads/controllers/replicationcontroller#what-is-a-replicationcontroller"),
    column("Ready", "integer", "The number of ready replicas for this replication controller."),
    ageColumn(),
    containersColumn(),
    imagesColumn(),
    column("Selector", "string", "Selector is a label query over pods that should match the Replicas count. If Selector is empty, it is defaulted to the labels present on the Pod template. Label keys and values that must match in order to be controlled by this replication controller, if empty defaulted to labels on Pod template. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/#label-selectors", 1),
  ],
  (o, ctx) => {
    const [names, images] = containerCells(list(o, "spec", "template", "spec", "containers"));
    return [
      nameOf(o),
      int(o, "spec", "replicas"),
      int(o, "status", "replicas"),
      int(o, "status", "readyReplicas"),
      ageOf(o, ctx),
      names,
      images,
      formatLabels(stringMap(o, "spec", "selector")),
    ];
  },
);
