// What the garbage collector, the namespace controller and the disruption controller learn from
// discovery (upstream: a discovery client and a RESTMapper): the served resources with their kinds,
// scope and verbs, which version of a group is preferred, and a notification when the set changes
// (CRDs come and go).
//
// The source is the API server's own registry (`ControllerContext.discovery`, built by the control
// plane with `registryDiscovery`): exactly what is served, built-ins and custom resources alike.
import type { GroupVersionResourceRef } from "../../client/interface.js";

export interface DiscoveredResource {
  group: string;
  version: string;
  /** The resource (plural) name. */
  resource: string;
  kind: string;
  namespaced: boolean;
  verbs: readonly string[];
  /** True in the group's preferred version (upstream ServerPreferredResources). */
  preferred: boolean;
}

export interface ResourceDiscovery {
  /** Every served resource in every served version (no subresources). */
  resources(): DiscoveredResource[];
  /** Calls fn after the served resources changed; returns an unsubscribe function. */
  onChange(fn: () => void): () => void;
}

/** The part of the registry `registryDiscovery` reads (structural, so no registry import here). */
export interface RegistryLike {
  groups(): { group: string; versions: string[] }[];
  resources(group: string, version: string): { plural: string; kind: string; namespaced: boolean; verbs?: readonly string[] }[];
  onChange(fn: () => void): () => void;
}

const ALL_VERBS = ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"] as const;

/** Discovery straight from the API server's registry: built-ins and CRs exactly as served. */
export function registryDiscovery(registry: RegistryLike): ResourceDiscovery {
  return {
    resources() {
      const out: DiscoveredResource[] = [];
      for (const { group, versions } of registry.groups()) {
        versions.forEach((version, i) => {
          for (const def of registry.resources(group, version))
            out.push({ group, version, resource: def.plural, kind: def.kind, namespaced: def.namespaced, verbs: def.verbs ?? ALL_VERBS, preferred: i === 0 });
        });
      }
      return out;
    },
    onChange: (fn) => registry.onChange(fn),
  };
}


/** RESTMapper: kind → resource, from one snapshot of discovery. */
export class RestMapper {
  private readonly byGVK = new Map<string, DiscoveredResource>();
  private readonly byGK = new Map<string, DiscoveredResource>();

  constructor(resources: DiscoveredResource[]) {
    for (const r of resources) {
      this.byGVK.set(`${r.group}/${r.version}/${r.kind}`, r);
      const gk = `${r.group}/${r.kind}`;
      if (r.preferred || !this.byGK.has(gk)) this.byGK.set(gk, r);
    }
  }

  /** The resource of apiVersion/kind: that version when served, else the group's preferred one. */
  mapping(apiVersion: string, kind: string): DiscoveredResource | undefined {
    const i = apiVersion.indexOf("/");
    const group = i < 0 ? "" : apiVersion.slice(0, i);
    const version = i < 0 ? apiVersion : apiVersion.slice(i + 1);
    return this.byGVK.get(`${group}/${version}/${kind}`) ?? this.byGK.get(`${group}/${kind}`);
  }
}

export function gvrOf(r: DiscoveredResource): GroupVersionResourceRef {
  return { group: r.group, version: r.version, resource: r.resource };
}

export function apiVersionOfResource(r: { group: string; version: string }): string {
  return r.group ? `${r.group}/${r.version}` : r.version;
}
