// OpenAPI for every served kind: v3 documents per group-version, the Swagger 2.0 document as JSON
// and gnostic protobuf, the HTTP decision logic, and the schema index used by strict decoding and
// strategic merge patch.
export { createOpenApiService, computeETag } from "./service.js";
export type { OpenApiService, OpenApiServiceOptions, OpenApiV3Index } from "./service.js";
export { serveOpenApi, parseAccept, V2_PROTOBUF_CONTENT_TYPE } from "./http.js";
export type { OpenApiRequest, OpenApiResponse } from "./http.js";
export { SchemaIndex } from "./schema-index.js";
export type { PatchMeta } from "./schema-index.js";
export type { DefinitionsFile, GroupVersionKind, Schema } from "./schema.js";
export { customResourceDefinitionName } from "./custom-resources.js";
