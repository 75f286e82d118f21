// Volume binding facts shared by the PV controller, the simulated provisioner, the admission plugins
// and (for its VolumeBinding plugin) the scheduler: upstream k8s.io/component-helpers/storage/volume
// (pv_helpers.go, helpers.go), pkg/volume/util (GetDefaultClass, IsPodTerminated) and the
// PV controller's ordered index (pkg/controller/volume/persistentvolume/index.go).
import { CompiledTerm, type NodeSelectorTerm } from "../../apimachinery/node-affinity.js";
import type { KubeObject } from "../../apimachinery/types.js";
import { fromMetaLabelSelector, type MetaLabelSelector } from "../../apimachinery/labels.js";
import { parseQuantity } from "../../registry/builtin/quantity.js";

type Json = Record<string, unknown>;

// ---- annotations and finalizers ----

/** On PVCs: the lifecycle of the claim has passed through the initial binding. */
export const ANN_BIND_COMPLETED = "pv.kubernetes.io/bind-completed";
/** On PVs and PVCs: the binding was made by the controller, not pre-bound by the user. */
export const ANN_BOUND_BY_CONTROLLER = "pv.kubernetes.io/bound-by-controller";
/** On PVCs: the scheduler's pick for delayed (WaitForFirstConsumer) provisioning. */
export const ANN_SELECTED_NODE = "volume.kubernetes.io/selected-node";
/** On PVCs: who is expected to provision the volume. */
export const ANN_STORAGE_PROVISIONER = "volume.kubernetes.io/storage-provisioner";
export const ANN_BETA_STORAGE_PROVISIONER = "volume.beta.kubernetes.io/storage-provisioner";
/** On PVs: the plugin or external provisioner that made the volume. */
export const ANN_DYNAMICALLY_PROVISIONED = "pv.kubernetes.io/provisioned-by";
export const ANN_MIGRATED_TO = "pv.kubernetes.io/migrated-to";
/** The deprecated class annotation, still honoured before spec.storageClassName. */
export const BETA_STORAGE_CLASS_ANNOTATION = "volume.beta.kubernetes.io/storage-class";
export const IS_DEFAULT_STORAGE_CLASS_ANNOTATION = "storageclass.kubernetes.io/is-default-class";
export const BETA_IS_DEFAULT_STORAGE_CLASS_ANNOTATION = "storageclass.beta.kubernetes.io/is-default-class";
export const NOT_SUPPORTED_PROVISIONER = "kubernetes.io/no-provisioner";
export const PVC_PROTECTION_FINALIZER = "kubernetes.io/pvc-protection";
export const PV_PROTECTION_FINALIZER = "kubernetes.io/pv-protection";

// ---- accessors ----

const obj = (v: unknown): Json | undefined => (v !== null && typeof v === "object" && !Array.isArray(v) ? (v as Json) : undefined);
const strs = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : []);

export const specOf = (o: KubeObject): Json => obj(o.spec) ?? {};
export const statusOf = (o: KubeObject): Json => obj(o.status) ?? {};
export const annotationsOf = (o: KubeObject): Record<string, string> => o.metadata.annotations ?? {};
export const hasAnnotation = (o: KubeObject, key: string): boolean => Object.prototype.hasOwnProperty.call(annotationsOf(o), key);
export const phaseOf = (o: KubeObject): string => (typeof statusOf(o).phase === "string" ? (statusOf(o).phase as string) : "");

export interface ObjectReference {
  kind?: string;
  namespace?: string;
  name?: string;
  uid?: string;
  apiVersion?: string;
  resourceVersion?: string;
  fieldPath?: string;
}

export const claimRefOf = (pv: KubeObject): ObjectReference | undefined => obj(specOf(pv).claimRef) as ObjectReference | undefined;
export const volumeNameOf = (pvc: KubeObject): string => (typeof specOf(pvc).volumeName === "string" ? (specOf(pvc).volumeName as string) : "");
export const claimKey = (pvc: KubeObject): string => `${pvc.metadata.namespace}/${pvc.metadata.name}`;
export const claimRefKey = (ref: ObjectReference): string => `${ref.namespace ?? ""}/${ref.name ?? ""}`;

/** The storage a claim requests (nano-units), zero when unset. */
export function requestedStorage(pvc: KubeObject): bigint {
  const requests = obj(obj(specOf(pvc).resources)?.requests);
  return parseQuantity(requests?.storage) ?? 0n;
}

/** The capacity of a volume (nano-units), zero when unset. */
export function volumeCapacity(pv: KubeObject): bigint {
  return parseQuantity(obj(specOf(pv).capacity)?.storage) ?? 0n;
}

/** GetPersistentVolumeClaimClass: the beta annotation wins, then spec.storageClassName, else "". */
export function claimClass(pvc: KubeObject): string {
  const ann = annotationsOf(pvc);
  if (BETA_STORAGE_CLASS_ANNOTATION in ann) return ann[BETA_STORAGE_CLASS_ANNOTATION]!;
  const name = specOf(pvc).storageClassName;
  return typeof name === "string" ? name : "";
}

/** PersistentVolumeClaimHasClass: the annotation or spec.storageClassName is set (even to ""). */
export function claimHasClass(pvc: KubeObject): boolean {
  if (BETA_STORAGE_CLASS_ANNOTATION in annotationsOf(pvc)) return true;
  const name = specOf(pvc).storageClassName;
  return name !== undefined && name !== null;
}

/** GetPersistentVolumeClass. */
export function volumeClass(pv: KubeObject): string {
  const ann = annotationsOf(pv);
  if (BETA_STORAGE_CLASS_ANNOTATION in ann) return ann[BETA_STORAGE_CLASS_ANNOTATION]!;
  const name = specOf(pv).storageClassName;
  return typeof name === "string" ? name : "";
}

/** IsDefaultAnnotation: either is-default-class annotation is "true". */
export function isDefaultStorageClass(sc: KubeObject): boolean {
  const ann = annotationsOf(sc);
  return ann[IS_DEFAULT_STORAGE_CLASS_ANNOTATION] === "true" || ann[BETA_IS_DEFAULT_STORAGE_CLASS_ANNOTATION] === "true";
}

const creationMs = (o: KubeObject): number => Date.parse(o.metadata.creationTimestamp ?? "") || 0;

/** GetDefaultClass: of the classes marked default, the newest (ties by name); undefined when none. */
export function defaultStorageClass(classes: readonly KubeObject[]): KubeObject | undefined {
  let best: KubeObject | undefined;
  for (const sc of classes) {
    if (!isDefaultStorageClass(sc)) continue;
    if (!best) {
      best = sc;
      continue;
    }
    const a = creationMs(sc);
    const b = creationMs(best);
    if (a > b || (a === b && (sc.metadata.name ?? "") < (best.metadata.name ?? ""))) best = sc;
  }
  return best;
}

/** The class's volumeBindingMode (defaulted to Immediate by the API). */
export const bindingModeOf = (sc: KubeObject): string => (typeof sc.volumeBindingMode === "string" ? sc.volumeBindingMode : "Immediate");

/** IsDelayBindingMode with the class looked up by `getClass` (a missing class is not delayed). */
export function isDelayBindingMode(pvc: KubeObject, getClass: (name: string) => KubeObject | undefined): boolean {
  const name = claimClass(pvc);
  if (!name) return false;
  const sc = getClass(name);
  if (!sc) return false;
  return bindingModeOf(sc) === "WaitForFirstConsumer";
}

/** IsDelayBindingProvisioning: the scheduler picked a node for the claim. */
export const isDelayBindingProvisioning = (pvc: KubeObject): boolean => hasAnnotation(pvc, ANN_SELECTED_NODE);

/** IsVolumeBoundToClaim: pre-bound or bound to this claim (a claimRef UID must match). */
export function isVolumeBoundToClaim(pv: KubeObject, pvc: KubeObject): boolean {
  const ref = claimRefOf(pv);
  if (!ref) return false;
  if (pvc.metadata.name !== ref.name || pvc.metadata.namespace !== ref.namespace) return false;
  if (ref.uid && pvc.metadata.uid !== ref.uid) return false;
  return true;
}

/** CheckVolumeModeMismatches (an unset mode is Filesystem). */
export function volumeModeMismatch(pvc: KubeObject, pv: KubeObject): boolean {
  const claimMode = typeof specOf(pvc).volumeMode === "string" ? specOf(pvc).volumeMode : "Filesystem";
  const volumeMode = typeof specOf(pv).volumeMode === "string" ? specOf(pv).volumeMode : "Filesystem";
  return claimMode !== volumeMode;
}

/** CheckAccessModes: the volume offers every mode the claim asks for. */
export function checkAccessModes(pvc: KubeObject, pv: KubeObject): boolean {
  const offered = new Set(strs(specOf(pv).accessModes));
  return strs(specOf(pvc).accessModes).every((m) => offered.has(m));
}

const ACCESS_MODE_ABBREVIATIONS: [string, string][] = [
  ["ReadWriteOnce", "RWO"],
  ["ReadOnlyMany", "ROX"],
  ["ReadWriteMany", "RWX"],
  ["ReadWriteOncePod", "RWOP"],
];

/** GetAccessModesAsString: "RWO,ROX,RWX,RWOP" in that order, duplicates dropped. */
export function accessModesString(modes: readonly string[]): string {
  return ACCESS_MODE_ABBREVIATIONS.filter(([m]) => modes.includes(m))
    .map(([, abbr]) => abbr)
    .join(",");
}

/** A volume's node affinity (required terms) checked against node labels (CheckNodeAffinity). */
export function nodeAffinityMatches(pv: KubeObject, labels: Record<string, string>): boolean {
  const required = obj(obj(specOf(pv).nodeAffinity)?.required);
  if (!required) return true;
  const terms = Array.isArray(required.nodeSelectorTerms) ? (required.nodeSelectorTerms as unknown[]).map(obj) : [];
  // upstream checks against a node made of the labels alone (no name for matchFields)
  return terms.some((t) => t !== undefined && new CompiledTerm(t as NodeSelectorTerm).matches("", labels));
}

/**
 * FindMatchingVolume: the volume pre-bound to the claim if any (when big enough), else the smallest
 * Available unclaimed volume of the claim's class, mode, selector and size. `node` is the
 * scheduler's path (node affinity and access modes checked); delayBinding (PV controller path)
 * only returns pre-bound volumes.
 */
export function findMatchingVolume(
  pvc: KubeObject,
  volumes: Iterable<KubeObject>,
  opts: { node?: KubeObject; excluded?: ReadonlySet<string>; delayBinding?: boolean } = {},
): KubeObject | undefined {
  const spec = specOf(pvc);
  // VolumeAttributesClass is beta and off by default in 1.33: a claim asking for one matches nothing
  if (typeof spec.volumeAttributesClassName === "string" && spec.volumeAttributesClassName !== "") return undefined;
  const requested = requestedStorage(pvc);
  const requestedClass = claimClass(pvc);
  const selector = spec.selector !== undefined && spec.selector !== null ? fromMetaLabelSelector(spec.selector as MetaLabelSelector) : undefined;
  const nodeLabels = opts.node ? (opts.node.metadata.labels ?? {}) : undefined;
  let smallest: KubeObject | undefined;
  let smallestQty = 0n;
  for (const pv of volumes) {
    if (opts.excluded?.has(pv.metadata.name!)) continue;
    const ref = claimRefOf(pv);
    if (ref && !isVolumeBoundToClaim(pv, pvc)) continue;
    const qty = volumeCapacity(pv);
    if (qty < requested) continue;
    if (volumeModeMismatch(pvc, pv)) continue;
    const pvSpec = specOf(pv);
    if (typeof pvSpec.volumeAttributesClassName === "string" && pvSpec.volumeAttributesClassName !== "") continue;
    if (pv.metadata.deletionTimestamp) continue;
    const affinityOK = nodeLabels ? nodeAffinityMatches(pv, nodeLabels) : true;
    if (isVolumeBoundToClaim(pv, pvc)) return affinityOK ? pv : undefined;
    if (!opts.node && opts.delayBinding) continue;
    if (phaseOf(pv) !== "Available") continue;
    if (selector && !selector.matches(pv.metadata.labels)) continue;
    if (volumeClass(pv) !== requestedClass) continue;
    if (!affinityOK) continue;
    if (opts.node && !checkAccessModes(pvc, pv)) continue;
    if (!smallest || smallestQty > qty) {
      smallest = pv;
      smallestQty = qty;
    }
  }
  return smallest;
}

/**
 * The PV controller's findBestMatchForClaim: volumes grouped by their access-mode set; the sets
 * holding every requested mode are searched fewest modes first, the first match wins.
 */
export function findBestMatchForClaim(pvc: KubeObject, volumes: Iterable<KubeObject>, delayBinding: boolean): KubeObject | undefined {
  const groups = new Map<string, KubeObject[]>();
  for (const pv of volumes) {
    const key = accessModesString(strs(specOf(pv).accessModes));
    let g = groups.get(key);
    if (!g) groups.set(key, (g = []));
    g.push(pv);
  }
  const requested = strs(specOf(pvc).accessModes);
  const candidates = [...groups.keys()]
    .map((key) => ({ key, modes: key ? key.split(",") : [] }))
    .filter(({ modes }) => requested.every((m) => modes.includes(ACCESS_MODE_ABBREVIATIONS.find(([full]) => full === m)?.[1] ?? m)))
    .sort((a, b) => a.modes.length - b.modes.length);
  for (const { key } of candidates) {
    const found = findMatchingVolume(pvc, groups.get(key)!, { delayBinding });
    if (found) return found;
  }
  return undefined;
}

/** ref.GetReference for a claim: the claimRef a binding writes. */
export function claimReference(pvc: KubeObject): ObjectReference {
  return {
    kind: "PersistentVolumeClaim",
    namespace: pvc.metadata.namespace,
    name: pvc.metadata.name,
    uid: pvc.metadata.uid,
    apiVersion: "v1",
    resourceVersion: pvc.metadata.resourceVersion,
  };
}

/** The claims a pod's volumes refer to (persistentVolumeClaim and generic ephemeral volumes), as namespace/name. */
export function podClaimKeys(pod: KubeObject): string[] {
  const keys: string[] = [];
  const volumes = Array.isArray(specOf(pod).volumes) ? (specOf(pod).volumes as unknown[]) : [];
  for (const v of volumes) {
    const vol = obj(v);
    if (!vol) continue;
    const pvcSource = obj(vol.persistentVolumeClaim);
    if (pvcSource && typeof pvcSource.claimName === "string" && pvcSource.claimName) keys.push(`${pod.metadata.namespace}/${pvcSource.claimName}`);
    else if (obj(vol.ephemeral)) keys.push(`${pod.metadata.namespace}/${pod.metadata.name}-${String(vol.name ?? "")}`);
  }
  return keys;
}

/** The name of a shared pod index from claim key (namespace/name) to the pods using it (common.PodPVCIndex). */
export const POD_PVC_INDEX = "pod-pvc";
export const podPVCIndexFunc = (pod: KubeObject): string[] => podClaimKeys(pod);

/** IsPodTerminated: Failed or Succeeded, or being deleted with no container running. */
export function isPodTerminated(pod: KubeObject): boolean {
  const status = statusOf(pod);
  if (status.phase === "Failed" || status.phase === "Succeeded") return true;
  if (!pod.metadata.deletionTimestamp) return false;
  const statuses = Array.isArray(status.containerStatuses) ? (status.containerStatuses as unknown[]).map(obj) : [];
  return statuses.every((s) => {
    const state = obj(s?.state);
    return !!state && (obj(state.terminated) !== undefined || obj(state.waiting) !== undefined);
  });
}

export const hasFinalizer = (o: KubeObject, f: string): boolean => (o.metadata.finalizers ?? []).includes(f);
/** protectionutil.IsDeletionCandidate. */
export const isDeletionCandidate = (o: KubeObject, f: string): boolean => !!o.metadata.deletionTimestamp && hasFinalizer(o, f);
/** protectionutil.NeedToAddFinalizer. */
export const needToAddFinalizer = (o: KubeObject, f: string): boolean => !o.metadata.deletionTimestamp && !hasFinalizer(o, f);
