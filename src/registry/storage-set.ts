// Builds the REST storage of every served resource: one watch cache and one generic store per
// stored resource (shared by the served versions bound to it), plus the status, scale and custom
// subresources each definition declares.
import type { AdmissionChain } from "../admission/chain.js";
import type { StorageBackend } from "../storage/backend.js";
import { Cacher, type CacherOptions } from "../storage/cacher/cacher.js";
import { resourcePrefix } from "../storage/keys.js";
import { ObjectStore } from "../storage/object-store.js";
import { ConvertingStore } from "./converting-store.js";
import type { ResourceDefinition } from "./definition.js";
import type { RestStorage } from "./rest.js";
import { ResourceStore } from "./resource-store.js";
import { ScaleStore, StatusStore } from "./subresources.js";

const storageKey = (group: string, resource: string) => `${group}/${resource}`;
const servedKey = (def: ResourceDefinition) => `${def.group}/${def.version}/${def.plural}`;

interface Stored {
  cacher: Cacher;
  objects: ObjectStore;
  /** The store of the owning definition (for versions with codecs: the first installed). */
  store: ResourceStore;
  /** Served versions with codecs sharing these objects (the storage goes with the last of them). */
  versions: Set<string>;
}

export class StorageSet {
  private readonly stored = new Map<string, Stored>();
  private readonly rest = new Map<string, Map<string, RestStorage>>();

  constructor(
    private readonly backend: StorageBackend,
    private readonly admission: AdmissionChain,
    private readonly cacherOptions: CacherOptions,
  ) {}

  /** Creates (and starts the watch cache of) the storage a definition needs; owners before bound definitions. */
  async install(def: ResourceDefinition): Promise<void> {
    const subs = new Map<string, RestStorage>();
    if (def.rest) {
      subs.set("", def.rest);
    } else if (def.codec) {
      const owner = storageKey(def.codec.group, def.codec.resource);
      let stored = this.stored.get(owner);
      const store = (objects: ObjectStore) => new ResourceStore(def, objects, this.admission);
      if (!stored) {
        const cacher = new Cacher(this.backend, resourcePrefix(def.codec.group, def.codec.resource), this.cacherOptions);
        await cacher.start();
        const objects = new ObjectStore(this.backend, cacher);
        stored = { cacher, objects, store: store(objects), versions: new Set() };
        this.stored.set(owner, stored);
      }
      stored.versions.add(servedKey(def));
      const main = store(stored.objects);
      subs.set("", main);
      if (def.subresources?.status) subs.set("status", new StatusStore(main));
      if (def.subresources?.scale) subs.set("scale", new ScaleStore(main, def.subresources.scale));
    } else {
      const owner = def.storage ? storageKey(def.storage.group, def.storage.resource) : storageKey(def.group, def.plural);
      let stored = this.stored.get(owner);
      if (!stored) {
        if (def.storage) throw new Error(`storage ${owner} for ${servedKey(def)} is not installed`);
        const cacher = new Cacher(this.backend, resourcePrefix(def.group, def.plural), this.cacherOptions);
        await cacher.start();
        const objects = new ObjectStore(this.backend, cacher);
        stored = { cacher, objects, store: new ResourceStore(def, objects, this.admission), versions: new Set() };
        this.stored.set(owner, stored);
      }
      const main: RestStorage = def.storage ? new ConvertingStore(stored.store, def, def.storage) : stored.store;
      subs.set("", main);
      if (def.subresources?.status) {
        const status = new StatusStore(stored.store);
        subs.set("status", def.storage ? new ConvertingStore(status, def, def.storage) : status);
      }
      if (def.subresources?.scale) subs.set("scale", new ScaleStore(stored.store, def.subresources.scale));
    }
    for (const [name, custom] of Object.entries(def.subresources?.custom ?? {})) subs.set(name, custom.rest);
    this.rest.set(servedKey(def), subs);
  }

  /** Removes a served definition (CRD versions going away); its storage is dropped with its owner. */
  uninstall(def: ResourceDefinition): void {
    this.rest.delete(servedKey(def));
    if (def.codec) {
      const key = storageKey(def.codec.group, def.codec.resource);
      const stored = this.stored.get(key);
      stored?.versions.delete(servedKey(def));
      if (stored && stored.versions.size === 0) {
        stored.cacher.stop();
        this.stored.delete(key);
      }
    } else if (!def.storage && !def.rest) {
      const key = storageKey(def.group, def.plural);
      this.stored.get(key)?.cacher.stop();
      this.stored.delete(key);
    }
  }

  restFor(def: ResourceDefinition, subresource: string): RestStorage | undefined {
    return this.rest.get(servedKey(def))?.get(subresource);
  }

  /** The generic store of a stored resource (for in-process readers such as admission). */
  storeOf(group: string, resource: string): ResourceStore | undefined {
    return this.stored.get(storageKey(group, resource))?.store;
  }

  cacherOf(group: string, resource: string): Cacher | undefined {
    return this.stored.get(storageKey(group, resource))?.cacher;
  }

  stop(): void {
    for (const { cacher } of this.stored.values()) cacher.stop();
  }
}
