// The HTTP decisions for /openapi/v2, /openapi/v3 and /openapi/v3/<path>.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createOpenApiService, parseAccept, serveOpenApi, V2_PROTOBUF_CONTENT_TYPE } from "../../../src/openapi/index.js";
import { DEFINITIONS_FILE, smallRegistry } from "./fixtures.js";

const svc = createOpenApiService(smallRegistry(), { serverVersion: "v1.33.4", definitionsFile: DEFINITIONS_FILE });

test("/openapi/v2: protobuf for the gnostic media types (both spellings), JSON otherwise, 406 for the rest", () => {
  for (const accept of ["application/com.github.proto-openapi.spec.v2@v1.0+protobuf", "application/com.github.proto-openapi.spec.v2.v1.0+protobuf"]) {
    const r = serveOpenApi(svc, { path: "/openapi/v2", accept })!;
    assert.equal(r.status, 200);
    assert.equal(r.headers["Content-Type"], V2_PROTOBUF_CONTENT_TYPE);
    assert.equal(r.headers.ETag, `"${svc.v2().etag}"`);
    assert.equal(r.body, svc.v2().body);
  }
  assert.equal(serveOpenApi(svc, { path: "/openapi/v2", accept: "application/json" })!.headers["Content-Type"], "application/json");
  assert.equal(serveOpenApi(svc, { path: "/openapi/v2" })!.headers["Content-Type"], "application/json");
  assert.equal(serveOpenApi(svc, { path: "/openapi/v2", accept: "text/html" })!.status, 406);
  const cached = serveOpenApi(svc, { path: "/openapi/v2", accept: "application/json", ifNoneMatch: `"${svc.v2().etag}"` })!;
  assert.equal(cached.status, 304);
  assert.equal(cached.body, undefined);
});

test("/openapi/v3/<path>: ?hash= matches -> immutable, stale -> 301, unknown -> 404", () => {
  const { hash, body } = svc.v3Document("apis/apps/v1")!;
  const now = new Date("2025-03-01T00:00:00Z");
  const fresh = serveOpenApi(svc, { path: "/openapi/v3/apis/apps/v1", hash, accept: "application/json", now })!;
  assert.equal(fresh.status, 200);
  assert.equal(fresh.body, body);
  assert.equal(fresh.headers["Cache-Control"], "public, immutable");
  assert.equal(fresh.headers.Expires, "Sun, 01 Mar 2026 00:00:00 GMT");
  assert.equal(fresh.headers.ETag, `"${hash}"`);
  const stale = serveOpenApi(svc, { path: "/openapi/v3/apis/apps/v1", hash: "0BAD", accept: "application/json" })!;
  assert.equal(stale.status, 301);
  assert.equal(stale.headers.Location, `/openapi/v3/apis/apps/v1?hash=${hash}`);
  const plain = serveOpenApi(svc, { path: "/openapi/v3/apis/apps/v1", accept: "*/*" })!;
  assert.equal(plain.status, 200);
  assert.equal(plain.headers["Cache-Control"], undefined);
  assert.equal(serveOpenApi(svc, { path: "/openapi/v3/apis/apps/v1", ifNoneMatch: `W/"${hash}"` })!.status, 304);
  assert.equal(serveOpenApi(svc, { path: "/openapi/v3/apis/apps/v9" })!.status, 404);
  assert.equal(serveOpenApi(svc, { path: "/openapi/v3/apis/apps/v1", accept: "application/com.github.proto-openapi.spec.v3.v1.0+protobuf" })!.status, 406);
  assert.equal(serveOpenApi(svc, { path: "/apis/apps/v1" }), undefined);
});

test("/openapi/v3 index", () => {
  const r = serveOpenApi(svc, { path: "/openapi/v3/" })!;
  assert.equal(r.status, 200);
  assert.equal(r.headers["Content-Type"], "application/json");
  const index = JSON.parse(r.body!.toString());
  assert.equal(index.paths["apis/apps/v1"].serverRelativeURL, `/openapi/v3/apis/apps/v1?hash=${svc.v3Document("apis/apps/v1")!.hash}`);
});

test("Accept parsing orders by quality and specificity", () => {
  assert.deepEqual(
    parseAccept("application/*;q=0.5, application/json, */*;q=0.1, text/plain;q=0").map((c) => `${c.type}/${c.subtype}`),
    ["application/json", "application/*", "*/*"],
  );
});
