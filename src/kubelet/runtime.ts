// The simulated container runtime: per pod, the sandbox and the containers it has run (their
// states, ids, restart counts, back-offs) — the "truth" a kubelet turns into pod status — and the
// primitive operations stages apply to it (pull an image, start a container, let it exit, stop it,
// ...). Which operation happens when is decided by the stages (src/kubelet/stages), not here.
import { createHash, randomBytes } from "node:crypto";
import type { KubeObject } from "../apimachinery/types.js";
import type { Clock } from "../util/clock.js";
import { Backoff, goDuration } from "./backoff.js";
import { podBehaviour, type ContainerBehaviour, type PodBehaviour } from "./behaviour.js";
import { imageID, imageSize, invalidImageMessage, pullError, type NodeImageStore } from "./images.js";

export type ContainerPhase =
  | "new" // nothing done yet (or waiting to be restarted)
  | "pulling"
  | "pulled" // image ready, container about to be created
  | "pullError" // ErrImagePull / ErrImageNeverPull / InvalidImageName
  | "pullBackOff"
  | "running"
  | "exited"
  | "crashBackOff"
  | "abandoned"; // never ran and never will (pod terminated)

export interface TerminatedState {
  exitCode: number;
  reason: string;
  message?: string;
  startedAt: number;
  finishedAt: number;
  containerID: string;
}

export interface ContainerRuntime {
  b: ContainerBehaviour;
  phase: ContainerPhase;
  waiting?: { reason: string; message?: string };
  /** The latest container's id (running or exited). */
  containerID?: string;
  /** Image as the runtime reports it, and its digest reference. */
  runtimeImage?: string;
  imageID?: string;
  startedAt?: number;
  started: boolean;
  ready: boolean;
  /** The latest container when it has exited. */
  current?: TerminatedState;
  /** The container before the latest (lastState). */
  previous?: TerminatedState;
  restartCount: number;
  everStarted: boolean;
  pullStartedAt?: number;
  lastPullError?: string;
  stopRequestedAt?: number;
}

export type SandboxState = "none" | "ready" | "stopped";

export interface PodRuntime {
  key: string;
  uid: string;
  namespace: string;
  name: string;
  nodeName: string;
  /** The latest API object seen for the pod. */
  pod: KubeObject;
  behaviour: PodBehaviour;
  admitted: boolean;
  startTime?: number;
  sandbox: SandboxState;
  podIP?: string;
  containers: ContainerRuntime[];
  /** When the kubelet started killing the pod (deletion observed). */
  killStartedAt?: number;
  finalDeleteRequested: boolean;
  /** Phase of the last generated status. */
  phase: string;
  /** Stage attempts per unit, for deterministic jitter. */
  attempts: Map<string, number>;
}

export interface NodeHandle {
  name: string;
  ip: string;
  images: NodeImageStore;
  allocatePodIP(): string | undefined;
  reservePodIP(ip: string): void;
  releasePodIP(ip: string): void;
}

export interface RuntimeHost {
  clock: Clock;
  node(name: string): NodeHandle | undefined;
  /** Crash-loop and image-pull back-offs (one per kubelet in upstream; keys include the pod UID). */
  backoff: { crash: Backoff; pull: Backoff };
  /** Container ids: random in a cluster, derived from the seed in golden tests. */
  newContainerID(seed: string): string;
}

export function randomContainerID(): string {
  return randomBytes(32).toString("hex");
}

export function seededContainerID(seed: string): string {
  return createHash("sha256").update(`kubefacade-container:${seed}`).digest("hex");
}

export function podKey(pod: KubeObject): string {
  return `${pod.metadata.namespace ?? ""}/${pod.metadata.name ?? ""}`;
}

export function newPodRuntime(pod: KubeObject): PodRuntime {
  const behaviour = podBehaviour(pod);
  return {
    key: podKey(pod),
    uid: pod.metadata.uid ?? "",
    namespace: pod.metadata.namespace ?? "",
    name: pod.metadata.name ?? "",
    nodeName: String((pod.spec as Record<string, unknown> | undefined)?.nodeName ?? ""),
    pod,
    behaviour,
    admitted: false,
    sandbox: "none",
    containers: behaviour.containers.map((b) => ({ b, phase: "new", started: false, ready: false, restartCount: 0, everStarted: false })),
    finalDeleteRequested: false,
    phase: "Pending",
    attempts: new Map(),
  };
}

const parseTime = (v: unknown): number | undefined => (typeof v === "string" && !Number.isNaN(Date.parse(v)) ? Date.parse(v) : undefined);

/**
 * Rebuilds the runtime of a pod the kubelet had already started (a restart of the server with
 * persistent storage): its status is taken as the truth about its sandbox and containers.
 */
export function adoptPodRuntime(rt: PodRuntime, node: NodeHandle | undefined): void {
  const status = (rt.pod.status ?? {}) as Record<string, unknown>;
  const startTime = parseTime(status.startTime);
  if (startTime === undefined) return;
  rt.admitted = true;
  rt.startTime = startTime;
  rt.phase = String(status.phase ?? "Pending");
  const podIP = typeof status.podIP === "string" ? status.podIP : undefined;
  const conditions = Array.isArray(status.conditions) ? (status.conditions as Record<string, unknown>[]) : [];
  const sandboxReady = conditions.some((c) => c.type === "PodReadyToStartContainers" && c.status === "True");
  const hostNetwork = (rt.pod.spec as Record<string, unknown>)?.hostNetwork === true;
  if (podIP) rt.podIP = podIP;
  const terminal = rt.phase === "Succeeded" || rt.phase === "Failed";
  rt.sandbox = sandboxReady || (podIP && !terminal) ? "ready" : podIP ? "stopped" : "none";
  // a running pod keeps the address it had
  if (rt.sandbox === "ready" && podIP && !hostNetwork) node?.reservePodIP(podIP);
  const statuses = [
    ...(Array.isArray(status.initContainerStatuses) ? status.initContainerStatuses : []),
    ...(Array.isArray(status.containerStatuses) ? status.containerStatuses : []),
  ] as Record<string, any>[];
  for (const c of rt.containers) {
    const s = statuses.find((x) => x.name === c.b.name);
    if (!s) continue;
    c.restartCount = Number(s.restartCount ?? 0);
    c.containerID = typeof s.containerID === "string" ? s.containerID.replace(/^containerd:\/\//, "") : undefined;
    c.runtimeImage = typeof s.image === "string" && s.imageID ? s.image : undefined;
    c.imageID = s.imageID || undefined;
    c.everStarted = Boolean(c.containerID);
    const toTerm = (t: Record<string, any> | undefined): TerminatedState | undefined =>
      t
        ? {
            exitCode: Number(t.exitCode ?? 0),
            reason: String(t.reason ?? ""),
            ...(t.message ? { message: String(t.message) } : {}),
            startedAt: parseTime(t.startedAt) ?? startTime,
            finishedAt: parseTime(t.finishedAt) ?? startTime,
            containerID: String(t.containerID ?? "").replace(/^containerd:\/\//, ""),
          }
        : undefined;
    c.previous = toTerm(s.lastState?.terminated);
    if (s.state?.running) {
      c.phase = "running";
      c.startedAt = parseTime(s.state.running.startedAt) ?? startTime;
      c.started = s.started === true;
      c.ready = s.ready === true;
    } else if (s.state?.terminated) {
      c.phase = "exited";
      c.current = toTerm(s.state.terminated);
    } else if (s.state?.waiting?.reason === "CrashLoopBackOff") {
      c.phase = "crashBackOff";
      c.current = c.previous;
      c.previous = undefined;
      c.waiting = { reason: "CrashLoopBackOff", message: s.state.waiting.message };
    } else if (c.everStarted && c.previous) {
      c.phase = "new";
      c.current = c.previous;
      c.previous = undefined;
    }
  }
}

// ---- facts the stages and the status share ----------------------------------------------------

export function isInitDone(c: ContainerRuntime): boolean {
  if (c.b.type === "sidecar") return c.phase === "running" && c.started;
  return c.phase === "exited" && c.current?.exitCode === 0;
}

/** Whether the container may be started now: every init container before it is done (sidecars: started). */
export function containerTurn(rt: PodRuntime, c: ContainerRuntime): boolean {
  const initialized = hasAnyRegularStarted(rt);
  if (c.b.type === "regular") return initialized || rt.containers.every((o) => o.b.type === "regular" || isInitDone(o));
  // once the pod is initialized, regular init containers never run again; sidecars restart freely
  if (initialized) return c.b.type === "sidecar";
  return rt.containers.filter((o) => o.b.type !== "regular" && o.b.index < c.b.index).every(isInitDone);
}

export function hasAnyRegularStarted(rt: PodRuntime): boolean {
  return rt.containers.some((c) => c.b.type === "regular" && c.everStarted);
}

/** upstream kubecontainer.ShouldContainerBeRestarted for an exited container. */
export function shouldRestart(rt: PodRuntime, c: ContainerRuntime): boolean {
  if (rt.pod.metadata.deletionTimestamp) return false;
  const exitCode = c.current?.exitCode ?? 0;
  if (c.b.type === "sidecar") return !mainContainersDone(rt);
  if (c.b.type === "init") {
    if (exitCode === 0) return false;
    return rt.behaviour.restartPolicy !== "Never";
  }
  if (rt.behaviour.restartPolicy === "Always") return true;
  if (rt.behaviour.restartPolicy === "OnFailure") return exitCode !== 0;
  return false;
}

/** Whether an init container failed for good (restartPolicy Never). */
export function initFailed(rt: PodRuntime): boolean {
  return rt.behaviour.restartPolicy === "Never" && rt.containers.some((c) => c.b.type === "init" && c.phase === "exited" && (c.current?.exitCode ?? 0) !== 0);
}

/** The regular containers have all finished and none will run again: the pod is done. */
export function mainContainersDone(rt: PodRuntime): boolean {
  if (initFailed(rt)) return true;
  if (rt.behaviour.restartPolicy === "Always") return false;
  const regular = rt.containers.filter((c) => c.b.type === "regular");
  return regular.length > 0 && regular.every((c) => c.phase === "exited" && !shouldRestartRegular(rt, c));
}

function shouldRestartRegular(rt: PodRuntime, c: ContainerRuntime): boolean {
  if (rt.behaviour.restartPolicy === "OnFailure") return (c.current?.exitCode ?? 0) !== 0;
  return rt.behaviour.restartPolicy === "Always";
}

export function isStopped(c: ContainerRuntime): boolean {
  return c.phase !== "running" && c.phase !== "pulling";
}

/** The pod will run nothing more: deleted and stopped, or done. */
export function podIsTerminal(rt: PodRuntime): boolean {
  if (rt.pod.metadata.deletionTimestamp) return rt.containers.every(isStopped);
  return mainContainersDone(rt) && rt.containers.every(isStopped);
}

export function crashKey(rt: PodRuntime, c: ContainerRuntime): string {
  return `${rt.name}_${rt.namespace}_${rt.uid}_${c.b.name}`;
}

export function pullKey(rt: PodRuntime, c: ContainerRuntime): string {
  return `${rt.uid}_${c.b.image}`;
}

/** upstream format.Pod: name_namespace(uid). */
export function formatPod(rt: PodRuntime): string {
  return `${rt.name}_${rt.namespace}(${rt.uid})`;
}

// ---- the primitive operations ----------------------------------------------------------------

/** Values an operation adds to the template context of its stage's events. */
export type ActionVars = Record<string, string | number>;

export interface ActionContext {
  rt: PodRuntime;
  c?: ContainerRuntime;
  host: RuntimeHost;
  now: number;
}

export type Action = (ctx: ActionContext) => ActionVars | false | void;

function need<T>(v: T | undefined, what: string): T {
  if (v === undefined) throw new Error(`kubelet stage action needs ${what}`);
  return v;
}

const terminate = (c: ContainerRuntime, now: number, exitCode: number, reason?: string): void => {
  c.current = {
    exitCode,
    reason: reason ?? (exitCode === 0 ? "Completed" : "Error"),
    startedAt: c.startedAt ?? now,
    finishedAt: now,
    containerID: c.containerID ?? "",
  };
  c.phase = "exited";
  c.started = false;
  c.ready = false;
  c.stopRequestedAt = undefined;
  c.waiting = undefined;
};

/** Operations by name; stages refer to them in `next.action`. Returning false means "did not apply". */
export const ACTIONS: Record<string, Action> = {
  admit({ rt, now, host }) {
    rt.admitted = true;
    rt.startTime ??= now;
    if ((rt.pod.spec as Record<string, unknown>)?.hostNetwork === true) rt.podIP = host.node(rt.nodeName)?.ip;
  },
  createSandbox({ rt, host }) {
    const node = host.node(rt.nodeName);
    if ((rt.pod.spec as Record<string, unknown>)?.hostNetwork !== true) {
      const ip = node?.allocatePodIP();
      if (!ip) return false;
      rt.podIP = ip;
    }
    rt.sandbox = "ready";
  },
  stopSandbox({ rt, host }) {
    if (rt.sandbox !== "ready") return false;
    rt.sandbox = "stopped";
    if (rt.podIP && (rt.pod.spec as Record<string, unknown>)?.hostNetwork !== true) host.node(rt.nodeName)?.releasePodIP(rt.podIP);
  },
  pullImage({ c, now }) {
    const ct = need(c, "a container");
    // the reason of the last failed sync (ImagePullBackOff, CrashLoopBackOff) stays until the next outcome
    ct.phase = "pulling";
    ct.pullStartedAt = now;
    return { image: ct.b.image };
  },
  pullSucceeded({ rt, c, host, now }) {
    const ct = need(c, "a container");
    const ref = need(ct.b.ref, "an image reference");
    host.node(rt.nodeName)?.images.add(ref);
    ct.phase = "pulled";
    const took = goDuration(Math.floor(now - (ct.pullStartedAt ?? now)));
    return { image: ct.b.image, duration: took, durationWithWaiting: took, size: imageSize(ref) };
  },
  pullFailed({ rt, c, host, now }) {
    const ct = need(c, "a container");
    const ref = need(ct.b.ref, "an image reference");
    host.backoff.pull.next(pullKey(rt, ct), now, now);
    const error = pullError(ref);
    ct.lastPullError = error;
    ct.phase = "pullError";
    ct.waiting = { reason: "ErrImagePull", message: error };
    return { image: ct.b.image, error };
  },
  pullBackOff({ c }) {
    const ct = need(c, "a container");
    ct.phase = "pullBackOff";
    const message = `Back-off pulling image "${ct.b.image}"`;
    ct.waiting = { reason: "ImagePullBackOff", message: ct.lastPullError ? `${message}: ErrImagePull: ${ct.lastPullError}` : message };
    return { image: ct.b.image };
  },
  imagePresent({ c }) {
    const ct = need(c, "a container");
    ct.phase = "pulled";
    return { image: ct.b.image };
  },
  imageNeverPull({ c }) {
    const ct = need(c, "a container");
    ct.phase = "pullError";
    ct.waiting = { reason: "ErrImageNeverPull", message: `Container image "${ct.b.image}" is not present with pull policy of Never` };
    return { image: ct.b.image };
  },
  invalidImage({ c }) {
    const ct = need(c, "a container");
    ct.phase = "pullError";
    const message = invalidImageMessage(ct.b.image);
    ct.waiting = { reason: "InvalidImageName", message };
    return { image: ct.b.image, message };
  },
  startContainer({ rt, c, host, now }) {
    const ct = need(c, "a container");
    if (ct.everStarted) {
      ct.restartCount++;
      ct.previous = ct.current;
    }
    ct.current = undefined;
    ct.waiting = undefined;
    ct.containerID = host.newContainerID(`${rt.uid}/${ct.b.name}/${ct.restartCount}`);
    if (ct.b.ref) {
      ct.runtimeImage = ct.b.ref.normalized;
      ct.imageID = imageID(ct.b.ref);
    }
    ct.phase = "running";
    ct.everStarted = true;
    ct.startedAt = now;
    ct.started = ct.b.startedAfterMs === 0;
    ct.ready = ct.b.type !== "init" && ct.started && ct.b.readyAfterMs === 0;
    return { container: ct.b.name };
  },
  markStarted({ c }) {
    const ct = need(c, "a container");
    ct.started = true;
    if (ct.b.type !== "init" && ct.b.readyAfterMs === 0) ct.ready = true;
  },
  markReady({ c }) {
    need(c, "a container").ready = true;
  },
  exitContainer({ c, now }) {
    const ct = need(c, "a container");
    terminate(ct, now, ct.b.exitCode);
    return { exitCode: ct.b.exitCode };
  },
  signalTerm({ c, now }) {
    const ct = need(c, "a container");
    ct.stopRequestedAt = now;
    return { container: ct.b.name };
  },
  stopContainer({ rt, c, now }) {
    const ct = need(c, "a container");
    const grace = gracePeriodMs(rt);
    const elapsed = now - (ct.stopRequestedAt ?? now);
    const killed = !(ct.b.stopMs <= grace) || elapsed > grace;
    terminate(ct, now, killed ? 137 : ct.b.stopExitCode);
    return { exitCode: ct.current!.exitCode };
  },
  abandonContainer({ c }) {
    const ct = need(c, "a container");
    ct.phase = "abandoned";
    ct.waiting = undefined;
  },
  crashBackOff({ rt, c, host }) {
    const ct = need(c, "a container");
    ct.phase = "crashBackOff";
    const backoff = goDuration(host.backoff.crash.get(crashKey(rt, ct)));
    ct.waiting = { reason: "CrashLoopBackOff", message: `back-off ${backoff} restarting failed container=${ct.b.name} pod=${formatPod(rt)}` };
    return { backoff, pod: formatPod(rt) };
  },
  restartContainer({ rt, c, host, now }) {
    const ct = need(c, "a container");
    host.backoff.crash.next(crashKey(rt, ct), ct.current?.finishedAt ?? now, now);
    ct.phase = "new";
  },
  deletePod({ rt }) {
    rt.finalDeleteRequested = true;
  },
};

/** The time the kubelet gives containers to stop: the deletion's grace period (at least 2 s). */
export function gracePeriodMs(rt: PodRuntime): number {
  const meta = rt.pod.metadata;
  const spec = (rt.pod.spec ?? {}) as Record<string, unknown>;
  const seconds =
    meta.deletionTimestamp && typeof meta.deletionGracePeriodSeconds === "number"
      ? meta.deletionGracePeriodSeconds
      : typeof spec.terminationGracePeriodSeconds === "number"
        ? spec.terminationGracePeriodSeconds
        : 30;
  return Math.max(2, seconds) * 1000;
}

/** Refreshes the derived behaviour after a spec change the kubelet acts on (image updates, ...). */
export function refreshBehaviour(rt: PodRuntime, pod: KubeObject): void {
  rt.pod = pod;
  const next = podBehaviour(pod);
  rt.behaviour = next;
  for (const c of rt.containers) {
    const b = next.containers.find((x) => x.name === c.b.name && x.type === c.b.type);
    if (b) c.b = b;
  }
}
