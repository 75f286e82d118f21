// The two field-set computations of structured-merge-diff over our schemas:
//  - fieldSetOf(config): the fields an applied configuration sets (an Apply manager owns these);
//  - compare(old, new): the fields an update added, modified and removed (an Update manager gains
//    added + modified; every manager loses removed).
import { isPlainObject } from "../../apimachinery/types.js";
import type { Schema } from "../../openapi/schema.js";
import { deepEqual } from "../../util/deep-equal.js";
import { FieldSet, fieldElement, keyElement, valueElement, type FieldPath } from "./field-set.js";
import type { NodeType, SchemaTypes } from "./schema-types.js";

type Json = unknown;

const isEmptyMap = (v: Json) => isPlainObject(v) && Object.keys(v).length === 0;

/** Normalises a deduced (schemaless) node into the type it behaves as. */
function effective(type: NodeType, value: Json): NodeType {
  if (type.kind !== "deduced") return type;
  if (isPlainObject(value)) return { kind: "map", elem: undefined };
  if (Array.isArray(value)) return { kind: "atomic" };
  return { kind: "scalar" };
}

/** The item's path element in an associative or set list. */
export function listItemElement(type: Extract<NodeType, { kind: "list" }>, item: Json): string {
  if (type.listType === "set") return valueElement(item);
  const keys: Record<string, unknown> = {};
  for (const k of type.keys) {
    const v = isPlainObject(item) ? item[k] : undefined;
    if (v !== undefined) keys[k] = v;
    else if (type.keyDefaults?.[k] !== undefined) keys[k] = type.keyDefaults[k];
  }
  return keyElement(keys);
}

export function fieldSetOf(types: SchemaTypes, value: Json, schema: Schema | undefined): FieldSet {
  const set = new FieldSet();
  const walk = (v: Json, t: NodeType, path: FieldPath) => {
    const type = effective(t, v);
    switch (type.kind) {
      case "scalar":
      case "atomic":
        set.insert(path);
        return;
      case "list":
        if (!Array.isArray(v)) return;
        for (const item of v) {
          const p = [...path, listItemElement(type, item)];
          if (type.listType === "map") walk(item, types.typeOf(type.elem), p);
          set.insert(p);
        }
        return;
      case "struct":
      case "map":
        if (!isPlainObject(v)) return;
        for (const [k, child] of Object.entries(v)) {
          const p = [...path, fieldElement(k)];
          walk(child, types.typeOf(types.child(type, k)), p);
          if (child === null || isEmptyMap(child) || type.kind === "map") set.insert(p);
        }
        return;
      default:
        return;
    }
  };
  walk(value, types.typeOf(schema), []);
  return set;
}

export interface Comparison {
  added: FieldSet;
  modified: FieldSet;
  removed: FieldSet;
}

export function compare(types: SchemaTypes, lhs: Json, rhs: Json, schema: Schema | undefined): Comparison {
  const added = new FieldSet();
  const modified = new FieldSet();
  const removed = new FieldSet();
  const leaf = (l: Json, r: Json, path: FieldPath) => {
    if (l === undefined && r !== undefined) added.insert(path);
    else if (l !== undefined && r === undefined) removed.insert(path);
    else if (l !== undefined && !deepEqual(l, r)) modified.insert(path);
  };
  const walk = (l: Json, r: Json, t: NodeType, path: FieldPath) => {
    const type = effective(t, r !== undefined ? r : l);
    if (type.kind === "scalar" || type.kind === "atomic" || type.kind === "deduced") return leaf(l, r, path);
    if (type.kind === "list") {
      const ll = Array.isArray(l) ? l : [];
      const rl = Array.isArray(r) ? r : [];
      if (ll.length === 0 && rl.length === 0) return leaf(l, r, path);
      const lm = new Map(ll.map((x) => [listItemElement(type, x), x]));
      const rm = new Map(rl.map((x) => [listItemElement(type, x), x]));
      for (const el of new Set([...lm.keys(), ...rm.keys()])) {
        const p = [...path, el];
        const li = lm.get(el);
        const ri = rm.get(el);
        if (li === undefined) added.insert(p);
        if (ri === undefined) removed.insert(p);
        if (type.listType === "map") walk(li, ri, types.typeOf(type.elem), p);
      }
      return;
    }
    const lo = isPlainObject(l) ? l : undefined;
    const ro = isPlainObject(r) ? r : undefined;
    if ((!lo || isEmptyMap(lo)) && (!ro || isEmptyMap(ro))) return leaf(l ?? undefined, r ?? undefined, path);
    if (type.kind === "map" && path.length) {
      if (!lo && ro) added.insert(path);
      if (lo && !ro) removed.insert(path);
    }
    for (const k of new Set([...Object.keys(lo ?? {}), ...Object.keys(ro ?? {})])) {
      walk(lo?.[k], ro?.[k], types.typeOf(types.child(type, k)), [...path, fieldElement(k)]);
    }
  };
  walk(lhs, rhs, types.typeOf(schema), []);
  return { added, modified, removed };
}
