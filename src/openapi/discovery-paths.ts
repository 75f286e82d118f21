// The discovery and version paths outside the group-versions (/api/, /apis/, /apis/<group>/,
// /version/) as upstream publishes them in Swagger 2.0 and in the v3 documents "api", "apis",
// "apis/<group>" and "version".
import { groupVersionNames, type PathModel } from "./operations.js";

const META = "io.k8s.apimachinery.pkg.apis.meta.v1";
export const VERSION_INFO = "io.k8s.apimachinery.pkg.version.Info";
const DISCOVERY_MEDIA = ["application/json", "application/yaml", "application/vnd.kubernetes.protobuf"];

function single(path: string, operationId: string, description: string, tag: string, schema: string, json = false): PathModel {
  return {
    path,
    parameters: [],
    operations: [
      {
        method: "get",
        operationId,
        description,
        tag,
        parameters: [],
        responses: [
          { code: "200", description: "OK", schema },
          { code: "401", description: "Unauthorized" },
        ],
        media: json ? "json" : "object",
        consumes: json ? ["application/json"] : DISCOVERY_MEDIA,
      },
    ],
  };
}

/** v3 document key ("api", "apis", "apis/apps", "version") -> its paths. */
export function discoveryPaths(groups: readonly string[]): Map<string, PathModel[]> {
  const out = new Map<string, PathModel[]>();
  out.set("api", [single("/api/", "getCoreAPIVersions", "get available API versions", "core", `${META}.APIVersions`)]);
  out.set("apis", [single("/apis/", "getAPIVersions", "get available API versions", "apis", `${META}.APIGroupList`)]);
  for (const g of groups) {
    if (g === "") continue;
    const { tag } = groupVersionNames(g, "v1");
    const name = tag.slice(0, tag.lastIndexOf("_"));
    const prefix = name.charAt(0).toUpperCase() + name.slice(1);
    out.set(`apis/${g}`, [single(`/apis/${g}/`, `get${prefix}APIGroup`, "get information of a group", name, `${META}.APIGroup`)]);
  }
  out.set("version", [single("/version/", "getCodeVersion", "get the version information for this server", "version", VERSION_INFO, true)]);
  return out;
}
