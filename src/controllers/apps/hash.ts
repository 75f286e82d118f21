// The pod-template-hash (upstream controller.ComputeHash): FNV-32a over a deterministic
// serialisation of the pod template, then the collision count as 8 little-endian bytes (a uint32
// in the first four), and the decimal value of the sum rendered with rand.SafeEncodeString.
//
// Upstream hashes go-spew's dump of the Go struct; we hash the template's canonical JSON (keys
// sorted), so values differ from a real cluster's for the same template but have the same
// shape, stability and collision behaviour.

const FNV_OFFSET_32 = 0x811c9dc5;
const FNV_PRIME_32 = 0x01000193;

export function fnv32a(data: Uint8Array, seed = FNV_OFFSET_32): number {
  let h = seed >>> 0;
  for (let i = 0; i < data.length; i++) {
    h ^= data[i]!;
    h = Math.imul(h, FNV_PRIME_32) >>> 0;
  }
  return h >>> 0;
}

/** upstream rand.SafeEncodeString's alphabet: no vowels, no look-alikes (0/o, 1/l/i, 3/e). */
const SAFE_ALPHANUMS = "bcdfghjklmnpqrstvwxz2456789";

export function safeEncodeString(s: string): string {
  let out = "";
  for (let i = 0; i < s.length; i++) out += SAFE_ALPHANUMS[s.charCodeAt(i) % SAFE_ALPHANUMS.length];
  return out;
}

/** JSON with object keys sorted at every level. */
export function canonicalJSON(value: unknown): string {
  if (value === null || typeof value !== "object") return JSON.stringify(value) ?? "null";
  if (Array.isArray(value)) return `[${value.map(canonicalJSON).join(",")}]`;
  const obj = value as Record<string, unknown>;
  const keys = Object.keys(obj)
    .filter((k) => obj[k] !== undefined)
    .sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJSON(obj[k])}`).join(",")}}`;
}

const encoder = new TextEncoder();

export function computeHash(template: unknown, collisionCount?: number | null): string {
  let h = fnv32a(encoder.encode(canonicalJSON(template ?? {})));
  if (collisionCount !== undefined && collisionCount !== null) {
    const bytes = new Uint8Array(8);
    new DataView(bytes.buffer).setUint32(0, collisionCount >>> 0, true);
    h = fnv32a(bytes, h);
  }
  return safeEncodeString(String(h));
}
