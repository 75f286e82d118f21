// The merge of an applied configuration into the live object (structured-merge-diff's Merge):
// structs and maps merge field by field, associative lists item by key and set lists by value
// (both orders kept, shared items in the configuration's order), atomic values are replaced. And
// the removal of fields a manager stopped applying (its prune step).
import { isPlainObject } from "../../apimachinery/types.js";
import type { Schema } from "../../openapi/schema.js";
import { fieldElement, type FieldPath } from "./field-set.js";
import type { NodeType, SchemaTypes } from "./schema-types.js";
import { listItemElement } from "./walk.js";

type Json = unknown;

function effective(type: NodeType, value: Json): NodeType {
  if (type.kind !== "deduced") return type;
  if (isPlainObject(value)) return { kind: "map", elem: undefined };
  return { kind: "atomic" };
}

export function merge(types: SchemaTypes, lhs: Json, rhs: Json, schema: Schema | undefined): Json {
  const walk = (l: Json, r: Json, t: NodeType): Json => {
    if (r === undefined) return l;
    if (l === undefined || r === null) return r;
    const type = effective(t, r);
    if (type.kind === "list" && Array.isArray(l) && Array.isArray(r)) return mergeList(l, r, type);
    if ((type.kind === "struct" || type.kind === "map") && isPlainObject(l) && isPlainObject(r)) {
      const out: Record<string, Json> = { ...l };
      for (const [k, v] of Object.entries(r)) out[k] = walk(l[k], v, types.typeOf(types.child(type, k)));
      return out;
    }
    return r;
  };
  const mergeList = (l: Json[], r: Json[], type: Extract<NodeType, { kind: "list" }>): Json[] => {
    const elemType = types.typeOf(type.elem);
    const le = l.map((x) => listItemElement(type, x));
    const re = r.map((x) => listItemElement(type, x));
    const lByEl = new Map(le.map((e, i) => [e, l[i]]));
    const rByEl = new Map(re.map((e, i) => [e, r[i]]));
    const item = (e: string) => (type.listType === "map" ? walk(lByEl.get(e), rByEl.get(e), elemType) : rByEl.get(e) ?? lByEl.get(e));
    // Shared items follow the configuration's order; live-only items keep their place around them.
    const sharedOrder = re.filter((e) => lByEl.has(e));
    let nextShared = sharedOrder.shift();
    const merged = new Set<string>();
    const out: Json[] = [];
    let li = 0;
    let ri = 0;
    while (li < le.length || ri < re.length) {
      if (li < le.length && ri < re.length) {
        const pe = le[li]!;
        if (pe === re[ri]) {
          out.push(item(pe));
          merged.add(pe);
          li++;
          ri++;
          nextShared = sharedOrder.shift();
          continue;
        }
        if (rByEl.has(pe) && nextShared !== undefined && nextShared !== pe) {
          li++;
          continue;
        }
      }
      if (li < le.length) {
        const pe = le[li]!;
        if (!rByEl.has(pe)) {
          out.push(lByEl.get(pe));
          li++;
          continue;
        }
        if (merged.has(pe)) {
          li++;
          continue;
        }
      }
      if (ri < re.length) {
        const pe = re[ri]!;
        merged.add(pe);
        out.push(item(pe));
        ri++;
        if (nextShared === pe) nextShared = sharedOrder.shift();
      } else li++;
    }
    return out;
  };
  return walk(lhs, rhs, types.typeOf(schema));
}

/**
 * Removes the field at path (a field, map key, or list item) from value, in place. As in SMD's
 * removal, a map left without keys becomes null, which the typed object drops (optional maps are
 * omitempty): the key goes from its parent. An emptied struct stays, as {}; an emptied list, [].
 */
export function removePath(types: SchemaTypes, value: Json, schema: Schema | undefined, path: FieldPath): void {
  let node = value;
  let type = types.typeOf(schema);
  let parent: Record<string, Json> | undefined;
  let parentKey = "";
  const dropIfEmpty = (container: Json, kind: NodeType["kind"]) => {
    if (parent && kind === "map" && isPlainObject(container) && Object.keys(container).length === 0) delete parent[parentKey];
  };
  for (let i = 0; i < path.length; i++) {
    const el = path[i]!;
    const last = i === path.length - 1;
    type = effective(type, node);
    if (el.startsWith("f:") && isPlainObject(node)) {
      const name = el.slice(2);
      if (last) {
        delete node[name];
        dropIfEmpty(node, type.kind);
        return;
      }
      parent = node;
      parentKey = name;
      const childType = types.typeOf(types.child(type, name));
      node = node[name];
      type = childType;
    } else if ((el.startsWith("k:") || el.startsWith("v:")) && Array.isArray(node) && type.kind === "list") {
      const listType = type;
      const idx = node.findIndex((x) => listItemElement(listType, x) === el);
      if (idx < 0) return;
      if (last) {
        node.splice(idx, 1);
        return;
      }
      parent = undefined;
      node = node[idx];
      type = types.typeOf(listType.elem);
    } else return;
    if (node === undefined || node === null) return;
  }
}

export { fieldElement };
