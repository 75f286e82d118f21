// RuntimeClass (upstream plugin/pkg/admission/runtimeclass): a new pod naming a RuntimeClass gets
// the class's pod overhead (spec.overhead) and its scheduling constraints (nodeSelector merged,
// conflicts rejected; tolerations merged); a missing class, or an overhead that does not match the
// class's, is rejected.
import type { KubeObject } from "../../apimachinery/types.js";
import { parseQuantity } from "../../registry/builtin/quantity.js";
import type { AdmissionAttributes, AdmissionOperation, AdmissionPlugin } from "../interfaces.js";
import type { AdmissionDeps } from "./deps.js";
import { forbidden, isPod, lookup, obj, objs, specOf, str, type Json } from "./util.js";

const OVERHEAD_MISMATCH = "pod rejected: Pod's Overhead doesn't match RuntimeClass's defined Overhead";

export class RuntimeClass implements AdmissionPlugin {
  readonly name = "RuntimeClass";

  constructor(private readonly deps: AdmissionDeps) {}

  handles(op: AdmissionOperation): boolean {
    return op === "CREATE";
  }

  async admit(a: AdmissionAttributes): Promise<void> {
    if (!isPod(a) || a.subresource !== "" || !a.object) return;
    const rc = await this.runtimeClassOf(a);
    if (!rc) return;
    const spec = specOf(a.object);
    // setOverhead
    const overhead = obj(rc.overhead);
    if (overhead) {
      const podFixed = obj(overhead.podFixed);
      if (nonEmpty(spec.overhead) && !sameResources(obj(spec.overhead), podFixed)) throw forbidden(a, OVERHEAD_MISMATCH);
      if (podFixed) spec.overhead = { ...podFixed };
      else delete spec.overhead;
    }
    // setScheduling
    const scheduling = obj(rc.scheduling);
    if (scheduling) {
      const runtimeSelector = (obj(scheduling.nodeSelector) ?? undefined) as Record<string, string> | undefined;
      let selector = obj(spec.nodeSelector) as Record<string, string> | undefined;
      if (!selector) selector = runtimeSelector ? { ...runtimeSelector } : undefined;
      else {
        selector = { ...selector };
        for (const [key, value] of Object.entries(runtimeSelector ?? {})) {
          if (key in selector && selector[key] !== value)
            throw forbidden(a, `conflict: runtimeClass.scheduling.nodeSelector[${key}] = ${value}; pod.spec.nodeSelector[${key}] = ${selector[key]}`);
          selector[key] = value;
        }
      }
      const merged = mergeTolerations(objs(spec.tolerations), objs(scheduling.tolerations));
      if (selector) spec.nodeSelector = selector;
      else delete spec.nodeSelector;
      if (merged.length) spec.tolerations = merged;
      else delete spec.tolerations;
    }
  }

  async validate(a: AdmissionAttributes): Promise<void> {
    if (!isPod(a) || a.subresource !== "" || !a.object) return;
    const rc = await this.runtimeClassOf(a);
    const spec = specOf(a.object);
    if (!nonEmpty(spec.overhead)) return;
    const overhead = obj(rc?.overhead);
    if (overhead) {
      if (!sameResources(obj(spec.overhead), obj(overhead.podFixed))) throw forbidden(a, OVERHEAD_MISMATCH);
    } else {
      throw forbidden(a, "pod rejected: Pod Overhead set without corresponding RuntimeClass defined Overhead");
    }
  }

  private async runtimeClassOf(a: AdmissionAttributes): Promise<KubeObject | undefined> {
    const name = specOf(a.object!).runtimeClassName;
    if (typeof name !== "string") return undefined;
    const rc = await lookup(() => this.deps.get("node.k8s.io", "runtimeclasses", "", name));
    if (!rc) throw forbidden(a, `pod rejected: RuntimeClass ${JSON.stringify(name)} not found`);
    return rc;
  }
}

const nonEmpty = (v: unknown): boolean => Object.keys(obj(v) ?? {}).length > 0;

/** apiequality.Semantic.DeepEqual of two ResourceLists (quantities compared by value). */
function sameResources(a: Json | undefined, b: Json | undefined): boolean {
  const ka = Object.keys(a ?? {});
  const kb = Object.keys(b ?? {});
  if (ka.length !== kb.length) return false;
  return ka.every((k) => b !== undefined && k in b && parseQuantity(a![k]) === parseQuantity(b[k]));
}

/** Semantic equality of two tolerations (tolerationSeconds compared by value). */
function sameToleration(a: Json, b: Json): boolean {
  const keys = ["key", "operator", "value", "effect"];
  if (keys.some((k) => str(a[k]) !== str(b[k]))) return false;
  const sa = typeof a.tolerationSeconds === "number" ? a.tolerationSeconds : undefined;
  const sb = typeof b.tolerationSeconds === "number" ? b.tolerationSeconds : undefined;
  return sa === sb;
}

/** isSuperset (pkg/util/tolerations): ss tolerates everything t tolerates. */
export function isSupersetToleration(ss: Json, t: Json): boolean {
  if (sameToleration(t, ss)) return true;
  if (str(t.key) !== str(ss.key) && (str(ss.key) !== "" || str(ss.operator) !== "Exists")) return false;
  if (str(t.effect) !== str(ss.effect) && str(ss.effect) !== "") return false;
  if (str(ss.effect) === "NoExecute" && typeof ss.tolerationSeconds === "number") {
    if (typeof t.tolerationSeconds !== "number" || t.tolerationSeconds > ss.tolerationSeconds) return false;
  }
  switch (str(ss.operator)) {
    case "Equal":
    case "":
      return str(t.operator) === "Equal" && str(t.value) === str(ss.value);
    case "Exists":
      return true;
    default:
      return false;
  }
}

/** MergeTolerations: both sets, a toleration dropped when another one is a superset of it. */
export function mergeTolerations(first: Json[], second: Json[]): Json[] {
  const all = [...first, ...second];
  const merged: Json[] = [];
  next: for (let i = 0; i < all.length; i++) {
    const t = all[i]!;
    for (const m of merged) if (isSupersetToleration(m, t)) continue next;
    for (const later of all.slice(i + 1)) if (!sameToleration(t, later) && isSupersetToleration(later, t)) continue next;
    merged.push(t);
  }
  return merged;
}

export function runtimeClass(deps: AdmissionDeps): AdmissionPlugin | undefined {
  return new RuntimeClass(deps);
}
