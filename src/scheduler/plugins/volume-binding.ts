// VolumeBinding (upstream plugins/volumebinding with its volume binder): the pod's claims must
// exist; bound claims' PersistentVolumes must admit the node; unbound claims of an Immediate class
// keep the pod pending until the PV controller binds them; WaitForFirstConsumer claims are matched
// to an available PV on the node or provisioned there — Reserve picks the volumes, PreBind binds
// static PVs (spec.claimRef) or asks for provisioning (volume.kubernetes.io/selected-node on the
// claim) and waits until every claim is bound.
import { fromMetaLabelSelector, type MetaLabelSelector } from "../../apimachinery/labels.js";
import type { KubeObject } from "../../apimachinery/types.js";
import { R, type Client } from "../../client/interface.js";
import type { Clock } from "../../util/clock.js";
import { Code, errorStatus, fixedStatus, Status, type Handle, type Plugin, type StateData } from "../framework.js";
import { CompiledTerm, type NodeSelectorTerm } from "../../apimachinery/node-affinity.js";
import { value } from "../resources.js";
import type { NodeInfo, PodInfo } from "../types.js";

const NAME = "VolumeBinding";
export const ERR_BIND_CONFLICT = "node(s) didn't find available persistent volumes to bind";
export const ERR_NODE_CONFLICT = "node(s) didn't match PersistentVolume's node affinity";
export const ERR_PV_NOT_EXIST = "node(s) unavailable due to one or more pvc(s) bound to non-existent pv(s)";
const ANN_BIND_COMPLETED = "pv.kubernetes.io/bind-completed";
const ANN_BOUND_BY_CONTROLLER = "pv.kubernetes.io/bound-by-controller";
export const ANN_SELECTED_NODE = "volume.kubernetes.io/selected-node";
const NO_PROVISIONER = "kubernetes.io/no-provisioner";
const BIND_TIMEOUT_MS = 600_000;

interface Claims {
  bound: KubeObject[];
  delayed: KubeObject[];
}

interface Decision {
  /** PVCs (by key) bound to a static PV on the node. */
  static: { pvc: KubeObject; pv: KubeObject }[];
  provision: KubeObject[];
}

class State implements StateData {
  decision: Decision | undefined;
  constructor(readonly claims: Claims) {}
  clone(): StateData {
    return this;
  }
}

const STATE_KEY = "VolumeBinding";

const specOf = (o: KubeObject) => (o.spec ?? {}) as Record<string, unknown>;
const annotationsOf = (o: KubeObject) => o.metadata.annotations ?? {};

export function claimClass(pvc: KubeObject): string {
  const s = specOf(pvc).storageClassName;
  if (typeof s === "string") return s;
  return annotationsOf(pvc)["volume.beta.kubernetes.io/storage-class"] ?? "";
}

export function pvClass(pv: KubeObject): string {
  const s = specOf(pv).storageClassName;
  if (typeof s === "string") return s;
  return annotationsOf(pv)["volume.beta.kubernetes.io/storage-class"] ?? "";
}

/** The claims a pod's volumes name (persistentVolumeClaim, or generic ephemeral volumes: <pod>-<volume>). */
export function podClaimNames(pod: PodInfo): { name: string; ephemeral: boolean }[] {
  const out: { name: string; ephemeral: boolean }[] = [];
  for (const v of (Array.isArray(pod.spec.volumes) ? pod.spec.volumes : []) as { name?: string; persistentVolumeClaim?: { claimName?: string }; ephemeral?: unknown }[]) {
    if (v?.persistentVolumeClaim) out.push({ name: v.persistentVolumeClaim.claimName ?? "", ephemeral: false });
    else if (v?.ephemeral) out.push({ name: `${pod.name}-${v.name}`, ephemeral: true });
  }
  return out;
}

function pvNodeAffinityMatches(pv: KubeObject, node: NodeInfo): boolean {
  const terms = (specOf(pv).nodeAffinity as { required?: { nodeSelectorTerms?: NodeSelectorTerm[] } } | undefined)?.required?.nodeSelectorTerms;
  if (!terms) return true;
  // upstream CheckNodeAffinity matches the node's labels only
  return terms.some((t) => new CompiledTerm({ matchExpressions: t?.matchExpressions ?? [] }).matches(node.name, node.labels));
}

function requestedBytes(pvc: KubeObject): number {
  return value((specOf(pvc).resources as { requests?: Record<string, unknown> } | undefined)?.requests?.storage);
}

function capacityBytes(pv: KubeObject): number {
  return value((specOf(pv).capacity as Record<string, unknown> | undefined)?.storage);
}

const asStrings = (v: unknown) => (Array.isArray(v) ? (v as string[]) : []);

/** Upstream FindMatchingVolume: the smallest available PV of the claim's class that fits it on the node. */
function findMatchingVolume(pvc: KubeObject, pvs: KubeObject[], node: NodeInfo, excluded: Set<string>): KubeObject | undefined {
  const spec = specOf(pvc);
  const want = requestedBytes(pvc);
  const modes = asStrings(spec.accessModes);
  const volumeMode = (spec.volumeMode as string | undefined) ?? "Filesystem";
  let selector;
  try {
    selector = spec.selector ? fromMetaLabelSelector(spec.selector as MetaLabelSelector) : undefined;
  } catch {
    return undefined;
  }
  let best: KubeObject | undefined;
  for (const pv of pvs) {
    if (excluded.has(pv.metadata.name!) || pv.metadata.deletionTimestamp) continue;
    const ps = specOf(pv);
    const ref = ps.claimRef as { name?: string; namespace?: string; uid?: string } | undefined;
    if (ref) {
      if (ref.name !== pvc.metadata.name || ref.namespace !== pvc.metadata.namespace) continue;
      if (ref.uid && ref.uid !== pvc.metadata.uid) continue;
    } else if ((pv.status as { phase?: string } | undefined)?.phase !== "Available") continue;
    if (((ps.volumeMode as string | undefined) ?? "Filesystem") !== volumeMode) continue;
    const pvModes = asStrings(ps.accessModes);
    if (!modes.every((m) => pvModes.includes(m))) continue;
    if (selector && !selector.matches(pv.metadata.labels)) continue;
    const cap = capacityBytes(pv);
    if (cap < want) continue;
    if (!pvNodeAffinityMatches(pv, node)) continue;
    if (ref) return pv; // pre-bound to this claim
    if (!best || cap < capacityBytes(best)) best = pv;
  }
  return best;
}

function allowedTopologiesMatch(sc: KubeObject, node: NodeInfo): boolean {
  const terms = (sc as { allowedTopologies?: { matchLabelExpressions?: { key: string; values?: string[] }[] }[] }).allowedTopologies;
  if (!terms?.length) return true;
  return terms.some((t) => (t?.matchLabelExpressions ?? []).every((e) => (e.values ?? []).includes(node.labels[e.key] ?? "\x00")));
}

export interface VolumeBindingDeps {
  handle: Handle;
  client: Client;
  clock: Clock;
  /** Calls check on every PVC/PV change until it returns true (resolves) or throws (rejects). */
  waitFor(check: () => boolean, timeoutMs: number): Promise<void>;
}

export function volumeBinding(deps: VolumeBindingDeps): Plugin {
  const { handle } = deps;
  /** PVs picked by pods between Reserve and the end of their binding. */
  const assumedPVs = new Set<string>();

  const decide = (claims: Claims, node: NodeInfo): { decision?: Decision; reasons: string[] } => {
    const reasons: string[] = [];
    for (const pvc of claims.bound) {
      const pv = handle.pv(String(specOf(pvc).volumeName));
      if (!pv) {
        reasons.push(ERR_PV_NOT_EXIST);
        break;
      }
      if (!pvNodeAffinityMatches(pv, node)) {
        reasons.push(ERR_NODE_CONFLICT);
        break;
      }
    }
    const decision: Decision = { static: [], provision: [] };
    const taken = new Set(assumedPVs);
    let bindConflict = false;
    for (const pvc of claims.delayed) {
      const cls = claimClass(pvc);
      const pv = findMatchingVolume(pvc, handle.pvsOfClass(cls), node, taken);
      if (pv) {
        taken.add(pv.metadata.name!);
        decision.static.push({ pvc, pv });
        continue;
      }
      const sc = handle.storageClass(cls);
      const provisioner = (sc as { provisioner?: string } | undefined)?.provisioner;
      if (!sc || !provisioner || provisioner === NO_PROVISIONER || !allowedTopologiesMatch(sc, node)) {
        bindConflict = true;
        continue;
      }
      decision.provision.push(pvc);
    }
    if (bindConflict) reasons.push(ERR_BIND_CONFLICT);
    return reasons.length ? { reasons } : { decision, reasons };
  };

  return {
    name: NAME,
    events: () => ["PvcChange", "PvChange", "StorageClassChange", "NodeAdd", "NodeLabel"],

    preFilter(cs, pod) {
      const names = podClaimNames(pod);
      if (names.length === 0) {
        cs.skipFilter.add(NAME);
        return undefined;
      }
      const claims: Claims = { bound: [], delayed: [] };
      let immediateUnbound = false;
      for (const { name, ephemeral } of names) {
        const pvc = handle.pvc(pod.namespace, name);
        const fail = (msg: string) => ({ status: fixedStatus(NAME, Code.UnschedulableAndUnresolvable, msg) });
        if (!pvc) return fail(ephemeral ? `waiting for ephemeral volume controller to create the persistentvolumeclaim "${name}"` : `persistentvolumeclaim "${name}" not found`);
        const spec = specOf(pvc);
        if ((pvc.status as { phase?: string } | undefined)?.phase === "Lost")
          return fail(`persistentvolumeclaim "${name}" bound to non-existent persistentvolume "${String(spec.volumeName ?? "")}"`);
        if (pvc.metadata.deletionTimestamp) return fail(`persistentvolumeclaim "${name}" is being deleted`);
        if (ephemeral && !(pvc.metadata.ownerReferences ?? []).some((r) => r.controller && r.uid === pod.uid))
          return fail(`PVC ${pod.namespace}/${name} was not created for pod ${pod.namespace}/${pod.name} (pod is not owner)`);
        if (spec.volumeName && annotationsOf(pvc)[ANN_BIND_COMPLETED] !== undefined) {
          claims.bound.push(pvc);
          continue;
        }
        const sc = handle.storageClass(claimClass(pvc));
        if ((sc as { volumeBindingMode?: string } | undefined)?.volumeBindingMode === "WaitForFirstConsumer") claims.delayed.push(pvc);
        else immediateUnbound = true;
      }
      if (immediateUnbound) return { status: fixedStatus(NAME, Code.UnschedulableAndUnresolvable, "pod has unbound immediate PersistentVolumeClaims") };
      cs.write(STATE_KEY, new State(claims));
      return undefined;
    },

    filter(cs, _pod, node) {
      const s = cs.read<State>(STATE_KEY);
      if (!s) return undefined;
      const { reasons } = decide(s.claims, node);
      if (reasons.length) return new Status(Code.UnschedulableAndUnresolvable, reasons).withPlugin(NAME);
      return undefined;
    },

    reserve(cs, _pod, nodeName) {
      const s = cs.read<State>(STATE_KEY);
      if (!s || s.claims.delayed.length === 0) return undefined;
      const node = handle.cache.getNode(nodeName);
      if (!node) return errorStatus(new Error(`node "${nodeName}" not found`));
      const { decision, reasons } = decide(s.claims, node);
      if (!decision) return new Status(Code.UnschedulableAndUnresolvable, reasons).withPlugin(NAME);
      for (const { pv } of decision.static) assumedPVs.add(pv.metadata.name!);
      s.decision = decision;
      return undefined;
    },

    unreserve(cs) {
      const s = cs.read<State>(STATE_KEY);
      for (const { pv } of s?.decision?.static ?? []) assumedPVs.delete(pv.metadata.name!);
    },

    async preBind(cs, _pod, nodeName) {
      const s = cs.read<State>(STATE_KEY);
      const d = s?.decision;
      if (!s || !d || (d.static.length === 0 && d.provision.length === 0)) return undefined;
      try {
        for (const { pvc, pv } of d.static) {
          const fresh = structuredClone(handle.pv(pv.metadata.name!) ?? pv) as KubeObject;
          const spec = specOf(fresh);
          spec.claimRef = {
            kind: "PersistentVolumeClaim",
            namespace: pvc.metadata.namespace,
            name: pvc.metadata.name,
            uid: pvc.metadata.uid,
            apiVersion: "v1",
            resourceVersion: pvc.metadata.resourceVersion,
          };
          fresh.spec = spec;
          fresh.metadata.annotations = { ...fresh.metadata.annotations, [ANN_BOUND_BY_CONTROLLER]: "yes" };
          await deps.client.update(R.persistentvolumes, "", fresh);
        }
        for (const pvc of d.provision) {
          await deps.client.patch(R.persistentvolumeclaims, pvc.metadata.namespace!, pvc.metadata.name!, "merge", {
            metadata: { annotations: { [ANN_SELECTED_NODE]: nodeName } },
          });
        }
        const all = [...d.static.map((x) => x.pvc), ...d.provision];
        await deps.waitFor(() => {
          for (const c of all) {
            const cur = handle.pvc(c.metadata.namespace!, c.metadata.name!);
            if (!cur) throw new Error(`persistentvolumeclaim "${c.metadata.name}" not found`);
            if (d.provision.includes(c) && !specOf(cur).volumeName && annotationsOf(cur)[ANN_SELECTED_NODE] === undefined)
              throw new Error(`provisioning failed for PVC "${c.metadata.name}"`);
            if (!specOf(cur).volumeName || annotationsOf(cur)[ANN_BIND_COMPLETED] === undefined) return false;
          }
          return true;
        }, BIND_TIMEOUT_MS);
        return undefined;
      } catch (err) {
        return errorStatus(new Error(`binding volumes: ${(err as Error).message}`));
      } finally {
        for (const { pv } of d.static) assumedPVs.delete(pv.metadata.name!);
      }
    },
  };
}
