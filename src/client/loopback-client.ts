// The in-process client (upstream's LoopbackClientConfig, without the socket): each call resolves
// the resource in the registry and runs the same pipeline as an HTTP request — defaulting, field
// ownership, strategy, validation, admission and optimistic concurrency — as a system identity.
import { errors } from "../apimachinery/errors.js";
import { parseFieldSelector } from "../apimachinery/fields.js";
import { parseLabelSelector } from "../apimachinery/labels.js";
import type { KubeList, KubeObject, Status, UserInfo } from "../apimachinery/types.js";
import { APPLY_PATCH, createObject, JSON_PATCH, MERGE_PATCH, patchObject, STRATEGIC_MERGE_PATCH, updateObject, type PatchType } from "../endpoints/pipeline/writes.js";
import type { OperationTarget } from "../endpoints/pipeline/target.js";
import type { SchemaIndex } from "../openapi/schema-index.js";
import type { RequestContext } from "../registry/context.js";
import type { Registry } from "../registry/registry.js";
import type { DeleteOptions, DeleteResult, ListOptions, Watch } from "../registry/rest.js";
import type { StorageSet } from "../registry/storage-set.js";
import { deepCopy } from "../storage/codec.js";
import type { Clock } from "../util/clock.js";
import type { Client, ClientListOptions, ClientPatchType, ClientWatchOptions, ClientWriteOptions, GroupVersionResourceRef } from "./interface.js";

export interface LoopbackDeps {
  registry: Registry;
  storage: StorageSet;
  schemas(): SchemaIndex;
  clock: Clock;
}

export interface Identity {
  user: UserInfo;
  /** Its product token becomes the field manager of writes without one (kube-controller-manager, ...). */
  userAgent: string;
}

const PATCH_TYPES: Record<ClientPatchType, PatchType> = {
  json: JSON_PATCH,
  merge: MERGE_PATCH,
  strategic: STRATEGIC_MERGE_PATCH,
  apply: APPLY_PATCH,
};

function listOptions(opts: ClientListOptions | undefined): ListOptions {
  const out: ListOptions = {};
  if (opts?.labelSelector) out.labelSelector = parseLabelSelector(opts.labelSelector);
  if (opts?.fieldSelector) out.fieldSelector = parseFieldSelector(opts.fieldSelector);
  if (opts?.resourceVersion !== undefined) out.resourceVersion = opts.resourceVersion;
  if (opts?.limit) out.limit = opts.limit;
  if (opts?.continue) out.continue = opts.continue;
  return out;
}

export class LoopbackClient implements Client {
  constructor(
    private readonly deps: LoopbackDeps,
    readonly identity: Identity,
  ) {}

  private target(gvr: GroupVersionResourceRef, namespace: string, name: string, subresource = ""): OperationTarget {
    const def = this.deps.registry.lookup(gvr.group, gvr.version, gvr.resource);
    if (!def) throw errors.pathNotFound();
    const rest = this.deps.storage.restFor(def, subresource);
    if (!rest) throw errors.pathNotFound();
    const ctx: RequestContext = {
      user: this.identity.user,
      namespace: def.namespaced ? namespace : "",
      name,
      subresource,
      warnings: [],
      clock: this.deps.clock,
    };
    return { def, rest, ctx, schemas: this.deps.schemas, userAgent: this.identity.userAgent };
  }

  private capability<K extends keyof OperationTarget["rest"]>(t: OperationTarget, method: K): NonNullable<OperationTarget["rest"][K]> {
    const fn = t.rest[method];
    if (typeof fn !== "function") throw errors.methodNotSupported({ group: t.def.group, resource: t.def.plural }, String(method));
    return (fn as (...a: unknown[]) => unknown).bind(t.rest) as NonNullable<OperationTarget["rest"][K]>;
  }

  async get(gvr: GroupVersionResourceRef, namespace: string, name: string, subresource = ""): Promise<KubeObject> {
    const t = this.target(gvr, namespace, name, subresource);
    return this.capability(t, "get")(t.ctx, name, {});
  }

  async list(gvr: GroupVersionResourceRef, namespace: string, opts?: ClientListOptions): Promise<KubeList> {
    const t = this.target(gvr, namespace, "");
    return this.capability(t, "list")(t.ctx, listOptions(opts));
  }

  async watch(gvr: GroupVersionResourceRef, namespace: string, opts?: ClientWatchOptions): Promise<Watch> {
    const t = this.target(gvr, namespace, "");
    return this.capability(t, "watch")(t.ctx, {
      ...listOptions(opts),
      ...(opts?.allowWatchBookmarks ? { allowWatchBookmarks: true } : {}),
      ...(opts?.sendInitialEvents !== undefined ? { sendInitialEvents: opts.sendInitialEvents } : {}),
    });
  }

  async create(gvr: GroupVersionResourceRef, namespace: string, obj: KubeObject, opts?: ClientWriteOptions): Promise<KubeObject> {
    const t = this.target(gvr, namespace, obj.metadata?.name ?? "", opts?.subresource);
    return createObject(t, deepCopy(obj), { dryRun: opts?.dryRun === true, fieldManager: opts?.fieldManager, fieldValidation: "Ignore" });
  }

  async createSubresource(gvr: GroupVersionResourceRef, namespace: string, name: string, subresource: string, obj: KubeObject): Promise<KubeObject | Status> {
    const t = this.target(gvr, namespace, name, subresource);
    return this.capability(t, "create")(t.ctx, deepCopy(obj), { dryRun: false });
  }

  async update(gvr: GroupVersionResourceRef, namespace: string, obj: KubeObject, opts?: ClientWriteOptions): Promise<KubeObject> {
    const t = this.target(gvr, namespace, obj.metadata.name ?? "", opts?.subresource);
    const res = await updateObject(t, deepCopy(obj), { dryRun: opts?.dryRun === true, fieldManager: opts?.fieldManager, fieldValidation: "Ignore" });
    return res.object;
  }

  async patch(
    gvr: GroupVersionResourceRef,
    namespace: string,
    name: string,
    type: ClientPatchType,
    patch: unknown,
    opts?: ClientWriteOptions & { force?: boolean },
  ): Promise<KubeObject> {
    const t = this.target(gvr, namespace, name, opts?.subresource);
    const res = await patchObject(t, PATCH_TYPES[type], deepCopy(patch), {
      dryRun: opts?.dryRun === true,
      fieldManager: opts?.fieldManager,
      fieldValidation: "Ignore",
      ...(opts?.force !== undefined ? { force: opts.force } : {}),
    });
    return res.object;
  }

  async delete(gvr: GroupVersionResourceRef, namespace: string, name: string, opts?: Partial<DeleteOptions>): Promise<DeleteResult> {
    const t = this.target(gvr, namespace, name);
    return this.capability(t, "delete")(t.ctx, name, { dryRun: false, ...opts });
  }
}
