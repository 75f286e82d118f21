// Two-way strategic merge patches of status, as the kubelet sends them (upstream PatchPodStatus /
// PatchNodeStatus: strategicpatch.CreateTwoWayMergePatch): changed fields only, null for removed
// ones, lists with a merge key (conditions by type, addresses by type, podIPs by ip) patched
// element-wise with a $setElementOrder directive, other lists replaced.
import { deepEqual } from "../util/deep-equal.js";

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);

/** Merge keys of lists, by dotted path from the patched root ("status.conditions": "type"). */
export type MergeKeys = Record<string, string>;

export const POD_STATUS_MERGE_KEYS: MergeKeys = {
  "status.conditions": "type",
  "status.podIPs": "ip",
  "status.hostIPs": "ip",
};

export const NODE_STATUS_MERGE_KEYS: MergeKeys = {
  "status.conditions": "type",
  "status.addresses": "type",
  "status.volumesAttached": "name",
};

function listDiff(orig: unknown[], mod: unknown[], key: string, path: string, keys: MergeKeys): { patch: unknown[]; order: unknown[] } | undefined {
  const idOf = (e: unknown) => (isObj(e) ? e[key] : undefined);
  const origById = new Map(orig.map((e) => [idOf(e), e]));
  const modIds = new Set(mod.map(idOf));
  const patch: unknown[] = [];
  for (const m of mod) {
    const o = origById.get(idOf(m));
    if (o === undefined) patch.push(m);
    else if (!deepEqual(o, m)) {
      const d = isObj(o) && isObj(m) ? objectDiff(o, m, path, keys) : m;
      patch.push(isObj(d) ? { ...d, [key]: idOf(m) } : m);
    }
  }
  for (const o of orig) if (!modIds.has(idOf(o))) patch.push({ [key]: idOf(o), $patch: "delete" });
  const sameOrder = orig.length === mod.length && orig.every((o, i) => idOf(o) === idOf(mod[i]));
  if (!patch.length && sameOrder) return undefined;
  return { patch, order: mod.map((m) => ({ [key]: idOf(m) })) };
}

export function objectDiff(orig: Obj, mod: Obj, path = "", keys: MergeKeys = {}): Obj {
  const out: Obj = {};
  for (const [k, v] of Object.entries(mod)) {
    if (v === undefined) continue;
    const o = orig[k];
    if (deepEqual(o, v)) continue;
    const p = path ? `${path}.${k}` : k;
    if (isObj(o) && isObj(v)) {
      const d = objectDiff(o, v, p, keys);
      if (Object.keys(d).length) out[k] = d;
    } else if (Array.isArray(o) && Array.isArray(v) && keys[p]) {
      const d = listDiff(o, v, keys[p]!, p, keys);
      if (d) {
        out[`$setElementOrder/${k}`] = d.order;
        if (d.patch.length) out[k] = d.patch;
      }
    } else out[k] = v;
  }
  for (const k of Object.keys(orig)) if (!(k in mod) || mod[k] === undefined) if (orig[k] !== undefined) out[k] = null;
  return out;
}

/** The patch turning `original` status into `modified`, or undefined when they are the same. */
export function statusPatch(original: unknown, modified: Obj, keys: MergeKeys, uid?: string): Obj | undefined {
  const d = objectDiff({ status: isObj(original) ? original : {} }, { status: modified }, "", keys);
  if (!Object.keys(d).length) return undefined;
  return uid ? { metadata: { uid }, ...d } : d;
}
