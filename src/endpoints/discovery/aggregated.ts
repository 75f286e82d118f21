// Aggregated discovery (apidiscovery.k8s.io v2 and v2beta1: same fields, different apiVersion).
// Clients recognise it by the response Content-Type, which echoes the requested profile.
import type { Registry } from "../../registry/registry.js";
import { resourceVerbs, subresourcesOf } from "./resources.js";

export type AggregatedVersion = "v2" | "v2beta1";

export function aggregatedContentType(version: AggregatedVersion): string {
  return `application/json;g=apidiscovery.k8s.io;v=${version};as=APIGroupDiscoveryList`;
}

function versionEntry(registry: Registry, group: string, version: string) {
  return {
    version,
    resources: registry.resources(group, version).map((def) => {
      const r: Record<string, unknown> = {
        resource: def.plural,
        responseKind: { group: def.group, version: def.version, kind: def.kind },
        scope: def.namespaced ? "Namespaced" : "Cluster",
        singularResource: def.singular,
        verbs: resourceVerbs(def),
      };
      if (def.shortNames?.length) r.shortNames = def.shortNames;
      if (def.categories?.length) r.categories = def.categories;
      const subs = subresourcesOf(def);
      if (subs.length)
        r.subresources = subs.map((s) => ({
          subresource: s.name,
          responseKind: { group: s.group, version: s.version, kind: s.kind },
          verbs: s.verbs,
        }));
      return r;
    }),
    freshness: "Current",
  };
}

/** The document for /api (core only) or /apis (every named group). */
export function aggregatedDiscovery(registry: Registry, core: boolean, apiVersion: AggregatedVersion) {
  const groups = registry.groups().filter((g) => (g.group === "") === core);
  return {
    kind: "APIGroupDiscoveryList",
    apiVersion: `apidiscovery.k8s.io/${apiVersion}`,
    metadata: {},
    items: groups.map((g) => ({
      metadata: g.group ? { name: g.group, creationTimestamp: null } : { creationTimestamp: null },
      versions: g.versions.map((v) => versionEntry(registry, g.group, v)),
    })),
  };
}
