// What a verb handler needs for one request: the resolved resource, its REST storage, the request
// context, the negotiated output, and how to write objects in that output.
import type { Request, Response } from "express";
import type { KubeList, KubeObject, ListMeta } from "../../apimachinery/types.js";
import type { RequestContext } from "../../registry/context.js";
import { apiVersionOfDefinition, type ResourceDefinition } from "../../registry/definition.js";
import type { Printer } from "../../registry/printer.js";
import type { RestStorage } from "../../registry/rest.js";
import type { SchemaIndex } from "../../openapi/schema-index.js";
import type { OperationTarget } from "../pipeline/target.js";
import type { RequestInfo } from "../request-info.js";
import { negotiateOutput, type OutputFormat, type Transform } from "../negotiation.js";
import { setWarnings, writeObject } from "../respond.js";
import { parseIncludeObject, partialObjectMetadata, partialObjectMetadataList, toTable } from "../transform.js";

export interface HandlerScope {
  req: Request;
  res: Response;
  info: RequestInfo;
  def: ResourceDefinition;
  rest: RestStorage;
  ctx: RequestContext;
  query: URLSearchParams;
  printer: Printer;
  /** Raw request body (undefined for bodiless requests). */
  body: Buffer | undefined;
  /** The published schemas (loaded on first use): strategic merge patch reads merge keys from them. */
  schemas(): SchemaIndex;
  /** The same request as a transport-independent operation target. */
  target: OperationTarget;
}

/** Objects of the main resource or its status carry the served apiVersion/kind; others (Scale, Status) their own. */
export function withTypeMeta(scope: HandlerScope, obj: KubeObject): KubeObject {
  if (obj.kind === "Status") return obj;
  if (scope.info.subresource !== "" && scope.info.subresource !== "status") return obj;
  const apiVersion = apiVersionOfDefinition(scope.def);
  if (obj.apiVersion === apiVersion && obj.kind === scope.def.kind) return obj;
  return { ...obj, apiVersion, kind: scope.def.kind };
}

/** The transformations an endpoint offers: Table and metadata views only for the resource itself. */
export function transformsFor(scope: HandlerScope, list: boolean): Transform[] {
  const mainObject = scope.info.subresource === "" || scope.info.subresource === "status";
  if (!mainObject) return [];
  // Storage without a table convertor (the review APIs) cannot answer as=Table: 406, as upstream.
  const table: Transform[] = scope.def.rest && !scope.def.printer ? [] : ["Table"];
  return list ? [...table, "PartialObjectMetadataList"] : [...table, "PartialObjectMetadata"];
}

export function negotiate(scope: HandlerScope, list: boolean): OutputFormat {
  return negotiateOutput(scope.req.headers.accept, transformsFor(scope, list));
}

export function respondObject(scope: HandlerScope, status: number, obj: KubeObject, format?: OutputFormat): void {
  const out = format ?? negotiate(scope, false);
  setWarnings(scope.res, scope.ctx.warnings);
  const typed = withTypeMeta(scope, obj);
  let body: unknown = typed;
  if (obj.kind !== "Status") {
    if (out.as === "Table") {
      const meta: ListMeta = obj.metadata.resourceVersion ? { resourceVersion: obj.metadata.resourceVersion } : {};
      body = toTable(scope.printer, [typed], meta, {
        includeObject: parseIncludeObject(scope.query.get("includeObject")),
        metaVersion: out.metaVersion,
        now: scope.ctx.clock.now(),
      });
    } else if (out.as === "PartialObjectMetadata") body = partialObjectMetadata(typed, out.metaVersion);
  }
  writeObject(scope.res, status, body, out.encoding);
}

export function respondList(scope: HandlerScope, list: KubeList, format: OutputFormat): void {
  setWarnings(scope.res, scope.ctx.warnings);
  let body: unknown = list;
  if (format.as === "Table") {
    body = toTable(scope.printer, list.items, list.metadata, {
      includeObject: parseIncludeObject(scope.query.get("includeObject")),
      metaVersion: format.metaVersion,
      now: scope.ctx.clock.now(),
    });
  } else if (format.as === "PartialObjectMetadataList") {
    body = partialObjectMetadataList(list.items, list.metadata, format.metaVersion);
  }
  writeObject(scope.res, 200, body, format.encoding);
}
