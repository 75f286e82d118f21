// Capability interfaces of REST storage (upstream pkg/registry/rest/rest.go). The dispatcher checks
// which methods a storage has and serves, and discovery advertises, only those verbs.
import type { KubeList, KubeObject, Status, WatchEvent } from "../apimachinery/types.js";
import type { LabelSelector } from "../apimachinery/labels.js";
import type { FieldSelector } from "../apimachinery/fields.js";
import type { RequestContext } from "./context.js";
import type { ResourceDefinition } from "./definition.js";

export interface GetOptions {
  resourceVersion?: string;
}

export type ResourceVersionMatch = "" | "NotOlderThan" | "Exact";

export interface ListOptions {
  labelSelector?: LabelSelector;
  fieldSelector?: FieldSelector;
  resourceVersion?: string;
  resourceVersionMatch?: ResourceVersionMatch;
  limit?: number;
  continue?: string;
  /**
   * Whose field selectors apply, when a served version shares another's storage (events.k8s.io
   * selects by regarding.*, core events by involvedObject.*). Set by ConvertingStore only.
   */
  selectableFrom?: Pick<ResourceDefinition, "fieldSelectors">;
}

export interface WatchOptions extends ListOptions {
  allowWatchBookmarks?: boolean;
  sendInitialEvents?: boolean;
  /** Wall-clock limit of the watch in seconds (the handler enforces it). */
  timeoutSeconds?: number;
}

export interface CreateOptions {
  dryRun: boolean;
  fieldManager?: string;
}

export interface UpdateOptions {
  dryRun: boolean;
  fieldManager?: string;
  /** The update may create a missing object (PUT with allowCreateOnUpdate, server-side apply). */
  forceAllowCreate?: boolean;
  /**
   * Called with the stored object before and after a subresource adapter (scale) changed it, so
   * field ownership is recorded on the real object.
   */
  trackFields?: (live: KubeObject, next: KubeObject) => void;
}

export interface Preconditions {
  uid?: string;
  resourceVersion?: string;
}

export type PropagationPolicy = "Orphan" | "Background" | "Foreground";

export interface DeleteOptions {
  dryRun: boolean;
  gracePeriodSeconds?: number;
  preconditions?: Preconditions;
  propagationPolicy?: PropagationPolicy;
  orphanDependents?: boolean;
}

/**
 * Computes the new object of an update from the current one (undefined when it does not exist).
 * Runs inside the optimistic-concurrency retry loop, so it may run more than once.
 */
export type UpdateTransform = (current: KubeObject | undefined) => KubeObject | Promise<KubeObject>;

/** A live stream of watch events; iterate it, and stop() it when done. */
export interface Watch extends AsyncIterable<WatchEvent<KubeObject>> {
  stop(): void;
}

export interface DeleteResult {
  /** The object as it was deleted, or as it stands with deletionTimestamp set. */
  object: KubeObject;
  /** False when deletion is pending (finalizers, graceful deletion): the object still exists. */
  deleted: boolean;
}

export interface RestStorage {
  get?(ctx: RequestContext, name: string, opts: GetOptions): Promise<KubeObject>;
  list?(ctx: RequestContext, opts: ListOptions): Promise<KubeList>;
  watch?(ctx: RequestContext, opts: WatchOptions): Promise<Watch>;
  create?(ctx: RequestContext, obj: KubeObject, opts: CreateOptions): Promise<KubeObject | Status>;
  /** Updates (PUT and every PATCH); `created` tells 201 from 200. */
  update?(
    ctx: RequestContext,
    name: string,
    transform: UpdateTransform,
    opts: UpdateOptions,
  ): Promise<{ object: KubeObject; created: boolean }>;
  delete?(ctx: RequestContext, name: string, opts: DeleteOptions): Promise<DeleteResult>;
  deleteCollection?(ctx: RequestContext, opts: DeleteOptions, listOpts: ListOptions): Promise<KubeList>;
}
