// The legacy discovery documents: /api (APIVersions), /apis (APIGroupList), /apis/<group>
// (APIGroup), /api/v1 and /apis/<group>/<version> (APIResourceList).
import type { Registry } from "../../registry/registry.js";
import { resourceVerbs, storageVersionHash, subresourcesOf } from "./resources.js";

export function apiVersions(serverAddress: string) {
  return {
    kind: "APIVersions",
    versions: ["v1"],
    serverAddressByClientCIDRs: [{ clientCIDR: "0.0.0.0/0", serverAddress }],
  };
}

function groupEntry(group: string, versions: string[]) {
  const gv = (v: string) => ({ groupVersion: `${group}/${v}`, version: v });
  return { name: group, versions: versions.map(gv), preferredVersion: gv(versions[0]!) };
}

export function apiGroupList(registry: Registry) {
  return {
    kind: "APIGroupList",
    apiVersion: "v1",
    groups: registry
      .groups()
      .filter((g) => g.group !== "")
      .map((g) => groupEntry(g.group, g.versions)),
  };
}

export function apiGroup(registry: Registry, group: string) {
  const g = registry.groups().find((x) => x.group === group && group !== "");
  if (!g) return undefined;
  return { kind: "APIGroup", apiVersion: "v1", ...groupEntry(g.group, g.versions) };
}

export function apiResourceList(registry: Registry, group: string, version: string) {
  const defs = registry.resources(group, version);
  if (defs.length === 0) return undefined;
  const resources: Record<string, unknown>[] = [];
  for (const def of defs) {
    const entry: Record<string, unknown> = {
      name: def.plural,
      singularName: def.singular,
      namespaced: def.namespaced,
      kind: def.kind,
      verbs: resourceVerbs(def),
    };
    if (def.shortNames?.length) entry.shortNames = def.shortNames;
    if (def.categories?.length) entry.categories = def.categories;
    if (!def.rest && !def.storage) entry.storageVersionHash = storageVersionHash(def.group, def.version, def.kind);
    resources.push(entry);
    for (const sub of subresourcesOf(def)) {
      const s: Record<string, unknown> = { name: `${def.plural}/${sub.name}`, singularName: "", namespaced: def.namespaced };
      if (sub.group !== def.group || sub.version !== def.version) Object.assign(s, { group: sub.group, version: sub.version });
      Object.assign(s, { kind: sub.kind, verbs: sub.verbs });
      resources.push(s);
    }
  }
  return { kind: "APIResourceList", apiVersion: "v1", groupVersion: group ? `${group}/${version}` : version, resources };
}
