// DefaultTolerationSeconds (upstream plugin/pkg/admission/defaulttolerationseconds): pods that do
// not already tolerate node.kubernetes.io/not-ready:NoExecute or node.kubernetes.io/unreachable:NoExecute
// get a toleration for each with tolerationSeconds 300 (kube-apiserver's
// --default-not-ready-toleration-seconds and --default-unreachable-toleration-seconds).
import type { AdmissionAttributes, AdmissionOperation, AdmissionPlugin } from "../interfaces.js";
import type { AdmissionDeps } from "./deps.js";
import { isPod, objs, specOf, str } from "./util.js";

export const DEFAULT_NOT_READY_TOLERATION_SECONDS = 300;
export const DEFAULT_UNREACHABLE_TOLERATION_SECONDS = 300;
const NOT_READY = "node.kubernetes.io/not-ready";
const UNREACHABLE = "node.kubernetes.io/unreachable";

export class DefaultTolerationSeconds implements AdmissionPlugin {
  readonly name = "DefaultTolerationSeconds";

  constructor(
    private readonly notReadySeconds = DEFAULT_NOT_READY_TOLERATION_SECONDS,
    private readonly unreachableSeconds = DEFAULT_UNREACHABLE_TOLERATION_SECONDS,
  ) {}

  handles(op: AdmissionOperation): boolean {
    return op === "CREATE" || op === "UPDATE";
  }

  admit(a: AdmissionAttributes): void {
    if (!isPod(a) || a.subresource !== "" || !a.object) return;
    const spec = specOf(a.object);
    let notReady = false;
    let unreachable = false;
    for (const t of objs(spec.tolerations)) {
      const key = str(t.key);
      const effect = str(t.effect);
      const noExecute = effect === "NoExecute" || effect === "";
      if ((key === NOT_READY || key === "") && noExecute) notReady = true;
      if ((key === UNREACHABLE || key === "") && noExecute) unreachable = true;
    }
    if (notReady && unreachable) return;
    const tolerations = Array.isArray(spec.tolerations) ? [...spec.tolerations] : [];
    if (!notReady) tolerations.push({ key: NOT_READY, operator: "Exists", effect: "NoExecute", tolerationSeconds: this.notReadySeconds });
    if (!unreachable) tolerations.push({ key: UNREACHABLE, operator: "Exists", effect: "NoExecute", tolerationSeconds: this.unreachableSeconds });
    spec.tolerations = tolerations;
  }
}

export function defaultTolerationSeconds(_deps: AdmissionDeps): AdmissionPlugin | undefined {
  return new DefaultTolerationSeconds();
}
