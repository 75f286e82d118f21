// The Express application: filter chain (request info, authentication, body limits) and the API
// handlers. createApp() never listens — supertest drives it directly — and every error leaves as a
// metav1.Status written by the one error handler at the end.
import express, { type NextFunction, type Request, type Response } from "express";
import { ApiError, errors, toApiError } from "../apimachinery/errors.js";
import type { UserInfo } from "../apimachinery/types.js";
import { aggregatedContentType, aggregatedDiscovery } from "../endpoints/discovery/aggregated.js";
import { apiGroup, apiGroupList, apiResourceList, apiVersions } from "../endpoints/discovery/legacy.js";
import { dispatchResource } from "../endpoints/dispatcher.js";
import { MAX_REQUEST_BODY_BYTES } from "../endpoints/handlers/body.js";
import { negotiateDiscovery } from "../endpoints/negotiation.js";
import { parseRequestInfo, type RequestInfo } from "../endpoints/request-info.js";
import { writeObject } from "../endpoints/respond.js";
import { serveOpenApi } from "../openapi/index.js";
import type { ApiServer } from "./api-server.js";
import { healthHandler, type HealthCheck } from "./health.js";

interface Locals {
  info: RequestInfo;
  query: URLSearchParams;
  user: UserInfo;
}

const locals = (res: Response) => res.locals as Locals;

/** Paths anyone may read, as upstream's system:public-info-viewer allows. */
const PUBLIC_PATHS = /^\/(version|healthz|livez|readyz)(\/.*)?$/;

function discovery(api: ApiServer, req: Request, res: Response): void {
  const info = locals(res).info;
  const path = info.path.replace(/\/+$/, "");
  if (req.method !== "GET" && req.method !== "HEAD") throw new ApiError(405, "MethodNotAllowed", "the server does not allow this method on the requested resource");
  const root = path === "/api" || path === "/apis";
  const format = negotiateDiscovery(req.headers.accept, root);
  if (root) {
    res.setHeader("Vary", "Accept");
    if (format !== "legacy") {
      const body = aggregatedDiscovery(api.registry, path === "/api", format);
      res.status(200).setHeader("Content-Type", aggregatedContentType(format));
      res.end(JSON.stringify(body));
      return;
    }
    const doc = path === "/api" ? apiVersions(`${api.advertiseAddress}:${api.securePort}`) : apiGroupList(api.registry);
    writeObject(res, 200, doc);
    return;
  }
  let doc: unknown;
  if (info.apiPrefix === "api" && info.apiVersion) doc = apiResourceList(api.registry, "", info.apiVersion);
  else if (info.apiPrefix === "apis" && info.apiGroup && !info.apiVersion) doc = apiGroup(api.registry, info.apiGroup);
  else if (info.apiPrefix === "apis" && info.apiVersion) doc = apiResourceList(api.registry, info.apiGroup, info.apiVersion);
  if (!doc) throw errors.pathNotFound();
  writeObject(res, 200, doc);
}

function errorHandler(err: unknown, _req: Request, res: Response, _next: NextFunction): void {
  const e = err as { type?: string; status?: number };
  let apiErr: ApiError;
  if (e?.type === "entity.too.large") apiErr = errors.requestEntityTooLarge(`limit is ${MAX_REQUEST_BODY_BYTES}`);
  else if (typeof e?.type === "string" && typeof e.status === "number" && e.status < 500) apiErr = errors.badRequest((err as Error).message);
  else apiErr = toApiError(err);
  if (apiErr.code >= 500 && !(err instanceof ApiError)) console.error("kubefacade: internal error:", err);
  if (res.headersSent) {
    res.destroy();
    return;
  }
  if (apiErr.retryAfterSeconds && (apiErr.code === 429 || apiErr.code >= 500)) res.setHeader("Retry-After", String(apiErr.retryAfterSeconds));
  writeObject(res, apiErr.code, apiErr.toStatus());
}

export function createApp(api: ApiServer): express.Express {
  const app = express();
  app.disable("x-powered-by");
  app.set("etag", false);

  app.use((req, res, next) => {
    const q = req.originalUrl.indexOf("?");
    const query = new URLSearchParams(q < 0 ? "" : req.originalUrl.slice(q + 1));
    locals(res).query = query;
    locals(res).info = parseRequestInfo(req.method, req.originalUrl, query);
    next();
  });

  const checks: HealthCheck[] = [
    { name: "ping", check: () => undefined },
    { name: "log", check: () => undefined },
    { name: "etcd", check: () => (api.isStopping ? "storage is closing" : undefined) },
    { name: "poststarthook/start-apiserver-admission-initializer", check: () => undefined },
    { name: "poststarthook/generic-apiserver-start-informers", check: () => undefined },
    { name: "poststarthook/bootstrap-controller", check: () => undefined },
  ];
  const readyChecks: HealthCheck[] = [
    ...checks,
    { name: "etcd-readiness", check: () => undefined },
    { name: "informer-sync", check: () => undefined },
    { name: "shutdown", check: () => (api.isStopping ? "process is shutting down" : undefined) },
  ];
  app.get(["/healthz", "/healthz/{*rest}"], healthHandler("healthz", checks));
  app.get(["/livez", "/livez/{*rest}"], healthHandler("livez", checks));
  app.get(["/readyz", "/readyz/{*rest}"], healthHandler("readyz", readyChecks));
  app.get(["/version", "/version/"], (_req, res) => writeObject(res, 200, api.version));

  app.use((req, res, next) => {
    const user = api.authenticator.authenticate(req);
    if (!user) {
      if (PUBLIC_PATHS.test(req.path)) return next();
      throw errors.unauthorized();
    }
    locals(res).user = user;
    next();
  });

  app.get(["/openapi/v2", "/openapi/v3", "/openapi/v3/{*rest}"], (req, res) => {
    const { info, query } = locals(res);
    const r = serveOpenApi(api.openapi, {
      path: info.path,
      hash: query.get("hash") ?? undefined,
      accept: req.headers.accept,
      ifNoneMatch: req.headers["if-none-match"],
    });
    if (!r || r.status === 404) throw errors.pathNotFound();
    if (r.status === 406) throw errors.notAcceptable(["application/json", "application/com.github.proto-openapi.spec.v2.v1.0+protobuf"]);
    res.writeHead(r.status, r.headers);
    res.end(r.body);
  });

  const readBody = express.raw({ type: () => true, limit: MAX_REQUEST_BODY_BYTES });
  app.use(["/api", "/apis"], readBody, async (req, res) => {
    const { info, user, query } = locals(res);
    if (!info.isResourceRequest) return discovery(api, req, res);
    const body = Buffer.isBuffer(req.body) ? req.body : undefined;
    await dispatchResource(api.dispatchContext, { req, res, info, query, user, body });
  });

  app.use(() => {
    throw errors.pathNotFound();
  });
  app.use(errorHandler);
  return app;
}
