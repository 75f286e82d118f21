// A small hand-built registry for the OpenAPI tests: namespaced kinds with status/scale, a
// cluster-scoped kind, a kind whose DELETE returns the object, a plural-named kind, a custom
// subresource and a custom resource.
import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { Registry } from "../../../src/registry/registry.js";
import type { ResourceDefinition } from "../../../src/registry/definition.js";
import type { DefinitionsFile } from "../../../src/openapi/schema.js";

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..", "..");
export const DEFINITIONS_FILE = path.join(ROOT, "openapi", "definitions.json");

let cached: DefinitionsFile | undefined;
export function definitionsFile(): DefinitionsFile {
  return (cached ??= JSON.parse(readFileSync(DEFINITIONS_FILE, "utf8")) as DefinitionsFile);
}

const def = (d: Partial<ResourceDefinition> & Pick<ResourceDefinition, "group" | "version" | "kind" | "plural" | "namespaced">): ResourceDefinition => ({
  singular: d.kind.toLowerCase(),
  ...d,
});

export const DEPLOYMENTS = def({
  group: "apps",
  version: "v1",
  kind: "Deployment",
  plural: "deployments",
  namespaced: true,
  schema: "io.k8s.api.apps.v1.Deployment",
  subresources: { status: true, scale: { specReplicasPath: ".spec.replicas", statusReplicasPath: ".status.replicas" } },
});
export const PODS = def({
  group: "",
  version: "v1",
  kind: "Pod",
  plural: "pods",
  namespaced: true,
  schema: "io.k8s.api.core.v1.Pod",
  subresources: {
    status: true,
    custom: { eviction: { kind: "Eviction", group: "policy", version: "v1", rest: { create: async (_ctx, obj) => obj } } },
  },
});
export const NAMESPACES = def({ group: "", version: "v1", kind: "Namespace", plural: "namespaces", namespaced: false, schema: "io.k8s.api.core.v1.Namespace", subresources: { status: true } });
export const ENDPOINTS = def({ group: "", version: "v1", kind: "Endpoints", plural: "endpoints", namespaced: true, schema: "io.k8s.api.core.v1.Endpoints" });
export const TOKEN_REVIEWS = def({
  group: "authentication.k8s.io",
  version: "v1",
  kind: "TokenReview",
  plural: "tokenreviews",
  namespaced: false,
  schema: "io.k8s.api.authentication.v1.TokenReview",
  verbs: ["create"],
});
export const CRONTABS = def({ group: "stable.example.com", version: "v1", kind: "CronTab", plural: "crontabs", namespaced: true });

export function smallRegistry(extra: ResourceDefinition[] = []): Registry {
  const r = new Registry();
  for (const d of [DEPLOYMENTS, PODS, NAMESPACES, ENDPOINTS, TOKEN_REVIEWS, CRONTABS, ...extra]) r.add(d);
  return r;
}
