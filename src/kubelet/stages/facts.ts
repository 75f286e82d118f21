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
import type { FactValue, Facts } from "./types.js";

/** Image pull time: a registry round trip for an image the node has, plus transfer time for one it has not. */
export function defaultPullMs(c: ContainerRuntime, present: boolean): number {
  if (present || !c.b.ref) return 300;
  return Math.min(10_000, 500 + Math.round((imageSize(c.b.ref) / 100_000_000) * 1000));
}

/** How long ErrImagePull shows before the kubelet's next sync reports ImagePullBackOff. */
export const ERR_IMAGE_PULL_VISIBLE_MS = 5_000;

/**
 * The facts of a pod, computed when a stage asks for them: each fact is a getter evaluated when
 * read, so stage selection computes only the few facts the candidate stages name (it runs on every
 * stage transition of every pod). A record is read before the runtime changes; a caller that needs
 * values across a change takes them first. Keys not listed are undefined.
 */
class PodFactsView {
  constructor(protected readonly rt: PodRuntime) {}

  get "pod.name"(): FactValue {
    return this.rt.name;
  }
  get "pod.namespace"(): FactValue {
    return this.rt.namespace;
  }
  get "pod.node"(): FactValue {
    return this.rt.nodeName;
  }
  get "pod.phase"(): FactValue {
    return this.rt.phase;
  }
  get "pod.deleting"(): FactValue {
    return this.rt.pod.metadata.deletionTimestamp !== undefined;
  }
  get "pod.admitted"(): FactValue {
    return this.rt.admitted;
  }
  get "pod.sandbox"(): FactValue {
    return this.rt.sandbox;
  }
  get "pod.terminal"(): FactValue {
    return podIsTerminal(this.rt);
  }
  get "pod.mainDone"(): FactValue {
    return mainContainersDone(this.rt);
  }
  get "pod.allStopped"(): FactValue {
    return this.rt.containers.every(isStopped);
  }
  get "pod.ownerKind"(): FactValue {
    return this.rt.behaviour.ownerKind;
  }
  get "pod.restartPolicy"(): FactValue {
    return this.rt.behaviour.restartPolicy;
  }
  get "pod.hostNetwork"(): FactValue {
    return ((this.rt.pod.spec ?? {}) as Record<string, unknown>).hostNetwork === true;
  }
  get "pod.finalDeleteRequested"(): FactValue {
    return this.rt.finalDeleteRequested;
  }
  get "pod.gracePeriodMs"(): FactValue {
    return gracePeriodMs(this.rt);
  }
}

class ContainerFactsView extends PodFactsView {
  private presentMemo: boolean | undefined;

  constructor(
    rt: PodRuntime,
    private readonly c: ContainerRuntime,
    private readonly host: RuntimeHost,
    private readonly timeScale: number,
    private readonly now: number,
  ) {
    super(rt);
  }

  private get present(): boolean {
    if (this.presentMemo === undefined) {
      const ref = this.c.b.ref;
      this.presentMemo = ref ? (this.host.node(this.rt.nodeName)?.images.has(ref) ?? false) : false;
    }
    return this.presentMemo;
  }
  private remaining(at: number | undefined): number | undefined {
    return at === undefined ? undefined : Math.max(0, at - this.now);
  }

  get "container.name"(): FactValue {
    return this.c.b.name;
  }
  get "container.image"(): FactValue {
    return this.c.b.image;
  }
  get "container.type"(): FactValue {
    return this.c.b.type;
  }
  get "container.state"(): FactValue {
    return this.c.phase;
  }
  get "container.waitingReason"(): FactValue {
    return this.c.waiting?.reason;
  }
  get "container.turn"(): FactValue {
    return containerTurn(this.rt, this.c);
  }
  get "container.imageValid"(): FactValue {
    return this.c.b.ref !== undefined;
  }
  get "container.imagePresent"(): FactValue {
    return this.present;
  }
  get "container.pullPolicy"(): FactValue {
    return this.c.b.pullPolicy;
  }
  get "container.pullFails"(): FactValue {
    return this.c.b.pullFails;
  }
  get "container.finite"(): FactValue {
    return this.c.b.runMs !== undefined;
  }
  get "container.started"(): FactValue {
    return this.c.started;
  }
  get "container.ready"(): FactValue {
    return this.c.ready;
  }
  get "container.readyNever"(): FactValue {
    return this.c.b.readyAfterMs === null;
  }
  get "container.stopping"(): FactValue {
    return this.c.stopRequestedAt !== undefined;
  }
  get "container.shouldRestart"(): FactValue {
    return this.c.phase === "exited" ? shouldRestart(this.rt, this.c) : false;
  }
  get "container.inCrashBackOff"(): FactValue {
    const c = this.c;
    return c.current ? this.host.backoff.crash.isInBackOffSince(crashKey(this.rt, c), c.current.finishedAt, this.now) : false;
  }
  get "container.inPullBackOff"(): FactValue {
    return this.host.backoff.pull.isInBackOffSinceUpdate(pullKey(this.rt, this.c), this.now);
  }
  get "container.exitCode"(): FactValue {
    return this.c.current?.exitCode;
  }
  get "container.restartCount"(): FactValue {
    return this.c.restartCount;
  }
  get "container.pullMs"(): FactValue {
    return this.c.b.pullMs ?? Math.round(defaultPullMs(this.c, this.present) * this.timeScale);
  }
  get "container.runRemainingMs"(): FactValue {
    const c = this.c;
    return c.b.runMs === undefined ? undefined : this.remaining((c.startedAt ?? this.now) + c.b.runMs);
  }
  get "container.startedRemainingMs"(): FactValue {
    return this.remaining((this.c.startedAt ?? this.now) + this.c.b.startedAfterMs);
  }
  get "container.readyRemainingMs"(): FactValue {
    const c = this.c;
    return c.b.readyAfterMs === null ? undefined : this.remaining((c.startedAt ?? this.now) + c.b.readyAfterMs);
  }
  get "container.stopRemainingMs"(): FactValue {
    const stopAfter = Math.min(this.c.b.stopMs, gracePeriodMs(this.rt));
    return this.remaining((this.c.stopRequestedAt ?? this.now) + stopAfter);
  }
  get "container.crashBackOffRemainingMs"(): FactValue {
    const c = this.c;
    return c.current ? this.remaining(c.current.finishedAt + this.host.backoff.crash.get(crashKey(this.rt, c))) : 0;
  }
  get "container.pullBackOffRemainingMs"(): FactValue {
    const key = pullKey(this.rt, this.c);
    const pullFailedAt = this.host.backoff.pull.lastUpdate(key);
    return pullFailedAt === undefined ? 0 : this.remaining(pullFailedAt + this.host.backoff.pull.get(key));
  }
  get "container.errImagePullRemainingMs"(): FactValue {
    const key = pullKey(this.rt, this.c);
    const pullFailedAt = this.host.backoff.pull.lastUpdate(key);
    return pullFailedAt === undefined ? 0 : this.remaining(pullFailedAt + Math.min(ERR_IMAGE_PULL_VISIBLE_MS, this.host.backoff.pull.get(key) / 2));
  }
}

export function podFacts(rt: PodRuntime): Facts {
  return new PodFactsView(rt) as unknown as Facts;
}

/** A pod's and one of its containers' facts together. */
export function containerFacts(rt: PodRuntime, c: ContainerRuntime, host: RuntimeHost, timeScale: number, now: number): Facts {
  return new ContainerFactsView(rt, c, host, timeScale, now) as unknown as Facts;
}
