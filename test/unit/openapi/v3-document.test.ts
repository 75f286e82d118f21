// The v3 index and per group-version documents built from a hand-made registry.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { createOpenApiService } from "../../../src/openapi/index.js";
import { DEFINITIONS_FILE, smallRegistry } from "./fixtures.js";

type Json = Record<string, any>;
const service = (reg = smallRegistry()) => createOpenApiService(reg, { serverVersion: "v1.33.4", definitionsFile: DEFINITIONS_FILE });
const doc = (svc: ReturnType<typeof service>, key: string): Json => JSON.parse(svc.v3Document(key)!.body.toString());

test("index lists every group-version and the discovery documents with hash URLs", () => {
  const svc = service();
  const index = svc.v3Index();
  assert.deepEqual(Object.keys(index.paths).sort(), [
    "api",
    "api/v1",
    "apis",
    "apis/apps",
    "apis/apps/v1",
    "apis/authentication.k8s.io",
    "apis/authentication.k8s.io/v1",
    "apis/stable.example.com/v1",
    "version",
  ]);
  const d = svc.v3Document("apis/apps/v1")!;
  assert.equal(d.hash, createHash("sha512").update(d.body).digest("hex").toUpperCase());
  assert.equal(index.paths["apis/apps/v1"]!.serverRelativeURL, `/openapi/v3/apis/apps/v1?hash=${d.hash}`);
  assert.equal(svc.v3Document("apis/nope/v1"), undefined);
});

test("apps/v1: paths, operations, parameters and patch types as upstream publishes them", () => {
  const d = doc(service(), "apis/apps/v1");
  assert.equal(d.openapi, "3.0.0");
  assert.deepEqual(d.info, { title: "Kubernetes", version: "v1.33.4" });
  assert.deepEqual(Object.keys(d.paths).sort(), [
    "/apis/apps/v1/",
    "/apis/apps/v1/deployments",
    "/apis/apps/v1/namespaces/{namespace}/deployments",
    "/apis/apps/v1/namespaces/{namespace}/deployments/{name}",
    "/apis/apps/v1/namespaces/{namespace}/deployments/{name}/scale",
    "/apis/apps/v1/namespaces/{namespace}/deployments/{name}/status",
    "/apis/apps/v1/watch/deployments",
    "/apis/apps/v1/watch/namespaces/{namespace}/deployments",
    "/apis/apps/v1/watch/namespaces/{namespace}/deployments/{name}",
  ]);
  const item = d.paths["/apis/apps/v1/namespaces/{namespace}/deployments/{name}"];
  assert.deepEqual(Object.keys(item), ["delete", "get", "parameters", "patch", "put"]);
  assert.deepEqual(item.parameters.map((p: Json) => p.name), ["name", "namespace", "pretty"]);
  assert.equal(item.parameters[0].description, "name of the Deployment");
  const patch = item.patch;
  assert.equal(patch.operationId, "patchAppsV1NamespacedDeployment");
  assert.equal(patch["x-kubernetes-action"], "patch");
  assert.deepEqual(patch["x-kubernetes-group-version-kind"], { group: "apps", kind: "Deployment", version: "v1" });
  assert.deepEqual(patch.parameters.map((p: Json) => p.name), ["dryRun", "fieldManager", "fieldValidation", "force"]);
  assert.deepEqual(patch.parameters[2].schema, { type: "string", uniqueItems: true });
  assert.deepEqual(Object.keys(patch.requestBody.content), [
    "application/apply-patch+yaml",
    "application/json-patch+json",
    "application/merge-patch+json",
    "application/strategic-merge-patch+json",
  ]);
  assert.equal(patch.requestBody.content["application/json-patch+json"].schema.$ref, "#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.Patch");
  assert.deepEqual(Object.keys(patch.responses), ["200", "201", "401"]);
  assert.equal(item.delete.responses["200"].content["application/json"].schema.$ref, "#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.Status");
  const list = d.paths["/apis/apps/v1/namespaces/{namespace}/deployments"];
  assert.equal(list.get.operationId, "listAppsV1NamespacedDeployment");
  assert.ok(list.get.responses["200"].content["application/json;stream=watch"]);
  assert.equal(list.post.description, "create a Deployment");
  assert.equal(list.delete.operationId, "deleteAppsV1CollectionNamespacedDeployment");
  assert.equal(d.paths["/apis/apps/v1/deployments"].get.operationId, "listAppsV1DeploymentForAllNamespaces");
  assert.equal(d.paths["/apis/apps/v1/watch/namespaces/{namespace}/deployments/{name}"].get["x-kubernetes-action"], "watch");
  assert.equal(d.paths["/apis/apps/v1/watch/deployments"].get.operationId, "watchAppsV1DeploymentListForAllNamespaces");
  const scale = d.paths["/apis/apps/v1/namespaces/{namespace}/deployments/{name}/scale"];
  assert.deepEqual(scale.put["x-kubernetes-group-version-kind"], { group: "autoscaling", kind: "Scale", version: "v1" });
  assert.equal(scale.parameters[0].description, "name of the Scale");
  assert.equal(d.paths["/apis/apps/v1/namespaces/{namespace}/deployments/{name}/status"].get.description, "read status of the specified Deployment");
});

test("components: reachable schemas in v3 form", () => {
  const schemas = doc(service(), "apis/apps/v1").components.schemas;
  for (const name of ["io.k8s.api.apps.v1.Deployment", "io.k8s.api.apps.v1.DeploymentList", "io.k8s.api.core.v1.PodSpec", "io.k8s.api.autoscaling.v1.Scale", "io.k8s.apimachinery.pkg.apis.meta.v1.WatchEvent"]) {
    assert.ok(schemas[name], name);
  }
  assert.equal(schemas["io.k8s.api.core.v1.Pod"], undefined, "only what the operations reach");
  assert.deepEqual(schemas["io.k8s.api.apps.v1.DeploymentSpec"].properties.strategy, {
    allOf: [{ $ref: "#/components/schemas/io.k8s.api.apps.v1.DeploymentStrategy" }],
    description: "The deployment strategy to use to replace existing pods with new ones.",
    "x-kubernetes-patch-strategy": "retainKeys",
  });
  assert.deepEqual(schemas["io.k8s.api.apps.v1.DeploymentList"].properties.items.items, { $ref: "#/components/schemas/io.k8s.api.apps.v1.Deployment" });
  assert.deepEqual(schemas["io.k8s.apimachinery.pkg.util.intstr.IntOrString"].oneOf, [{ type: "integer" }, { type: "string" }]);
  assert.ok(schemas["io.k8s.apimachinery.pkg.util.intstr.IntOrString"].description);
  assert.deepEqual(doc(service(), "apis/apps/v1").components.securitySchemes.BearerToken.type, "apiKey");
});

test("core/v1: cluster-scoped kinds, plural kinds, custom subresources and delete responses", () => {
  const d = doc(service(), "api/v1");
  assert.equal(d.paths["/api/v1/"].get.operationId, "getCoreV1APIResources");
  assert.equal(d.paths["/api/v1/namespaces/{name}"].get.operationId, "readCoreV1Namespace");
  assert.equal(d.paths["/api/v1/namespaces/{name}"].parameters.some((p: Json) => p.name === "namespace"), false);
  assert.equal(d.paths["/api/v1/watch/namespaces/{name}"].get.operationId, "watchCoreV1Namespace");
  assert.equal(d.paths["/api/v1/namespaces/{namespace}/endpoints"].post.description, "create Endpoints");
  const pod = d.paths["/api/v1/namespaces/{namespace}/pods/{name}"];
  assert.equal(pod.delete.responses["200"].content["application/json"].schema.$ref, "#/components/schemas/io.k8s.api.core.v1.Pod");
  const eviction = d.paths["/api/v1/namespaces/{namespace}/pods/{name}/eviction"];
  assert.equal(eviction.post.operationId, "createCoreV1NamespacedPodEviction");
  assert.deepEqual(eviction.post["x-kubernetes-group-version-kind"], { group: "policy", kind: "Eviction", version: "v1" });
  assert.ok(d.components.schemas["io.k8s.api.policy.v1.Eviction"]);
});

test("verbs limit the operations: a create-only resource", () => {
  const d = doc(service(), "apis/authentication.k8s.io/v1");
  assert.deepEqual(Object.keys(d.paths).sort(), ["/apis/authentication.k8s.io/v1/", "/apis/authentication.k8s.io/v1/tokenreviews"]);
  assert.deepEqual(Object.keys(d.paths["/apis/authentication.k8s.io/v1/tokenreviews"]), ["parameters", "post"]);
  assert.equal(d.paths["/apis/authentication.k8s.io/v1/tokenreviews"].post.operationId, "createAuthenticationV1TokenReview");
});

test("custom resources: no strategic merge patch, a generated schema and list", () => {
  const d = doc(service(), "apis/stable.example.com/v1");
  const patch = d.paths["/apis/stable.example.com/v1/namespaces/{namespace}/crontabs/{name}"].patch;
  assert.equal(patch.operationId, "patchStableExampleComV1NamespacedCronTab");
  assert.deepEqual(Object.keys(patch.requestBody.content), ["application/apply-patch+yaml", "application/json-patch+json", "application/merge-patch+json"]);
  const kind = d.components.schemas["com.example.stable.v1.CronTab"];
  assert.deepEqual(kind["x-kubernetes-group-version-kind"], [{ group: "stable.example.com", kind: "CronTab", version: "v1" }]);
  assert.equal(kind["x-kubernetes-preserve-unknown-fields"], true);
  assert.ok(d.components.schemas["com.example.stable.v1.CronTabList"]);
  assert.ok(d.components.schemas["io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"]);
});

test("documents are rebuilt when the registry changes, and only those that changed", () => {
  const reg = smallRegistry();
  const svc = service(reg);
  const apps = svc.v3Document("apis/apps/v1")!;
  const core = svc.v3Document("api/v1")!;
  reg.add({ group: "", version: "v1", kind: "ConfigMap", plural: "configmaps", singular: "configmap", namespaced: true, schema: "io.k8s.api.core.v1.ConfigMap" });
  assert.equal(svc.v3Document("apis/apps/v1")!.body, apps.body, "unchanged document reused");
  const core2 = svc.v3Document("api/v1")!;
  assert.notEqual(core2.hash, core.hash);
  assert.ok(JSON.parse(core2.body.toString()).paths["/api/v1/namespaces/{namespace}/configmaps"]);
  assert.equal(svc.v3Index().paths["api/v1"]!.serverRelativeURL, `/openapi/v3/api/v1?hash=${core2.hash}`);
});
