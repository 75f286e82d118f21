// DefaultPreemption (upstream plugins/defaultpreemption and framework/preemption): when no node
// fits, find nodes where evicting lower-priority pods makes room, keep as many of them as
// possible (PodDisruptionBudget-protected ones first), pick the node by upstream's criteria
// (fewest PDB violations, lowest highest victim priority, lowest priority sum, fewest victims,
// latest start) and report it for status.nominatedNodeName. The victims are then marked
// DisruptionTarget and deleted with their grace period.
import { fromMetaLabelSelector, type MetaLabelSelector } from "../apimachinery/labels.js";
import type { KubeObject } from "../apimachinery/types.js";
import type { Profile } from "./algorithm.js";
import { Code, CycleState, fitErrorMessage, newDiagnosis, Status, type Diagnosis } from "./framework.js";
import type { NodeInfo, PodInfo } from "./types.js";

export interface Candidate {
  node: string;
  victims: PodInfo[];
  numPDBViolations: number;
}

export interface PreemptionResult {
  /** Override of the pod's nominated node ("" clears it); undefined leaves it. */
  nominatedNode?: string;
  status: Status;
  candidate?: Candidate;
}

const MIN_CANDIDATE_NODES_PERCENTAGE = 10;
const MIN_CANDIDATE_NODES_ABSOLUTE = 100;
const MAX_INT32 = 2147483647;

/** status.startTime, or now when the pod has none (upstream GetPodStartTime). */
function startTimeOf(p: PodInfo, now: number): number {
  return p.startTime ?? now;
}

/** Upstream MoreImportantPod: higher priority, then started earlier. */
export function moreImportant(a: PodInfo, b: PodInfo, now: number): boolean {
  if (a.priority !== b.priority) return a.priority > b.priority;
  return startTimeOf(a, now) < startTimeOf(b, now);
}

function isTerminatingByPreemption(p: PodInfo): boolean {
  if (!p.terminating) return false;
  const conditions = ((p.pod.status as { conditions?: { type?: string; reason?: string }[] } | undefined)?.conditions ?? []).filter(Boolean);
  return conditions.some((c) => c.type === "DisruptionTarget" && c.reason === "PreemptionByScheduler");
}

/** Upstream filterPodsWithPDBViolation: victims whose eviction would exceed a budget. */
export function splitByPDBViolation(victims: PodInfo[], pdbs: readonly KubeObject[]): { violating: PodInfo[]; nonViolating: PodInfo[] } {
  const allowed = pdbs.map((p) => Number((p.status as { disruptionsAllowed?: number } | undefined)?.disruptionsAllowed ?? 0));
  const selectors = pdbs.map((p) => {
    try {
      return fromMetaLabelSelector(((p.spec ?? {}) as { selector?: MetaLabelSelector }).selector ?? null);
    } catch {
      return undefined;
    }
  });
  const violating: PodInfo[] = [];
  const nonViolating: PodInfo[] = [];
  for (const v of victims) {
    let violated = false;
    if (Object.keys(v.labels).length) {
      pdbs.forEach((pdb, i) => {
        if (pdb.metadata.namespace !== v.namespace) return;
        const sel = selectors[i];
        if (!sel || sel.empty || !sel.matches(v.labels as Record<string, string>)) return;
        const disrupted = (pdb.status as { disruptedPods?: Record<string, unknown> } | undefined)?.disruptedPods;
        if (disrupted && v.name in disrupted) return;
        allowed[i]!--;
        if (allowed[i]! < 0) violated = true;
      });
    }
    (violated ? violating : nonViolating).push(v);
  }
  return { violating, nonViolating };
}

/** Upstream pickOneNodeForPreemption. */
export function pickOneNode(candidates: Candidate[], now: number): Candidate | undefined {
  if (candidates.length === 0) return undefined;
  const earliestStartOfTop = (c: Candidate) => {
    const top = c.victims[0]!.priority;
    let earliest = Number.MAX_SAFE_INTEGER;
    for (const v of c.victims) if (v.priority === top) earliest = Math.min(earliest, startTimeOf(v, now));
    return earliest;
  };
  const scoreFuncs: ((c: Candidate) => number)[] = [
    (c) => -c.numPDBViolations,
    (c) => -(c.victims[0]?.priority ?? 0),
    (c) => -c.victims.reduce((s, v) => s + v.priority + MAX_INT32 + 1, 0),
    (c) => -c.victims.length,
    (c) => earliestStartOfTop(c),
  ];
  let remaining = candidates;
  for (const f of scoreFuncs) {
    let best = -Infinity;
    let next: Candidate[] = [];
    for (const c of remaining) {
      const s = f(c);
      if (s > best) {
        best = s;
        next = [c];
      } else if (s === best) next.push(c);
    }
    remaining = next;
    if (remaining.length === 1) return remaining[0];
  }
  return remaining[0];
}

export interface PreemptionDeps {
  profile: Profile;
  pdbs(): KubeObject[];
  now(): number;
  random(): number;
}

export class DefaultPreemption {
  constructor(private readonly deps: PreemptionDeps) {}

  /** Upstream PodEligibleToPreemptOthers. */
  eligible(pod: PodInfo, d: Diagnosis): string | undefined {
    if (pod.spec.preemptionPolicy === "Never") return "not eligible due to preemptionPolicy=Never.";
    const nominated = (pod.pod.status as { nominatedNodeName?: string } | undefined)?.nominatedNodeName;
    if (nominated) {
      const s = d.nodeToStatus.get(nominated) ?? d.absentStatus;
      if (s.code === Code.UnschedulableAndUnresolvable) return undefined;
      const node = this.deps.profile.handle.cache.getNode(nominated);
      if (node) for (const p of node.pods.values()) if (p.priority < pod.priority && isTerminatingByPreemption(p)) return "not eligible due to a terminating pod on the nominated node.";
    }
    return undefined;
  }

  /** The PostFilter: a node and its victims, or why preemption cannot help (the "preemption: ..." message). */
  preempt(cs: CycleState, pod: PodInfo, d: Diagnosis): PreemptionResult {
    const notEligible = this.eligible(pod, d);
    if (notEligible) return { status: new Status(Code.Unschedulable, [`preemption: ${notEligible}`]) };
    const { profile } = this.deps;
    const allNodes = profile.handle.cache.nodeList();
    const statuses = newDiagnosis();
    const unresolvable = new Status(Code.UnschedulableAndUnresolvable, ["Preemption is not helpful for scheduling"]);
    const potential: NodeInfo[] = [];
    for (const n of allNodes) {
      const s = d.nodeToStatus.get(n.name) ?? d.absentStatus;
      if (s.code === Code.UnschedulableAndUnresolvable) statuses.nodeToStatus.set(n.name, unresolvable);
      else potential.push(n);
    }
    const failed = () => ({
      nominatedNode: "",
      status: new Status(Code.Unschedulable, [`preemption: ${fitErrorMessage(allNodes.length, statuses)}`]),
    });
    if (potential.length === 0) return failed();
    const pdbs = this.deps.pdbs();
    const numCandidates = Math.min(potential.length, Math.max(Math.trunc((potential.length * MIN_CANDIDATE_NODES_PERCENTAGE) / 100), MIN_CANDIDATE_NODES_ABSOLUTE));
    const offset = Math.floor(this.deps.random() * potential.length);
    const nonViolating: Candidate[] = [];
    const violating: Candidate[] = [];
    for (let i = 0; i < potential.length; i++) {
      const node = potential[(offset + i) % potential.length]!;
      const r = this.selectVictimsOnNode(cs.clone(), pod, node.clone(), pdbs);
      if (r.status) {
        statuses.nodeToStatus.set(node.name, r.status);
        continue;
      }
      if (r.victims.length === 0) {
        statuses.nodeToStatus.set(node.name, new Status(Code.Error, [`expected at least one victim pod on node "${node.name}"`]));
        continue;
      }
      const c = { node: node.name, victims: r.victims, numPDBViolations: r.numPDBViolations };
      (c.numPDBViolations === 0 ? nonViolating : violating).push(c);
      if (nonViolating.length > 0 && nonViolating.length + violating.length >= numCandidates) break;
    }
    const candidates = [...nonViolating, ...violating];
    if (candidates.length === 0) return failed();
    const best = pickOneNode(candidates, this.deps.now())!;
    return { nominatedNode: best.node, status: new Status(Code.Success), candidate: best };
  }

  /** Upstream SelectVictimsOnNode: remove every lower-priority pod, then reprieve as many as still fit. */
  selectVictimsOnNode(cs: CycleState, pod: PodInfo, node: NodeInfo, pdbs: readonly KubeObject[]): { victims: PodInfo[]; numPDBViolations: number; status?: Status } {
    const { profile } = this.deps;
    const now = this.deps.now();
    const potential: PodInfo[] = [];
    for (const p of [...node.pods.values()]) {
      if (p.priority < pod.priority) {
        potential.push(p);
        profile.removePodFrom(cs, pod, p, node);
      }
    }
    if (potential.length === 0)
      return { victims: [], numPDBViolations: 0, status: new Status(Code.UnschedulableAndUnresolvable, ["No preemption victims found for incoming pod"]) };
    const s = profile.runFilterWithNominated(cs, pod, node);
    if (s) return { victims: [], numPDBViolations: 0, status: s };
    potential.sort((a, b) => (moreImportant(a, b, now) ? -1 : moreImportant(b, a, now) ? 1 : 0));
    const { violating, nonViolating } = splitByPDBViolation(potential, pdbs);
    const victims: PodInfo[] = [];
    let numPDBViolations = 0;
    const reprieve = (p: PodInfo): boolean => {
      profile.addPodTo(cs, pod, p, node);
      const fits = !profile.runFilterWithNominated(cs, pod, node);
      if (!fits) {
        profile.removePodFrom(cs, pod, p, node);
        victims.push(p);
      }
      return fits;
    };
    for (const p of violating) if (!reprieve(p)) numPDBViolations++;
    for (const p of nonViolating) reprieve(p);
    if (violating.length && nonViolating.length) victims.sort((a, b) => (moreImportant(a, b, now) ? -1 : moreImportant(b, a, now) ? 1 : 0));
    return { victims, numPDBViolations };
  }
}
