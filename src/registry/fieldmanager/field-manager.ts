// metadata.managedFields, maintained on every write as upstream's field manager does
// (k8s.io/apimachinery/pkg/util/managedfields/internal over structured-merge-diff), whose chain of
// managers this follows:
//  - an Update (create, PUT, any non-apply patch) compares the live object (a create: the kind's
//    zero object) with the new one; every manager loses what changed or went, and the updater's
//    entry gains what it added or changed, its time refreshed only then (a removal-only update
//    leaves its entry's time alone); at most 10 Update entries are kept, the oldest merging into an
//    "ancient-changes" entry per apiVersion;
//  - an Apply gives its manager exactly the fields of the applied configuration, merges that into
//    the live object, removes the fields it applied before and no longer applies (unless another
//    manager owns them), and refuses (409 FieldManagerConflict) to change a field another manager
//    owns unless forced, in which case ownership moves; its time is set only when the object
//    changed. For fieldManager=kubectl, conflicts on fields the client-side last-applied annotation
//    still agrees with are taken without force, and an existing annotation is rewritten to the
//    applied configuration.
// Entries are identified as upstream does (the JSON of manager, operation, apiVersion unless Apply,
// subresource), and written sorted: Apply before Update, then by time (whole seconds), manager,
// apiVersion and subresource, bytewise.
import { ApiError, errors } from "../../apimachinery/errors.js";
import { isPlainObject, type KubeObject, type ManagedFieldsEntry } from "../../apimachinery/types.js";
import type { Schema } from "../../openapi/schema.js";
import { formatTime } from "../../util/clock.js";
import { deepEqual } from "../../util/deep-equal.js";
import { deepCopy } from "../../storage/codec.js";
import { merge, removePath } from "./apply-merge.js";
import { compareGoStrings, FieldSet, fieldElement, pathString, type FieldPath } from "./field-set.js";
import type { SchemaTypes } from "./schema-types.js";
import { compare, fieldSetOf, hasUndeclaredFields } from "./walk.js";
import { zeroObject } from "./zero-object.js";

/** Fields never tracked (upstream stripmeta): identity and system metadata. */
const STRIPPED: FieldPath[] = [
  [fieldElement("apiVersion")],
  [fieldElement("kind")],
  ...["name", "namespace", "creationTimestamp", "selfLink", "uid", "clusterName", "generation", "managedFields", "resourceVersion"].map(
    (f) => [fieldElement("metadata"), fieldElement(f)],
  ),
];
const METADATA: FieldPath = [fieldElement("metadata")];
const STATUS: FieldPath = [fieldElement("status")];

export const LAST_APPLIED_ANNOTATION = "kubectl.kubernetes.io/last-applied-configuration";
/** The manager whose applies upgrade client-side apply (upstream lastAppliedManager/Updater). */
const KUBECTL = "kubectl";
const MAX_UPDATE_MANAGERS = 10;
const ANCIENT_CHANGES = "ancient-changes";
const TOTAL_ANNOTATION_SIZE_LIMIT = 256 * 1024;

/** One managedFields entry, decoded: who (the identifier's parts), when, and what. */
interface Manager {
  manager: string;
  operation: "Apply" | "Update";
  apiVersion: string;
  subresource: string;
  time: string | undefined;
  set: FieldSet;
}

/** A string as Go's encoding/json writes it (HTML-safe: <, >, & and U+2028/9 escaped). */
function goJsonString(s: string): string {
  return JSON.stringify(s).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

/** A JSON value as Go's json.Marshal writes a map[string]interface{}: keys sorted bytewise. */
function goJson(v: unknown): string {
  if (typeof v === "string") return goJsonString(v);
  if (Array.isArray(v)) return `[${v.map((x) => (x === undefined ? "null" : goJson(x))).join(",")}]`;
  if (isPlainObject(v)) {
    const keys = Object.keys(v)
      .filter((k) => v[k] !== undefined)
      .sort(compareGoStrings);
    return `{${keys.map((k) => `${goJsonString(k)}:${goJson(v[k])}`).join(",")}}`;
  }
  return JSON.stringify(v) ?? "null";
}

/** Upstream BuildManagerIdentifier: the JSON of the entry without time and fields; an Apply without apiVersion. */
function identifier(m: Pick<Manager, "manager" | "operation" | "apiVersion" | "subresource">): string {
  const parts: string[] = [];
  if (m.manager) parts.push(`"manager":${goJsonString(m.manager)}`);
  if (m.operation) parts.push(`"operation":${goJsonString(m.operation)}`);
  if (m.operation !== "Apply" && m.apiVersion) parts.push(`"apiVersion":${goJsonString(m.apiVersion)}`);
  if (m.subresource) parts.push(`"subresource":${goJsonString(m.subresource)}`);
  return `{${parts.join(",")}}`;
}

/** How a conflicting manager is named in messages (upstream printManager). */
function describe(m: Manager): string {
  let s = JSON.stringify(m.manager);
  if (m.subresource) s += ` with subresource ${JSON.stringify(m.subresource)}`;
  if (m.operation === "Update") s += ` using ${m.apiVersion}`;
  return s;
}

const byteOrder = (a: string, b: string) => compareGoStrings(a, b);

interface Conflict {
  id: string;
  manager: Manager;
  path: FieldPath;
}

/** The 409 of an apply (upstream NewConflictError): managers by identifier, each one's paths in set order. */
function conflictError(conflicts: Conflict[]): ApiError {
  const ids = [...new Set(conflicts.map((c) => c.id))].sort(byteOrder);
  const ordered = ids.flatMap((id) => conflicts.filter((c) => c.id === id));
  const causes = ordered.map((c) => ({ reason: "FieldManagerConflict", message: `conflict with ${describe(c.manager)}`, field: pathString(c.path) }));
  let message: string;
  if (ordered.length === 1) {
    message = `Apply failed with 1 conflict: conflict with ${describe(ordered[0]!.manager)}: ${pathString(ordered[0]!.path)}`;
  } else {
    const lines: string[] = [];
    for (const id of ids) {
      const mine = ordered.filter((c) => c.id === id);
      lines.push(`conflicts with ${describe(mine[0]!.manager)}:`);
      for (const c of mine) lines.push(`- ${pathString(c.path)}`);
    }
    message = `Apply failed with ${ordered.length} conflicts: ${lines.join("\n")}`;
  }
  return new ApiError(409, "Conflict", message, { causes });
}

/** Unix seconds of an entry's time (0 without one), as metav1.Time.Unix(). */
function seconds(time: string | undefined): number {
  if (!time) return 0;
  const ms = Date.parse(time);
  return Number.isNaN(ms) ? 0 : Math.floor(ms / 1000);
}

/** metav1.Time serialises at second precision (RFC 3339, UTC). */
function normalizeTime(time: string | undefined): string | undefined {
  if (time === undefined) return undefined;
  const ms = Date.parse(time);
  return Number.isNaN(ms) ? time : formatTime(ms);
}

/** Upstream sortEncodedManagedFields: operation, time (seconds), manager, apiVersion, subresource; bytewise. */
function sortEntries(entries: ManagedFieldsEntry[]): ManagedFieldsEntry[] {
  return entries.sort(
    (p, q) =>
      byteOrder(p.operation ?? "", q.operation ?? "") ||
      seconds(p.time) - seconds(q.time) ||
      byteOrder(p.manager ?? "", q.manager ?? "") ||
      byteOrder(p.apiVersion ?? "", q.apiVersion ?? "") ||
      byteOrder(p.subresource ?? "", q.subresource ?? ""),
  );
}

export interface FieldManagerScope {
  /** The kind's schema (undefined: schemaless, fields deduced from values). */
  schema: Schema | undefined;
  /** apiVersion recorded in entries. */
  apiVersion: string;
  /** "" for the main resource, "status" / "scale" / ... for subresources. */
  subresource: string;
  /** The resource has a status subresource: main-resource writes don't own status, /status writes own only status. */
  hasStatus: boolean;
  now: number;
}

export interface ApplyOptions {
  /**
   * The applied configuration exactly as the client sent it (before the server filled in the name),
   * for the last-applied annotation kubectl's applies rewrite; defaults to the configuration.
   */
  sent?: unknown;
}

export class FieldManager {
  constructor(private readonly types: SchemaTypes) {}

  /** Whether the last element of path is a declared field of a struct (not a map key). */
  private isStructField(path: FieldPath, scope: FieldManagerScope): boolean {
    let type = this.types.typeOf(scope.schema);
    for (let i = 0; i < path.length; i++) {
      const el = path[i]!;
      if (type.kind === "list") {
        type = this.types.typeOf(type.elem);
        continue;
      }
      if (!el.startsWith("f:") || (type.kind !== "struct" && type.kind !== "map")) return false;
      if (i === path.length - 1) return type.kind === "struct";
      type = this.types.typeOf(this.types.child(type, el.slice(2)));
    }
    return false;
  }

  /** The fields a write at this endpoint may touch (upstream's reset fields: status vs the rest). */
  private scoped(set: FieldSet, scope: FieldManagerScope): FieldSet {
    if (scope.subresource === "status") return set.onlyUnder([STATUS]).union(set.has(STATUS) ? FieldSet.of([STATUS]) : new FieldSet());
    if (scope.hasStatus && scope.subresource === "") return set.withoutPrefixes([STATUS]);
    return set;
  }

  /** Without the fields never owned (upstream stripMetaManager). */
  private stripped(set: FieldSet): FieldSet {
    return set.withoutPrefixes(STRIPPED).difference(FieldSet.of([METADATA]));
  }

  private decode(obj: KubeObject | undefined): Map<string, Manager> {
    const managers = new Map<string, Manager>();
    for (const entry of obj?.metadata.managedFields ?? []) {
      const m: Manager = {
        manager: entry.manager ?? "",
        operation: entry.operation === "Apply" ? "Apply" : "Update",
        apiVersion: entry.apiVersion ?? "",
        subresource: entry.subresource ?? "",
        time: entry.time,
        set: FieldSet.fromFieldsV1(entry.fieldsV1 ?? {}),
      };
      managers.set(identifier(m), m);
    }
    return managers;
  }

  /** Upstream encodeManagedFields: entries in metav1.ManagedFieldsEntry's key order, sorted; empty sets dropped. */
  private encode(managers: Map<string, Manager>): ManagedFieldsEntry[] {
    const out: ManagedFieldsEntry[] = [];
    for (const m of managers.values()) {
      if (m.set.empty) continue;
      const e: ManagedFieldsEntry = { manager: m.manager, operation: m.operation, apiVersion: m.apiVersion };
      const time = normalizeTime(m.time);
      if (time !== undefined) e.time = time;
      e.fieldsType = "FieldsV1";
      e.fieldsV1 = m.set.toFieldsV1();
      if (m.subresource) e.subresource = m.subresource;
      out.push(e);
    }
    return sortEntries(out);
  }

  /** Upstream capManagersManager: beyond 10 Update entries, the oldest merge into "ancient-changes" per apiVersion. */
  private capUpdateManagers(managers: Map<string, Manager>): void {
    for (const [id, m] of managers) if (m.set.empty) managers.delete(id);
    const updaters = [...managers.keys()].filter((id) => managers.get(id)!.operation !== "Apply");
    if (updaters.length <= MAX_UPDATE_MANAGERS) return;
    updaters.sort((a, b) => seconds(managers.get(a)!.time) - seconds(managers.get(b)!.time) || byteOrder(a, b));
    const firstOfVersion = new Map<string, string>();
    for (let i = 0, length = updaters.length; i < updaters.length && length > MAX_UPDATE_MANAGERS; i++) {
      const id = updaters[i]!;
      const m = managers.get(id);
      if (!m) continue;
      const version = m.apiVersion;
      const bucketId = identifier({ manager: ANCIENT_CHANGES, operation: "Update", apiVersion: version, subresource: "" });
      const first = firstOfVersion.get(version);
      if (first === undefined) {
        firstOfVersion.set(version, id);
        continue;
      }
      if (!managers.has(bucketId)) {
        const moved = managers.get(first)!;
        managers.delete(first);
        managers.set(bucketId, { manager: ANCIENT_CHANGES, operation: "Update", apiVersion: version, subresource: "", time: undefined, set: moved.set });
      }
      const bucket = managers.get(bucketId)!;
      const set = m.set.union(bucket.set);
      managers.delete(id);
      // the bucket takes the time of the (more recent) entry merged into it
      if (managers.has(bucketId)) managers.set(bucketId, { ...bucket, set, time: m.time });
      length--;
    }
  }

  /** The kind's empty object, what a create is compared against (upstream: scope.Creater.New). */
  private zero(obj: KubeObject, scope: FieldManagerScope): KubeObject {
    const gvk = (scope.schema?.["x-kubernetes-group-version-kind"] as { kind?: string }[] | undefined)?.[0];
    return zeroObject(scope.apiVersion, obj.kind ?? gvk?.kind ?? "") as KubeObject;
  }

  /** Records an Update by `manager` turning `live` (undefined on create) into `next`; sets next.metadata.managedFields. */
  update(live: KubeObject | undefined, next: KubeObject, manager: string, scope: FieldManagerScope): void {
    // managedFields the request carries (a PUT of a read object, kubectl's migration patch) are the base
    const fromRequest = next.metadata.managedFields !== undefined && scope.subresource === "";
    const managers = this.decode(fromRequest ? next : live);
    const cmp = compare(this.types, live ? strip(live) : this.zero(next, scope), strip(next), scope.schema);
    const changed = this.scoped(cmp.added.union(cmp.modified), scope);
    const removed = this.scoped(cmp.removed, scope);
    if (changed.empty && removed.empty) {
      // nothing changed: ownership and timestamps stay as they were
      const kept = fromRequest ? next.metadata.managedFields : live?.metadata.managedFields;
      if (kept !== undefined && kept.length) next.metadata.managedFields = kept;
      else delete next.metadata.managedFields;
      return;
    }
    // Every manager, the updater's own entry included, loses what changed or went; the updater
    // then owns what it changed, and only then is its entry's time refreshed.
    for (const m of managers.values()) m.set = m.set.difference(changed).difference(removed);
    const mine = this.stripped(changed);
    if (!mine.empty) {
      const me = { manager, operation: "Update" as const, apiVersion: scope.apiVersion, subresource: scope.subresource };
      const id = identifier(me);
      const previous = managers.get(id)?.set ?? new FieldSet();
      managers.set(id, { ...me, time: formatTime(scope.now), set: mine.union(previous) });
    }
    this.capUpdateManagers(managers);
    const encoded = this.encode(managers);
    if (encoded.length) next.metadata.managedFields = encoded;
    else delete next.metadata.managedFields;
  }

  /**
   * Applies `config` for `manager` onto `live` (undefined: create from config). Returns the new
   * object with managedFields, or throws a 409 with FieldManagerConflict causes.
   */
  apply(live: KubeObject | undefined, config: KubeObject, manager: string, force: boolean, scope: FieldManagerScope, options: ApplyOptions = {}): KubeObject {
    const mf = (config.metadata as Record<string, unknown> | undefined)?.managedFields;
    if (Array.isArray(mf) && mf.every((e) => isPlainObject(e))) throw errors.badRequest("metadata.managedFields must be nil");
    let result: KubeObject;
    try {
      result = this.applyOnce(live, config, manager, force, scope);
    } catch (err) {
      // kubectl's server-side apply may take, without force, the fields its client-side
      // last-applied annotation sets to their live values (upstream lastAppliedManager)
      if (!(err instanceof ConflictsError) || manager !== KUBECTL) throw err instanceof ConflictsError ? conflictError(err.conflicts) : err;
      const allowed = this.allowedByLastApplied(live, scope);
      if (!allowed) throw conflictError(err.conflicts);
      const remaining = err.conflicts.filter((c) => !allowed.has(c.path));
      if (remaining.length) throw conflictError(remaining);
      result = this.applyOnce(live, config, manager, true, scope);
    }
    // ...and rewrites an existing annotation to the applied configuration (upstream lastAppliedUpdater)
    if (manager === KUBECTL) {
      const annotations = result.metadata.annotations;
      if (isPlainObject(annotations) && typeof annotations[LAST_APPLIED_ANNOTATION] === "string" && annotations[LAST_APPLIED_ANNOTATION] !== "") {
        const updated: Record<string, string> = { ...annotations, [LAST_APPLIED_ANNOTATION]: lastAppliedOf(options.sent ?? config) };
        if (annotationsSize(updated) > TOTAL_ANNOTATION_SIZE_LIMIT) delete updated[LAST_APPLIED_ANNOTATION];
        result.metadata.annotations = updated;
      }
    }
    return result;
  }

  private applyOnce(live: KubeObject | undefined, config: KubeObject, manager: string, force: boolean, scope: FieldManagerScope): KubeObject {
    const managers = this.decode(live);
    const me = { manager, operation: "Apply" as const, apiVersion: scope.apiVersion, subresource: scope.subresource };
    const id = identifier(me);
    const previous = managers.get(id);
    const lastSet = previous?.set;
    const configSet = this.stripped(this.scoped(fieldSetOf(this.types, strip(config), scope.schema), scope));
    const liveValue = live ? strip(live) : undefined;
    // the merge shares untouched subtrees with its base, which the prune below edits: a copy of its own
    const base = live ? strip(live)! : { apiVersion: config.apiVersion, kind: config.kind, metadata: {} };
    const merged = merge(this.types, base, strip(config), scope.schema) as KubeObject;
    if (lastSet) {
      let others = new FieldSet();
      for (const [key, m] of managers) if (key !== id) others = others.union(m.set);
      // A field this manager stopped applying goes, unless someone still owns it; a struct field
      // also stays while someone owns something beneath it (a list item or map key goes whole).
      const kept = configSet.union(others);
      const stale = [...lastSet.difference(kept)]
        .filter((path) => !(path[path.length - 1]!.startsWith("f:") && kept.hasUnder(path) && this.isStructField(path, scope)))
        .sort((a, b) => a.length - b.length);
      const removed: FieldPath[] = [];
      for (const path of stale) {
        if (removed.some((r) => r.length < path.length && r.every((e, i) => e === path[i]))) continue;
        removePath(this.types, merged, scope.schema, path);
        removed.push(path);
      }
    }
    const cmp = compare(this.types, liveValue ?? this.zero(config, scope), merged, scope.schema);
    const changed = this.scoped(cmp.added.union(cmp.modified), scope);
    const removedFields = this.scoped(cmp.removed, scope);
    const conflicts: Conflict[] = [];
    for (const [key, m] of managers) {
      if (key === id) continue;
      for (const path of m.set.intersection(changed).ordered()) conflicts.push({ id: key, manager: m, path });
    }
    if (conflicts.length && !force) throw new ConflictsError(conflicts);
    for (const [key, m] of managers) if (key !== id) m.set = m.set.difference(changed).difference(removedFields);
    // The object did not change: the entry is still (re)written, but its time is not refreshed.
    const unchanged = liveValue !== undefined && deepEqual(liveValue, merged);
    managers.set(id, { ...me, time: unchanged ? previous?.time : formatTime(scope.now), set: configSet });
    const encoded = this.encode(managers);
    if (unchanged) {
      const same = deepCopy(live!);
      if (!deepEqual(encoded, live!.metadata.managedFields ?? [])) {
        if (encoded.length) same.metadata.managedFields = encoded;
        else delete same.metadata.managedFields;
      }
      if (config.metadata?.resourceVersion) same.metadata.resourceVersion = config.metadata.resourceVersion;
      return same;
    }
    if (encoded.length) merged.metadata.managedFields = encoded;
    return live ? restoreSystemMetadata(merged, live, config) : merged;
  }

  /**
   * The fields the last-applied annotation of `live` sets to their live values (upstream
   * allowedConflictsFromLastApplied); undefined when there is no usable annotation.
   */
  private allowedByLastApplied(live: KubeObject | undefined, scope: FieldManagerScope): FieldSet | undefined {
    const text = live?.metadata.annotations?.[LAST_APPLIED_ANNOTATION];
    if (typeof text !== "string" || text === "") return undefined;
    let last: unknown;
    try {
      last = JSON.parse(text);
    } catch {
      return undefined;
    }
    if (!isPlainObject(last) || last.apiVersion !== scope.apiVersion) return undefined;
    if (hasUndeclaredFields(this.types, last, scope.schema)) return undefined;
    const set = fieldSetOf(this.types, last, scope.schema);
    const cmp = compare(this.types, last, live, scope.schema);
    return set.difference(cmp.modified).difference(cmp.added).difference(cmp.removed);
  }
}

/** Conflicts of one apply attempt, before they become the 409 (the lastApplied manager may still allow them). */
class ConflictsError extends Error {
  constructor(readonly conflicts: Conflict[]) {
    super("apply conflicts");
  }
}

/** The annotation kubectl's client-side apply keeps: the configuration without it, as Go encodes JSON. */
function lastAppliedOf(sent: unknown): string {
  const copy = structuredClone(sent) as Record<string, unknown>;
  const meta = isPlainObject(copy) ? copy.metadata : undefined;
  if (isPlainObject(meta) && "annotations" in meta) {
    const annotations = meta.annotations;
    if (isPlainObject(annotations)) delete annotations[LAST_APPLIED_ANNOTATION];
    else delete (meta as Record<string, unknown>).annotations;
  }
  return `${goJson(copy)}\n`;
}

/** Upstream ValidateAnnotationsSize: the total of keys and values, in bytes. */
function annotationsSize(annotations: Record<string, unknown>): number {
  let n = 0;
  for (const [k, v] of Object.entries(annotations)) n += Buffer.byteLength(k) + Buffer.byteLength(String(v));
  return n;
}

/** A copy without managedFields (they are not part of the object the field sets describe). */
function strip(obj: KubeObject | undefined): KubeObject | undefined {
  if (!obj) return undefined;
  const copy = deepCopy(obj);
  delete copy.metadata.managedFields;
  return copy;
}

/**
 * System metadata of the live object survives an apply (the generic store re-checks it anyway);
 * a resourceVersion in the applied configuration stays, as the optimistic-lock precondition.
 */
function restoreSystemMetadata(merged: KubeObject, live: KubeObject, config: KubeObject): KubeObject {
  for (const k of ["name", "namespace", "uid", "resourceVersion", "creationTimestamp", "generation", "deletionTimestamp", "deletionGracePeriodSeconds"] as const) {
    const v = live.metadata[k];
    if (v === undefined) delete merged.metadata[k];
    else (merged.metadata as Record<string, unknown>)[k] = v;
  }
  if (config.metadata?.resourceVersion) merged.metadata.resourceVersion = config.metadata.resourceVersion;
  return merged;
}
