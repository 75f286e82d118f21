// Continue tokens as upstream encodes them (storage/continue.go): base64 of
// {"v":"meta.k8s.io/v1","rv":<list revision>,"start":"<next key relative to the list prefix>"}.
import path from "node:path";
import { errors } from "../apimachinery/errors.js";

export interface ContinueToken {
  rv: number;
  /** The first key of the next page, relative to the list prefix. */
  start: string;
}

export function encodeContinue(rv: number, lastKeyRelative: string): string {
  const json = JSON.stringify({ v: "meta.k8s.io/v1", rv, start: `${lastKeyRelative}\u0000` });
  return Buffer.from(json).toString("base64url");
}

const INVALID = "invalid continue token: continue key is not valid";

function invalid(detail: string): Error {
  return errors.badRequest(`${INVALID}: ${detail}`);
}

/** Go's message for the first byte base64.RawURLEncoding rejects. */
function checkBase64(token: string): void {
  const bad = token.search(/[^A-Za-z0-9_-]/);
  if (bad >= 0) throw invalid(`illegal base64 data at input byte ${bad}`);
  if (token.length % 4 === 1) throw invalid(`illegal base64 data at input byte ${token.length - 1}`);
}

/** Decodes and validates a continue token as upstream's storage.DecodeContinue does. */
export function decodeContinue(token: string): ContinueToken {
  checkBase64(token);
  const text = Buffer.from(token, "base64url").toString("utf8");
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    const c = text.trimStart()[0] ?? "";
    throw invalid(c ? `invalid character '${c}' looking for beginning of value` : "unexpected end of JSON input");
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) throw invalid("json: cannot unmarshal into Go value of type storage.continueToken");
  const t = parsed as { v?: unknown; rv?: unknown; start?: unknown };
  const version = typeof t.v === "string" ? t.v : "";
  if (t.rv !== undefined && typeof t.rv !== "number") throw invalid(`json: cannot unmarshal ${typeof t.rv} into Go struct field continueToken.rv of type int64`);
  if (version !== "meta.k8s.io/v1") throw invalid(`server does not recognize this encoded version ${version}`);
  const rv = (t.rv as number | undefined) ?? 0;
  if (rv === 0) throw invalid(`incorrect encoded start resourceVersion (version ${version})`);
  const start = typeof t.start === "string" ? t.start : "";
  if (start === "") throw invalid(`encoded start key empty (version ${version})`);
  // upstream: path.Clean("/"+start) must not change the key (no traversal out of the list prefix)
  const key = start.startsWith("/") ? start : `/${start}`;
  if (path.posix.normalize(key) !== key || key.includes("/../") || key.endsWith("/..")) throw invalid(start);
  return { rv, start };
}
