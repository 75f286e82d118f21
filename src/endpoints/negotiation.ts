// Content negotiation (upstream endpoints/handlers/negotiation): the first acceptable media type
// of the Accept header, by quality then order, decides the response encoding.
import { errors } from "../apimachinery/errors.js";

export interface MediaRange {
  type: string;
  subtype: string;
  params: Record<string, string>;
  q: number;
}

export function parseAccept(header: string | undefined): MediaRange[] {
  if (!header || !header.trim()) return [{ type: "*", subtype: "*", params: {}, q: 1 }];
  const out: MediaRange[] = [];
  for (const part of header.split(",")) {
    const [mt, ...rawParams] = part.trim().split(";");
    if (!mt) continue;
    const [type = "", subtype = ""] = mt.trim().toLowerCase().split("/");
    const params: Record<string, string> = {};
    let q = 1;
    for (const p of rawParams) {
      const eq = p.indexOf("=");
      if (eq < 0) continue;
      const k = p.slice(0, eq).trim().toLowerCase();
      const v = p.slice(eq + 1).trim().replace(/^"|"$/g, "");
      if (k === "q") q = Number(v);
      else params[k] = v;
    }
    if (!Number.isNaN(q) && q > 0) out.push({ type, subtype, params, q });
  }
  // stable sort by quality
  return out.map((m, i) => ({ m, i })).sort((a, b) => b.m.q - a.m.q || a.i - b.i).map((x) => x.m);
}

export type Encoding = "json" | "yaml";
export type Transform = "" | "Table" | "PartialObjectMetadata" | "PartialObjectMetadataList";

export interface OutputFormat {
  encoding: Encoding;
  /** Server-side transformation of the response (as=...;g=meta.k8s.io). */
  as: Transform;
  /** meta.k8s.io version of the transformed response. */
  metaVersion: "v1" | "v1beta1";
}

export const ACCEPTED_MEDIA_TYPES = ["application/json", "application/yaml"];

function encodingOf(m: MediaRange): Encoding | undefined {
  if (m.type === "*" && m.subtype === "*") return "json";
  if (m.type !== "application") return undefined;
  if (m.subtype === "*" || m.subtype === "json") return "json";
  if (m.subtype === "yaml") return "yaml";
  return undefined;
}

/**
 * Chooses the response format for object endpoints. `transforms` lists what the endpoint can do
 * (Table, PartialObjectMetadata...); an `as=` it cannot do makes that media range unacceptable.
 */
export function negotiateOutput(accept: string | undefined, transforms: readonly Transform[]): OutputFormat {
  for (const m of parseAccept(accept)) {
    const encoding = encodingOf(m);
    if (!encoding) continue;
    const as = (m.params.as ?? "") as Transform;
    if (as === "") return { encoding, as: "", metaVersion: "v1" };
    if (m.params.g !== "meta.k8s.io" || (m.params.v !== "v1" && m.params.v !== "v1beta1")) continue;
    if (!transforms.includes(as)) continue;
    return { encoding, as, metaVersion: m.params.v };
  }
  throw errors.notAcceptable(ACCEPTED_MEDIA_TYPES);
}

export type DiscoveryFormat = "legacy" | "v2" | "v2beta1";

/**
 * Aggregated discovery (apidiscovery.k8s.io v2/v2beta1) or the legacy documents, by Accept order;
 * 406 when nothing acceptable is JSON. Aggregation is only offered where the document exists.
 */
export function negotiateDiscovery(accept: string | undefined, aggregated = true): DiscoveryFormat {
  for (const m of parseAccept(accept)) {
    if (encodingOf(m) !== "json") continue;
    if (m.params.as === undefined) return "legacy";
    if (aggregated && m.params.g === "apidiscovery.k8s.io" && m.params.as === "APIGroupDiscoveryList") {
      if (m.params.v === "v2") return "v2";
      if (m.params.v === "v2beta1") return "v2beta1";
    }
  }
  throw errors.notAcceptable(ACCEPTED_MEDIA_TYPES);
}
