// Resolves a resource request to its definition and REST storage and calls the verb handler. No
// per-resource routes exist: the registry is read at request time, so resources added at runtime
// (CRDs) are served immediately, and a verb is served only where the storage has the capability.
import type { Request, Response } from "express";
import { ApiError, errors } from "../apimachinery/errors.js";
import type { UserInfo } from "../apimachinery/types.js";
import type { RequestContext } from "../registry/context.js";
import { ALL_VERBS, type ResourceDefinition, type Verb } from "../registry/definition.js";
import type { Printer } from "../registry/printer.js";
import type { SchemaIndex } from "../openapi/schema-index.js";
import type { Registry } from "../registry/registry.js";
import type { RestStorage } from "../registry/rest.js";
import type { StorageSet } from "../registry/storage-set.js";
import type { Clock } from "../util/clock.js";
import { handleCreate } from "./handlers/create.js";
import { handleDelete, handleDeleteCollection } from "./handlers/delete.js";
import { handleGet } from "./handlers/get.js";
import { handleList } from "./handlers/list.js";
import { handlePatch } from "./handlers/patch.js";
import type { HandlerScope } from "./handlers/scope.js";
import { handleUpdate } from "./handlers/update.js";
import { handleWatch, type WatchSettings } from "./handlers/watch.js";
import type { RequestInfo } from "./request-info.js";

export interface DispatchContext {
  registry: Registry;
  storage: StorageSet;
  clock: Clock;
  printerFor(def: ResourceDefinition): Printer;
  schemas(): SchemaIndex;
  watch: WatchSettings;
}

const methodNotAllowed = () => new ApiError(405, "MethodNotAllowed", "the server does not allow this method on the requested resource", {});

/** The REST method a verb needs. */
const capability: Record<string, keyof RestStorage> = {
  get: "get",
  list: "list",
  watch: "watch",
  create: "create",
  update: "update",
  patch: "update",
  delete: "delete",
  deletecollection: "deleteCollection",
};

function verbAllowed(def: ResourceDefinition, info: RequestInfo, rest: RestStorage): boolean {
  const method = capability[info.verb];
  if (!method || typeof rest[method] !== "function") return false;
  if (info.subresource) return true;
  return (def.verbs ?? ALL_VERBS).includes(info.verb as Verb);
}

export interface ResourceRequest {
  req: Request;
  res: Response;
  info: RequestInfo;
  query: URLSearchParams;
  user: UserInfo;
  body: Buffer | undefined;
}

export async function dispatchResource(dc: DispatchContext, r: ResourceRequest): Promise<void> {
  const { req, res, info, query, user, body } = r;
  const def = dc.registry.lookup(info.apiGroup, info.apiVersion, info.resource);
  if (!def) throw errors.pathNotFound();
  // A cluster-scoped resource has no namespaced path (namespaces themselves excepted).
  if (!def.namespaced && info.namespace && !(info.resource === "namespaces" && info.name === info.namespace)) throw errors.pathNotFound();
  const rest = dc.storage.restFor(def, info.subresource);
  if (!rest) throw errors.pathNotFound();
  // A namespaced resource needs a namespace except to list or watch across all of them.
  if (def.namespaced && !info.namespace && info.verb !== "list" && info.verb !== "watch") {
    if (info.name) throw errors.pathNotFound();
    throw methodNotAllowed();
  }
  if (!verbAllowed(def, info, rest)) throw methodNotAllowed();
  // Routes exist per shape: POST only on collections (and on subresources), PUT/PATCH only on objects.
  if ((info.verb === "update" || info.verb === "patch") && !info.name) throw methodNotAllowed();
  if (info.verb === "create" && info.name && !info.subresource) throw methodNotAllowed();
  if (info.subresource && !info.name) throw errors.pathNotFound();

  const ctx: RequestContext = {
    user,
    namespace: def.namespaced ? info.namespace : "",
    name: info.name,
    subresource: info.subresource,
    warnings: def.deprecated ? [def.deprecated.warning] : [],
    clock: dc.clock,
  };
  const target = { def, rest, ctx, schemas: dc.schemas, userAgent: req.headers["user-agent"] ?? "" };
  const scope: HandlerScope = { req, res, info, def, rest, ctx, query, printer: dc.printerFor(def), body, schemas: dc.schemas, target };
  switch (info.verb) {
    case "get":
      return handleGet(scope);
    case "list":
      return handleList(scope);
    case "watch":
      return handleWatch(scope, dc.watch);
    case "create":
      return handleCreate(scope);
    case "update":
      return handleUpdate(scope);
    case "patch":
      return handlePatch(scope);
    case "delete":
      return handleDelete(scope);
    case "deletecollection":
      return handleDeleteCollection(scope);
    default:
      throw methodNotAllowed();
  }
}
