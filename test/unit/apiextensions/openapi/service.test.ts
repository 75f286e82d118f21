// The OpenAPI service serving a custom resource from its CRD: the v2 form in /openapi/v2, the v3
// form in its group-version document and in `schemas`, the CRD builder's paths, parameters and
// media types, no discovery paths for a CRD-only group, and new documents when the CRD changes.
import { test } from "node:test";
import assert from "node:assert/strict";
import { crdKindSchemas } from "../../../../src/apiextensions/openapi.js";
import type { KubeObject } from "../../../../src/apimachinery/types.js";
import { createOpenApiService } from "../../../../src/openapi/index.js";
import type { ResourceDefinition } from "../../../../src/registry/definition.js";
import { Registry } from "../../../../src/registry/registry.js";
import { DEFINITIONS_FILE, DEPLOYMENTS } from "../../openapi/fixtures.js";
import { CRONTAB_DEF, cronTabCRD } from "./fixtures.js";

type Json = Record<string, any>;
const KIND = "com.example.stable.v1.CronTab";
const NS = "/apis/stable.example.com/v1/namespaces/{namespace}/crontabs";

function setup(crd: KubeObject = cronTabCRD(), defs: ResourceDefinition[] = [CRONTAB_DEF]) {
  const registry = new Registry();
  registry.add(DEPLOYMENTS);
  for (const d of defs) registry.add(d);
  const state = { crd };
  const svc = createOpenApiService(registry, {
    serverVersion: "v1.33.4",
    definitionsFile: DEFINITIONS_FILE,
    customResourceSchema: (def) => (def.group === "stable.example.com" ? crdKindSchemas(state.crd, def.version) : undefined),
  });
  const v2 = (): Json => JSON.parse(svc.v2Json().body.toString());
  const v3 = (): Json => JSON.parse(svc.v3Document("apis/stable.example.com/v1")!.body.toString());
  return { registry, svc, state, v2, v3 };
}

test("/openapi/v2 carries the v2 form, the v3 document the v3 form (references retargeted and wrapped)", () => {
  const { v2, v3 } = setup();
  const kind2 = v2().definitions[KIND];
  assert.deepEqual(kind2.properties.spec.properties.port, { "x-kubernetes-int-or-string": true });
  assert.equal(kind2.properties.spec.properties.replicas.default, undefined);
  assert.deepEqual(kind2.properties.metadata.$ref, "#/definitions/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta");
  const kind3 = v3().components.schemas[KIND];
  assert.deepEqual(kind3.properties.spec.properties.port.anyOf, [{ type: "integer" }, { type: "string" }]);
  assert.equal(kind3.properties.spec.properties.replicas.default, 1);
  assert.deepEqual(kind3.properties.metadata, {
    allOf: [{ $ref: "#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta" }],
    description: "Standard object's metadata. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata",
  });
  assert.deepEqual(kind3.properties.spec.properties.strict.properties.metadata.allOf, [{ $ref: "#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta" }]);
  assert.ok(v3().components.schemas["io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"]);
});

test("the list kind: description, items reference, gvk and selectable fields", () => {
  const { v2, v3 } = setup();
  const list2 = v2().definitions[`${KIND}List`];
  assert.equal(list2.description, "CronTabList is a list of CronTab");
  assert.deepEqual(list2.required, ["items"]);
  assert.deepEqual(list2.properties.items, {
    description: "List of crontabs. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md",
    items: { $ref: `#/definitions/${KIND}` },
    type: "array",
  });
  assert.deepEqual(list2["x-kubernetes-group-version-kind"], [{ group: "stable.example.com", kind: "CronTabList", version: "v1" }]);
  assert.deepEqual(list2["x-kubernetes-selectable-fields"], [{ fieldPath: "spec.color" }]);
  assert.deepEqual(v3().components.schemas[`${KIND}List`].properties.items.items, { $ref: `#/components/schemas/${KIND}` });
});

test("the schema index used by server-side apply holds the v3 form", () => {
  const { svc } = setup();
  const spec = svc.schemas.at(KIND, ["spec"])!;
  assert.deepEqual((svc.schemas.property(spec, "port") as Json).anyOf, [{ type: "integer" }, { type: "string" }]);
  assert.deepEqual(svc.schemas.patchMeta(svc.schemas.property(spec, "ports")), { strategies: [], listType: "map", listMapKeys: ["name"] });
  assert.deepEqual(svc.schemas.nameOf({ group: "stable.example.com", version: "v1", kind: "CronTab" }), KIND);
});

test("a CRD-only group: no discovery paths, its v3 document is the CRD builder's", () => {
  const { svc, v2, v3 } = setup();
  assert.deepEqual(Object.keys(svc.v3Index().paths).sort(), ["api", "apis", "apis/apps", "apis/apps/v1", "apis/stable.example.com/v1", "version"]);
  const paths2 = Object.keys(v2().paths).filter((p) => p.includes("stable.example.com"));
  assert.deepEqual(paths2, [
    "/apis/stable.example.com/v1/crontabs",
    NS,
    `${NS}/{name}`,
    `${NS}/{name}/scale`,
    `${NS}/{name}/status`,
  ]);
  const d = v3();
  assert.deepEqual(d.info, { title: "Kubernetes CRD Swagger", version: "v0.1.0" });
  assert.equal(d.components.securitySchemes, undefined);
  assert.deepEqual(Object.keys(d.paths).sort(), paths2);
  // a group with built-in resources keeps its document
  assert.deepEqual(JSON.parse(svc.v3Document("apis/apps/v1")!.body.toString()).info, { title: "Kubernetes", version: "v1.33.4" });
});

test("operations, parameters and media types of the CRD builder (v2)", () => {
  const paths = setup().v2().paths;
  const all = paths["/apis/stable.example.com/v1/crontabs"];
  assert.deepEqual(all.parameters.map((p: Json) => p.name), ["allowWatchBookmarks", "continue", "fieldSelector", "labelSelector", "limit", "pretty", "resourceVersion", "resourceVersionMatch", "sendInitialEvents", "timeoutSeconds", "watch"]);
  assert.equal(all.get.operationId, "listStableExampleComV1CronTabForAllNamespaces");
  assert.equal(all.get.description, "list objects of kind CronTab");
  assert.deepEqual(all.get.produces, ["application/json", "application/yaml"]);
  assert.deepEqual(all.get.consumes, ["application/json", "application/yaml"]);

  const coll = paths[NS];
  assert.deepEqual(coll.parameters.map((p: Json) => p.name), ["namespace", "pretty"]);
  assert.deepEqual(Object.keys(coll), ["delete", "get", "parameters", "post"]);
  assert.equal(coll.delete.operationId, "deleteStableExampleComV1CollectionNamespacedCronTab");
  assert.equal(coll.delete.description, "delete collection of CronTab");
  assert.deepEqual(coll.delete.parameters.map((p: Json) => p.name), ["allowWatchBookmarks", "continue", "fieldSelector", "labelSelector", "limit", "resourceVersion", "resourceVersionMatch", "sendInitialEvents", "timeoutSeconds", "watch"]);
  assert.deepEqual(coll.post.parameters.map((p: Json) => p.name), ["body", "dryRun", "fieldManager", "fieldValidation"]);
  assert.equal(coll.post.description, "create a CronTab");
  assert.deepEqual(Object.keys(coll.post.responses), ["200", "201", "202", "401"]);
  assert.equal(coll.get.operationId, "listStableExampleComV1NamespacedCronTab");
  assert.equal(coll.get["x-kubernetes-action"], "list");

  const item = paths[`${NS}/{name}`];
  assert.deepEqual(item.parameters.map((p: Json) => p.name), ["name", "namespace", "pretty"]);
  assert.equal(item.parameters[0].description, "name of the CronTab");
  assert.deepEqual(item.get.parameters.map((p: Json) => p.name), ["resourceVersion"]);
  assert.equal(item.get.description, "read the specified CronTab");
  assert.deepEqual(item.patch.consumes, ["application/json-patch+json", "application/merge-patch+json", "application/apply-patch+yaml"]);
  assert.deepEqual(item.patch.produces, ["application/json", "application/yaml"]);
  assert.deepEqual(Object.keys(item.patch.responses), ["200", "401"]);
  assert.deepEqual(item.patch.parameters.map((p: Json) => p.name), ["body", "dryRun", "fieldManager", "fieldValidation", "force"]);
  assert.deepEqual(item.delete.parameters.find((p: Json) => p.name === "body"), { in: "body", name: "body", schema: { $ref: "#/definitions/io.k8s.apimachinery.pkg.apis.meta.v1.DeleteOptions" } });
  assert.equal(item.delete.description, "delete a CronTab");
  assert.deepEqual(item.delete.responses["202"].schema, { $ref: "#/definitions/io.k8s.apimachinery.pkg.apis.meta.v1.Status" });

  const scale = paths[`${NS}/{name}/scale`];
  assert.equal(scale.parameters[0].description, "name of the CronTab");
  assert.equal(scale.get.operationId, "readStableExampleComV1NamespacedCronTabScale");
  assert.equal(scale.get.description, "read scale of the specified CronTab");
  assert.deepEqual(scale.get.responses["200"].schema, { $ref: "#/definitions/io.k8s.api.autoscaling.v1.Scale" });
  assert.deepEqual(scale.patch["x-kubernetes-group-version-kind"], { group: "stable.example.com", kind: "CronTab", version: "v1" });
  const status = paths[`${NS}/{name}/status`];
  assert.equal(status.patch.description, "partially update status of the specified CronTab");
  assert.deepEqual(status.put.responses["200"].schema, { $ref: `#/definitions/${KIND}` });
});

test("request and response media types in the v3 document", () => {
  const d = setup().v3();
  const item = d.paths[`${NS}/{name}`];
  assert.deepEqual(Object.keys(item.put.requestBody.content), ["application/json", "application/yaml"]);
  assert.deepEqual(Object.keys(item.put.responses["200"].content), ["application/json", "application/yaml"]);
  assert.deepEqual(Object.keys(item.patch.requestBody.content), ["application/apply-patch+yaml", "application/json-patch+json", "application/merge-patch+json"]);
  assert.deepEqual(Object.keys(d.paths[NS].get.responses["200"].content), ["application/json", "application/yaml"]);
  assert.deepEqual(d.paths[NS].get.responses["200"].content["application/json"].schema, { $ref: `#/components/schemas/${KIND}List` });
  assert.equal(d.paths[NS].delete.requestBody, undefined);
});

test("documents change when the CRD's schema changes (the definition is re-added)", () => {
  const { registry, svc, state, v2, v3 } = setup();
  const before = { v2: svc.v2Json().etag, v3: svc.v3Index().paths["apis/stable.example.com/v1"]!.serverRelativeURL, apps: svc.v3Index().paths["apis/apps/v1"]!.serverRelativeURL };
  const crd = cronTabCRD();
  ((crd.spec as Json).versions[0].schema.openAPIV3Schema.properties.spec.properties as Json).added = { type: "boolean", description: "new" };
  state.crd = crd;
  registry.add({ ...CRONTAB_DEF });
  assert.notEqual(svc.v2Json().etag, before.v2);
  assert.notEqual(svc.v3Index().paths["apis/stable.example.com/v1"]!.serverRelativeURL, before.v3);
  assert.equal(svc.v3Index().paths["apis/apps/v1"]!.serverRelativeURL, before.apps);
  assert.deepEqual(v2().definitions[KIND].properties.spec.properties.added, { description: "new", type: "boolean" });
  assert.deepEqual(v3().components.schemas[KIND].properties.spec.properties.added, { description: "new", type: "boolean" });
});

test("cluster-scoped custom resources without subresources; the protobuf document encodes", () => {
  const def: ResourceDefinition = { ...CRONTAB_DEF, namespaced: false, subresources: {} };
  const { svc, v2 } = setup(cronTabCRD(), [def]);
  const paths = Object.keys(v2().paths).filter((p) => p.includes("stable.example.com"));
  assert.deepEqual(paths, ["/apis/stable.example.com/v1/crontabs", "/apis/stable.example.com/v1/crontabs/{name}"]);
  const coll = v2().paths["/apis/stable.example.com/v1/crontabs"];
  assert.equal(coll.get.operationId, "listStableExampleComV1CronTab");
  assert.deepEqual(coll.parameters.map((p: Json) => p.name), ["pretty"]);
  assert.ok(svc.v2().body.length > 0);
});

test("without a CRD the kind keeps unknown fields", () => {
  const { svc } = setup(cronTabCRD(), [{ ...CRONTAB_DEF, group: "other.example.com", schema: "com.example.other.v1.CronTab" }]);
  assert.deepEqual(svc.schemas.unknownFields("com.example.other.v1.CronTab", { spec: { anything: 1 } }), []);
});
