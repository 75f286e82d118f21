// Runs stages over pods: for the pod and for each container the first matching stage is scheduled
// (after its delay, on the shared delay queue) or applied at once; when a scheduled stage comes
// due it is re-checked, applied, its events recorded, and the pod evaluated again. Level-based:
// an evaluation may happen any number of times; a stage already scheduled for a unit is kept.
import type { DelayQueue, Scheduled } from "../delay-queue.js";
import { ACTIONS, formatPod, type ContainerRuntime, type PodRuntime, type RuntimeHost } from "../runtime.js";
import { containerFacts, podFacts } from "./facts.js";
import { matches, placeholders, render, type FactValue, type Facts, type Stage } from "./types.js";

export interface EngineHost extends RuntimeHost {
  queue: DelayQueue;
  /** Multiplies fixed stage delays and jitter (runtime latencies). */
  timeScale: number;
  event(rt: PodRuntime, type: "Normal" | "Warning", reason: string, message: string, fieldPath?: string): void;
  /** The pod's runtime changed: its status should be (re)posted. */
  statusChanged(rt: PodRuntime): void;
  /** The final delete of a terminated pod (after its last status). */
  deletePod(rt: PodRuntime): void;
  /** Observes every applied stage (golden tests, debugging). */
  onStage?(rt: PodRuntime, stage: Stage, unit: string, events: { type: string; reason: string; message: string; fieldPath?: string }[]): void;
}

interface Pending {
  stage: string;
  handle: Scheduled;
}

const MAX_PASSES = 64;
const RETRY_MS = 1_000;

/** A cheap deterministic fraction in [0, 1) of a string (FNV-1a). */
export function fraction(seed: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < seed.length; i++) {
    h ^= seed.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0) / 0x1_0000_0000;
}

export class StageEngine {
  private readonly pending = new WeakMap<PodRuntime, Map<string, Pending>>();
  private readonly podStages: Stage[];
  private readonly containerStages: Stage[];

  constructor(
    stages: readonly Stage[],
    private readonly host: EngineHost,
  ) {
    this.podStages = stages.filter((s) => s.resource === "pod");
    this.containerStages = stages.filter((s) => s.resource === "container");
  }

  private pendingOf(rt: PodRuntime): Map<string, Pending> {
    let p = this.pending.get(rt);
    if (!p) this.pending.set(rt, (p = new Map()));
    return p;
  }

  /** Forgets a pod: cancels whatever was scheduled for it. */
  forget(rt: PodRuntime): void {
    const p = this.pending.get(rt);
    if (!p) return;
    for (const { handle } of p.values()) handle.cancel();
    this.pending.delete(rt);
  }

  /** The stage scheduled for a unit ("pod" or "container/<name>"), if any. */
  scheduled(rt: PodRuntime): Record<string, { stage: string; at: number }> {
    const out: Record<string, { stage: string; at: number }> = {};
    for (const [unit, p] of this.pending.get(rt) ?? []) out[unit] = { stage: p.stage, at: p.handle.at };
    return out;
  }

  private factsFor(rt: PodRuntime, c: ContainerRuntime | undefined, now: number): Facts {
    return c ? containerFacts(rt, c, this.host, this.host.timeScale, now) : podFacts(rt);
  }

  private select(stages: Stage[], facts: Facts): Stage | undefined {
    for (const s of stages) if (matches(s, facts)) return s;
    return undefined;
  }

  private delayOf(rt: PodRuntime, unit: string, stage: Stage, facts: Facts): number {
    const d = stage.delay;
    if (!d) return 0;
    let ms = 0;
    if (d.durationFrom !== undefined) {
      const v = facts[d.durationFrom];
      ms = typeof v === "number" ? v : 0;
    } else ms = (d.durationMilliseconds ?? 0) * this.host.timeScale;
    if (d.jitterDurationMilliseconds) {
      const attemptKey = `${unit}/${stage.name}`;
      const attempt = rt.attempts.get(attemptKey) ?? 0;
      rt.attempts.set(attemptKey, attempt + 1);
      ms += Math.floor(fraction(`${rt.uid}/${attemptKey}/${attempt}`) * d.jitterDurationMilliseconds * this.host.timeScale);
    }
    return Math.max(0, Math.round(ms));
  }

  /** Evaluates a pod: applies every stage due now, schedules the next ones, requests a status post. */
  sync(rt: PodRuntime): void {
    const pending = this.pendingOf(rt);
    let changed = false;
    for (let pass = 0; pass < MAX_PASSES; pass++) {
      const now = this.host.clock.now();
      let applied = false;
      const units: [string, ContainerRuntime | undefined][] = [["pod", undefined], ...rt.containers.map((c) => [`container/${c.b.name}`, c] as [string, ContainerRuntime])];
      for (const [unit, c] of units) {
        const facts = this.factsFor(rt, c, now);
        const stage = this.select(c ? this.containerStages : this.podStages, facts);
        const current = pending.get(unit);
        if (!stage) {
          if (current) {
            current.handle.cancel();
            pending.delete(unit);
          }
          continue;
        }
        if (current?.stage === stage.name) continue;
        current?.handle.cancel();
        pending.delete(unit);
        const delay = this.delayOf(rt, unit, stage, facts);
        if (delay <= 0) {
          if (this.apply(rt, unit, c, stage, facts, now)) {
            applied = true;
            changed = true;
            break;
          }
        }
        // not applicable right now (an operation that failed is retried after a second)
        const handle = this.host.queue.after(delay > 0 ? delay : RETRY_MS, () => {
          if (pending.get(unit)?.handle !== handle) return;
          pending.delete(unit);
          this.fire(rt, unit, stage);
        });
        pending.set(unit, { stage: stage.name, handle });
      }
      if (!applied) break;
    }
    if (changed || !rt.admitted) this.host.statusChanged(rt);
  }

  private fire(rt: PodRuntime, unit: string, stage: Stage): void {
    const now = this.host.clock.now();
    const c = unit === "pod" ? undefined : rt.containers.find((x) => `container/${x.b.name}` === unit);
    const facts = this.factsFor(rt, c, now);
    if (matches(stage, facts) && this.select(c ? this.containerStages : this.podStages, facts) === stage) {
      this.apply(rt, unit, c, stage, facts, now);
      this.host.statusChanged(rt);
    }
    this.sync(rt);
  }

  private apply(rt: PodRuntime, unit: string, c: ContainerRuntime | undefined, stage: Stage, facts: Facts, now: number): boolean {
    const action = ACTIONS[stage.next.action];
    if (!action) throw new Error(`kubelet stage ${stage.name}: unknown action ${stage.next.action}`);
    // the facts the event texts name, as they were before the operation (facts are read lazily)
    const templates = stage.next.events ?? [];
    const before: Record<string, FactValue> = {};
    for (const e of templates) for (const k of placeholders(e.message)) before[k] = facts[k];
    const vars = action({ rt, ...(c ? { c } : {}), host: this.host, now });
    if (vars === false) return false;
    const values = { ...before, pod: formatPod(rt), image: c?.b.image ?? "", ...(vars ?? {}) };
    const events = templates.map((e) => ({
      type: e.type,
      reason: e.reason,
      message: render(e.message, values),
      ...(c ? { fieldPath: c.b.fieldPath } : {}),
    }));
    for (const e of events) this.host.event(rt, e.type, e.reason, e.message, e.fieldPath);
    this.host.onStage?.(rt, stage, unit, events);
    if (stage.next.action === "deletePod") {
      // the terminal status goes out before the delete, as the status manager does
      this.host.statusChanged(rt);
      this.host.deletePod(rt);
    }
    return true;
  }
}
