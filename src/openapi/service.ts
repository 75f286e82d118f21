// The OpenAPI service: builds the v3 documents (one per group-version, plus the discovery and
// version ones), the Swagger 2.0 document (JSON and gnostic protobuf) and the schema index from the
// registry, lazily, and caches them until the registry changes. Nothing is read or built at start-up.
import { createHash } from "node:crypto";
import type { Registry } from "../registry/registry.js";
import type { ResourceDefinition } from "../registry/definition.js";
import type { DefinitionsFile, Schema } from "./schema.js";
import { loadDefinitions } from "./definitions.js";
import { SchemaIndex } from "./schema-index.js";
import { groupVersionOperations, type OperationContext, type PathModel } from "./operations.js";
import { discoveryPaths } from "./discovery-paths.js";
import {
  applyCustomResourceMediaV2,
  applyCustomResourceMediaV3,
  CUSTOM_RESOURCE_V3_INFO,
  customResourceDefinitionName,
  customResourceListName,
  customResourceOperations,
  customResourceSchemas,
  type CustomResourceKindSchemas,
} from "./custom-resources.js";
import { buildV3Document } from "./v3-document.js";
import { buildV2Document } from "./v2-document.js";
import { encodeSwagger } from "./gnostic.js";
import { schemasOf } from "./render-common.js";

export type { CustomResourceKindSchemas };

export interface OpenApiServiceOptions {
  /** info.version of the documents: the server's gitVersion (default: the schemas' release). */
  serverVersion?: string;
  /** Path of openapi/definitions.json (default: found next to the installation). */
  definitionsFile?: string;
  /**
   * Whether a resource is a custom resource: its PATCH operations then do not list strategic merge
   * patch (kubectl falls back to JSON merge patch). Default: a definition marked
   * `customResource: true`, or one whose schema is not a built-in definition.
   */
  isCustomResource?(def: ResourceDefinition): boolean;
  /**
   * The kind schema of a custom resource (from its CRD), when known: `v2` is published in
   * /openapi/v2, `v3` in the group-version's v3 document and in `schemas` (server-side apply).
   * References use "#/definitions/". Called again whenever the registry changes.
   */
  customResourceSchema?(def: ResourceDefinition): CustomResourceKindSchemas | undefined;
}

export interface OpenApiV3Index {
  paths: Record<string, { serverRelativeURL: string }>;
}

export interface OpenApiService {
  /** Swagger 2.0 as gnostic protobuf (Content-Type application/com.github.proto-openapi.spec.v2.v1.0+protobuf). */
  v2(): { body: Buffer; etag: string };
  /** The same Swagger 2.0 document as JSON (same etag, as upstream). */
  v2Json(): { body: Buffer; etag: string };
  /** /openapi/v3: every document key with its current hash URL. */
  v3Index(): OpenApiV3Index;
  /** /openapi/v3 as bytes with its etag. */
  v3IndexBody(): { body: Buffer; etag: string };
  /** /openapi/v3/<path> ("apis/apps/v1", "api/v1", "version", ...); undefined when not served. */
  v3Document(path: string): { body: Buffer; hash: string } | undefined;
  /** Schemas of every built-in and served custom kind, for strict decoding and strategic merge patch. */
  readonly schemas: SchemaIndex;
}

/** Upper-case hex SHA-512, kube-openapi's etag and ?hash= value. */
export function computeETag(data: Buffer): string {
  return createHash("sha512").update(data).digest("hex").toUpperCase();
}

interface GenerationState {
  generation: number;
  /** Built-in schemas and the v3 form of the custom resources' (the documents' and `schemas`). */
  index: SchemaIndex;
  /** Built-in schemas and the v2 form of the custom resources', for /openapi/v2. */
  indexV2: SchemaIndex;
  /** Schemas of custom resources (not built in), v3 form. */
  extra: Record<string, Schema>;
  /** v3 document key -> its paths. */
  paths: Map<string, PathModel[]>;
  /** Paths of custom resource operations (their media types are the CRD builder's). */
  customPaths: Set<string>;
  /** v3 documents of group-versions served only by custom resources. */
  customOnly: Set<string>;
  v3: Map<string, { body: Buffer; hash: string }>;
  v3Index?: { index: OpenApiV3Index; body: Buffer; etag: string };
  v2Json?: { body: Buffer; etag: string; doc: Record<string, unknown> };
  v2Proto?: { body: Buffer; etag: string };
}

export function createOpenApiService(registry: Registry, opts: OpenApiServiceOptions = {}): OpenApiService {
  let file: DefinitionsFile | undefined;
  let builtin: SchemaIndex | undefined;
  let deleteReturnsObject: Set<string> | undefined;
  let state: GenerationState | undefined;
  /** Built v3 documents by key, kept across registry changes while their inputs are unchanged. */
  const documents = new Map<string, { signature: string; body: Buffer; hash: string }>();
  registry.onChange(() => {
    state = undefined;
  });

  const definitions = (): DefinitionsFile => (file ??= loadDefinitions(opts.definitionsFile));
  const builtinIndex = (): SchemaIndex => (builtin ??= new SchemaIndex(definitions().definitions));
  const serverVersion = () => opts.serverVersion ?? definitions().kubernetesVersion;
  const isCustomResource = (def: ResourceDefinition): boolean => {
    if (opts.isCustomResource) return opts.isCustomResource(def);
    if (def.customResource === true) return true;
    return !def.schema || !builtinIndex().has(def.schema);
  };
  const schemaOf = (def: ResourceDefinition) => def.schema ?? customResourceDefinitionName(def);

  function current(): GenerationState {
    if (state && state.generation === registry.generation) return state;
    const base = builtinIndex();
    deleteReturnsObject ??= new Set(definitions().deleteReturnsObject);
    const extra: Record<string, Schema> = {};
    const extraV2: Record<string, Schema> = {};
    for (const def of registry.all()) {
      if (!isCustomResource(def) || base.has(schemaOf(def))) continue;
      const given = opts.customResourceSchema?.(def);
      Object.assign(extra, customResourceSchemas(def, given?.v3));
      Object.assign(extraV2, customResourceSchemas(def, given?.v2));
    }
    const index = Object.keys(extra).length ? base.with(extra) : base;
    const indexV2 = Object.keys(extraV2).length ? base.with(extraV2) : base;
    const ctx: OperationContext = {
      schemaOf,
      listSchemaOf: (def) => (def.listKind ? customResourceListName(def) : `${schemaOf(def)}List`),
      schemaOfKind: (gvk) => index.nameOf(gvk),
      deleteReturnsObject: (s) => deleteReturnsObject!.has(s),
      isCustomResource,
    };
    const paths = new Map<string, PathModel[]>();
    const customPaths = new Set<string>();
    const customOnly = new Set<string>();
    const groups = registry.groups();
    // groups with built-in resources have discovery paths; CRD-only groups have none upstream
    const builtinGroups: string[] = [];
    for (const { group, versions } of groups) {
      let builtinGroup = false;
      for (const version of versions) {
        const key = group === "" ? `api/${version}` : `apis/${group}/${version}`;
        const defs = registry.resources(group, version);
        const builtins = defs.filter((d) => !isCustomResource(d));
        const custom = customResourceOperations(group, version, defs.filter(isCustomResource), ctx);
        for (const p of custom) customPaths.add(p.path);
        if (builtins.length) {
          builtinGroup = true;
          const merged = [...groupVersionOperations(group, version, builtins, ctx), ...custom];
          paths.set(key, merged.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0)));
        } else {
          customOnly.add(key);
          paths.set(key, custom);
        }
      }
      if (builtinGroup) builtinGroups.push(group);
    }
    for (const [key, p] of discoveryPaths(builtinGroups)) paths.set(key, p);
    for (const key of documents.keys()) if (!paths.has(key)) documents.delete(key);
    state = { generation: registry.generation, index, indexV2, extra, paths, customPaths, customOnly, v3: new Map() };
    return state;
  }

  function v3Document(key: string): { body: Buffer; hash: string } | undefined {
    const s = current();
    const normalized = key.replace(/^\/+/, "").replace(/^openapi\/v3\//, "").replace(/\/+$/, "");
    const cached = s.v3.get(normalized);
    if (cached) return cached;
    const paths = s.paths.get(normalized);
    if (!paths) return undefined;
    // Built-in schemas never change; a document only changes with its operations or with the
    // schemas of the custom resources it serves.
    const custom = [...schemasOf(paths)].filter((n) => s.extra[n]).map((n) => [n, s.extra[n]]);
    const signature = JSON.stringify([paths, custom, s.customOnly.has(normalized)]);
    let built = documents.get(normalized);
    if (!built || built.signature !== signature) {
      const doc = buildV3Document({ paths, index: s.index, overrides: definitions().v3, serverVersion: serverVersion() });
      applyCustomResourceMediaV3(doc, s.customPaths);
      if (s.customOnly.has(normalized)) {
        // upstream serves the CRD builder's document: its own info and no security schemes
        doc.info = { ...CUSTOM_RESOURCE_V3_INFO };
        delete (doc.components as Record<string, unknown>).securitySchemes;
      }
      const body = Buffer.from(JSON.stringify(doc));
      built = { signature, body, hash: computeETag(body) };
      documents.set(normalized, built);
    }
    const result = { body: built.body, hash: built.hash };
    s.v3.set(normalized, result);
    return result;
  }

  function v3IndexState(): NonNullable<GenerationState["v3Index"]> {
    const s = current();
    if (s.v3Index) return s.v3Index;
    const index: OpenApiV3Index = { paths: {} };
    for (const key of [...s.paths.keys()].sort()) {
      const doc = v3Document(key)!;
      index.paths[key] = { serverRelativeURL: `/openapi/v3/${key}?hash=${doc.hash}` };
    }
    const body = Buffer.from(JSON.stringify(index));
    s.v3Index = { index, body, etag: computeETag(body) };
    return s.v3Index;
  }

  function v2Json(): NonNullable<GenerationState["v2Json"]> {
    const s = current();
    if (s.v2Json) return s.v2Json;
    const doc = buildV2Document({ paths: [...s.paths.values()].flat(), index: s.indexV2, serverVersion: serverVersion() });
    applyCustomResourceMediaV2(doc, s.customPaths);
    const body = Buffer.from(JSON.stringify(doc));
    s.v2Json = { body, etag: computeETag(body), doc };
    return s.v2Json;
  }

  return {
    v2() {
      const s = current();
      if (!s.v2Proto) {
        const json = v2Json();
        s.v2Proto = { body: encodeSwagger(json.doc), etag: json.etag };
      }
      return s.v2Proto;
    },
    v2Json() {
      const { body, etag } = v2Json();
      return { body, etag };
    },
    v3Index: () => v3IndexState().index,
    v3IndexBody() {
      const { body, etag } = v3IndexState();
      return { body, etag };
    },
    v3Document,
    get schemas() {
      return current().index;
    },
  };
}
