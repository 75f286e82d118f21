// Per-resource discovery facts derived from a ResourceDefinition: verbs, subresources and the
// storage version hash, shared by the legacy and aggregated documents.
import { createHash } from "node:crypto";
import { ALL_VERBS, type ResourceDefinition, type Verb } from "../../registry/definition.js";

export interface SubresourceInfo {
  name: string;
  group: string;
  version: string;
  kind: string;
  verbs: string[];
}

const sortVerbs = (verbs: readonly string[]) => [...new Set(verbs)].sort();

/** The verbs of a custom resource, in the order upstream's CRD discovery controller lists them. */
const CUSTOM_RESOURCE_VERBS = ["delete", "deletecollection", "get", "list", "patch", "create", "update", "watch"];

export function resourceVerbs(def: ResourceDefinition): string[] {
  if (def.customResource && !def.verbs) return CUSTOM_RESOURCE_VERBS;
  return sortVerbs(def.verbs ?? ALL_VERBS);
}

export function subresourcesOf(def: ResourceDefinition): SubresourceInfo[] {
  const out: SubresourceInfo[] = [];
  const subs = def.subresources ?? {};
  const own = { group: def.group, version: def.version };
  if (subs.scale) out.push({ name: "scale", group: "autoscaling", version: "v1", kind: "Scale", verbs: ["get", "patch", "update"] });
  if (subs.status) out.push({ name: "status", ...own, kind: def.kind, verbs: ["get", "patch", "update"] });
  for (const [name, custom] of Object.entries(subs.custom ?? {})) {
    const verbs: Verb[] = [];
    if (custom.rest.create) verbs.push("create");
    if (custom.rest.get) verbs.push("get");
    if (custom.rest.update) verbs.push("patch", "update");
    out.push({
      name,
      group: custom.group ?? def.group,
      version: custom.version ?? def.version,
      kind: custom.kind,
      verbs: sortVerbs(verbs),
    });
  }
  return out.sort((a, b) => (a.name < b.name ? -1 : 1));
}

/** Upstream storageversion.ComputeHash: base64 of the first 8 bytes of sha256("group/version/kind"). */
export function storageVersionHash(group: string, version: string, kind: string): string {
  return createHash("sha256").update(`${group}/${version}/${kind}`).digest().subarray(0, 8).toString("base64");
}
