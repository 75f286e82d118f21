// The generic store (upstream pkg/registry/generic/registry/store.go): create, get, list, watch,
// update (PUT and every patch), delete and deletecollection with upstream's semantics —
// generateName, system metadata, strategy hooks in upstream's order, optimistic concurrency,
// admission, graceful deletion and finalizers. Every stored resource, built-in or custom, is served
// by this one class configured by its ResourceDefinition.
import type { AdmissionAttributes, AdmissionOperation } from "../admission/interfaces.js";
import type { AdmissionChain } from "../admission/chain.js";
import { ApiError, errors, OPTIMISTIC_LOCK_MESSAGE } from "../apimachinery/errors.js";
import { FieldPath, fieldErrors, GoValue, type FieldError } from "../apimachinery/field-errors.js";
import type { GroupKind, GroupResource, KubeList, KubeObject } from "../apimachinery/types.js";
import { validateObjectMeta, validateObjectMetaUpdate } from "../apimachinery/validation.js";
import { deepCopy } from "../storage/codec.js";
import { interpretStorageError } from "../storage/interpret.js";
import { listPrefix, objectKey } from "../storage/keys.js";
import type { ObjectStore } from "../storage/object-store.js";
import type { RequestContext } from "./context.js";
import { apiVersionOfDefinition, listKindOf, type ResourceDefinition, type StorageCodec, type Strategy } from "./definition.js";
import { checkPreconditions, planDeletion, readyToDelete } from "./deletion.js";
import { carryOverForUpdate, fillCreateMetadata, statusUpdate } from "./object-meta.js";
import type {
  CreateOptions,
  DeleteOptions,
  DeleteResult,
  GetOptions,
  ListOptions,
  RestStorage,
  UpdateOptions,
  UpdateTransform,
  Watch,
  WatchOptions,
} from "./rest.js";
import { selectionFilter } from "./selection.js";

/**
 * How an update treats the incoming object: the main resource, its /status, or a subresource
 * with its own rules (namespaces/finalize, certificatesigningrequests/approval).
 */
export type UpdateMode = "main" | "status" | SubresourceUpdate;

export interface SubresourceUpdate {
  /** The object to store, from the request's object and the stored one. */
  prepare(ctx: RequestContext, obj: KubeObject, old: KubeObject): KubeObject;
  validate?(ctx: RequestContext, obj: KubeObject, old: KubeObject): FieldError[];
}

const MAX_GENERATE_NAME_ATTEMPTS = 8;

export class ResourceStore implements RestStorage {
  readonly gr: GroupResource;
  readonly gk: GroupKind;
  private readonly strategy: Strategy;
  private readonly hasStatus: boolean;
  private readonly codec: StorageCodec | undefined;

  constructor(
    readonly def: ResourceDefinition,
    private readonly objects: ObjectStore,
    private readonly admission: AdmissionChain,
  ) {
    this.gr = { group: def.group, resource: def.plural };
    this.gk = { group: def.group, kind: def.kind };
    this.strategy = def.strategy ?? {};
    this.hasStatus = def.subresources?.status === true;
    this.codec = def.codec;
  }

  /** A stored object as this version serves it (the object itself without a codec). */
  private decode(obj: KubeObject): KubeObject | Promise<KubeObject> {
    return this.codec && obj.kind !== "Status" ? this.codec.decode(obj) : obj;
  }

  private encode(obj: KubeObject): KubeObject | Promise<KubeObject> {
    return this.codec ? this.codec.encode(obj) : obj;
  }

  private get prefix(): string {
    return this.objects.cacher.resourcePrefix;
  }

  private namespaceOf(ctx: RequestContext): string {
    return this.def.namespaced ? ctx.namespace : "";
  }

  private key(ctx: RequestContext, name: string): string {
    return objectKey(this.prefix, this.namespaceOf(ctx), name);
  }

  private attributes(
    ctx: RequestContext,
    operation: AdmissionOperation,
    name: string,
    dryRun: boolean,
    object?: KubeObject,
    oldObject?: KubeObject,
  ): AdmissionAttributes {
    return {
      operation,
      resource: { group: this.def.group, version: this.def.version, resource: this.def.plural },
      subresource: ctx.subresource,
      kind: { group: this.def.group, version: this.def.version, kind: this.def.kind },
      name,
      namespace: this.namespaceOf(ctx),
      namespaced: this.def.namespaced,
      ...(object ? { object } : {}),
      ...(oldObject ? { oldObject } : {}),
      user: ctx.user,
      dryRun,
    };
  }

  private invalid(name: string, errs: FieldError[]): ApiError {
    return errors.invalid(this.gk, name, errs);
  }

  private storageError(err: unknown, name: string): unknown {
    return interpretStorageError(err, this.gr, name);
  }

  async get(ctx: RequestContext, name: string, _opts: GetOptions): Promise<KubeObject> {
    const obj = this.objects.get(this.key(ctx, name));
    if (!obj) throw errors.notFound(this.gr, name);
    return this.decode(obj);
  }

  /** Current objects of a namespace ("" = all), straight from the watch cache (admission lookups). */
  listCached(namespace: string): KubeObject[] {
    return this.objects.cacher.snapshot(listPrefix(this.prefix, this.def.namespaced ? namespace : ""));
  }

  async list(ctx: RequestContext, opts: ListOptions): Promise<KubeList> {
    const res = await this.objects.list({
      prefix: listPrefix(this.prefix, this.namespaceOf(ctx)),
      filter: selectionFilter(opts.selectableFrom ?? this.def, opts),
      resourceVersion: opts.resourceVersion,
      resourceVersionMatch: opts.resourceVersionMatch,
      limit: opts.limit,
      continue: opts.continue,
    });
    const items = this.codec ? await Promise.all(res.items.map((o) => this.decode(o))) : res.items;
    return { apiVersion: apiVersionOfDefinition(this.def), kind: listKindOf(this.def), metadata: res.metadata, items };
  }

  async watch(ctx: RequestContext, opts: WatchOptions): Promise<Watch> {
    const w = await this.objects.watch({
      prefix: listPrefix(this.prefix, this.namespaceOf(ctx)),
      filter: selectionFilter(opts.selectableFrom ?? this.def, opts),
      resourceVersion: opts.resourceVersion,
      sendInitialEvents: opts.sendInitialEvents,
      allowBookmarks: opts.allowWatchBookmarks === true,
    });
    if (!this.codec) return w;
    const decode = (o: KubeObject) => this.decode(o);
    return {
      stop: () => w.stop(),
      async *[Symbol.asyncIterator]() {
        for await (const ev of w) {
          yield ev.type === "ADDED" || ev.type === "MODIFIED" || ev.type === "DELETED" ? { type: ev.type, object: await decode(ev.object) } : ev;
        }
      },
    };
  }

  /** Namespace of a new or replaced object: from the URL, never contradicting it. */
  private applyNamespace(ctx: RequestContext, obj: KubeObject): void {
    if (!this.def.namespaced) {
      delete obj.metadata.namespace;
      return;
    }
    if (!obj.metadata.namespace) obj.metadata.namespace = ctx.namespace;
    else if (ctx.namespace && obj.metadata.namespace !== ctx.namespace)
      throw errors.badRequest("the namespace of the provided object does not match the namespace sent on the request");
  }

  /** BeforeCreate: admission (mutating), system metadata, strategy, validation, admission (validating). */
  private async prepareCreate(ctx: RequestContext, obj: KubeObject, dryRun: boolean): Promise<void> {
    if (!obj.metadata || typeof obj.metadata !== "object") obj.metadata = {};
    this.applyNamespace(ctx, obj);
    await this.admission.admit(this.attributes(ctx, "CREATE", obj.metadata.name ?? "", dryRun, obj));
    if (obj.metadata.resourceVersion) throw errors.badRequest("resourceVersion should not be set on objects to be created");
    fillCreateMetadata(obj, ctx.clock.now(), this.hasStatus, this.strategy);
    this.strategy.prepareForCreate?.(ctx, obj);
    // upstream defaults again when it reads the object back from storage; fields the strategy
    // added (a Job's generated labels) get their defaults too
    this.def.defaults?.(obj);
    const errs = [
      ...validateObjectMeta(obj.metadata, this.def.namespaced, this.strategy.nameValidation ?? "DNS1123Subdomain"),
      ...(this.def.validation?.create?.(obj) ?? []),
      ...(this.strategy.validate?.(ctx, obj) ?? []),
    ];
    if (errs.length) throw this.invalid(obj.metadata.name ?? obj.metadata.generateName ?? "", errs);
    for (const w of this.strategy.warningsOnCreate?.(ctx, obj) ?? []) ctx.warnings.push(w);
    await this.admission.validate(this.attributes(ctx, "CREATE", obj.metadata.name!, dryRun, obj));
    this.strategy.canonicalize?.(obj);
  }

  async create(ctx: RequestContext, input: KubeObject, opts: CreateOptions): Promise<KubeObject> {
    const generated = !input.metadata?.name && !!input.metadata?.generateName;
    for (let attempt = 1; ; attempt++) {
      const obj = deepCopy(input);
      await this.prepareCreate(ctx, obj, opts.dryRun);
      try {
        const stored = await this.objects.create(this.key(ctx, obj.metadata.name!), await this.encode(obj), opts.dryRun);
        return await this.decode(stored);
      } catch (err) {
        const apiErr = this.storageError(err, obj.metadata.name!);
        if (generated && apiErr instanceof ApiError && apiErr.reason === "AlreadyExists" && attempt < MAX_GENERATE_NAME_ATTEMPTS) continue;
        throw apiErr;
      }
    }
  }

  async update(
    ctx: RequestContext,
    name: string,
    transform: UpdateTransform,
    opts: UpdateOptions,
  ): Promise<{ object: KubeObject; created: boolean }> {
    return this.updateWith(ctx, name, transform, opts, "main");
  }

  /** BeforeUpdate for the main resource or its /status. */
  private async prepareUpdate(
    ctx: RequestContext,
    input: KubeObject,
    old: KubeObject,
    mode: UpdateMode,
    dryRun: boolean,
  ): Promise<KubeObject> {
    const name = old.metadata.name!;
    if (!input.metadata || typeof input.metadata !== "object") input.metadata = {};
    const rv = input.metadata.resourceVersion;
    if (!rv) {
      if (this.strategy.allowUnconditionalUpdate === false)
        // upstream names the resource (not the kind) here, and prints the uint64 zero as 0x0
        throw errors.invalid({ group: this.def.group, kind: this.def.plural }, name, [
          fieldErrors.invalid(FieldPath.root("metadata", "resourceVersion"), new GoValue("0x0"), "must be specified for an update"),
        ]);
    } else if (rv !== old.metadata.resourceVersion) {
      throw errors.conflict(this.gr, name, OPTIMISTIC_LOCK_MESSAGE);
    }
    this.applyNamespace(ctx, input);
    await this.admission.admit(this.attributes(ctx, "UPDATE", name, dryRun, input, old));
    let obj: KubeObject;
    let errs: FieldError[];
    if (typeof mode === "object") {
      obj = mode.prepare(ctx, input, old);
      errs = [...validateObjectMetaUpdate(obj.metadata, old.metadata, this.def.namespaced), ...(mode.validate?.(ctx, obj, old) ?? [])];
    } else if (mode === "status") {
      obj = statusUpdate(input, old);
      this.strategy.prepareForStatusUpdate?.(ctx, obj, old);
      errs = [
        ...validateObjectMetaUpdate(obj.metadata, old.metadata, this.def.namespaced),
        ...(this.strategy.validateStatusUpdate?.(ctx, obj, old) ?? []),
      ];
    } else {
      obj = input;
      carryOverForUpdate(obj, old, this.hasStatus, this.strategy);
      this.strategy.prepareForUpdate?.(ctx, obj, old);
      this.def.defaults?.(obj);
      errs = [
        ...validateObjectMetaUpdate(obj.metadata, old.metadata, this.def.namespaced),
        ...(this.def.validation?.update?.(obj, old) ?? []),
        ...(this.strategy.validateUpdate?.(ctx, obj, old) ?? []),
      ];
      for (const w of this.strategy.warningsOnUpdate?.(ctx, obj, old) ?? []) ctx.warnings.push(w);
    }
    if (errs.length) throw this.invalid(name, errs);
    await this.admission.validate(this.attributes(ctx, "UPDATE", name, dryRun, obj, old));
    this.strategy.canonicalize?.(obj);
    obj.metadata.resourceVersion = old.metadata.resourceVersion;
    return obj;
  }

  async updateWith(
    ctx: RequestContext,
    name: string,
    transform: UpdateTransform,
    opts: UpdateOptions,
    mode: UpdateMode,
  ): Promise<{ object: KubeObject; created: boolean }> {
    const key = this.key(ctx, name);
    const allowCreate = mode === "main" && (this.strategy.allowCreateOnUpdate === true || opts.forceAllowCreate === true);
    let outcome;
    try {
      outcome = await this.objects.guaranteedUpdate(
        key,
        async (current) => {
          if (!current) {
            if (!allowCreate) throw errors.notFound(this.gr, name);
            const obj = deepCopy(await transform(undefined));
            if (!obj.metadata) obj.metadata = {};
            if (obj.metadata.name && obj.metadata.name !== name)
              throw errors.badRequest(`the name of the object (${obj.metadata.name}) does not match the name on the URL (${name})`);
            obj.metadata.name = name;
            delete obj.metadata.resourceVersion;
            await this.prepareCreate(ctx, obj, opts.dryRun);
            return this.encode(obj);
          }
          const served = this.codec ? await this.decode(current) : current;
          const next = await transform(deepCopy(served));
          return this.encode(await this.prepareUpdate(ctx, next, served, mode, opts.dryRun));
        },
        opts.dryRun,
      );
    } catch (err) {
      throw this.storageError(err, name);
    }
    const { object } = outcome;
    if (!opts.dryRun && outcome.changed && readyToDelete(object, this.strategy)) {
      try {
        await this.objects.delete(key, (cur) => checkPreconditions(this.gr, cur, { resourceVersion: object.metadata.resourceVersion! }), false);
      } catch (err) {
        // Someone else changed or removed it first: their write decides what happens next.
        if (!(err instanceof ApiError && err.reason === "Conflict")) {
          const apiErr = this.storageError(err, name);
          if (!(apiErr instanceof ApiError && apiErr.reason === "NotFound")) throw apiErr;
        }
      }
    }
    return { object: await this.decode(object), created: outcome.created };
  }

  async delete(ctx: RequestContext, name: string, opts: DeleteOptions): Promise<DeleteResult> {
    const key = this.key(ctx, name);
    const stored = this.objects.get(key);
    if (!stored) throw errors.notFound(this.gr, name);
    const existing = await this.decode(stored);
    await this.admission.admit(this.attributes(ctx, "DELETE", name, opts.dryRun, undefined, existing));
    await this.admission.validate(this.attributes(ctx, "DELETE", name, opts.dryRun, undefined, existing));
    for (let attempt = 0; attempt < 16; attempt++) {
      let plan: ReturnType<typeof planDeletion> | undefined;
      let outcome;
      try {
        outcome = await this.objects.guaranteedUpdate(
          key,
          async (current) => {
            if (!current) throw errors.notFound(this.gr, name);
            checkPreconditions(this.gr, current, opts.preconditions);
            plan = planDeletion(ctx, current, opts, this.strategy);
            return plan.action === "update" ? plan.object : current;
          },
          opts.dryRun,
        );
      } catch (err) {
        throw this.storageError(err, name);
      }
      if (plan!.action !== "delete") {
        if (!opts.dryRun && outcome.changed && readyToDelete(outcome.object, this.strategy)) {
          // e.g. a namespace whose finalizers were already empty: nothing keeps it any longer.
          plan = { action: "delete" };
        } else {
          return { object: await this.decode(outcome.object), deleted: false };
        }
      }
      const seen = outcome.object.metadata.resourceVersion;
      try {
        const deleted = await this.objects.delete(
          key,
          (cur) => {
            checkPreconditions(this.gr, cur, opts.preconditions);
            if (cur.metadata.resourceVersion !== seen) throw new RetryDelete();
          },
          opts.dryRun,
        );
        return { object: await this.decode(deleted), deleted: true };
      } catch (err) {
        if (err instanceof RetryDelete) continue;
        throw this.storageError(err, name);
      }
    }
    throw errors.conflict(this.gr, name, OPTIMISTIC_LOCK_MESSAGE);
  }

  async deleteCollection(ctx: RequestContext, opts: DeleteOptions, listOpts: ListOptions): Promise<KubeList> {
    const list = await this.list(ctx, { ...listOpts, limit: 0, continue: "" });
    const items: KubeObject[] = [];
    for (const item of list.items) {
      const itemCtx = { ...ctx, namespace: item.metadata.namespace ?? "" };
      try {
        items.push((await this.delete(itemCtx, item.metadata.name!, opts)).object);
      } catch (err) {
        if (err instanceof ApiError && err.reason === "NotFound") continue;
        throw err;
      }
    }
    return { ...list, items };
  }
}

class RetryDelete extends Error {}
