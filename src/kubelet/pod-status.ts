// The pod status a kubelet posts (upstream generateAPIPodStatus, convertToAPIContainerStatuses,
// getPhase, status.Generate*Condition and the status manager's TerminatePod), computed from the
// simulated runtime: container states with ids and digests, restart counts and last states,
// ready/started, the phase, the kubelet-owned conditions with their messages and transition
// times, host and pod IPs, the start time.
import type { KubeObject } from "../apimachinery/types.js";
import { formatTime } from "../util/clock.js";
import { hasAnyRegularStarted, podIsTerminal, type ContainerRuntime, type PodRuntime, type TerminatedState } from "./runtime.js";

type Obj = Record<string, unknown>;
const asObj = (v: unknown): Obj | undefined => (v && typeof v === "object" && !Array.isArray(v) ? (v as Obj) : undefined);
const asArr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

/** Conditions the kubelet owns (upstream kubetypes.PodConditionByKubelet). */
export const KUBELET_CONDITIONS = new Set(["PodScheduled", "Ready", "Initialized", "ContainersReady", "PodReadyToStartContainers", "PodResizePending", "PodResizeInProgress"]);

const containerID = (id: string | undefined) => (id ? `containerd://${id}` : undefined);

function terminatedState(t: TerminatedState): Obj {
  const out: Obj = { exitCode: t.exitCode, reason: t.reason };
  if (t.message) out.message = t.message;
  out.startedAt = formatTime(t.startedAt);
  out.finishedAt = formatTime(t.finishedAt);
  if (t.containerID) out.containerID = `containerd://${t.containerID}`;
  return out;
}

function volumeMounts(spec: Obj): Obj[] | undefined {
  const mounts = asArr(spec.volumeMounts)
    .map(asObj)
    .filter((m): m is Obj => m !== undefined)
    .map((m) => {
      const out: Obj = { name: m.name, mountPath: m.mountPath };
      if (m.readOnly === true) {
        out.readOnly = true;
        out.recursiveReadOnly = m.recursiveReadOnly === "Enabled" || m.recursiveReadOnly === "IfPossible" ? "Enabled" : "Disabled";
      }
      return out;
    });
  return mounts.length ? mounts : undefined;
}

const RESOURCE_NAMES = ["cpu", "memory", "ephemeral-storage"];

/** status.resources of a running container (InPlacePodVerticalScaling): its cpu/memory/storage requests and limits. */
function statusResources(spec: Obj): Obj {
  const res = asObj(spec.resources) ?? {};
  const pick = (list: unknown): Obj | undefined => {
    const l = asObj(list);
    if (!l) return undefined;
    const out: Obj = {};
    for (const n of RESOURCE_NAMES) if (l[n] !== undefined) out[n] = l[n];
    return Object.keys(out).length ? out : undefined;
  };
  const out: Obj = {};
  const limits = pick(res.limits);
  const requests = pick(res.requests) ?? limits;
  if (limits) out.limits = limits;
  if (requests) out.requests = requests;
  return out;
}

/** status.user: the identity the container runs as (SupplementalGroupsPolicy, reported by containerd 2). */
function statusUser(pod: KubeObject, spec: Obj): Obj {
  const podSC = asObj(asObj(pod.spec)?.securityContext) ?? {};
  const sc = asObj(spec.securityContext) ?? {};
  const num = (v: unknown) => (typeof v === "number" ? v : undefined);
  const uid = num(sc.runAsUser) ?? num(podSC.runAsUser) ?? 0;
  const gid = num(sc.runAsGroup) ?? num(podSC.runAsGroup) ?? 0;
  const groups = [gid];
  const fsGroup = num(podSC.fsGroup);
  if (fsGroup !== undefined) groups.push(fsGroup);
  for (const g of asArr(podSC.supplementalGroups)) if (typeof g === "number") groups.push(g);
  return { linux: { uid, gid, supplementalGroups: [...new Set(groups)] } };
}

function containerStatus(rt: PodRuntime, c: ContainerRuntime, hasInit: boolean, terminal: boolean): Obj {
  const spec = c.b.spec;
  const out: Obj = { name: c.b.name };
  let state: Obj;
  let lastState: Obj = {};
  const defaultWaiting = { waiting: { reason: hasInit ? "PodInitializing" : "ContainerCreating" } };
  switch (c.phase) {
    case "running":
      state = { running: { startedAt: formatTime(c.startedAt ?? 0) } };
      if (c.previous) lastState = { terminated: terminatedState(c.previous) };
      break;
    case "exited":
      state = { terminated: terminatedState(c.current!) };
      if (c.previous) lastState = { terminated: terminatedState(c.previous) };
      break;
    default:
      if (c.waiting) {
        // the reason of the last failed sync (reasonCache): ErrImagePull, ImagePullBackOff, CrashLoopBackOff, ...
        state = { waiting: { reason: c.waiting.reason, ...(c.waiting.message ? { message: c.waiting.message } : {}) } };
        if (c.current) lastState = { terminated: terminatedState(c.current) };
        else if (c.previous) lastState = { terminated: terminatedState(c.previous) };
      } else if (c.current) {
        // not restarted yet: the latest container's end
        state = { terminated: terminatedState(c.current) };
        if (c.previous) lastState = { terminated: terminatedState(c.previous) };
      } else state = defaultWaiting;
  }
  if (terminal && state.waiting) {
    // the status manager's TerminatePod: what is not terminated is reported as lost
    state = {
      terminated: {
        exitCode: 137,
        reason: "ContainerStatusUnknown",
        message: "The container could not be located when the pod was terminated",
        startedAt: null,
        finishedAt: null,
      },
    };
  }
  out.state = state;
  out.lastState = lastState;
  const initDone = c.b.type === "init" && c.phase === "exited" && c.current?.exitCode === 0;
  out.ready = c.phase === "running" ? c.ready && c.b.type !== "init" : initDone;
  out.restartCount = c.restartCount;
  out.image = c.runtimeImage ?? c.b.image;
  out.imageID = c.imageID ?? "";
  const id = containerID(c.containerID);
  if (id) out.containerID = id;
  out.started = c.phase === "running" && c.started;
  if (c.phase === "running") out.resources = statusResources(spec);
  if (c.everStarted) out.user = statusUser(rt.pod, spec);
  const mounts = volumeMounts(spec);
  if (mounts) out.volumeMounts = mounts;
  return out;
}

interface ApiContainerStatus {
  name: string;
  state: Obj;
  lastState: Obj;
  ready: boolean;
  started?: boolean;
}

/** upstream getPhase: the phase from the container statuses. */
export function computePhase(rt: PodRuntime, statuses: ApiContainerStatus[], terminal: boolean): string {
  const byName = new Map(statuses.map((s) => [s.name, s]));
  const restartPolicy = rt.behaviour.restartPolicy;
  let pendingInitialization = 0;
  let failedInitialization = 0;
  for (const c of rt.containers) {
    if (c.b.type !== "init") continue;
    const s = byName.get(c.b.name);
    if (!s) {
      pendingInitialization++;
      continue;
    }
    const t = asObj(s.state.terminated);
    const lt = asObj(s.lastState.terminated);
    if (s.state.running) pendingInitialization++;
    else if (t) {
      if (t.exitCode !== 0) failedInitialization++;
    } else if (s.state.waiting) {
      if (lt) {
        if (lt.exitCode !== 0) failedInitialization++;
      } else pendingInitialization++;
    } else pendingInitialization++;
  }
  let unknown = 0;
  let running = 0;
  let waiting = 0;
  let stopped = 0;
  let succeeded = 0;
  for (const c of rt.containers) {
    if (c.b.type !== "sidecar") continue;
    const s = byName.get(c.b.name);
    if (!s) {
      unknown++;
      continue;
    }
    if (s.state.running) {
      if (s.started !== true) pendingInitialization++;
      running++;
    } else if (s.state.terminated) {
      /* not counted */
    } else if (s.state.waiting) {
      if (!s.lastState.terminated) {
        pendingInitialization++;
        waiting++;
      }
    } else {
      pendingInitialization++;
      unknown++;
    }
  }
  for (const c of rt.containers) {
    if (c.b.type !== "regular") continue;
    const s = byName.get(c.b.name);
    if (!s) {
      unknown++;
      continue;
    }
    const t = asObj(s.state.terminated);
    if (s.state.running) running++;
    else if (t) {
      stopped++;
      if (t.exitCode === 0) succeeded++;
    } else if (s.state.waiting) {
      if (s.lastState.terminated) stopped++;
      else waiting++;
    } else unknown++;
  }
  if (failedInitialization > 0 && restartPolicy === "Never") return "Failed";
  if ((pendingInitialization > 0 && !hasAnyRegularStarted(rt)) || waiting > 0) return "Pending";
  if (running > 0 && unknown === 0) return "Running";
  if (running === 0 && stopped > 0 && unknown === 0) {
    if (terminal) return stopped === succeeded ? "Succeeded" : "Failed";
    if (restartPolicy === "Always") return "Running";
    if (stopped === succeeded) return "Succeeded";
    if (restartPolicy === "Never") return "Failed";
    return "Running";
  }
  return "Pending";
}

interface Condition {
  type: string;
  status: string;
  reason?: string;
  message?: string;
}

const goList = (names: string[]) => `[${names.join(" ")}]`;

function containersReady(rt: PodRuntime, statuses: Map<string, ApiContainerStatus>, phase: string): Condition {
  const unknown: string[] = [];
  const unready: string[] = [];
  for (const c of rt.containers) {
    if (c.b.type === "init") continue;
    const s = statuses.get(c.b.name);
    if (!s) unknown.push(c.b.name);
    else if (!s.ready) unready.push(c.b.name);
  }
  if (phase === "Succeeded" && unknown.length === 0) return { type: "ContainersReady", status: "False", reason: "PodCompleted" };
  if (phase === "Failed") return { type: "ContainersReady", status: "False", reason: "PodFailed" };
  const msgs: string[] = [];
  if (unknown.length) msgs.push(`containers with unknown status: ${goList(unknown)}`);
  if (unready.length) msgs.push(`containers with unready status: ${goList(unready)}`);
  if (msgs.length) return { type: "ContainersReady", status: "False", reason: "ContainersNotReady", message: msgs.join(", ") };
  return { type: "ContainersReady", status: "True" };
}

function readyCondition(rt: PodRuntime, cr: Condition, conditions: Obj[]): Condition {
  if (cr.status !== "True") return { ...cr, type: "Ready" };
  const msgs: string[] = [];
  for (const g of asArr(asObj(rt.pod.spec)?.readinessGates)) {
    const type = String(asObj(g)?.conditionType ?? "");
    const c = conditions.find((x) => x.type === type);
    if (!c) msgs.push(`corresponding condition of pod readiness gate "${type}" does not exist.`);
    else if (c.status !== "True") msgs.push(`the status of pod readiness gate "${type}" is not "True", but ${String(c.status)}`);
  }
  if (msgs.length) return { type: "Ready", status: "False", reason: "ReadinessGatesNotReady", message: msgs.join(", ") };
  return { type: "Ready", status: "True" };
}

function initializedCondition(rt: PodRuntime, statuses: Map<string, ApiContainerStatus>, phase: string): Condition {
  const unknown: string[] = [];
  const incomplete: string[] = [];
  for (const c of rt.containers) {
    if (c.b.type === "regular") continue;
    const s = statuses.get(c.b.name);
    if (!s) {
      unknown.push(c.b.name);
      continue;
    }
    const done = c.b.type === "sidecar" ? s.started === true : s.ready;
    if (!done) incomplete.push(c.b.name);
  }
  if (phase === "Succeeded" && unknown.length === 0) return { type: "Initialized", status: "True", reason: "PodCompleted" };
  if (hasAnyRegularStarted(rt)) return { type: "Initialized", status: "True" };
  const msgs: string[] = [];
  if (unknown.length) msgs.push(`containers with unknown status: ${goList(unknown)}`);
  if (incomplete.length) msgs.push(`containers with incomplete status: ${goList(incomplete)}`);
  if (msgs.length) return { type: "Initialized", status: "False", reason: "ContainersNotInitialized", message: msgs.join(", ") };
  return { type: "Initialized", status: "True" };
}

export interface GeneratedStatus {
  status: Obj;
  phase: string;
  terminal: boolean;
}

/** The status the kubelet would post for this pod now. */
export function generatePodStatus(rt: PodRuntime, hostIP: string | undefined, now: number): GeneratedStatus {
  const old = asObj(rt.pod.status) ?? {};
  const oldConditions = asArr(old.conditions).map(asObj).filter((c): c is Obj => c !== undefined);
  const hasInit = rt.containers.some((c) => c.b.type !== "regular");
  const terminal = podIsTerminal(rt);
  const init = rt.containers.filter((c) => c.b.type !== "regular").map((c) => containerStatus(rt, c, hasInit, terminal));
  const regular = rt.containers
    .filter((c) => c.b.type === "regular")
    .map((c) => containerStatus(rt, c, hasInit, terminal))
    .sort((a, b) => String(a.name).localeCompare(String(b.name)));
  const all = [...init, ...regular] as unknown as ApiContainerStatus[];
  let phase = computePhase(rt, all, terminal);
  const oldPhase = String(old.phase ?? "");
  // pods never leave a terminal phase
  if (oldPhase === "Succeeded" || oldPhase === "Failed") phase = oldPhase;
  const byName = new Map(all.map((s) => [s.name, s]));

  const conditions: Obj[] = oldConditions.filter((c) => !KUBELET_CONDITIONS.has(String(c.type)));
  const cr = containersReady(rt, byName, phase);
  const generated: Condition[] = [
    { type: "PodReadyToStartContainers", status: rt.sandbox === "ready" ? "True" : "False" },
    initializedCondition(rt, byName, phase),
    readyCondition(rt, cr, conditions),
    cr,
    { type: "PodScheduled", status: "True" },
  ];
  for (const g of generated) {
    const prev = oldConditions.find((c) => c.type === g.type);
    const since = prev && prev.status === g.status && typeof prev.lastTransitionTime === "string" ? prev.lastTransitionTime : formatTime(now);
    const c: Obj = { type: g.type, status: g.status, lastProbeTime: null, lastTransitionTime: since };
    if (g.reason) c.reason = g.reason;
    if (g.message) c.message = g.message;
    conditions.push(c);
  }

  const status: Obj = { phase, conditions };
  if (phase === oldPhase) {
    if (old.reason) status.reason = old.reason;
    if (old.message) status.message = old.message;
  }
  if (hostIP) {
    status.hostIP = hostIP;
    status.hostIPs = [{ ip: hostIP }];
  }
  if (rt.podIP) {
    status.podIP = rt.podIP;
    status.podIPs = [{ ip: rt.podIP }];
  }
  if (rt.startTime !== undefined) status.startTime = formatTime(rt.startTime);
  if (init.length) status.initContainerStatuses = init;
  status.containerStatuses = regular;
  if (old.qosClass) status.qosClass = old.qosClass;
  for (const k of ["nominatedNodeName", "ephemeralContainerStatuses", "resize", "resourceClaimStatuses"]) if (old[k] !== undefined) status[k] = old[k];
  return { status, phase, terminal };
}
