// A served version whose objects live in another resource's storage (core and events.k8s.io
// events; autoscaling v1 and v2 HPAs): every object crossing this boundary is converted.
import type { KubeList, KubeObject } from "../apimachinery/types.js";
import { apiVersionOfDefinition, listKindOf, type ResourceDefinition, type StorageBinding } from "./definition.js";
import type { RequestContext } from "./context.js";
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

export class ConvertingStore implements RestStorage {
  constructor(
    private readonly inner: RestStorage,
    private readonly served: ResourceDefinition,
    private readonly binding: StorageBinding,
  ) {}

  private out = (obj: KubeObject): KubeObject => (obj.kind === "Status" ? obj : this.binding.fromStorage(obj));

  async get(ctx: RequestContext, name: string, opts: GetOptions) {
    return this.out(await this.inner.get!(ctx, name, opts));
  }

  async list(ctx: RequestContext, opts: ListOptions): Promise<KubeList> {
    const list = await this.inner.list!(ctx, { ...opts, selectableFrom: this.served });
    return { ...list, apiVersion: apiVersionOfDefinition(this.served), kind: listKindOf(this.served), items: list.items.map(this.out) };
  }

  async watch(ctx: RequestContext, opts: WatchOptions): Promise<Watch> {
    const w = await this.inner.watch!(ctx, { ...opts, selectableFrom: this.served });
    const out = this.out;
    return {
      stop: () => w.stop(),
      async *[Symbol.asyncIterator]() {
        for await (const ev of w) {
          yield ev.type === "ADDED" || ev.type === "MODIFIED" || ev.type === "DELETED" ? { type: ev.type, object: out(ev.object) } : ev;
        }
      },
    };
  }

  async create(ctx: RequestContext, obj: KubeObject, opts: CreateOptions) {
    const created = await this.inner.create!(ctx, this.binding.toStorage(obj), opts);
    return this.out(created as KubeObject);
  }

  async update(ctx: RequestContext, name: string, transform: UpdateTransform, opts: UpdateOptions) {
    const res = await this.inner.update!(
      ctx,
      name,
      async (cur) => this.binding.toStorage(await transform(cur ? this.out(cur) : undefined)),
      opts,
    );
    return { object: this.out(res.object), created: res.created };
  }

  async delete(ctx: RequestContext, name: string, opts: DeleteOptions): Promise<DeleteResult> {
    const res = await this.inner.delete!(ctx, name, opts);
    return { ...res, object: this.out(res.object) };
  }

  async deleteCollection(ctx: RequestContext, opts: DeleteOptions, listOpts: ListOptions): Promise<KubeList> {
    const list = await this.inner.deleteCollection!(ctx, opts, { ...listOpts, selectableFrom: this.served });
    return { ...list, apiVersion: apiVersionOfDefinition(this.served), kind: listKindOf(this.served), items: list.items.map(this.out) };
  }
}
