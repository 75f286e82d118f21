// A resource is a declaration. Built-in kinds declare themselves with defineResource(); a CRD is
// turned into the same ResourceDefinition at runtime. The generic store, the verb handlers,
// discovery, OpenAPI paths and Table output are all derived from it; nothing in generic code
// asks which resource it is handling.
import type { FieldError } from "../apimachinery/field-errors.js";
import type { KubeObject } from "../apimachinery/types.js";
import type { Printer } from "./printer.js";
import type { RequestContext } from "./context.js";
import type { RestStorage } from "./rest.js";

export type Verb = "get" | "list" | "watch" | "create" | "update" | "patch" | "delete" | "deletecollection";

export const ALL_VERBS: readonly Verb[] = ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"];

/** Returns the value of one selectable field of an object (upstream GetAttrs), as a string. */
export type FieldGetter = (obj: KubeObject) => string | undefined;

/**
 * Per-resource policy (upstream RESTCreateStrategy/RESTUpdateStrategy/RESTDeleteStrategy).
 * Every hook is optional; the generic store supplies upstream's common behaviour around them.
 */
export interface Strategy {
  /**
   * When metadata.generation changes. "spec": set to 1 on create and bumped when .spec changes
   * (deployments, jobs, ...); "nonStatus": bumped on any change outside metadata and status (CRDs,
   * custom resources); "specAndAnnotations": like "spec", and also on annotation changes
   * (deployments, whose rollback used an annotation); undefined: not maintained (configmaps, ...).
   */
  generation?: "spec" | "specAndAnnotations" | "nonStatus";
  /**
   * The rule metadata.name must satisfy (upstream ValidateObjectMeta's nameFn): DNS-1123 subdomain
   * (default; most kinds), DNS-1123 label (namespaces, ...), DNS-1035 label (services) or path
   * segment (RBAC kinds, ...). Checked generically on create, with upstream's messages.
   */
  nameValidation?: "DNS1123Subdomain" | "DNS1123Label" | "DNS1035Label" | "PathSegment";
  /**
   * With a status subresource the generic store resets .status to {} on create, as upstream
   * strategies do; kinds whose creators legitimately set status (nodes) opt out.
   */
  keepStatusOnCreate?: boolean;
  /**
   * The status a new object gets instead of {} — the JSON of upstream's zero status struct, whose
   * non-omitempty fields Go still writes (ReplicaSet `{replicas: 0}`, Service `{loadBalancer: {}}`).
   */
  initialStatus?: Record<string, unknown>;
  /** Normalises a new object; runs after generic metadata is filled (uid, timestamps). */
  prepareForCreate?(ctx: RequestContext, obj: KubeObject): void;
  /** Validates a new object; must not mutate it. Metadata (name, labels, ...) is validated generically. */
  validate?(ctx: RequestContext, obj: KubeObject): FieldError[];
  /** Warnings (HTTP Warning headers) for a create. */
  warningsOnCreate?(ctx: RequestContext, obj: KubeObject): string[];
  /** Normalises an update of the main resource, given the stored object. */
  prepareForUpdate?(ctx: RequestContext, obj: KubeObject, old: KubeObject): void;
  validateUpdate?(ctx: RequestContext, obj: KubeObject, old: KubeObject): FieldError[];
  warningsOnUpdate?(ctx: RequestContext, obj: KubeObject, old: KubeObject): string[];
  /** Final normalisation before storing (both create and update). */
  canonicalize?(obj: KubeObject): void;
  /** PUT of a missing object creates it (upstream AllowCreateOnUpdate). */
  allowCreateOnUpdate?: boolean;
  /** PUT without metadata.resourceVersion is accepted (upstream AllowUnconditionalUpdate). */
  allowUnconditionalUpdate?: boolean;
  /**
   * Makes the resource gracefully deletable (pods): the grace period a delete gets, given the one
   * the client requested (upstream CheckGracefulDelete may override it, e.g. 0 for unscheduled pods).
   */
  gracePeriodSeconds?(obj: KubeObject, requested?: number): number | undefined;
  /** Upstream's DefaultGarbageCollectionPolicy: what an unspecified propagationPolicy means. */
  defaultGarbageCollectionPolicy?: "OrphanDependents" | "DeleteDependents";
  /**
   * Called when a delete finds the object; returning true keeps it (deletion pending) with
   * deletionTimestamp set, after the hook has marked it (namespaces: spec.finalizers, phase
   * Terminating). Objects with metadata.finalizers are kept generically without this hook.
   */
  beginDelete?(ctx: RequestContext, obj: KubeObject): boolean;
  /**
   * Whether a deleting object (deletionTimestamp set) may now be removed after an update. Default:
   * no metadata.finalizers left. Namespaces also wait for spec.finalizers.
   */
  readyToDelete?(obj: KubeObject): boolean;
  /** Hooks for the status subresource update (default: only .status changes, all else is kept). */
  prepareForStatusUpdate?(ctx: RequestContext, obj: KubeObject, old: KubeObject): void;
  validateStatusUpdate?(ctx: RequestContext, obj: KubeObject, old: KubeObject): FieldError[];
}

/** Where the scale subresource finds replicas and the selector (upstream/CRD scale spec). */
export interface ScaleSubresource {
  /** Dotted path of the desired replicas, e.g. ".spec.replicas". */
  specReplicasPath: string;
  /** Dotted path of the observed replicas, e.g. ".status.replicas". */
  statusReplicasPath: string;
  /**
   * How Scale.status.selector is produced: a dotted path to a serialised selector string (CRDs,
   * ".status.selector"), or "spec.selector" to serialise a LabelSelector/map selector as upstream does.
   */
  labelSelectorPath?: string;
}

/** A subresource served by its own REST object (binding, eviction, token, approval, ...). */
export interface CustomSubresource {
  /** Kind of the request/response object (discovery responseKind). */
  kind: string;
  /** Group/version of that kind when it differs from the parent (pods/eviction is policy/v1). */
  group?: string;
  version?: string;
  /** Builds the REST object once the registry is assembled. */
  rest: RestStorage;
}

/**
 * How objects of a served version are kept in storage. Two served resources may share one storage
 * resource (core/v1 events and events.k8s.io/v1 events; autoscaling v1 and v2 HPAs): the shared one
 * names the owner and converts both ways.
 */
export interface StorageBinding {
  group: string;
  resource: string;
  /** Converts an object of this served version to the storage version (in place or new). */
  toStorage(obj: KubeObject): KubeObject;
  /** Converts a stored object to this served version. */
  fromStorage(obj: KubeObject): KubeObject;
}

/**
 * How a served version of a resource with several versions reads and writes the objects it shares
 * with its sibling versions (custom resources): the version gets its own store — its own strategy,
 * defaults and validation run on objects of this version — and objects are converted at the storage
 * boundary (upstream's storage codec). Conversion may be asynchronous (conversion webhooks).
 */
export interface StorageCodec {
  /** The stored resource whose objects this version shares. */
  group: string;
  resource: string;
  /** A stored object as this version serves it. */
  decode(obj: KubeObject): KubeObject | Promise<KubeObject>;
  /** An object of this version as it is stored. */
  encode(obj: KubeObject): KubeObject | Promise<KubeObject>;
}

export interface ResourceDefinition {
  group: string;
  version: string;
  kind: string;
  /** Resource name in URLs (plural, lower case). */
  plural: string;
  singular: string;
  namespaced: boolean;
  /** The list kind when it is not <kind>List (a CRD's spec.names.listKind). */
  listKind?: string;
  shortNames?: string[];
  categories?: string[];
  /** OpenAPI definition name of the kind, e.g. "io.k8s.api.apps.v1.Deployment". */
  schema?: string;
  /** The generic verbs served (default ALL_VERBS). Virtual resources list only what their rest serves. */
  verbs?: readonly Verb[];
  strategy?: Strategy;
  /** The status/scale subresources as upstream declares them for the kind. */
  subresources?: {
    status?: boolean;
    scale?: ScaleSubresource;
    custom?: Record<string, CustomSubresource>;
  };
  printer?: Printer;
  /**
   * Upstream's defaulting for this served version, applied to every object a client writes (the
   * body of a create or update, the result of a patch) before admission and validation.
   */
  defaults?: (obj: KubeObject) => void;
  /**
   * What upstream's conversion of this version to the internal one and back adds to an object
   * (e.g. the DaemonSet template-generation annotation); runs after the defaults, wherever they run.
   */
  roundTrip?: (obj: KubeObject) => void;
  /**
   * Upstream's API validation of the kind (ValidateX / ValidateXUpdate), run by the store after the
   * strategy's own checks; messages are what kubectl prints under "... is invalid:".
   */
  validation?: {
    create?(obj: KubeObject): FieldError[];
    update?(obj: KubeObject, old: KubeObject): FieldError[];
  };
  /** Field selectors beyond metadata.name and metadata.namespace (upstream GetAttrs of the kind). */
  fieldSelectors?: Record<string, FieldGetter>;
  /** Storage shared with another served resource; default: the resource owns its own storage. */
  storage?: StorageBinding;
  /** Its own store over objects shared with other versions, converted at the storage boundary. */
  codec?: StorageCodec;
  /**
   * Drops the fields the kind does not declare and returns their paths ("spec.foo",
   * "spec.items[0].bar"), for fieldValidation; default: the published schema's typed decoding.
   */
  prune?: (obj: KubeObject) => string[];
  /** Replaces the generic store for resources that are not stored (reviews, ...). */
  rest?: RestStorage;
  /**
   * A custom resource (built from a CRD): patch types exclude strategic merge, and OpenAPI takes its
   * schema from the CRD instead of the built-in definitions.
   */
  customResource?: boolean;
  /** A deprecated resource: every request to it gets this Warning (upstream: endpoints in 1.33). */
  deprecated?: { warning: string };
}

/** Freezes a built-in declaration; a single place to check what generic code relies on. */
export function defineResource(def: ResourceDefinition): ResourceDefinition {
  if (!/^[a-z0-9]+$/.test(def.plural)) throw new TypeError(`resource ${def.kind}: bad plural ${def.plural}`);
  if ([def.rest, def.storage, def.codec].filter(Boolean).length > 1) throw new TypeError(`resource ${def.plural}: rest, storage and codec are exclusive`);
  return Object.freeze(def);
}

export function apiVersionOfDefinition(def: Pick<ResourceDefinition, "group" | "version">): string {
  return def.group ? `${def.group}/${def.version}` : def.version;
}

export function listKindOf(def: Pick<ResourceDefinition, "kind" | "listKind">): string {
  return def.listKind ?? `${def.kind}List`;
}
