// Lookup of the published schemas by definition name and by group/version/kind, with the few
// traversals the server needs: unknown-field detection for strict decoding and the patch
// metadata (strategy, merge key, list type) of a field for strategic merge patch.
import type { GroupVersionKind, Schema } from "./schema.js";
import { V2_REF_PREFIX, V3_REF_PREFIX } from "./schema.js";

export interface PatchMeta {
  /** x-kubernetes-patch-strategy split on ",": ["merge"], ["retainKeys"], ["merge", "retainKeys"], ["replace"]. */
  strategies: string[];
  mergeKey?: string;
  listType?: "atomic" | "set" | "map";
  listMapKeys?: string[];
  mapType?: "atomic" | "granular";
}

const MANAGED_FIELDS_ENTRY = "io.k8s.apimachinery.pkg.apis.meta.v1.ManagedFieldsEntry";

/**
 * Fields typed as a non-pointer metav1.Time/MicroTime (`omitempty` does not omit a struct), which
 * Go encodes as `null` when zero — so a pod condition always reads back with `lastProbeTime: null`
 * and a core Event with `eventTime: null`. Facts from the Go types of 1.33.
 */
const NULL_WHEN_ZERO: Record<string, readonly string[]> = {
  "io.k8s.api.core.v1.PodCondition": ["lastProbeTime", "lastTransitionTime"],
  "io.k8s.api.core.v1.NodeCondition": ["lastHeartbeatTime", "lastTransitionTime"],
  "io.k8s.api.core.v1.PersistentVolumeClaimCondition": ["lastProbeTime", "lastTransitionTime"],
  "io.k8s.api.core.v1.NamespaceCondition": ["lastTransitionTime"],
  "io.k8s.api.core.v1.ReplicationControllerCondition": ["lastTransitionTime"],
  "io.k8s.api.core.v1.ContainerStateRunning": ["startedAt"],
  "io.k8s.api.core.v1.ContainerStateTerminated": ["startedAt", "finishedAt"],
  "io.k8s.api.core.v1.Event": ["firstTimestamp", "lastTimestamp", "eventTime"],
  "io.k8s.api.core.v1.EventSeries": ["lastObservedTime"],
  "io.k8s.api.events.v1.Event": ["deprecatedFirstTimestamp", "deprecatedLastTimestamp"],
  "io.k8s.api.apps.v1.DeploymentCondition": ["lastUpdateTime", "lastTransitionTime"],
  "io.k8s.api.apps.v1.ReplicaSetCondition": ["lastTransitionTime"],
  "io.k8s.api.apps.v1.StatefulSetCondition": ["lastTransitionTime"],
  "io.k8s.api.apps.v1.DaemonSetCondition": ["lastTransitionTime"],
  "io.k8s.api.batch.v1.JobCondition": ["lastProbeTime", "lastTransitionTime"],
  "io.k8s.api.autoscaling.v2.HorizontalPodAutoscalerCondition": ["lastTransitionTime"],
  "io.k8s.api.certificates.v1.CertificateSigningRequestCondition": ["lastUpdateTime", "lastTransitionTime"],
  "io.k8s.api.flowcontrol.v1.FlowSchemaCondition": ["lastTransitionTime"],
  "io.k8s.api.flowcontrol.v1.PriorityLevelConfigurationCondition": ["lastTransitionTime"],
  "io.k8s.api.storage.v1.VolumeError": ["time"],
  "io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.CustomResourceDefinitionCondition": ["lastTransitionTime"],
  "io.k8s.kube-aggregator.pkg.apis.apiregistration.v1.APIServiceCondition": ["lastTransitionTime"],
};
const gvkKey = (g: GroupVersionKind) => `${g.group}/${g.version}/${g.kind}`;
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

export class SchemaIndex {
  private readonly definitions: ReadonlyMap<string, Schema>;
  private gvks?: Map<string, string>;
  private readonly refNames = new WeakMap<Schema, string | null>();
  private readonly resolved = new WeakMap<Schema, Schema>();

  constructor(definitions: Record<string, Schema> | ReadonlyMap<string, Schema>) {
    this.definitions = definitions instanceof Map ? definitions : new Map(Object.entries(definitions));
  }

  /** A new index with more definitions (custom resources); theirs win on a name clash. */
  with(extra: Record<string, Schema>): SchemaIndex {
    return new SchemaIndex(new Map([...this.definitions, ...Object.entries(extra)]));
  }

  get names(): string[] {
    return [...this.definitions.keys()];
  }

  has(name: string): boolean {
    return this.definitions.has(name);
  }

  get(name: string): Schema | undefined {
    return this.definitions.get(name);
  }

  /** Definition name of the kind, from x-kubernetes-group-version-kind. */
  nameOf(gvk: GroupVersionKind): string | undefined {
    if (!this.gvks) {
      this.gvks = new Map();
      for (const [name, s] of this.definitions) for (const g of s["x-kubernetes-group-version-kind"] ?? []) if (!this.gvks.has(gvkKey(g))) this.gvks.set(gvkKey(g), name);
    }
    return this.gvks.get(gvkKey(gvk));
  }

  byGVK(gvk: GroupVersionKind): Schema | undefined {
    const name = this.nameOf(gvk);
    return name === undefined ? undefined : this.get(name);
  }

  /** The definition a schema refers to ($ref, or a single allOf entry as OpenAPI v3 writes it). */
  refName(schema: Schema): string | undefined {
    // schemas are never changed once indexed: each one's answer is computed once (every write
    // walks its object's schema)
    const known = this.refNames.get(schema);
    if (known !== undefined) return known === null ? undefined : known;
    const ref = schema.$ref ?? (schema.allOf?.length === 1 ? schema.allOf[0]!.$ref : undefined);
    let name: string | undefined;
    if (ref?.startsWith(V2_REF_PREFIX)) name = ref.slice(V2_REF_PREFIX.length);
    else if (ref?.startsWith(V3_REF_PREFIX)) name = ref.slice(V3_REF_PREFIX.length);
    this.refNames.set(schema, name ?? null);
    return name;
  }

  /** Follows references to the schema that describes the value. */
  resolve(schema: Schema): Schema {
    const known = this.resolved.get(schema);
    if (known !== undefined) return known;
    let s = schema;
    for (let depth = 0; depth < 16; depth++) {
      const name = this.refName(s);
      const target = name === undefined ? undefined : this.definitions.get(name);
      if (!target) break;
      s = target;
    }
    this.resolved.set(schema, s);
    return s;
  }

  /** The schema of field `name` of an object schema (the property itself, carrying patch metadata). */
  property(schema: Schema, name: string): Schema | undefined {
    return this.resolve(schema).properties?.[name];
  }

  /** The element schema of an array, or the value schema of a map. */
  elementOf(schema: Schema): Schema | undefined {
    const s = this.resolve(schema);
    if (s.items) return s.items;
    return typeof s.additionalProperties === "object" ? s.additionalProperties : undefined;
  }

  /** Follows a path of field names from a definition; undefined when a field is not declared. */
  at(name: string, path: readonly string[]): Schema | undefined {
    let s: Schema | undefined = this.get(name);
    for (const field of path) {
      if (!s) return undefined;
      const resolved = this.resolve(s);
      s = resolved.properties?.[field] ?? (resolved.items ? this.property(resolved.items, field) : undefined);
    }
    return s;
  }

  /** Patch metadata of a field schema (as returned by property()). */
  patchMeta(field: Schema | undefined): PatchMeta {
    if (!field) return { strategies: [] };
    const strategy = field["x-kubernetes-patch-strategy"];
    const mapType = field["x-kubernetes-map-type"] ?? this.resolve(field)["x-kubernetes-map-type"];
    return {
      strategies: strategy ? strategy.split(",") : [],
      ...(field["x-kubernetes-patch-merge-key"] ? { mergeKey: field["x-kubernetes-patch-merge-key"] } : {}),
      ...(field["x-kubernetes-list-type"] ? { listType: field["x-kubernetes-list-type"] } : {}),
      ...(field["x-kubernetes-list-map-keys"] ? { listMapKeys: field["x-kubernetes-list-map-keys"] } : {}),
      ...(mapType ? { mapType } : {}),
    };
  }

  /**
   * Fields of `value` its schema does not declare, as upstream's strict decoding names them:
   * "spec.foo", "spec.containers[0].bar". Maps, arbitrary objects (RawExtension, FieldsV1) and
   * x-kubernetes-preserve-unknown-fields accept any key.
   */
  unknownFields(name: string, value: unknown): string[] {
    const root = this.get(name);
    const out: string[] = [];
    if (!root) return out;
    const walk = (schema: Schema, v: unknown, path: string, depth: number) => {
      if (depth > 64) return;
      const s = this.resolve(schema);
      // unknown fields are kept at this level, but the declared ones are still typed
      const preserve = s["x-kubernetes-preserve-unknown-fields"] === true;
      if (Array.isArray(v)) {
        if (s.items) v.forEach((x, i) => walk(s.items!, x, `${path}[${i}]`, depth + 1));
        return;
      }
      if (!isObject(v)) return;
      if (s.properties) {
        for (const [k, x] of Object.entries(v)) {
          const child = path ? `${path}.${k}` : k;
          const p = s.properties[k];
          if (p) walk(p, x, child, depth + 1);
          else if (typeof s.additionalProperties === "object") walk(s.additionalProperties, x, child, depth + 1);
          else if (s.additionalProperties !== true && !preserve) out.push(child);
        }
      } else if (typeof s.additionalProperties === "object") {
        for (const [k, x] of Object.entries(v)) walk(s.additionalProperties, x, path ? `${path}.${k}` : k, depth + 1);
      }
    };
    walk(root, value, "", 0);
    return out;
  }

  /**
   * Removes the fields unknownFields() reports, in place — what decoding into upstream's typed
   * structs does to a built-in object.
   */
  /**
   * Drops what decoding into the kind's Go type and encoding it again drops: unknown fields, and
   * for built-in kinds (`typed`) null values and empty optional lists and maps (omitempty), except
   * managedFields, whose empty list asks the field manager to reset.
   */
  prune(name: string, value: unknown, opts: { typed?: boolean } = {}): void {
    const root = this.get(name);
    if (!root) return;
    const typed = opts.typed ?? true;
    const emptyOptional = (s: Schema, key: string, parent: Schema): boolean => {
      if (parent.required?.includes(key)) return false;
      const r = this.resolve(s);
      if (r.type === "array" || r.items) return !(r.items && this.refName(r.items) === MANAGED_FIELDS_ENTRY);
      return !r.properties && typeof r.additionalProperties === "object";
    };
    const walk = (schema: Schema, v: unknown, depth: number, definition = this.refName(schema)) => {
      if (depth > 64) return;
      const s = this.resolve(schema);
      if (s["x-kubernetes-preserve-unknown-fields"] === true) return;
      if (Array.isArray(v)) {
        if (s.items) for (const x of v) walk(s.items, x, depth + 1);
        return;
      }
      if (!isObject(v)) return;
      const nullWhenZero = typed ? NULL_WHEN_ZERO[definition ?? ""] : undefined;
      if (nullWhenZero) for (const k of nullWhenZero) v[k] ??= null;
      if (s.properties) {
        for (const [k, x] of Object.entries(v)) {
          const p = s.properties[k];
          if (x === null && nullWhenZero?.includes(k)) continue;
          if (typed && x === null && (p || typeof s.additionalProperties !== "object")) delete v[k];
          else if (p) {
            walk(p, x, depth + 1);
            if (typed && ((Array.isArray(x) && x.length === 0) || (isObject(x) && Object.keys(x).length === 0)) && emptyOptional(p, k, s)) delete v[k];
          } else if (typeof s.additionalProperties === "object") walk(s.additionalProperties, x, depth + 1);
          else if (s.additionalProperties !== true) delete v[k];
        }
      } else if (typeof s.additionalProperties === "object") {
        for (const x of Object.values(v)) walk(s.additionalProperties, x, depth + 1);
      }
    };
    walk(root, value, 0, name);
  }

  /** The named definitions and every definition they reference, transitively. */
  closure(names: Iterable<string>): Set<string> {
    const seen = new Set<string>();
    const pending = [...names];
    const visit = (v: unknown) => {
      if (Array.isArray(v)) v.forEach(visit);
      else if (isObject(v)) {
        for (const [k, x] of Object.entries(v)) {
          if (k === "$ref" && typeof x === "string") {
            const n = this.refName({ $ref: x });
            if (n !== undefined && !seen.has(n)) pending.push(n);
          } else visit(x);
        }
      }
    };
    while (pending.length) {
      const n = pending.pop()!;
      if (seen.has(n) || !this.definitions.has(n)) continue;
      seen.add(n);
      visit(this.definitions.get(n));
    }
    return seen;
  }
}
