// HTTP behaviour of /openapi/v2, /openapi/v3 and /openapi/v3/<path>, as kube-openapi's handlers
// answer (pkg/handler, pkg/handler3), as a pure decision the Express layer only writes out:
// content negotiation, ETag/If-None-Match (304), ?hash= (immutable caching, or 301 to the
// current hash), 404 and 406.
import type { OpenApiService } from "./service.js";

export const V2_PROTOBUF_CONTENT_TYPE = "application/com.github.proto-openapi.spec.v2.v1.0+protobuf";
const V2_PROTOBUF_SUBTYPES = new Set(["com.github.proto-openapi.spec.v2.v1.0+protobuf", "com.github.proto-openapi.spec.v2@v1.0+protobuf"]);

export interface OpenApiRequest {
  /** URL path without the query string: "/openapi/v2", "/openapi/v3", "/openapi/v3/apis/apps/v1". */
  path: string;
  /** The ?hash= query value, if any. */
  hash?: string | undefined;
  accept?: string | undefined;
  ifNoneMatch?: string | undefined;
  /** Request time (for Expires); default now. */
  now?: Date;
}

export interface OpenApiResponse {
  status: 200 | 301 | 304 | 404 | 406;
  headers: Record<string, string>;
  /** Absent for 301/304/404/406; the caller writes a Status body for 404 if it wants one. */
  body?: Buffer;
}

interface AcceptClause {
  type: string;
  subtype: string;
  q: number;
}

/** Accept header clauses in preference order (quality, then specificity, then position). */
export function parseAccept(header: string | undefined): AcceptClause[] {
  const text = header && header.trim() ? header : "*/*";
  const clauses: (AcceptClause & { i: number })[] = [];
  text.split(",").forEach((part, i) => {
    const [range = "", ...params] = part.split(";").map((s) => s.trim());
    const slash = range.indexOf("/");
    if (slash <= 0) return;
    let q = 1;
    for (const p of params) {
      const m = p.match(/^q=([\d.]+)$/);
      if (m) q = Number(m[1]);
    }
    if (q > 0) clauses.push({ type: range.slice(0, slash).toLowerCase(), subtype: range.slice(slash + 1).toLowerCase(), q, i });
  });
  const specificity = (c: AcceptClause) => (c.type === "*" ? 0 : c.subtype === "*" ? 1 : 2);
  return clauses.sort((a, b) => b.q - a.q || specificity(b) - specificity(a) || a.i - b.i);
}

/** The first of `offers` ([type, subtype]) the clauses accept, in clause order. */
function negotiate<T extends string>(accept: string | undefined, offers: readonly (readonly [T, (subtype: string) => boolean])[]): T | undefined {
  for (const c of parseAccept(accept)) {
    if (c.type !== "application" && c.type !== "*") continue;
    for (const [name, matches] of offers) if (c.subtype === "*" || matches(c.subtype)) return name;
  }
  return undefined;
}

function etagMatches(ifNoneMatch: string | undefined, etag: string): boolean {
  if (!ifNoneMatch) return false;
  return ifNoneMatch.split(",").some((t) => {
    const v = t.trim().replace(/^W\//, "");
    return v === "*" || v === `"${etag}"`;
  });
}

function ok(req: OpenApiRequest, body: Buffer, etag: string, contentType: string, extra: Record<string, string> = {}): OpenApiResponse {
  const headers = { "Content-Type": contentType, ETag: `"${etag}"`, Vary: "Accept", ...extra };
  if (etagMatches(req.ifNoneMatch, etag)) return { status: 304, headers: { ETag: headers.ETag, Vary: "Accept", ...extra } };
  return { status: 200, headers, body };
}

function oneYearAfter(d: Date): Date {
  const out = new Date(d.getTime());
  out.setUTCFullYear(out.getUTCFullYear() + 1);
  return out;
}

/** Answers an /openapi request; undefined when the path is not an OpenAPI path at all. */
export function serveOpenApi(service: OpenApiService, req: OpenApiRequest): OpenApiResponse | undefined {
  const path = req.path.replace(/\/+$/, "");
  if (path === "/openapi/v2") {
    const format = negotiate(req.accept, [
      ["json", (s) => s === "json"],
      ["protobuf", (s) => V2_PROTOBUF_SUBTYPES.has(s)],
    ] as const);
    if (!format) return { status: 406, headers: { Vary: "Accept" } };
    const doc = format === "json" ? service.v2Json() : service.v2();
    return ok(req, doc.body, doc.etag, format === "json" ? "application/json" : V2_PROTOBUF_CONTENT_TYPE);
  }
  if (path === "/openapi/v3") {
    const index = service.v3IndexBody();
    return ok(req, index.body, index.etag, "application/json");
  }
  if (!path.startsWith("/openapi/v3/")) return undefined;
  const key = path.slice("/openapi/v3/".length);
  const doc = service.v3Document(key);
  if (!doc) return { status: 404, headers: {} };
  if (!negotiate(req.accept, [["json", (s) => s === "json"]] as const)) return { status: 406, headers: { Vary: "Accept" } };
  if (req.hash && req.hash !== doc.hash) {
    return { status: 301, headers: { Location: `/openapi/v3/${key}?hash=${doc.hash}`, Vary: "Accept" } };
  }
  const caching: Record<string, string> = req.hash
    ? { "Cache-Control": "public, immutable", Expires: oneYearAfter(req.now ?? new Date()).toUTCString() }
    : {};
  return ok(req, doc.body, doc.hash, "application/json", caching);
}
