// Continue tokens as upstream encodes them (storage/continue.go): base64 of
// {"v":"meta.k8s.io/v1","rv":<list revision>,"start":"<next key relative to the list prefix>"}.
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

export function decodeContinue(token: string): ContinueToken {
  let parsed: { v?: string; rv?: number; start?: string };
  try {
    parsed = JSON.parse(Buffer.from(token, "base64url").toString("utf8"));
  } catch {
    throw errors.badRequest(`continue key is not valid: illegal base64 data at input byte 0`);
  }
  if (parsed.v !== "meta.k8s.io/v1") throw errors.badRequest(`continue key is not valid: server does not recognize this encoded key`);
  if (typeof parsed.rv !== "number" || typeof parsed.start !== "string" || parsed.start.length === 0)
    throw errors.badRequest(`continue key is not valid: encoded continue key is missing or empty`);
  if (parsed.start.includes("..") || parsed.start.startsWith("/"))
    throw errors.badRequest(`continue key is not valid: encoded continue key is not a valid key`);
  return { rv: parsed.rv, start: parsed.start };
}
