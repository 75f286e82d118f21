// Fakes for admission plugin unit tests: dependencies over an in-memory object list and request
// attributes built the way the generic store builds them.
import type { AdmissionAttributes, AdmissionOperation, AdmissionPlugin } from "../../../src/admission/interfaces.js";
import type { AdmissionDeps } from "../../../src/admission/plugins/deps.js";
import { ApiError } from "../../../src/apimachinery/errors.js";
import type { KubeObject } from "../../../src/apimachinery/types.js";
import { DEFAULT_CLUSTER_OPTIONS } from "../../../src/controlplane/context.js";
import { FakeClock } from "../../../src/util/clock.js";

export type Obj = Record<string, any>;

/** group/resource of the kinds the plugins read. */
const RESOURCES: Record<string, [string, string]> = {
  LimitRange: ["", "limitranges"],
  ServiceAccount: ["", "serviceaccounts"],
  PriorityClass: ["scheduling.k8s.io", "priorityclasses"],
  StorageClass: ["storage.k8s.io", "storageclasses"],
  IngressClass: ["networking.k8s.io", "ingressclasses"],
  RuntimeClass: ["node.k8s.io", "runtimeclasses"],
};

export function fakeDeps(objects: Obj[] = []): AdmissionDeps & { objects: Obj[] } {
  const matches = (o: Obj, group: string, resource: string) => {
    const r = RESOURCES[o.kind as string];
    return !!r && r[0] === group && r[1] === resource;
  };
  return {
    objects,
    get: (group, resource, namespace, name) =>
      objects.find((o) => matches(o, group, resource) && (o.metadata.namespace ?? "") === namespace && o.metadata.name === name) as KubeObject | undefined,
    list: (group, resource, namespace) =>
      objects.filter((o) => matches(o, group, resource) && (namespace === undefined || namespace === "" || o.metadata.namespace === namespace)) as KubeObject[],
    clock: new FakeClock(),
    cluster: { ...DEFAULT_CLUSTER_OPTIONS, clusterCA: "", kubernetesVersion: "v1.33.1" },
  };
}

const KINDS: Record<string, { group: string; resource: string; kind: string; namespaced: boolean }> = {
  Pod: { group: "", resource: "pods", kind: "Pod", namespaced: true },
  PersistentVolumeClaim: { group: "", resource: "persistentvolumeclaims", kind: "PersistentVolumeClaim", namespaced: true },
  PersistentVolume: { group: "", resource: "persistentvolumes", kind: "PersistentVolume", namespaced: false },
  Node: { group: "", resource: "nodes", kind: "Node", namespaced: false },
  Ingress: { group: "networking.k8s.io", resource: "ingresses", kind: "Ingress", namespaced: true },
  PriorityClass: { group: "scheduling.k8s.io", resource: "priorityclasses", kind: "PriorityClass", namespaced: false },
  ConfigMap: { group: "", resource: "configmaps", kind: "ConfigMap", namespaced: true },
};

/** The attributes of a write of `object` (kind from object.kind), as ResourceStore builds them. */
export function attrs(object: Obj | undefined, opts: { operation?: AdmissionOperation; old?: Obj; subresource?: string; kind?: string; namespace?: string } = {}): AdmissionAttributes {
  const k = KINDS[(opts.kind ?? object?.kind ?? opts.old?.kind) as string]!;
  const namespace = opts.namespace ?? object?.metadata?.namespace ?? opts.old?.metadata?.namespace ?? (k.namespaced ? "default" : "");
  return {
    operation: opts.operation ?? "CREATE",
    resource: { group: k.group, version: "v1", resource: k.resource },
    subresource: opts.subresource ?? "",
    kind: { group: k.group, version: "v1", kind: k.kind },
    name: object?.metadata?.name ?? opts.old?.metadata?.name ?? "",
    namespace: k.namespaced ? namespace : "",
    namespaced: k.namespaced,
    object: object as KubeObject | undefined,
    oldObject: opts.old as KubeObject | undefined,
    user: { username: "admin", groups: ["system:masters"] },
    dryRun: false,
  };
}

/** Runs the mutating then the validating phase, as the store does; resolves with the (changed) object. */
export async function admit(plugin: AdmissionPlugin, a: AdmissionAttributes): Promise<Obj> {
  if (plugin.handles(a.operation)) {
    await plugin.admit?.(a);
    await plugin.validate?.(a);
  }
  return a.object as Obj;
}

/** The ApiError message of a rejected admission, undefined when admitted. */
export async function rejection(plugin: AdmissionPlugin, a: AdmissionAttributes): Promise<{ code: number; message: string } | undefined> {
  try {
    await admit(plugin, a);
    return undefined;
  } catch (err) {
    if (err instanceof ApiError) return { code: err.code, message: err.message };
    throw err;
  }
}

export function pod(name: string, spec: Obj = {}, meta: Obj = {}): Obj {
  return { apiVersion: "v1", kind: "Pod", metadata: { name, namespace: "default", ...meta }, spec: { containers: [{ name: "app", image: "nginx" }], ...spec } };
}
