// What each container of a pod "does" in the simulated runtime, derived from the pod spec and
// per-pod annotations — data, not code paths: how long it runs and with which exit code (from its
// command: `sleep N`, `exit N`, `true`, `false`, shell scripts made of those; Job pods and init
// containers finish after a short default), when it becomes ready (readiness probe delay), whether
// its image can be pulled, and how it reacts to SIGTERM. The annotations in ANNOTATIONS override.
import type { KubeObject } from "../apimachinery/types.js";
import { effectivePullPolicy, imageIsMissing, parseImage, type ImageRef } from "./images.js";

/** Per-pod overrides. A value applies to every container, or `name=value,name2=value2` to some. */
export const ANNOTATIONS = {
  /** Seconds a container runs before it exits (makes it finite). */
  runSeconds: "kubefacade.io/run-seconds",
  /** Exit code of a container when it exits (makes it finite; runs 1 s unless run-seconds says otherwise). */
  exitCode: "kubefacade.io/container-exit-code",
  /** Seconds after start until the container reports ready; "never" keeps it unready. */
  readyAfterSeconds: "kubefacade.io/ready-after-seconds",
  /** "true" (every container) or a comma-separated list of container names whose image pull fails. */
  failImagePull: "kubefacade.io/fail-image-pull",
  /** Seconds an image pull takes. */
  pullSeconds: "kubefacade.io/pull-seconds",
  /** Seconds a container takes to exit after SIGTERM; past the grace period it is killed (137). */
  terminationSeconds: "kubefacade.io/termination-seconds",
} as const;

export type ContainerType = "init" | "sidecar" | "regular";

export interface ContainerBehaviour {
  name: string;
  type: ContainerType;
  /** Index in spec.initContainers or spec.containers. */
  index: number;
  image: string;
  ref: ImageRef | undefined;
  pullPolicy: "Always" | "IfNotPresent" | "Never";
  pullFails: boolean;
  /** Pull duration override (ms). */
  pullMs: number | undefined;
  /** How long the container runs once started; undefined: until it is stopped. */
  runMs: number | undefined;
  exitCode: number;
  /** Delay from start to ready; null: never ready. */
  readyAfterMs: number | null;
  hasReadinessProbe: boolean;
  /** Delay from start to started (startup probe); 0 without one. */
  startedAfterMs: number;
  /** Time to exit after SIGTERM; Infinity: ignores SIGTERM (PID 1 without handlers) and is killed. */
  stopMs: number;
  /** Exit code when it stops on SIGTERM in time. */
  stopExitCode: number;
  /** fieldPath of events about this container. */
  fieldPath: string;
  spec: Record<string, unknown>;
}

export interface PodBehaviour {
  containers: ContainerBehaviour[];
  ownerKind: string | undefined;
  restartPolicy: "Always" | "OnFailure" | "Never";
}

/** Default durations (ms) of containers whose command says nothing about their length. */
export const DEFAULT_RUN = {
  /** A Job pod's container with an unrecognised command succeeds after this long. */
  jobMs: 2_000,
  /** An init container with an unrecognised command completes after this long. */
  initMs: 1_000,
  /** A container exiting because of the exit-code annotation alone runs this long. */
  exitCodeMs: 1_000,
  /** Time a SIGTERM-aware process needs to exit. */
  stopMs: 200,
};

export type StatementEffect =
  | { kind: "sleep"; seconds: number }
  | { kind: "exit"; code: number }
  | { kind: "instant"; code: number }
  | { kind: "forever" };

export interface CommandRule {
  /** Matched against one shell statement (or the whole argv of a non-shell command). */
  pattern: RegExp;
  effect: (m: RegExpExecArray) => StatementEffect;
}

const BIN = String.raw`(?:(?:\/usr)?\/s?bin\/)?`;
const DURATION_UNITS: Record<string, number> = { "": 1, s: 1, m: 60, h: 3600, d: 86400 };

/** What recognised commands do. Anything else is "unknown" (the container runs until stopped). */
export const COMMAND_RULES: CommandRule[] = [
  { pattern: new RegExp(`^${BIN}sleep\\s+(?:infinity|inf)$`), effect: () => ({ kind: "forever" }) },
  {
    pattern: new RegExp(`^${BIN}sleep\\s+(\\d+(?:\\.\\d+)?)([smhd]?)$`),
    effect: (m) => ({ kind: "sleep", seconds: Number(m[1]) * DURATION_UNITS[m[2] ?? ""]! }),
  },
  { pattern: /^exit(?:\s+(\d+))?$/, effect: (m) => ({ kind: "exit", code: Number(m[1] ?? 0) & 255 }) },
  { pattern: new RegExp(`^(?:${BIN}true|:)$`), effect: () => ({ kind: "instant", code: 0 }) },
  { pattern: new RegExp(`^${BIN}false$`), effect: () => ({ kind: "instant", code: 1 }) },
  { pattern: new RegExp(`^${BIN}(?:tail\\s+-f|pause$|nginx\\b|httpd\\b|redis-server\\b)`), effect: () => ({ kind: "forever" }) },
  {
    pattern: new RegExp(`^${BIN}(?:echo|printf|date|env|printenv|hostname|ls|cat|id|whoami|uname|pwd|touch|mkdir|cp|mv|rm|wget|nslookup|set)\\b`),
    effect: () => ({ kind: "instant", code: 0 }),
  },
];

/** Images whose default command exits at once without a terminal (a shell reading an empty stdin). */
export const IMAGE_DEFAULT_EXITS: Record<string, number> = {
  "docker.io/library/busybox": 0,
  "docker.io/library/alpine": 0,
  "docker.io/library/ubuntu": 0,
  "docker.io/library/debian": 0,
  "docker.io/library/centos": 0,
  "docker.io/library/fedora": 0,
  "docker.io/library/hello-world": 0,
};

const SHELLS = new Set(["sh", "bash", "ash", "dash", "zsh", "ksh"]);

export type CommandOutcome = { finite: true; runMs: number; exitCode: number; ignoresSigterm: boolean } | { finite: false; known: boolean; ignoresSigterm: boolean };

function applyStatements(statements: string[]): CommandOutcome {
  let seconds = 0;
  let code = 0;
  for (const raw of statements) {
    const st = raw.trim();
    if (!st) continue;
    const rule = COMMAND_RULES.map((r) => ({ r, m: r.pattern.exec(st) })).find((x) => x.m);
    if (!rule) return { finite: false, known: false, ignoresSigterm: true };
    const effect = rule.r.effect(rule.m!);
    if (effect.kind === "forever") return { finite: false, known: true, ignoresSigterm: true };
    if (effect.kind === "sleep") {
      seconds += effect.seconds;
      code = 0;
    } else if (effect.kind === "exit") {
      return { finite: true, runMs: Math.round(seconds * 1000), exitCode: effect.code, ignoresSigterm: true };
    } else code = effect.code;
  }
  return { finite: true, runMs: Math.round(seconds * 1000), exitCode: code, ignoresSigterm: true };
}

/** What a command line does, as far as the rules tell. */
export function analyseCommand(argv: string[]): CommandOutcome {
  if (argv.length === 0) return { finite: false, known: false, ignoresSigterm: false };
  const bin = argv[0]!.split("/").pop()!;
  if (SHELLS.has(bin) || (bin === "busybox" && SHELLS.has(argv[1] ?? ""))) {
    const args = bin === "busybox" ? argv.slice(2) : argv.slice(1);
    const flag = args.findIndex((a) => /^-[a-z]*c[a-z]*$/.test(a));
    if (flag < 0 || args[flag + 1] === undefined) return { finite: false, known: false, ignoresSigterm: true };
    const script = args[flag + 1]!;
    if (/\bwhile\s+(?:true|:)\b|\bsleep\s+(?:infinity|inf)\b/.test(script)) return { finite: false, known: true, ignoresSigterm: true };
    return applyStatements(script.split(/\s*(?:;|&&|\|\||\n)\s*/));
  }
  const outcome = applyStatements([argv.join(" ")]);
  // servers (and unknown programs) handle SIGTERM; sleep or tail as PID 1 have no handler for it
  const handles = /^(?:pause|nginx|httpd|redis-server)$/.test(bin) || (!outcome.finite && !outcome.known);
  return { ...outcome, ignoresSigterm: !handles };
}

/** Reads a per-container annotation value: "v" for all, or "name=v,name2=v2". */
export function annotationFor(annotations: Record<string, string> | undefined, key: string, container: string): string | undefined {
  const raw = annotations?.[key];
  if (raw === undefined) return undefined;
  if (!raw.includes("=")) return raw.trim();
  for (const part of raw.split(",")) {
    const i = part.indexOf("=");
    if (i > 0 && part.slice(0, i).trim() === container) return part.slice(i + 1).trim();
  }
  return undefined;
}

function seconds(value: string | undefined): number | undefined {
  if (value === undefined || value === "") return undefined;
  const n = Number(value.replace(/s$/, ""));
  return Number.isFinite(n) && n >= 0 ? Math.round(n * 1000) : undefined;
}

type Obj = Record<string, unknown>;
const asObj = (v: unknown): Obj | undefined => (v && typeof v === "object" && !Array.isArray(v) ? (v as Obj) : undefined);
const asArr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const strs = (v: unknown): string[] => asArr(v).filter((x): x is string => typeof x === "string");

function probeDelayMs(probe: unknown): number | undefined {
  const p = asObj(probe);
  if (!p) return undefined;
  const d = p.initialDelaySeconds;
  return typeof d === "number" && d > 0 ? d * 1000 : 0;
}

/** The behaviour of every container of a pod (init containers first, in spec order). */
export function podBehaviour(pod: KubeObject): PodBehaviour {
  const spec = asObj(pod.spec) ?? {};
  const annotations = pod.metadata.annotations;
  const owner = pod.metadata.ownerReferences?.find((r) => r.controller) ?? pod.metadata.ownerReferences?.[0];
  const ownerKind = owner?.kind;
  const rp = spec.restartPolicy;
  const restartPolicy: PodBehaviour["restartPolicy"] = rp === "Never" || rp === "OnFailure" ? rp : "Always";
  const out: ContainerBehaviour[] = [];
  const build = (c: Obj, index: number, type: ContainerType): ContainerBehaviour => {
    const name = String(c.name ?? "");
    const image = typeof c.image === "string" ? c.image : "";
    const ref = parseImage(image);
    const ann = (key: string) => annotationFor(annotations, key, name);
    const failAnn = annotations?.[ANNOTATIONS.failImagePull];
    const failListed =
      failAnn !== undefined && (failAnn.trim() === "true" || failAnn.split(",").some((n) => n.trim() === name));
    const command = strs(c.command);
    const args = strs(c.args);
    let argv = command.length ? [...command, ...args] : args;
    let outcome = analyseCommand(argv);
    if (argv.length === 0 && ref) {
      const code = IMAGE_DEFAULT_EXITS[ref.repository];
      if (code !== undefined && c.stdin !== true) outcome = { finite: true, runMs: 0, exitCode: code, ignoresSigterm: true };
      argv = [];
    }
    let runMs: number | undefined;
    let exitCode = 0;
    if (outcome.finite) {
      runMs = outcome.runMs;
      exitCode = outcome.exitCode;
    } else if (!outcome.known) {
      if (type === "init") runMs = DEFAULT_RUN.initMs;
      else if (type === "regular" && ownerKind === "Job") runMs = DEFAULT_RUN.jobMs;
    }
    const runAnn = seconds(ann(ANNOTATIONS.runSeconds));
    const exitAnn = ann(ANNOTATIONS.exitCode);
    if (exitAnn !== undefined && /^\d+$/.test(exitAnn)) {
      exitCode = Number(exitAnn) & 255;
      runMs ??= DEFAULT_RUN.exitCodeMs;
    }
    if (runAnn !== undefined) runMs = runAnn;
    const readyAnn = ann(ANNOTATIONS.readyAfterSeconds);
    let readyAfterMs: number | null = probeDelayMs(c.readinessProbe) ?? 0;
    if (readyAnn !== undefined) readyAfterMs = readyAnn === "never" || Number(readyAnn) < 0 ? null : (seconds(readyAnn) ?? readyAfterMs);
    const termAnn = seconds(ann(ANNOTATIONS.terminationSeconds));
    const stopMs = termAnn ?? (outcome.ignoresSigterm ? Infinity : DEFAULT_RUN.stopMs);
    return {
      name,
      type,
      index,
      image,
      ref,
      pullPolicy: effectivePullPolicy(c),
      pullFails: failListed || (ref !== undefined && imageIsMissing(ref)),
      pullMs: seconds(ann(ANNOTATIONS.pullSeconds)),
      runMs,
      exitCode,
      readyAfterMs,
      hasReadinessProbe: asObj(c.readinessProbe) !== undefined,
      startedAfterMs: probeDelayMs(c.startupProbe) ?? 0,
      stopMs,
      stopExitCode: 0,
      fieldPath: `spec.${type === "regular" ? "containers" : "initContainers"}{${name}}`,
      spec: c,
    };
  };
  asArr(spec.initContainers).forEach((c, i) => {
    const o = asObj(c);
    if (o) out.push(build(o, i, o.restartPolicy === "Always" ? "sidecar" : "init"));
  });
  asArr(spec.containers).forEach((c, i) => {
    const o = asObj(c);
    if (o) out.push(build(o, i, "regular"));
  });
  return { containers: out, ownerKind, restartPolicy };
}
