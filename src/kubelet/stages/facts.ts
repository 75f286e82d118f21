// The facts stages match on and take delays from: one flat record per pod and per container,
// computed from the simulated runtime (and the API object) at the moment of evaluation.
// Durations named *RemainingMs are anchored to the runtime's own timestamps (container start,
// failure, SIGTERM), so re-evaluating never postpones them.
import { imageSize } from "../images.js";
import {
  containerTurn,
  crashKey,
  gracePeriodMs,
  isStopped,
  mainContainersDone,
  podIsTerminal,
  pullKey,
  shouldRestart,
  type ContainerRuntime,
  type PodRuntime,
  type RuntimeHost,
} from "../runtime.js";
import type { Facts } from "./types.js";

/** Image pull time: a registry round trip for an image the node has, plus transfer time for one it has not. */
export function defaultPullMs(c: ContainerRuntime, present: boolean): number {
  if (present || !c.b.ref) return 300;
  return Math.min(10_000, 500 + Math.round((imageSize(c.b.ref) / 100_000_000) * 1000));
}

/** How long ErrImagePull shows before the kubelet's next sync reports ImagePullBackOff. */
export const ERR_IMAGE_PULL_VISIBLE_MS = 5_000;

export function podFacts(rt: PodRuntime): Facts {
  const meta = rt.pod.metadata;
  const spec = (rt.pod.spec ?? {}) as Record<string, unknown>;
  return {
    "pod.name": rt.name,
    "pod.namespace": rt.namespace,
    "pod.node": rt.nodeName,
    "pod.phase": rt.phase,
    "pod.deleting": meta.deletionTimestamp !== undefined,
    "pod.admitted": rt.admitted,
    "pod.sandbox": rt.sandbox,
    "pod.terminal": podIsTerminal(rt),
    "pod.mainDone": mainContainersDone(rt),
    "pod.allStopped": rt.containers.every(isStopped),
    "pod.ownerKind": rt.behaviour.ownerKind,
    "pod.restartPolicy": rt.behaviour.restartPolicy,
    "pod.hostNetwork": spec.hostNetwork === true,
    "pod.finalDeleteRequested": rt.finalDeleteRequested,
    "pod.gracePeriodMs": gracePeriodMs(rt),
  };
}

export function containerFacts(rt: PodRuntime, c: ContainerRuntime, host: RuntimeHost, timeScale: number, now: number): Facts {
  const node = host.node(rt.nodeName);
  const present = c.b.ref ? (node?.images.has(c.b.ref) ?? false) : false;
  const remaining = (at: number | undefined) => (at === undefined ? undefined : Math.max(0, at - now));
  const crashBackoff = host.backoff.crash.get(crashKey(rt, c));
  const pullFailedAt = host.backoff.pull.lastUpdate(pullKey(rt, c));
  const pullBackoff = host.backoff.pull.get(pullKey(rt, c));
  const stopAfter = Math.min(c.b.stopMs, gracePeriodMs(rt));
  return {
    "container.name": c.b.name,
    "container.image": c.b.image,
    "container.type": c.b.type,
    "container.state": c.phase,
    "container.waitingReason": c.waiting?.reason,
    "container.turn": containerTurn(rt, c),
    "container.imageValid": c.b.ref !== undefined,
    "container.imagePresent": present,
    "container.pullPolicy": c.b.pullPolicy,
    "container.pullFails": c.b.pullFails,
    "container.finite": c.b.runMs !== undefined,
    "container.started": c.started,
    "container.ready": c.ready,
    "container.readyNever": c.b.readyAfterMs === null,
    "container.stopping": c.stopRequestedAt !== undefined,
    "container.shouldRestart": c.phase === "exited" ? shouldRestart(rt, c) : false,
    "container.inCrashBackOff": c.current ? host.backoff.crash.isInBackOffSince(crashKey(rt, c), c.current.finishedAt, now) : false,
    "container.inPullBackOff": host.backoff.pull.isInBackOffSinceUpdate(pullKey(rt, c), now),
    "container.exitCode": c.current?.exitCode,
    "container.restartCount": c.restartCount,
    "container.pullMs": c.b.pullMs ?? Math.round(defaultPullMs(c, present) * timeScale),
    "container.runRemainingMs": c.b.runMs === undefined ? undefined : remaining((c.startedAt ?? now) + c.b.runMs),
    "container.startedRemainingMs": remaining((c.startedAt ?? now) + c.b.startedAfterMs),
    "container.readyRemainingMs": c.b.readyAfterMs === null ? undefined : remaining((c.startedAt ?? now) + c.b.readyAfterMs),
    "container.stopRemainingMs": remaining((c.stopRequestedAt ?? now) + stopAfter),
    "container.crashBackOffRemainingMs": c.current ? remaining(c.current.finishedAt + crashBackoff) : 0,
    "container.pullBackOffRemainingMs": pullFailedAt === undefined ? 0 : remaining(pullFailedAt + pullBackoff),
    "container.errImagePullRemainingMs":
      pullFailedAt === undefined ? 0 : remaining(pullFailedAt + Math.min(ERR_IMAGE_PULL_VISIBLE_MS, pullBackoff / 2)),
  };
}
