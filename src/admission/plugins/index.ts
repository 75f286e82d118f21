// The admission plugins in upstream's order (kube-apiserver's default plugin list); mutating
// phases run in this order, then validating phases.
import type { AdmissionPlugin } from "../interfaces.js";
import { defaultIngressClass } from "./default-ingress-class.js";
import { defaultStorageClass } from "./default-storage-class.js";
import { defaultTolerationSeconds } from "./default-toleration-seconds.js";
import type { AdmissionDeps } from "./deps.js";
import { limitRanger } from "./limit-ranger.js";
import { NamespaceLifecycle } from "./namespace-lifecycle.js";
import { priority } from "./priority.js";
import { runtimeClass } from "./runtime-class.js";
import { serviceAccount } from "./service-account.js";
import { serviceIPAllocation } from "./service-ip-allocation.js";
import { storageObjectInUseProtection } from "./storage-object-in-use-protection.js";
import { taintNodesByCondition } from "./taint-nodes-by-condition.js";

/** The plugins' names, for --disable-admission-plugins. */
export const ADMISSION_PLUGIN_NAMES = [
  "NamespaceLifecycle",
  "LimitRanger",
  "ServiceAccount",
  "TaintNodesByCondition",
  "Priority",
  "DefaultTolerationSeconds",
  "DefaultStorageClass",
  "StorageObjectInUseProtection",
  "RuntimeClass",
  "DefaultIngressClass",
] as const;

export function admissionPlugins(deps: AdmissionDeps): AdmissionPlugin[] {
  const plugins: (AdmissionPlugin | undefined)[] = [
    new NamespaceLifecycle((name) => deps.get("", "namespaces", "", name)),
    limitRanger(deps),
    serviceAccount(deps),
    taintNodesByCondition(deps),
    priority(deps),
    defaultTolerationSeconds(deps),
    defaultStorageClass(deps),
    storageObjectInUseProtection(deps),
    runtimeClass(deps),
    defaultIngressClass(deps),
    serviceIPAllocation(deps),
  ];
  return plugins.filter((p): p is AdmissionPlugin => p !== undefined);
}
