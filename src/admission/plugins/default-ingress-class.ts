// DefaultIngressClass (upstream plugin/pkg/admission/network/defaultingressclass): a new Ingress
// with neither spec.ingressClassName nor the kubernetes.io/ingress.class annotation gets the
// default IngressClass: the newest of those annotated ingressclass.kubernetes.io/is-default-class: "true".
import type { KubeObject } from "../../apimachinery/types.js";
import type { AdmissionAttributes, AdmissionOperation, AdmissionPlugin } from "../interfaces.js";
import type { AdmissionDeps } from "./deps.js";
import { newestFirst, specOf } from "./util.js";

export const IS_DEFAULT_INGRESS_CLASS_ANNOTATION = "ingressclass.kubernetes.io/is-default-class";
export const INGRESS_CLASS_ANNOTATION = "kubernetes.io/ingress.class";

/** getDefaultClass: the newest IngressClass marked default (ties by name), undefined when none. */
export function defaultIngressClassOf(classes: readonly KubeObject[]): KubeObject | undefined {
  return classes.filter((c) => c.metadata.annotations?.[IS_DEFAULT_INGRESS_CLASS_ANNOTATION] === "true").sort(newestFirst)[0];
}

export class DefaultIngressClass implements AdmissionPlugin {
  readonly name = "DefaultIngressClass";

  constructor(private readonly deps: AdmissionDeps) {}

  handles(op: AdmissionOperation): boolean {
    return op === "CREATE";
  }

  admit(a: AdmissionAttributes): void {
    if (a.resource.group !== "networking.k8s.io" || a.resource.resource !== "ingresses" || a.subresource !== "" || !a.object) return;
    const spec = specOf(a.object);
    if (spec.ingressClassName !== undefined && spec.ingressClassName !== null) return;
    if (a.object.metadata.annotations && INGRESS_CLASS_ANNOTATION in a.object.metadata.annotations) return;
    const def = defaultIngressClassOf(this.deps.list("networking.k8s.io", "ingressclasses"));
    if (!def) return;
    spec.ingressClassName = def.metadata.name;
  }
}

export function defaultIngressClass(deps: AdmissionDeps): AdmissionPlugin | undefined {
  return new DefaultIngressClass(deps);
}
