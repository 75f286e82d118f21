// The small notation our field tables use for list, map and patch semantics, and its parser.
//
//   merge(name)             x-kubernetes-patch-strategy: merge, x-kubernetes-patch-merge-key: name
//   merge                   x-kubernetes-patch-strategy: merge (lists of scalars)
//   retainKeys, replace     x-kubernetes-patch-strategy: retainKeys / replace
//   merge+retainKeys(name)  x-kubernetes-patch-strategy: "merge,retainKeys" with merge key name
//   atomic | set            x-kubernetes-list-type
//   map[k1,k2]              x-kubernetes-list-type: map, x-kubernetes-list-map-keys: [k1, k2]
//   mapType=atomic          x-kubernetes-map-type (maps and structs)

/** Extensions of one property, as upstream publishes them. */
export interface FieldExtensions {
  "x-kubernetes-patch-strategy"?: string;
  "x-kubernetes-patch-merge-key"?: string;
  "x-kubernetes-list-type"?: "atomic" | "set" | "map";
  "x-kubernetes-list-map-keys"?: string[];
  "x-kubernetes-map-type"?: "atomic" | "granular";
}

/** definition name -> JSON property name -> notation. */
export type FieldTable = Readonly<Record<string, Readonly<Record<string, string>>>>;

export function parseFieldSpec(spec: string): FieldExtensions {
  const out: FieldExtensions = {};
  for (const token of spec.split(/\s+/).filter(Boolean)) {
    let m: RegExpMatchArray | null;
    if ((m = token.match(/^(merge|retainKeys|replace|merge\+retainKeys)(?:\((\w+)\))?$/))) {
      out["x-kubernetes-patch-strategy"] = m[1]!.replace("+", ",");
      if (m[2]) out["x-kubernetes-patch-merge-key"] = m[2];
    } else if (token === "atomic" || token === "set") {
      out["x-kubernetes-list-type"] = token;
    } else if ((m = token.match(/^map\[([\w,]+)\]$/))) {
      out["x-kubernetes-list-type"] = "map";
      out["x-kubernetes-list-map-keys"] = m[1]!.split(",");
    } else if ((m = token.match(/^mapType=(atomic|granular)$/))) {
      out["x-kubernetes-map-type"] = m[1] as "atomic" | "granular";
    } else {
      throw new Error(`bad field notation ${JSON.stringify(token)} in ${JSON.stringify(spec)}`);
    }
  }
  return out;
}
