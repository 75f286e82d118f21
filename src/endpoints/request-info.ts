// The URL and method of a request, parsed once (upstream apiserver/pkg/endpoints/request/requestinfo.go).
// Everything downstream reads this struct instead of the path.

export interface RequestInfo {
  /** True for /api/... and /apis/... requests that address a resource. */
  isResourceRequest: boolean;
  path: string;
  /** "api" or "apis" for API requests, "" otherwise. */
  apiPrefix: string;
  apiGroup: string;
  apiVersion: string;
  /** get, list, watch, create, update, patch, delete, deletecollection (or an HTTP verb, lower case, for non-resource requests). */
  verb: string;
  namespace: string;
  resource: string;
  subresource: string;
  name: string;
  /** Path segments after the subresource (proxy paths). */
  parts: string[];
}

const NAMESPACE_SUBRESOURCES = new Set(["status", "finalize"]);

const methodVerbs: Record<string, string> = {
  POST: "create",
  GET: "get",
  HEAD: "get",
  PUT: "update",
  PATCH: "patch",
  DELETE: "delete",
};

function decode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

export function parseRequestInfo(method: string, rawPath: string, query: URLSearchParams): RequestInfo {
  const path = rawPath.split("?")[0]!;
  const info: RequestInfo = {
    isResourceRequest: false,
    path,
    apiPrefix: "",
    apiGroup: "",
    apiVersion: "",
    verb: method.toLowerCase(),
    namespace: "",
    resource: "",
    subresource: "",
    name: "",
    parts: [],
  };
  let parts = path.replace(/^\/+|\/+$/g, "").split("/").filter((p) => p !== "").map(decode);
  if (parts.length === 0 || (parts[0] !== "api" && parts[0] !== "apis")) return info;
  info.apiPrefix = parts[0]!;
  parts = parts.slice(1);
  if (info.apiPrefix === "apis") {
    if (parts.length === 0) return info;
    info.apiGroup = parts[0]!;
    parts = parts.slice(1);
  }
  if (parts.length === 0) return info;
  info.apiVersion = parts[0]!;
  parts = parts.slice(1);
  if (parts.length === 0) return info;

  info.isResourceRequest = true;
  let verb = methodVerbs[method.toUpperCase()] ?? method.toLowerCase();
  if (parts[0] === "watch" && verb === "get") {
    verb = "watch";
    parts = parts.slice(1);
  }
  if (parts[0] === "namespaces" && parts.length > 1) {
    info.namespace = parts[1]!;
    if (parts.length > 2 && !NAMESPACE_SUBRESOURCES.has(parts[2]!)) parts = parts.slice(2);
  }
  info.parts = parts;
  info.resource = parts[0] ?? "";
  if (parts.length >= 2) info.name = parts[1]!;
  if (parts.length >= 3) info.subresource = parts[2]!;
  if (parts.length > 3) info.parts = parts.slice(3);
  else info.parts = [];

  if (!info.name && verb === "get") {
    const watch = query.get("watch");
    verb = watch === "true" || watch === "1" ? "watch" : "list";
  }
  if (!info.name && verb === "delete") verb = "deletecollection";
  info.verb = verb;
  return info;
}
