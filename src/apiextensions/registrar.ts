// Serves the custom resources of accepted CRDs (upstream crdHandler plus its discovery and OpenAPI
// controllers): each change of a CRD replaces the resource declarations of its served versions in
// the registry and the storage set; a deleted CRD, or a version no longer served, goes away.
// Because the dispatcher, discovery and OpenAPI read the registry at request time, a CRD is
// servable, discoverable and published as soon as this has run.
import type { ResourceDefinition } from "../registry/definition.js";
import type { Registry } from "../registry/registry.js";
import type { StorageSet } from "../registry/storage-set.js";
import { acceptedNames, type CRD, isConditionTrue } from "./crd.js";
import { customResourceDefinitions, type CustomResourceDeps } from "./custom-resource.js";

const key = (def: ResourceDefinition) => `${def.group}/${def.version}/${def.plural}`;

/** Whether the CRD's resources are served: its names were accepted (upstream: NamesAccepted or Established). */
export function isServed(crd: CRD): boolean {
  return (isConditionTrue(crd, "Established") || isConditionTrue(crd, "NamesAccepted")) && acceptedNames(crd).plural !== "";
}

export class CRDRegistrar {
  /** CRD name → what it serves now, and the CRD it was built from. */
  private readonly served = new Map<string, { crd: CRD; defs: ResourceDefinition[] }>();

  constructor(
    private readonly registry: Registry,
    private readonly storage: StorageSet,
    private readonly deps: CustomResourceDeps,
  ) {}

  /** The CRD a served custom resource comes from. */
  crdOf(def: ResourceDefinition): CRD | undefined {
    for (const { crd, defs } of this.served.values()) if (defs.includes(def)) return crd;
    return undefined;
  }

  /** Brings what is served for one CRD in line with its current state (undefined: deleted). */
  async sync(name: string, crd: CRD | undefined): Promise<void> {
    const current = this.served.get(name);
    if (current && crd && current.crd.metadata.resourceVersion === crd.metadata.resourceVersion) return;
    const next = crd && isServed(crd) ? customResourceDefinitions(crd, this.deps) : [];
    const nextKeys = new Set(next.map(key));
    for (const def of current?.defs ?? []) {
      if (nextKeys.has(key(def))) continue;
      this.registry.remove(def.group, def.version, def.plural);
      this.storage.uninstall(def);
    }
    for (const def of next) {
      await this.storage.install(def);
      this.registry.add(def);
    }
    if (crd && next.length) this.served.set(name, { crd, defs: next });
    else this.served.delete(name);
  }
}
