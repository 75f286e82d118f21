// The status and scale subresources of a stored resource: the same ResourceStore with another
// update path (upstream: a copy of the Store with the status strategy; scale as an adapter that maps
// the object to autoscaling/v1 Scale and back inside the same update).
import { errors, OPTIMISTIC_LOCK_MESSAGE } from "../apimachinery/errors.js";
import { FieldPath, fieldErrors } from "../apimachinery/field-errors.js";
import { fromLabelMap, fromMetaLabelSelector, type MetaLabelSelector } from "../apimachinery/labels.js";
import type { KubeObject } from "../apimachinery/types.js";
import type { RequestContext } from "./context.js";
import type { ScaleSubresource } from "./definition.js";
import type { GetOptions, RestStorage, UpdateOptions, UpdateTransform } from "./rest.js";
import type { ResourceStore } from "./resource-store.js";

export class StatusStore implements RestStorage {
  constructor(private readonly store: ResourceStore) {}

  get(ctx: RequestContext, name: string, opts: GetOptions): Promise<KubeObject> {
    return this.store.get(ctx, name, opts);
  }

  update(ctx: RequestContext, name: string, transform: UpdateTransform, opts: UpdateOptions) {
    return this.store.updateWith(ctx, name, transform, opts, "status");
  }
}

/** Reads a dotted path (".spec.replicas") of an object. */
export function readPath(obj: unknown, path: string): unknown {
  let cur: unknown = obj;
  for (const part of path.replace(/^\./, "").split(".")) {
    if (cur === null || typeof cur !== "object") return undefined;
    cur = (cur as Record<string, unknown>)[part];
  }
  return cur;
}

/** Writes a dotted path, creating intermediate objects. */
export function writePath(obj: Record<string, unknown>, path: string, value: unknown): void {
  const parts = path.replace(/^\./, "").split(".");
  let cur = obj;
  for (const part of parts.slice(0, -1)) {
    if (typeof cur[part] !== "object" || cur[part] === null) cur[part] = {};
    cur = cur[part] as Record<string, unknown>;
  }
  cur[parts[parts.length - 1]!] = value;
}

function selectorString(obj: KubeObject, spec: ScaleSubresource): string | undefined {
  const path = spec.labelSelectorPath;
  if (!path) return undefined;
  if (path === "spec.selector") {
    const sel = readPath(obj, ".spec.selector");
    if (sel === undefined || sel === null) return "";
    const isMeta = typeof sel === "object" && ("matchLabels" in (sel as object) || "matchExpressions" in (sel as object));
    return (isMeta ? fromMetaLabelSelector(sel as MetaLabelSelector) : fromLabelMap(sel as Record<string, string>)).toString();
  }
  const v = readPath(obj, path);
  return typeof v === "string" ? v : undefined;
}

export class ScaleStore implements RestStorage {
  constructor(
    private readonly store: ResourceStore,
    private readonly spec: ScaleSubresource,
  ) {}

  toScale(obj: KubeObject): KubeObject {
    const m = obj.metadata;
    const status: Record<string, unknown> = { replicas: Number(readPath(obj, this.spec.statusReplicasPath) ?? 0) };
    const selector = selectorString(obj, this.spec);
    if (selector) status.selector = selector;
    const metadata: KubeObject["metadata"] = { name: m.name! };
    if (m.namespace) metadata.namespace = m.namespace;
    Object.assign(metadata, { uid: m.uid, resourceVersion: m.resourceVersion, creationTimestamp: m.creationTimestamp });
    return {
      kind: "Scale",
      apiVersion: "autoscaling/v1",
      metadata,
      spec: { replicas: Number(readPath(obj, this.spec.specReplicasPath) ?? 0) },
      status,
    };
  }

  async get(ctx: RequestContext, name: string, opts: GetOptions): Promise<KubeObject> {
    return this.toScale(await this.store.get(ctx, name, opts));
  }

  async update(ctx: RequestContext, name: string, transform: UpdateTransform, opts: UpdateOptions) {
    const res = await this.store.updateWith(
      ctx,
      name,
      async (current) => {
        if (!current) throw errors.notFound(this.store.gr, name);
        const scale = await transform(this.toScale(current));
        const replicas = (scale.spec as { replicas?: unknown } | undefined)?.replicas;
        if (typeof replicas !== "number" || !Number.isInteger(replicas) || replicas < 0) {
          throw errors.invalid({ group: "autoscaling", kind: "Scale" }, name, [
            fieldErrors.invalid(FieldPath.root("spec", "replicas"), replicas ?? null, "must be greater than or equal to 0"),
          ]);
        }
        const rv = scale.metadata?.resourceVersion;
        if (rv && rv !== current.metadata.resourceVersion) throw errors.conflict(this.store.gr, name, OPTIMISTIC_LOCK_MESSAGE);
        const before = opts.trackFields ? structuredClone(current) : undefined;
        writePath(current as unknown as Record<string, unknown>, this.spec.specReplicasPath, replicas);
        if (before) opts.trackFields!(before, current);
        return current;
      },
      opts,
      "main",
    );
    return { object: this.toScale(res.object), created: false };
  }
}
