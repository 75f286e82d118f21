// Strategic merge patch for built-in kinds (upstream apimachinery/pkg/util/strategicpatch): like
// JSON merge patch, except that lists whose field declares `x-kubernetes-patch-strategy: merge`
// merge element-wise by their merge key (containers by name, ports by containerPort, ...) or as
// sets of primitives (finalizers), and the directives `$patch` (replace | delete),
// `$retainKeys`, `$setElementOrder/<list>` and `$deleteFromPrimitiveList/<list>` steer the merge.
// Directives are consumed here and never stored. Merge keys and strategies come from the same
// schemas the OpenAPI documents publish.
import { errors } from "../../apimachinery/errors.js";
import { isPlainObject } from "../../apimachinery/types.js";
import type { PatchMeta, SchemaIndex } from "../../openapi/schema-index.js";
import type { Schema } from "../../openapi/schema.js";
import { deepEqual } from "../../util/deep-equal.js";

type JsonMap = Record<string, unknown>;

const DIRECTIVE = "$patch";
const RETAIN_KEYS = "$retainKeys";
const SET_ELEMENT_ORDER = "$setElementOrder/";
const DELETE_FROM_PRIMITIVE_LIST = "$deleteFromPrimitiveList/";

/** Walks the schema alongside the document; undefined schema means "no patch metadata known". */
class SchemaCursor {
  constructor(private readonly index: SchemaIndex | undefined) {}

  field(schema: Schema | undefined, key: string): Schema | undefined {
    if (!schema || !this.index) return undefined;
    const resolved = this.index.resolve(schema);
    if (resolved.properties) return resolved.properties[key];
    return typeof resolved.additionalProperties === "object" ? resolved.additionalProperties : undefined;
  }

  element(schema: Schema | undefined): Schema | undefined {
    return schema && this.index ? this.index.elementOf(schema) : undefined;
  }

  meta(field: Schema | undefined): PatchMeta {
    return this.index ? this.index.patchMeta(field) : { strategies: [] };
  }
}

/** Go's %v of a map, for upstream's error texts: map[a:1 b:x]. */
function goMap(m: JsonMap): string {
  const v = (x: unknown): string => (isPlainObject(x) ? goMap(x) : Array.isArray(x) ? `[${x.map(v).join(" ")}]` : String(x));
  return `map[${Object.keys(m)
    .sort()
    .map((k) => `${k}:${v(m[k])}`)
    .join(" ")}]`;
}

const kindOf = (v: unknown) => (Array.isArray(v) ? "list" : isPlainObject(v) ? "map" : "scalar");

export class StrategicMergePatcher {
  private readonly cursor: SchemaCursor;

  constructor(index: SchemaIndex | undefined) {
    this.cursor = new SchemaCursor(index);
  }

  /** Applies patch to original (neither is modified) with root as the schema of the document. */
  apply(original: JsonMap, patch: JsonMap, root: Schema | undefined): JsonMap {
    return this.mergeMap(original, patch, root);
  }

  private mergeMap(original: JsonMap | undefined, patchIn: JsonMap, schema: Schema | undefined): JsonMap {
    if (DIRECTIVE in patchIn) {
      const directive = patchIn[DIRECTIVE];
      if (directive === "replace") {
        const { [DIRECTIVE]: _d, ...rest } = patchIn;
        return this.mergeMap({}, rest, schema);
      }
      if (directive === "delete") return {};
      throw errors.badRequest(`unknown patch type: ${String(directive)} in map: ${goMap(patchIn)}`);
    }
    const result: JsonMap = { ...(original ?? {}) };
    const patch: JsonMap = { ...patchIn };
    for (const key of Object.keys(patch)) {
      if (key.startsWith("$setElementOrder") && !key.startsWith(SET_ELEMENT_ORDER)) throw errors.badRequest("invalid patch format of setElementOrder list");
      if (key.startsWith("$deleteFromPrimitiveList") && !key.startsWith(DELETE_FROM_PRIMITIVE_LIST))
        throw errors.badRequest("invalid patch format of primitive list");
    }
    this.applyRetainKeys(result, patch);

    for (const key of Object.keys(patch)) {
      if (!key.startsWith(SET_ELEMENT_ORDER)) continue;
      const field = key.slice(SET_ELEMENT_ORDER.length);
      const order = patch[key];
      if (!Array.isArray(order)) throw errors.badRequest("invalid patch format of setElementOrder list");
      if (result[field] === undefined && patch[field] === undefined) {
        delete patch[key];
        continue;
      }
      const fieldSchema = this.cursor.field(schema, field);
      const meta = this.cursor.meta(fieldSchema);
      const originalList = Array.isArray(result[field]) ? (result[field] as unknown[]) : [];
      const patchValue = patch[field];
      if (patchValue !== undefined && patchValue !== null && !Array.isArray(patchValue))
        throw errors.badRequest("invalid patch format of setElementOrder list");
      const patchList = (patchValue as unknown[] | undefined | null) ?? [];
      const mergeKey = this.listMergeKey(originalList, patchList, order, meta);
      this.checkOrderCoversPatch(patchList, order, mergeKey);
      const merged = this.mergeListItems(originalList, patchList, meta, fieldSchema);
      const inOrder = merged.filter((x) => indexIn(order, x, mergeKey) >= 0);
      const serverOnly = merged.filter((x) => indexIn(order, x, mergeKey) < 0);
      result[field] = normalizeElementOrder(inOrder, serverOnly, order, originalList, mergeKey);
      delete patch[key];
      delete patch[field];
    }

    for (const [key, value] of Object.entries(patch)) {
      if (key.startsWith(DELETE_FROM_PRIMITIVE_LIST)) {
        const field = key.slice(DELETE_FROM_PRIMITIVE_LIST.length);
        if (!Array.isArray(value)) throw errors.badRequest("invalid patch format of primitive list");
        if (Array.isArray(result[field])) result[field] = (result[field] as unknown[]).filter((x) => !value.some((d) => deepEqual(d, x)));
        continue;
      }
      if (value === null) {
        delete result[key];
        continue;
      }
      const fieldSchema = this.cursor.field(schema, key);
      const meta = this.cursor.meta(fieldSchema);
      const current = result[key];
      if (current === undefined || current === null || kindOf(current) !== kindOf(value)) {
        if (isPlainObject(value) && value[DIRECTIVE] === "delete") delete result[key];
        else result[key] = this.fresh(value, fieldSchema, meta);
        continue;
      }
      if (isPlainObject(value)) {
        result[key] = meta.strategies.includes("replace") ? this.fresh(value, fieldSchema, meta) : this.mergeMap(current as JsonMap, value, fieldSchema);
      } else if (Array.isArray(value)) {
        result[key] = meta.strategies.includes("merge")
          ? this.mergeList(current as unknown[], value, meta, fieldSchema)
          : this.fresh(value, fieldSchema, meta);
      } else {
        result[key] = value;
      }
    }
    return result;
  }

  /** A patch value with no counterpart in the original: taken as is, minus directives. */
  private fresh(value: unknown, schema: Schema | undefined, meta: PatchMeta): unknown {
    if (isPlainObject(value)) return this.mergeMap({}, value, schema);
    if (Array.isArray(value)) {
      if (!value.some(isPlainObject)) return [...value];
      if (meta.strategies.includes("merge")) return this.mergeList([], value, meta, schema);
      const element = this.cursor.element(schema);
      return value.map((v) => (isPlainObject(v) ? this.mergeMap({}, v, element) : v));
    }
    return value;
  }

  private applyRetainKeys(original: JsonMap, patch: JsonMap): void {
    if (!(RETAIN_KEYS in patch)) return;
    const keep = patch[RETAIN_KEYS];
    delete patch[RETAIN_KEYS];
    if (!Array.isArray(keep)) throw errors.badRequest("invalid patch format of retainKeys");
    const set = new Set(keep.map(String));
    for (const [k, v] of Object.entries(patch)) {
      if (v === null || k.startsWith(DELETE_FROM_PRIMITIVE_LIST) || k.startsWith(SET_ELEMENT_ORDER)) continue;
      if (!set.has(k)) throw errors.badRequest("invalid patch format of retainKeys");
    }
    for (const k of Object.keys(original)) if (!set.has(k)) delete original[k];
  }

  private listMergeKey(original: unknown[], patch: unknown[], order: unknown[], meta: PatchMeta): string {
    const maps = [...original, ...patch, ...order].some(isPlainObject);
    return maps ? meta.mergeKey ?? "" : "";
  }

  /** Upstream validatePatchWithSetOrderList: the patch items appear in $setElementOrder, in its order. */
  private checkOrderCoversPatch(patch: unknown[], order: unknown[], mergeKey: string): void {
    const items = patch.filter((x) => !(isPlainObject(x) && DIRECTIVE in x));
    let p = 0;
    for (let o = 0; p < items.length && o < order.length; o++) {
      if (indexIn([order[o]], items[p], mergeKey) === 0) p++;
    }
    if (p < items.length) {
      const goList = (l: unknown[]) => `[${l.map((x) => (isPlainObject(x) ? goMap(x) : String(x))).join(" ")}]`;
      throw errors.badRequest(`The order in patch list:\n${goList(patch)}\n doesn't match $setElementOrder list:\n${goList(order)}\n`);
    }
  }

  private mergeList(original: unknown[], patch: unknown[], meta: PatchMeta, schema: Schema | undefined): unknown[] {
    const mergeKey = this.listMergeKey(original, patch, [], meta);
    const merged = this.mergeListItems(original, patch, meta, schema);
    const plainPatch = patch.filter((x) => !(isPlainObject(x) && DIRECTIVE in x));
    const deleted = patch.filter((x) => isPlainObject(x) && x[DIRECTIVE] === "delete");
    const remaining = mergeKey ? original.filter((x) => indexIn(deleted, x, mergeKey) < 0) : original;
    const inPatch = merged.filter((x) => indexIn(plainPatch, x, mergeKey) >= 0);
    const serverOnly = merged.filter((x) => indexIn(plainPatch, x, mergeKey) < 0);
    return normalizeElementOrder(inPatch, serverOnly, plainPatch, remaining, mergeKey);
  }

  /** Merges the elements (upstream mergeSlice without the final ordering). */
  private mergeListItems(original: unknown[], patch: unknown[], meta: PatchMeta, schema: Schema | undefined): unknown[] {
    const element = this.cursor.element(schema);
    if (![...original, ...patch].some(isPlainObject)) {
      const out: unknown[] = [];
      for (const v of [...original, ...patch]) if (!out.some((x) => deepEqual(x, v))) out.push(v);
      return out;
    }
    const mergeKey = meta.mergeKey;
    if (!mergeKey) return patch.map((v) => (isPlainObject(v) ? this.mergeMap({}, v, element) : v));
    let base = [...original];
    const items: JsonMap[] = [];
    let replace = false;
    for (const v of patch) {
      if (!isPlainObject(v)) throw errors.badRequest(`invalid patch format of list: ${JSON.stringify(v)}`);
      if (!(DIRECTIVE in v)) {
        items.push(v);
        continue;
      }
      const directive = v[DIRECTIVE];
      if (directive === "delete") {
        if (!(mergeKey in v)) throw errors.badRequest(`map: ${goMap(v)} does not contain declared merge key: ${mergeKey}`);
        base = base.filter((x) => !(isPlainObject(x) && deepEqual(x[mergeKey], v[mergeKey])));
      } else if (directive === "replace") {
        replace = true;
      } else if (directive === "merge") {
        throw errors.badRequest("merging lists cannot yet be specified in the patch");
      } else {
        throw errors.badRequest(`unknown patch type: ${String(directive)} in map: ${goMap(v)}`);
      }
    }
    if (replace) return items.map((v) => this.mergeMap({}, v, element));
    for (const item of items) {
      if (!(mergeKey in item)) throw errors.badRequest(`map: ${goMap(item)} does not contain declared merge key: ${mergeKey}`);
      const i = base.findIndex((x) => isPlainObject(x) && deepEqual(x[mergeKey], item[mergeKey]));
      if (i >= 0) base[i] = this.mergeMap(base[i] as JsonMap, item, element);
      else base.push(this.mergeMap({}, item, element));
    }
    return base;
  }
}

/** Position of item in list, comparing merge-key values for maps and values for primitives. */
function indexIn(list: unknown[], item: unknown, mergeKey: string): number {
  if (mergeKey) {
    if (!isPlainObject(item)) return -1;
    return list.findIndex((x) => isPlainObject(x) && deepEqual(x[mergeKey], item[mergeKey]));
  }
  return list.findIndex((x) => deepEqual(x, item));
}

/**
 * Upstream normalizeElementOrder: patch items sorted by the patch order, server-only items by the
 * live order, then interleaved so both relative orders hold and live positions decide ties.
 */
function normalizeElementOrder(patchItems: unknown[], serverOnly: unknown[], patchOrder: unknown[], serverOrder: unknown[], mergeKey: string): unknown[] {
  const sortBy = (items: unknown[], order: unknown[]) =>
    items
      .map((x, i) => ({ x, i, at: indexIn(order, x, mergeKey) }))
      .sort((a, b) => (a.at < 0 || b.at < 0 ? a.i - b.i : a.at - b.at || a.i - b.i))
      .map((e) => e.x);
  const right = sortBy(patchItems, patchOrder);
  const left = sortBy(serverOnly, serverOrder);
  const out: unknown[] = [];
  let i = 0;
  let j = 0;
  while (i < left.length || j < right.length) {
    if (i >= left.length) out.push(right[j++]);
    else if (j >= right.length) out.push(left[i++]);
    else {
      const li = indexIn(serverOrder, left[i], mergeKey);
      const ri = indexIn(serverOrder, right[j], mergeKey);
      if (li >= 0 && ri >= 0 && li < ri) out.push(left[i++]);
      else out.push(right[j++]);
    }
  }
  return out;
}
