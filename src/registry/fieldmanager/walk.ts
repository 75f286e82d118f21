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

/** How a node is walked: SMD's atom (scalar, list, map), with atomic lists and maps as leaves. */
type Atom = "leaf" | "map" | "list";

/** The atom of a node for one side's value: a deduced (schemaless) node takes the value's form. */
function atomOf(type: NodeType, value: Json): Atom {
  switch (type.kind) {
    case "scalar":
    case "atomic":
      return "leaf";
    case "struct":
    case "map":
      return "map";
    case "list":
      return "list";
    default:
      // deduced: scalars are leaves, lists atomic; a map, null or an absent value walks as a map
      if (typeof value === "string" || typeof value === "number" || typeof value === "boolean" || Array.isArray(value)) return "leaf";
      return "map";
  }
}

/**
 * SMD TypedValue.Compare: what turning lhs into rhs added, modified and removed. `undefined` is an
 * absent value, `null` a present null (so null on both sides is no change). A leaf (scalar, atomic
 * value, or a map/list empty or null on both sides) is compared whole; any other node absent on
 * one side is itself added or removed, with everything beneath it.
 */
export function compare(types: SchemaTypes, lhs: Json, rhs: Json, schema: Schema | undefined): Comparison {
  const added = new FieldSet();
  const modified = new FieldSet();
  const removed = new FieldSet();
  const doLeaf = (l: Json, r: Json, path: FieldPath) => {
    if (l === undefined) added.insert(path);
    else if (r === undefined) removed.insert(path);
    else if (!deepEqual(l, r)) modified.insert(path);
  };
  /** Walks one atom of a node; true when the node was compared as a leaf. */
  const handle = (atom: Atom, l: Json, r: Json, type: NodeType, path: FieldPath): boolean => {
    if (atom === "leaf") {
      doLeaf(l, r, path);
      return true;
    }
    if (atom === "map") {
      const lm = isPlainObject(l) ? l : undefined;
      const rm = isPlainObject(r) ? r : undefined;
      if ((!lm || isEmptyMap(lm)) && (!rm || isEmptyMap(rm))) {
        doLeaf(l, r, path);
        return true;
      }
      for (const k of new Set([...Object.keys(lm ?? {}), ...Object.keys(rm ?? {})])) {
        node(lm?.[k], rm?.[k], types.typeOf(types.child(type, k)), [...path, fieldElement(k)]);
      }
      return false;
    }
    const ll = Array.isArray(l) ? l : undefined;
    const rl = Array.isArray(r) ? r : undefined;
    if (!ll?.length && !rl?.length) {
      doLeaf(l, r, path);
      return true;
    }
    if (type.kind !== "list") return false;
    const elemType = types.typeOf(type.elem);
    // items by path element, duplicates kept together; every element once, left side first
    const order: string[] = [];
    const lItems = new Map<string, Json[]>();
    const rItems = new Map<string, Json[]>();
    for (const [list, items] of [
      [ll, lItems],
      [rl, rItems],
    ] as const) {
      for (const item of list ?? []) {
        const el = listItemElement(type, item);
        const got = items.get(el);
        if (got) got.push(item);
        else {
          items.set(el, [item]);
          if (!lItems.has(el) || items === lItems) order.push(el);
        }
      }
    }
    for (const el of new Set(order)) {
      const li = lItems.get(el) ?? [];
      const ri = rItems.get(el) ?? [];
      const p = [...path, el];
      if (li.length <= 1 && ri.length <= 1) node(li[0], ri[0], elemType, p);
      else if (li.length >= 2 && ri.length >= 2) {
        // duplicates before and after: compared as one atomic value
        if (li.length !== ri.length || li.some((x, i) => !deepEqual(x, ri[i]))) modified.insert(p);
      } else if (li.length >= 2) {
        if (ri.length) node(undefined, ri[0], elemType, p);
        removed.insert(p);
      } else {
        if (li.length) node(li[0], undefined, elemType, p);
        added.insert(p);
      }
    }
    return false;
  };
  const node = (l: Json, r: Json, type: NodeType, path: FieldPath): void => {
    const al = atomOf(type, l);
    const ar = atomOf(type, r);
    let leaf: boolean;
    if (r === undefined) leaf = handle(al, l, r, type, path);
    else if (l === undefined || al === ar) leaf = handle(ar, l, r, type, path);
    else {
      handle(al, l, r, type, path);
      leaf = handle(ar, l, r, type, path);
    }
    if (!leaf) {
      if (l === undefined) added.insert(path);
      else if (r === undefined) removed.insert(path);
    }
  };
  if (lhs !== undefined || rhs !== undefined) node(lhs, rhs, types.typeOf(schema), []);
  return { added, modified, removed };
}

/** Whether value sets a field its schema does not declare (upstream ObjectToTyped would refuse it). */
export function hasUndeclaredFields(types: SchemaTypes, value: Json, schema: Schema | undefined): boolean {
  const walk = (v: Json, t: NodeType): boolean => {
    switch (t.kind) {
      case "struct":
        if (!isPlainObject(v)) return false;
        return Object.entries(v).some(([k, child]) => {
          const s = t.field(k);
          return s === undefined || walk(child, types.typeOf(s));
        });
      case "map":
        return isPlainObject(v) && Object.values(v).some((child) => walk(child, types.typeOf(t.elem)));
      case "list":
        return Array.isArray(v) && t.listType === "map" && v.some((item) => walk(item, types.typeOf(t.elem)));
      default:
        return false;
    }
  };
  return walk(value, types.typeOf(schema));
}
