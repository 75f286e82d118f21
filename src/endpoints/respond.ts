// Writing responses: the one place bodies are encoded. JSON is always application/json (kubectl
// rejects text/html); warnings become `Warning: 299 - "..."` headers with quoted-string escaping.
import type { Response } from "express";
import { stringify as toYaml } from "yaml";
import type { Encoding } from "./negotiation.js";

/** An HTTP quoted-string (RFC 7230): backslash-escape `"` and `\`. */
export function warningHeaderValue(text: string): string {
  return `299 - "${text.replace(/[\\"]/g, (c) => `\\${c}`).replace(/[\r\n]+/g, " ")}"`;
}

export function setWarnings(res: Response, warnings: readonly string[]): void {
  if (warnings.length) res.setHeader("Warning", warnings.map(warningHeaderValue));
}

export function encodeBody(body: unknown, encoding: Encoding): { contentType: string; data: string } {
  if (encoding === "yaml") return { contentType: "application/yaml", data: toYaml(body) };
  return { contentType: "application/json", data: JSON.stringify(body) };
}

export function writeObject(res: Response, status: number, body: unknown, encoding: Encoding = "json"): void {
  const { contentType, data } = encodeBody(body, encoding);
  res.writeHead(status, { "Content-Type": contentType, "Cache-Control": "no-cache, private", "Content-Length": Buffer.byteLength(data) });
  res.end(data);
}
