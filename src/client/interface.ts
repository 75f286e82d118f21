// The client every in-process component (controllers, scheduler, kubelets) uses to reach the API.
// The loopback implementation runs the same pipeline as an HTTP request (defaulting, field
// ownership, strategy, validation, admission, optimistic concurrency) without serialising; an
// HTTP implementation could serve the same interface against a remote server.
import type { KubeList, KubeObject, Status } from "../apimachinery/types.js";
import type { DeleteOptions, DeleteResult, Watch } from "../registry/rest.js";

export interface GroupVersionResourceRef {
  group: string;
  version: string;
  resource: string;
}

export interface ClientListOptions {
  labelSelector?: string;
  fieldSelector?: string;
  resourceVersion?: string;
  limit?: number;
  continue?: string;
}

export interface ClientWatchOptions extends ClientListOptions {
  allowWatchBookmarks?: boolean;
  sendInitialEvents?: boolean;
}

export interface ClientWriteOptions {
  dryRun?: boolean;
  fieldManager?: string;
  /** Write a subresource (status, scale, ...) instead of the object. */
  subresource?: string;
}

export type ClientPatchType = "json" | "merge" | "strategic" | "apply";

export interface Client {
  get(gvr: GroupVersionResourceRef, namespace: string, name: string, subresource?: string): Promise<KubeObject>;
  list(gvr: GroupVersionResourceRef, namespace: string, opts?: ClientListOptions): Promise<KubeList>;
  watch(gvr: GroupVersionResourceRef, namespace: string, opts?: ClientWatchOptions): Promise<Watch>;
  create(gvr: GroupVersionResourceRef, namespace: string, obj: KubeObject, opts?: ClientWriteOptions): Promise<KubeObject>;
  /** POST to an object's subresource (pods/binding, pods/eviction, serviceaccounts/token). */
  createSubresource(gvr: GroupVersionResourceRef, namespace: string, name: string, subresource: string, obj: KubeObject): Promise<KubeObject | Status>;
  update(gvr: GroupVersionResourceRef, namespace: string, obj: KubeObject, opts?: ClientWriteOptions): Promise<KubeObject>;
  patch(
    gvr: GroupVersionResourceRef,
    namespace: string,
    name: string,
    type: ClientPatchType,
    patch: unknown,
    opts?: ClientWriteOptions & { force?: boolean },
  ): Promise<KubeObject>;
  delete(gvr: GroupVersionResourceRef, namespace: string, name: string, opts?: Partial<DeleteOptions>): Promise<DeleteResult>;
}

/** Well-known resources, for readability at call sites. */
export const R = {
  namespaces: { group: "", version: "v1", resource: "namespaces" },
  pods: { group: "", version: "v1", resource: "pods" },
  nodes: { group: "", version: "v1", resource: "nodes" },
  services: { group: "", version: "v1", resource: "services" },
  endpoints: { group: "", version: "v1", resource: "endpoints" },
  events: { group: "", version: "v1", resource: "events" },
  configmaps: { group: "", version: "v1", resource: "configmaps" },
  secrets: { group: "", version: "v1", resource: "secrets" },
  serviceaccounts: { group: "", version: "v1", resource: "serviceaccounts" },
  persistentvolumes: { group: "", version: "v1", resource: "persistentvolumes" },
  persistentvolumeclaims: { group: "", version: "v1", resource: "persistentvolumeclaims" },
  replicationcontrollers: { group: "", version: "v1", resource: "replicationcontrollers" },
  limitranges: { group: "", version: "v1", resource: "limitranges" },
  resourcequotas: { group: "", version: "v1", resource: "resourcequotas" },
  deployments: { group: "apps", version: "v1", resource: "deployments" },
  replicasets: { group: "apps", version: "v1", resource: "replicasets" },
  statefulsets: { group: "apps", version: "v1", resource: "statefulsets" },
  daemonsets: { group: "apps", version: "v1", resource: "daemonsets" },
  controllerrevisions: { group: "apps", version: "v1", resource: "controllerrevisions" },
  jobs: { group: "batch", version: "v1", resource: "jobs" },
  cronjobs: { group: "batch", version: "v1", resource: "cronjobs" },
  leases: { group: "coordination.k8s.io", version: "v1", resource: "leases" },
  endpointslices: { group: "discovery.k8s.io", version: "v1", resource: "endpointslices" },
  ingresses: { group: "networking.k8s.io", version: "v1", resource: "ingresses" },
  ingressclasses: { group: "networking.k8s.io", version: "v1", resource: "ingressclasses" },
  poddisruptionbudgets: { group: "policy", version: "v1", resource: "poddisruptionbudgets" },
  storageclasses: { group: "storage.k8s.io", version: "v1", resource: "storageclasses" },
  priorityclasses: { group: "scheduling.k8s.io", version: "v1", resource: "priorityclasses" },
  horizontalpodautoscalers: { group: "autoscaling", version: "v2", resource: "horizontalpodautoscalers" },
} as const satisfies Record<string, GroupVersionResourceRef>;
