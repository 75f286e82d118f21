// ControllerRevisions as upstream's pkg/controller/history and the DaemonSet controller keep them:
// the data of a revision is a strategic-merge patch that restores the pod template
// ({"spec":{"template":{"$patch":"replace", ...}}}), serialised exactly as Go's encoding/json
// serialises a map (sorted keys, HTML-safe escapes), so StatefulSet revision names hash to the
// same value a real kube-controller-manager computes (FNV-32 of the patch bytes and the collision
// count, rendered with rand.SafeEncodeString).
import type { KubeObject } from "../../apimachinery/types.js";

/** Label a StatefulSet revision carries with its hash (history.ControllerRevisionHashLabel). */
export const CONTROLLER_REVISION_HASH_LABEL = "controller.kubernetes.io/hash";
/** Label on pods (and DaemonSet revisions) naming their revision (apps.ControllerRevisionHashLabelKey). */
export const POD_REVISION_LABEL = "controller-revision-hash";

const ALPHANUMS = "bcdfghjklmnpqrstvwxz2456789";

/** rand.SafeEncodeString: maps every character onto a vowel-free alphabet (no bad words). */
export function safeEncodeString(s: string): string {
  let out = "";
  for (const ch of s) out += ALPHANUMS[ch.codePointAt(0)! % ALPHANUMS.length];
  return out;
}

const encoder = new TextEncoder();

/** FNV-1 32-bit (hash/fnv New32) over the given byte chunks. */
export function fnv32(...chunks: Uint8Array[]): number {
  let h = 0x811c9dc5;
  for (const bytes of chunks)
    for (const b of bytes) {
      h = Math.imul(h, 0x01000193) >>> 0;
      h = (h ^ b) >>> 0;
    }
  return h >>> 0;
}

/** FNV-1a 32-bit (hash/fnv New32a) over the given byte chunks. */
export function fnv32a(...chunks: Uint8Array[]): number {
  let h = 0x811c9dc5;
  for (const bytes of chunks)
    for (const b of bytes) {
      h = (h ^ b) >>> 0;
      h = Math.imul(h, 0x01000193) >>> 0;
    }
  return h >>> 0;
}

function goString(s: string): string {
  let out = '"';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        out += s[i]! + s[i + 1]!;
        i++;
        continue;
      }
    }
    if (c >= 0xd800 && c <= 0xdfff) out += "\\ufffd"; // invalid UTF-8 after conversion
    else if (c === 0x22) out += '\\"';
    else if (c === 0x5c) out += "\\\\";
    else if (c === 0x0a) out += "\\n";
    else if (c === 0x0d) out += "\\r";
    else if (c === 0x09) out += "\\t";
    else if (c === 0x08) out += "\\b";
    else if (c === 0x0c) out += "\\f";
    else if (c < 0x20 || c === 0x3c || c === 0x3e || c === 0x26 || c === 0x2028 || c === 0x2029)
      out += "\\u" + c.toString(16).padStart(4, "0");
    else out += s[i];
  }
  return out + '"';
}

/** Compares map keys as Go sorts them (byte-wise UTF-8, i.e. by code point). */
function compareKeys(a: string, b: string): number {
  const ai = a[Symbol.iterator]();
  const bi = b[Symbol.iterator]();
  for (;;) {
    const x = ai.next();
    const y = bi.next();
    if (x.done) return y.done ? 0 : -1;
    if (y.done) return 1;
    const d = x.value.codePointAt(0)! - y.value.codePointAt(0)!;
    if (d !== 0) return d;
  }
}

/** Go's encoding/json rendering of a decoded JSON value (map[string]interface{} semantics). */
export function goJson(value: unknown): string {
  if (value === null || value === undefined) return "null";
  if (typeof value === "string") return goString(value);
  if (typeof value === "number") return Number.isFinite(value) ? String(value) : "null";
  if (typeof value === "boolean") return value ? "true" : "false";
  if (Array.isArray(value)) return `[${value.map((v) => goJson(v)).join(",")}]`;
  const obj = value as Record<string, unknown>;
  const keys = Object.keys(obj)
    .filter((k) => obj[k] !== undefined)
    .sort(compareKeys);
  return `{${keys.map((k) => `${goString(k)}:${goJson(obj[k])}`).join(",")}}`;
}

/**
 * The revision data of a workload: a patch replacing spec.template (getPatch upstream). Its keys
 * are in Go's order, so the stored bytes read back equal what clients compute (kubectl's rollout
 * undo compares them byte for byte to skip a no-op rollback).
 */
export function templatePatch(template: unknown): { spec: { template: Record<string, unknown> } } {
  const t = structuredClone((template ?? {}) as Record<string, unknown>);
  t.$patch = "replace";
  return JSON.parse(goJson({ spec: { template: t } })) as { spec: { template: Record<string, unknown> } };
}

/** history.HashControllerRevision: FNV-32 of the data bytes, then the collision count. */
export function hashRevisionData(data: unknown, collisionCount?: number): string {
  const chunks = [encoder.encode(goJson(data))];
  if (collisionCount !== undefined) chunks.push(encoder.encode(String(collisionCount)));
  return safeEncodeString(String(fnv32(...chunks)));
}

/**
 * controller.ComputeHash for a pod template. Upstream hashes a spew dump of the Go struct, which
 * cannot be reproduced outside Go; this hashes the canonical JSON of the template with the same
 * function (FNV-32a), the collision count appended as 8 little-endian bytes, in the same alphabet.
 */
export function computeTemplateHash(template: unknown, collisionCount?: number | null): string {
  const chunks = [encoder.encode(goJson(template))];
  if (collisionCount !== undefined && collisionCount !== null) {
    // upstream writes the uint32 into an 8-byte little-endian buffer
    const b = new Uint8Array(8);
    new DataView(b.buffer).setUint32(0, collisionCount >>> 0, true);
    chunks.push(b);
  }
  return safeEncodeString(String(fnv32a(...chunks)));
}

/** history.ControllerRevisionName: prefix (at most 223 characters) and hash. */
export function controllerRevisionName(prefix: string, hash: string): string {
  return `${prefix.length > 223 ? prefix.slice(0, 223) : prefix}-${hash}`;
}

export function revisionNumber(cr: KubeObject): number {
  return typeof cr.revision === "number" ? cr.revision : 0;
}

/** history.SortControllerRevisions: by revision, then creation time, then name. */
export function sortRevisions<T extends KubeObject>(revs: T[]): T[] {
  return revs.sort((a, b) => {
    const d = revisionNumber(a) - revisionNumber(b);
    if (d !== 0) return d;
    const ta = a.metadata.creationTimestamp ?? "";
    const tb = b.metadata.creationTimestamp ?? "";
    if (ta !== tb) return ta < tb ? -1 : 1;
    return (a.metadata.name ?? "") < (b.metadata.name ?? "") ? -1 : (a.metadata.name ?? "") > (b.metadata.name ?? "") ? 1 : 0;
  });
}

/** The canonical bytes of a revision's data (what upstream compares with bytes.Equal). */
export function revisionDataKey(cr: KubeObject): string {
  return goJson(cr.data ?? null);
}

/** history.EqualRevision on decoded revisions: equal data (hash labels are not integers). */
export function equalRevision(a: KubeObject | undefined, b: KubeObject | undefined): boolean {
  if (!a || !b) return a === b;
  return revisionDataKey(a) === revisionDataKey(b);
}

/** nextRevision: one more than the highest (revisions sorted), 1 for an empty history. */
export function nextRevision(sorted: KubeObject[]): number {
  return sorted.length === 0 ? 1 : revisionNumber(sorted[sorted.length - 1]!) + 1;
}

/** The template a revision restores (applying its `$patch: replace` patch to spec.template). */
export function revisionTemplate(cr: KubeObject): Record<string, unknown> | undefined {
  const spec = (cr.data as { spec?: { template?: Record<string, unknown> } } | undefined)?.spec;
  if (!spec?.template || typeof spec.template !== "object") return undefined;
  const t = structuredClone(spec.template);
  delete t.$patch;
  return t;
}
