// TaintNodesByCondition (upstream plugin/pkg/admission/nodetaint): every new Node gets the
// node.kubernetes.io/not-ready:NoSchedule taint, so nothing lands on it before the node lifecycle
// controller sees it Ready and removes the taint.
import type { AdmissionAttributes, AdmissionOperation, AdmissionPlugin } from "../interfaces.js";
import type { AdmissionDeps } from "./deps.js";
import { objs, specOf, str } from "./util.js";

export const TAINT_NODE_NOT_READY = "node.kubernetes.io/not-ready";

export class TaintNodesByCondition implements AdmissionPlugin {
  readonly name = "TaintNodesByCondition";

  handles(op: AdmissionOperation): boolean {
    return op === "CREATE";
  }

  admit(a: AdmissionAttributes): void {
    if (a.resource.group !== "" || a.resource.resource !== "nodes" || a.subresource !== "" || !a.object) return;
    const spec = specOf(a.object);
    const taints = objs(spec.taints);
    // Taint.MatchTaint: same key and effect
    if (taints.some((t) => str(t.key) === TAINT_NODE_NOT_READY && str(t.effect) === "NoSchedule")) return;
    spec.taints = [...(Array.isArray(spec.taints) ? spec.taints : []), { key: TAINT_NODE_NOT_READY, effect: "NoSchedule" }];
  }
}

export function taintNodesByCondition(_deps: AdmissionDeps): AdmissionPlugin | undefined {
  return new TaintNodesByCondition();
}
