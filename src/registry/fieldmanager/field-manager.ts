// metadata.managedFields, maintained on every write as upstream's field manager does
// (apiserver/pkg/endpoints/handlers/fieldmanager over structured-merge-diff):
//  - an Update (create, PUT, any non-apply patch) gives its manager the fields it added or changed
//    and takes them from every other manager;
//  - an Apply gives its manager exactly the fields of the applied configuration, merges that into
//    the live object, removes the fields it applied before and no longer applies (unless another
//    manager owns them), and refuses (409 FieldManagerConflict) to change a field another manager
//    owns unless forced, in which case ownership moves.
import { ApiError } from "../../apimachinery/errors.js";
import type { KubeObject, ManagedFieldsEntry } from "../../apimachinery/types.js";
import type { Schema } from "../../openapi/schema.js";
import { formatTime } from "../../util/clock.js";
import { deepCopy } from "../../storage/codec.js";
import { merge, removePath } from "./apply-merge.js";
import { FieldSet, fieldElement, pathString, type FieldPath } from "./field-set.js";
import type { SchemaTypes } from "./schema-types.js";
import { compare, fieldSetOf } from "./walk.js";

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

interface Manager {
  entry: ManagedFieldsEntry;
  set: FieldSet;
}

/** Upstream BuildManagerIdentifier: time never counts; an Apply is one entry per manager whatever the version. */
function identity(e: ManagedFieldsEntry): string {
  return JSON.stringify([e.manager ?? "", e.operation ?? "", e.operation === "Apply" ? "" : e.apiVersion ?? "", e.subresource ?? ""]);
}

/** How a conflicting manager is named in messages (upstream printManager). */
function describe(e: ManagedFieldsEntry): string {
  let s = JSON.stringify(e.manager ?? "");
  if (e.subresource) s += ` with subresource ${JSON.stringify(e.subresource)}`;
  if (e.operation === "Update") s += ` using ${e.apiVersion ?? ""}`;
  return s;
}

function conflictError(conflicts: { manager: ManagedFieldsEntry; path: FieldPath }[]): ApiError {
  const causes = conflicts.map((c) => ({ reason: "FieldManagerConflict", message: `conflict with ${describe(c.manager)}`, field: pathString(c.path) }));
  let message: string;
  if (conflicts.length === 1) {
    message = `Apply failed with 1 conflict: conflict with ${describe(conflicts[0]!.manager)}: ${pathString(conflicts[0]!.path)}`;
  } else {
    const byManager = new Map<string, string[]>();
    for (const c of conflicts) {
      const k = describe(c.manager);
      if (!byManager.has(k)) byManager.set(k, []);
      byManager.get(k)!.push(pathString(c.path));
    }
    const lines: string[] = [];
    for (const k of [...byManager.keys()].sort()) {
      lines.push(`conflicts with ${k}:`);
      for (const p of byManager.get(k)!) lines.push(`- ${p}`);
    }
    message = `Apply failed with ${conflicts.length} conflicts: ${lines.join("\n")}`;
  }
  return new ApiError(409, "Conflict", message, { causes });
}

function sortEntries(entries: ManagedFieldsEntry[]): ManagedFieldsEntry[] {
  const secs = (e: ManagedFieldsEntry) => (e.time ? Date.parse(e.time) : 0);
  return entries.sort(
    (p, q) =>
      (p.operation ?? "").localeCompare(q.operation ?? "") ||
      secs(p) - secs(q) ||
      (p.manager ?? "").localeCompare(q.manager ?? "") ||
      (p.subresource ?? "").localeCompare(q.subresource ?? ""),
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

  private tracked(set: FieldSet, scope: FieldManagerScope): FieldSet {
    let s = set.withoutPrefixes(STRIPPED).difference(FieldSet.of([METADATA]));
    if (scope.subresource === "status") s = s.onlyUnder([STATUS]).union(s.has(STATUS) ? FieldSet.of([STATUS]) : new FieldSet());
    else if (scope.hasStatus && scope.subresource === "") s = s.withoutPrefixes([STATUS]);
    return s;
  }

  private decode(obj: KubeObject | undefined): Map<string, Manager> {
    const managers = new Map<string, Manager>();
    for (const entry of obj?.metadata.managedFields ?? []) {
      managers.set(identity(entry), { entry, set: FieldSet.fromFieldsV1(entry.fieldsV1 ?? {}) });
    }
    return managers;
  }

  private encode(managers: Map<string, Manager>): ManagedFieldsEntry[] {
    const out: ManagedFieldsEntry[] = [];
    for (const { entry, set } of managers.values()) {
      if (set.empty) continue;
      out.push({ ...entry, fieldsType: "FieldsV1", fieldsV1: set.toFieldsV1() });
    }
    return sortEntries(out);
  }

  private entry(manager: string, operation: "Apply" | "Update", scope: FieldManagerScope): ManagedFieldsEntry {
    const e: ManagedFieldsEntry = { manager, operation, apiVersion: scope.apiVersion, time: formatTime(scope.now), fieldsType: "FieldsV1" };
    if (scope.subresource) e.subresource = scope.subresource;
    return e;
  }

  /** Records an Update by `manager` turning `live` (undefined on create) into `next`; sets next.metadata.managedFields. */
  update(live: KubeObject | undefined, next: KubeObject, manager: string, scope: FieldManagerScope): void {
    // managedFields the request carries (a PUT of a read object, kubectl's migration patch) are the base
    const fromRequest = next.metadata.managedFields !== undefined && scope.subresource === "";
    const managers = this.decode(fromRequest ? next : live);
    const cmp = compare(this.types, strip(live), strip(next), scope.schema);
    const changed = this.tracked(cmp.added.union(cmp.modified), scope);
    const removed = cmp.removed;
    if (changed.empty && removed.empty) {
      // nothing changed: ownership and timestamps stay as they were
      const kept = fromRequest ? next.metadata.managedFields : live?.metadata.managedFields;
      if (kept !== undefined && kept.length) next.metadata.managedFields = kept;
      else delete next.metadata.managedFields;
      return;
    }
    const me = this.entry(manager, "Update", scope);
    const id = identity(me);
    for (const [key, m] of managers) if (key !== id) m.set = m.set.difference(changed).difference(removed);
    const previous = managers.get(id)?.set ?? new FieldSet();
    managers.set(id, { entry: me, set: previous.difference(removed).union(changed) });
    next.metadata.managedFields = this.encode(managers);
  }

  /**
   * Applies `config` for `manager` onto `live` (undefined: create from config). Returns the new
   * object with managedFields, or throws a 409 with FieldManagerConflict causes.
   */
  apply(live: KubeObject | undefined, config: KubeObject, manager: string, force: boolean, scope: FieldManagerScope): KubeObject {
    const managers = this.decode(live);
    const me = this.entry(manager, "Apply", scope);
    const id = identity(me);
    const lastSet = managers.get(id)?.set;
    const configSet = this.tracked(fieldSetOf(this.types, strip(config), scope.schema), scope);
    const base = live ? strip(live) : { apiVersion: config.apiVersion, kind: config.kind, metadata: {} };
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
    const cmp = compare(this.types, live ? strip(live) : undefined, merged, scope.schema);
    const changed = this.tracked(cmp.added.union(cmp.modified), scope);
    const conflicts: { manager: ManagedFieldsEntry; path: FieldPath }[] = [];
    for (const [key, m] of managers) {
      if (key === id) continue;
      for (const path of m.set.intersection(changed)) conflicts.push({ manager: m.entry, path });
    }
    if (conflicts.length && !force) throw conflictError(conflicts.sort((a, b) => pathString(a.path).localeCompare(pathString(b.path))));
    for (const [key, m] of managers) if (key !== id) m.set = m.set.difference(changed).difference(cmp.removed);
    const unchanged = cmp.added.empty && cmp.modified.empty && cmp.removed.empty;
    const sameOwnership = lastSet !== undefined && lastSet.size === configSet.size && lastSet.difference(configSet).empty;
    if (unchanged && sameOwnership && live) {
      const same = deepCopy(live);
      if (config.metadata?.resourceVersion) same.metadata.resourceVersion = config.metadata.resourceVersion;
      return same;
    }
    managers.set(id, { entry: me, set: configSet });
    merged.metadata.managedFields = this.encode(managers);
    return live ? restoreSystemMetadata(merged, live, config) : merged;
  }
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
