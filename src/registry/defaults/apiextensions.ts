// apiextensions.k8s.io/v1 defaulting (k8s.io/apiextensions-apiserver pkg/apis/apiextensions/v1
// defaults.go at v0.33): derived names, the None conversion strategy, webhook service port 443,
// and the first stored version.
import type { KubeObject } from "../../apimachinery/types.js";
import { type Json, child, defaultNil, ensureChild, isEmptyCollection, isEmptyString, items, obj } from "./util.js";

export function defaultCustomResourceDefinition(crd: KubeObject): void {
  const spec = obj(crd.spec);
  if (!spec) return;
  const names = child(spec, "names");
  if (names) {
    const kind = typeof names.kind === "string" ? names.kind : "";
    if (isEmptyString(names.singular) && kind.length > 0) names.singular = kind.toLowerCase();
    if (isEmptyString(names.listKind) && kind.length > 0) names.listKind = `${kind}List`;
  }
  defaultNil(spec, "conversion", { strategy: "None" });
  const service = child(child(child(child(spec, "conversion"), "webhook"), "clientConfig"), "service");
  if (service) defaultNil(service, "port", 443);
  const storage = items(spec, "versions").find((v) => v.storage === true);
  if (storage && typeof storage.name === "string" && isEmptyCollection(child(crd as Json, "status")?.storedVersions)) {
    const status = ensureChild(crd as Json, "status");
    if (status) status.storedVersions = [storage.name];
  }
}
