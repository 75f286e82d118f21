// core/v1 namespaces (upstream pkg/registry/core/namespace). The finalize subresource needs its own
// REST and is declared elsewhere. Namespaces serve no deletecollection.
import type { KubeObject } from "../../../apimachinery/types.js";
import { defineResource } from "../../definition.js";
import { asArray, asObject, asString, ensureObject, specOf, statusOf } from "../strategy-helpers.js";

/** The spec finalizer the namespace controller removes once the namespace's content is gone. */
export const KUBERNETES_FINALIZER = "kubernetes";
/** The label every namespace carries with its own name. */
export const NAMESPACE_NAME_LABEL = "kubernetes.io/metadata.name";

function specFinalizers(ns: KubeObject): unknown[] {
  return asArray(specOf(ns).finalizers);
}

function prepareNamespaceForCreate(ns: KubeObject): void {
  ns.status = { phase: "Active" };
  const spec = ensureObject(ns, "spec");
  const finalizers = asArray(spec.finalizers);
  if (!finalizers.includes(KUBERNETES_FINALIZER)) spec.finalizers = [...finalizers, KUBERNETES_FINALIZER];
}

/** spec.finalizers changes only through the finalize subresource. */
function prepareNamespaceForUpdate(ns: KubeObject, old: KubeObject): void {
  const oldFinalizers = asObject(old.spec)?.finalizers;
  if (oldFinalizers === undefined) {
    const spec = asObject(ns.spec);
    if (spec) delete spec.finalizers;
  } else {
    ensureObject(ns, "spec").finalizers = oldFinalizers;
  }
}

function canonicalizeNamespace(ns: KubeObject): void {
  if (!ns.metadata.name) return;
  ns.metadata.labels = { ...(ns.metadata.labels ?? {}), [NAMESPACE_NAME_LABEL]: ns.metadata.name };
}

/** First delete: the namespace enters Terminating and stays while spec finalizers remain. */
export function beginNamespaceDelete(ns: KubeObject): boolean {
  if (asString(statusOf(ns).phase) !== "Terminating") ensureObject(ns, "status").phase = "Terminating";
  return specFinalizers(ns).length > 0;
}

/** A terminating namespace goes once both metadata finalizers and spec finalizers are empty. */
export function namespaceReadyToDelete(ns: KubeObject): boolean {
  return (ns.metadata.finalizers ?? []).length === 0 && specFinalizers(ns).length === 0;
}

export const namespaces = defineResource({
  group: "",
  version: "v1",
  kind: "Namespace",
  plural: "namespaces",
  singular: "namespace",
  namespaced: false,
  shortNames: ["ns"],
  schema: "io.k8s.api.core.v1.Namespace",
  verbs: ["create", "delete", "get", "list", "patch", "update", "watch"],
  subresources: { status: true },
  fieldSelectors: {
    "status.phase": (o) => asString(statusOf(o).phase),
  },
  strategy: {
    nameValidation: "DNS1123Label",
    allowCreateOnUpdate: false,
    allowUnconditionalUpdate: true,
    prepareForCreate: (_ctx, ns) => prepareNamespaceForCreate(ns),
    prepareForUpdate: (_ctx, ns, old) => prepareNamespaceForUpdate(ns, old),
    canonicalize: canonicalizeNamespace,
    beginDelete: (_ctx, ns) => beginNamespaceDelete(ns),
    readyToDelete: namespaceReadyToDelete,
  },
});
