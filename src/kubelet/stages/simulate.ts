// Runs one pod through the stages without an API server, on a fake clock: what the kubelet would
// do to it, step by step (stage, events, posted status). The golden stage tests
// (test/fixtures/stages/*.input.yaml → *.output.yaml) are made of these runs, as KWOK's stage tests.
import type { KubeObject } from "../../apimachinery/types.js";
import { deepEqual } from "../../util/deep-equal.js";
import { FakeClock, formatTime } from "../../util/clock.js";
import { Backoff, goDuration } from "../backoff.js";
import { DelayQueue } from "../delay-queue.js";
import { NodeImageStore } from "../images.js";
import { parseCidr, PodIPAllocator } from "../ip.js";
import { generatePodStatus } from "../pod-status.js";
import { newPodRuntime, seededContainerID, type NodeHandle, type PodRuntime } from "../runtime.js";
import { DEFAULT_STAGES } from "./default.js";
import { StageEngine } from "./engine.js";
import type { Stage } from "./types.js";

export interface SimulationInput {
  pod: KubeObject;
  node?: { name?: string; ip?: string; podCIDR?: string; images?: string[] };
  /** Things that happen to the pod from outside, by time since the start ("30s", "2m", 1500). */
  actions?: { at: string | number; delete?: { gracePeriodSeconds?: number } }[];
  /** How long to simulate (default 10m); the run also ends when the pod is deleted. */
  until?: string | number;
  timeScale?: number;
}

export interface SimulationStep {
  at: string;
  stage?: string;
  unit?: string;
  events?: { type: string; reason: string; message: string; fieldPath?: string }[];
  action?: string;
  status?: Record<string, unknown>;
}

export const SIMULATION_START = Date.parse("2026-01-01T00:00:00Z");

export function parseDurationMs(v: string | number | undefined, dflt: number): number {
  if (v === undefined) return dflt;
  if (typeof v === "number") return v;
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h)$/.exec(v.trim());
  if (!m) throw new Error(`invalid duration ${JSON.stringify(v)}`);
  return Number(m[1]) * { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[m[2] as "ms" | "s" | "m" | "h"];
}

/** Fills what the API server would have set on a pod (names, uid, creation time, defaults the kubelet reads). */
function admitPod(input: KubeObject, nodeName: string): KubeObject {
  const pod = JSON.parse(JSON.stringify(input)) as KubeObject;
  pod.apiVersion ??= "v1";
  pod.kind ??= "Pod";
  pod.metadata.namespace ??= "default";
  pod.metadata.uid ??= `00000000-0000-4000-8000-${(pod.metadata.name ?? "pod").replace(/[^a-z0-9]/g, "").padEnd(12, "0").slice(0, 12)}`;
  pod.metadata.creationTimestamp ??= formatTime(SIMULATION_START);
  const spec = ((pod.spec as Record<string, unknown>) ??= {});
  spec.nodeName ??= nodeName;
  pod.status ??= { phase: "Pending", qosClass: "BestEffort" };
  return pod;
}

export function simulate(input: SimulationInput, stages: readonly Stage[] = DEFAULT_STAGES): { steps: SimulationStep[]; pod: KubeObject; deleted: boolean } {
  const clock = new FakeClock(SIMULATION_START);
  const queue = new DelayQueue(clock);
  const nodeName = input.node?.name ?? "node-1";
  const allocator = new PodIPAllocator(parseCidr(input.node?.podCIDR ?? "10.244.0.0/24"));
  const node: NodeHandle = {
    name: nodeName,
    ip: input.node?.ip ?? "172.18.0.2",
    images: new NodeImageStore(input.node?.images ?? []),
    allocatePodIP: () => allocator.allocate(),
    reservePodIP: (ip) => void allocator.reserve(ip),
    releasePodIP: (ip) => allocator.release(ip),
  };
  const steps: SimulationStep[] = [];
  const at = () => `+${goDuration(clock.now() - SIMULATION_START)}`;
  let deleted = false;
  const rt: PodRuntime = newPodRuntime(admitPod(input.pod, nodeName));
  let lastStatus = rt.pod.status;
  let stepsSinceStatus = 0;
  const engine: StageEngine = new StageEngine(stages, {
    clock,
    queue,
    timeScale: input.timeScale ?? 1,
    node: (name) => (name === nodeName ? node : undefined),
    backoff: { crash: new Backoff(), pull: new Backoff() },
    newContainerID: seededContainerID,
    event() {
      /* recorded through onStage */
    },
    onStage(_rt, stage, unit, events) {
      steps.push({ at: at(), stage: stage.name, unit, ...(events.length ? { events } : {}) });
      stepsSinceStatus++;
    },
    statusChanged(r) {
      const { status, phase } = generatePodStatus(r, node.ip, clock.now());
      r.phase = phase;
      if (deepEqual(status, lastStatus)) return;
      lastStatus = status;
      r.pod = { ...r.pod, status };
      const last = steps[steps.length - 1];
      if (last && stepsSinceStatus > 0 && last.status === undefined) last.status = status;
      else steps.push({ at: at(), status });
      stepsSinceStatus = 0;
    },
    deletePod() {
      deleted = true;
      steps.push({ at: at(), action: "delete (gracePeriodSeconds: 0)" });
      queue.stop();
    },
  });
  for (const a of input.actions ?? []) {
    queue.at(SIMULATION_START + parseDurationMs(a.at, 0), () => {
      if (a.delete && !rt.pod.metadata.deletionTimestamp) {
        const spec = rt.pod.spec as Record<string, unknown>;
        const grace = a.delete.gracePeriodSeconds ?? (typeof spec.terminationGracePeriodSeconds === "number" ? spec.terminationGracePeriodSeconds : 30);
        rt.pod = {
          ...rt.pod,
          metadata: { ...rt.pod.metadata, deletionTimestamp: formatTime(clock.now() + grace * 1000), deletionGracePeriodSeconds: grace },
        };
        steps.push({ at: at(), action: `delete (gracePeriodSeconds: ${grace})` });
        stepsSinceStatus = 0;
        engine.sync(rt);
      }
    });
  }
  engine.sync(rt);
  const end = parseDurationMs(input.until, 10 * 60_000);
  // advance in steps so timers firing on the way see the right time
  for (let t = 0; t < end && !deleted; t += 100) clock.advance(100);
  return { steps, pod: rt.pod, deleted };
}
