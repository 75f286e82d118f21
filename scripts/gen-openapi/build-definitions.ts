// Builds the Swagger 2.0 definitions of every 1.33 type: properties and required fields from
// client-node, descriptions/enums/references from kubernetes-models, then our fact tables.
import type { GroupVersionKind, Schema } from "../../src/openapi/schema.js";
import { V2_REF_PREFIX } from "../../src/openapi/schema.js";
import type { ModelProperty, ModelType } from "./read-models.js";
import type { ClientProperty } from "./read-client-node.js";
import { definitionName, parseAlias, type Resolution, type TypeSource } from "./naming.js";
import { propertySchema, type ShapeContext } from "./shapes.js";
import { API_PACKAGES } from "./facts/packages.js";
import { ANY_PROPERTY_REFS, ALWAYS_INCLUDED, SPECIAL_TYPES } from "./facts/special.js";
import { CORE_V1_ONLY_KINDS, EVERY_GROUP_VERSION_KINDS, SCHEME_GROUP_VERSIONS } from "./facts/gvk.js";
import { applyFacts } from "./apply-facts.js";

export interface BuiltDefinitions {
  definitions: Record<string, Schema>;
  v3: Record<string, Schema>;
  warnings: string[];
}

/** client-node writes each description on one line: paragraph breaks become spaces. */
const collapse = (s: string) => s.replace(/\n/g, " ");
const stripEnumText = (s: string) => s.replace(/\n\nPossible enum values:[\s\S]*$/, "");

/** Upstream descriptions by their collapsed form, to give client-only types their paragraphs back. */
function descriptionIndex(models: Map<string, ModelType>): Map<string, string> {
  const index = new Map<string, string>();
  const add = (d?: string) => {
    if (d && d.includes("\n")) index.set(collapse(stripEnumText(d)), stripEnumText(d));
  };
  for (const m of models.values()) {
    add(m.description);
    for (const p of m.properties ?? []) add(p.description);
  }
  return index;
}

function gvkOf(source: TypeSource, props: ClientProperty[]): GroupVersionKind[] | undefined {
  if (EVERY_GROUP_VERSION_KINDS.includes(source.name)) {
    return SCHEME_GROUP_VERSIONS.flatMap(([group, versions]) => versions.map((version) => ({ group, kind: source.kind, version })));
  }
  if (CORE_V1_ONLY_KINDS.includes(source.name)) return [{ group: "", kind: source.kind, version: "v1" }];
  const names = new Set(props.map((p) => p.baseName));
  if (!source.version || !names.has("apiVersion") || !names.has("kind") || !names.has("metadata")) return undefined;
  const group = API_PACKAGES.find((p) => p.pkg === source.pkg)?.group ?? "";
  return [{ group, kind: source.kind, version: source.version }];
}

export function buildDefinitions(resolution: Resolution, models: Map<string, ModelType>): BuiltDefinitions {
  const warnings: string[] = [];
  const classToName = new Map<string, string>();
  for (const s of resolution.sources.values()) if (s.client) classToName.set(s.client.className, s.name);
  const aliasToName = new Map<string, string>();
  for (const alias of models.keys()) {
    const p = parseAlias(alias);
    if (p) aliasToName.set(alias, definitionName(p.pkg, p.version, p.kind));
  }
  const ctx: ShapeContext = { classToName, aliasToName, warn: (m) => warnings.push(m) };
  const index = descriptionIndex(models);
  const restore = (d: string | undefined) => (d ? (index.get(d) ?? d) : undefined);

  /** kubernetes-models type of the same kind in another version of the package (client-only types). */
  const sibling = (s: TypeSource): ModelType | undefined => {
    for (const other of resolution.sources.values()) {
      if (other.model?.properties && other.pkg === s.pkg && other.kind === s.kind && other.name !== s.name) return other.model;
    }
    return undefined;
  };

  const definitions: Record<string, Schema> = {};
  const buildFromClient = (s: TypeSource) => {
    const client = s.client!;
    const model = s.model ?? sibling(s);
    const own = !!s.model;
    const properties: Record<string, Schema> = {};
    for (const p of client.properties) {
      const where = `${s.name}.${p.baseName}`;
      let mp: ModelProperty | undefined = model?.properties?.find((x) => x.name === p.baseName);
      // A sibling version's property is only trusted when its text is the same as ours.
      const sameText = !!mp?.description && !!p.description && collapse(stripEnumText(mp.description)) === p.description;
      if (!own && mp && !sameText && mp.type.kind === "string") mp = { ...mp, type: { kind: "string" } };
      const anyRef = ANY_PROPERTY_REFS[where];
      const schema: Schema = anyRef ? { $ref: V2_REF_PREFIX + anyRef } : propertySchema(where, p.type, p.format, mp?.type, ctx);
      const description = own ? (mp?.description ?? restore(p.description)) : sameText ? mp!.description : restore(p.description);
      properties[p.baseName] = { ...(description ? { description } : {}), ...schema };
    }
    const required = client.properties.filter((p) => !p.optional).map((p) => p.baseName);
    const description = s.model?.description ?? restore(client.description);
    const gvk = gvkOf(s, client.properties);
    definitions[s.name] = {
      ...(description ? { description } : {}),
      type: "object",
      ...(client.properties.length ? { properties } : {}),
      ...(required.length ? { required } : {}),
      ...(gvk ? { "x-kubernetes-group-version-kind": gvk } : {}),
    };
  };
  for (const s of resolution.sources.values()) if (s.client) buildFromClient(s);

  // Types client-node does not model (flattened to strings/any) or only kubernetes-models knows.
  const v3: Record<string, Schema> = {};
  const modelByName = new Map<string, ModelType>();
  for (const [alias, m] of models) {
    const n = aliasToName.get(alias);
    if (n) modelByName.set(n, m);
  }
  const pending = [...ALWAYS_INCLUDED];
  for (let changed = true; changed; ) {
    changed = false;
    for (const name of [...pending, ...referencedNames(definitions)]) {
      if (definitions[name]) continue;
      changed = true;
      const special = SPECIAL_TYPES[name];
      const description = special?.description ?? modelByName.get(name)?.description;
      if (special) {
        definitions[name] = { ...(description ? { description } : {}), ...special.v2 };
        if (special.v3) v3[name] = special.v3;
      } else {
        if (!modelByName.has(name)) warnings.push(`${name}: referenced but unknown to both sources; published as an object`);
        definitions[name] = { ...(description ? { description } : {}), type: "object" };
      }
    }
    pending.length = 0;
  }
  applyFacts(definitions, (m) => warnings.push(m));
  return { definitions: sortDeep(definitions) as Record<string, Schema>, v3, warnings };
}

function referencedNames(definitions: Record<string, Schema>): string[] {
  const out = new Set<string>();
  const walk = (v: unknown) => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === "object") {
      for (const [k, x] of Object.entries(v)) {
        if (k === "$ref" && typeof x === "string") out.add(x.slice(V2_REF_PREFIX.length));
        else walk(x);
      }
    }
  };
  walk(definitions);
  return [...out];
}

/** Objects with keys sorted (as the published upstream spec files are); arrays keep their order. */
export function sortDeep(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortDeep);
  if (v && typeof v === "object") {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(v).sort()) out[k] = sortDeep((v as Record<string, unknown>)[k]);
    return out;
  }
  return v;
}
