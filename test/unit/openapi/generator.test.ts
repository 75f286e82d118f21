// Invariants of the generated openapi/definitions.json (scripts/gen-openapi).
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import path from "node:path";
import { builtinResources } from "../../../src/registry/builtin/index.js";
import { SchemaIndex } from "../../../src/openapi/schema-index.js";
import { parseFieldSpec } from "../../../scripts/gen-openapi/facts/field-spec.js";
import { FIELD_TABLES } from "../../../scripts/gen-openapi/apply-facts.js";
import { modelsDescription } from "../../../scripts/gen-openapi/jsdoc.js";
import { ROOT, definitionsFile } from "./fixtures.js";

const d = () => definitionsFile().definitions;
const prop = (name: string, field: string) => d()[name]!.properties![field]!;

test("every served built-in kind has a schema with its group-version-kind, and a list schema", () => {
  const index = new SchemaIndex(d());
  for (const def of builtinResources()) {
    assert.ok(def.schema, `${def.plural} declares a schema`);
    const schema = d()[def.schema];
    assert.ok(schema, `${def.schema} is generated`);
    const gvk = { group: def.group, kind: def.kind, version: def.version };
    assert.ok(index.nameOf(gvk), `${def.group}/${def.version} ${def.kind} is found by GVK`);
    if (!def.verbs || def.verbs.includes("list")) {
      assert.deepEqual(d()[`${def.schema}List`]?.["x-kubernetes-group-version-kind"], [{ ...gvk, kind: `${def.kind}List` }]);
    }
  }
});

test("Deployment.spec.strategy: retainKeys, and type is an enum with its description", () => {
  assert.equal(prop("io.k8s.api.apps.v1.DeploymentSpec", "strategy")["x-kubernetes-patch-strategy"], "retainKeys");
  const type = prop("io.k8s.api.apps.v1.DeploymentStrategy", "type");
  assert.deepEqual(type.enum, ["Recreate", "RollingUpdate"]);
  assert.equal(type.type, "string");
  assert.match(type.description!, /Default is RollingUpdate\.\n\nPossible enum values:\n - `"Recreate"` Kill all existing pods/);
});

test("strategic merge patch facts of the common lists", () => {
  const containers = prop("io.k8s.api.core.v1.PodSpec", "containers");
  assert.equal(containers["x-kubernetes-patch-merge-key"], "name");
  assert.equal(containers["x-kubernetes-patch-strategy"], "merge");
  assert.deepEqual(containers["x-kubernetes-list-map-keys"], ["name"]);
  assert.equal(prop("io.k8s.api.core.v1.PodSpec", "volumes")["x-kubernetes-patch-strategy"], "merge,retainKeys");
  assert.equal(prop("io.k8s.api.core.v1.PodSpec", "tolerations")["x-kubernetes-list-type"], "atomic");
  assert.equal(prop("io.k8s.api.core.v1.PodSpec", "tolerations")["x-kubernetes-patch-strategy"], undefined);
  assert.equal(prop("io.k8s.api.core.v1.Container", "ports")["x-kubernetes-patch-merge-key"], "containerPort");
  assert.deepEqual(prop("io.k8s.api.core.v1.Container", "ports")["x-kubernetes-list-map-keys"], ["containerPort", "protocol"]);
  assert.equal(prop("io.k8s.api.core.v1.Container", "volumeMounts")["x-kubernetes-patch-merge-key"], "mountPath");
  assert.equal(prop("io.k8s.api.core.v1.Container", "env")["x-kubernetes-patch-merge-key"], "name");
  assert.equal(prop("io.k8s.api.core.v1.PodStatus", "conditions")["x-kubernetes-patch-merge-key"], "type");
  assert.equal(prop("io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta", "ownerReferences")["x-kubernetes-patch-merge-key"], "uid");
  assert.equal(prop("io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta", "finalizers")["x-kubernetes-patch-strategy"], "merge");
  assert.equal(prop("io.k8s.api.core.v1.NodeSpec", "taints")["x-kubernetes-patch-strategy"], undefined);
  assert.equal(d()["io.k8s.apimachinery.pkg.apis.meta.v1.LabelSelector"]!["x-kubernetes-map-type"], "atomic");
  assert.deepEqual(d()["io.k8s.api.core.v1.SeccompProfile"]!["x-kubernetes-unions"], [
    { discriminator: "type", "fields-to-discriminateBy": { localhostProfile: "LocalhostProfile" } },
  ]);
});

test("descriptions keep upstream paragraphs and list indentation", () => {
  assert.match(prop("io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta", "generateName").description!, /suffix required to make the value unique on the server\.\n\nIf this field is specified/);
  assert.match(prop("io.k8s.apimachinery.pkg.apis.meta.v1.WatchEvent", "object").description!, /^Object is:\n \* If Type is Added or Modified/);
  assert.match(d()["io.k8s.apimachinery.pkg.runtime.RawExtension"]!.description!, /\n\n\ttype MyAPIObject struct \{\n\t\truntime.TypeMeta/);
  assert.equal(modelsDescription("/**\n * a '\\*\\/scale' b\n *\n *  - `\"X\"` y\n */"), "a '*/scale' b\n\n - `\"X\"` y");
});

test("deprecated kinds keep upstream's description, without kubernetes-models' @deprecated tag", () => {
  assert.equal(modelsDescription("/**\n * Old. Deprecated: This API is deprecated in v1.19+\n * @deprecated\n */"), "Old. Deprecated: This API is deprecated in v1.19+");
  for (const name of ["io.k8s.api.core.v1.ComponentStatus", "io.k8s.api.core.v1.ComponentStatusList", "io.k8s.api.core.v1.Endpoints"]) {
    assert.doesNotMatch(d()[name]!.description!, /@deprecated/, name);
  }
  assert.equal(d()["io.k8s.api.core.v1.ComponentStatus"]!.description, "ComponentStatus (and ComponentStatusList) holds the cluster validation info. Deprecated: This API is deprecated in v1.19+");
});

test("required fields, special types and references", () => {
  assert.deepEqual(d()["io.k8s.api.apps.v1.DeploymentSpec"]!.required, ["selector", "template"]);
  assert.deepEqual(d()["io.k8s.apimachinery.pkg.apis.meta.v1.OwnerReference"]!.required?.slice().sort(), ["apiVersion", "kind", "name", "uid"]);
  assert.equal(d()["io.k8s.api.apps.v1.Deployment"]!.required, undefined);
  const intOrString = d()["io.k8s.apimachinery.pkg.util.intstr.IntOrString"]!;
  assert.equal(intOrString.type, "string");
  assert.equal(intOrString.format, "int-or-string");
  assert.deepEqual(definitionsFile().v3["io.k8s.apimachinery.pkg.util.intstr.IntOrString"], { oneOf: [{ type: "integer" }, { type: "string" }], format: "int-or-string" });
  assert.deepEqual(definitionsFile().v3["io.k8s.apimachinery.pkg.api.resource.Quantity"], { oneOf: [{ type: "string" }, { type: "number" }] });
  assert.match(d()["io.k8s.apimachinery.pkg.api.resource.Quantity"]!.description!, /^Quantity is a fixed-point representation of a number/);
  assert.equal(d()["io.k8s.apimachinery.pkg.apis.meta.v1.Time"]!.format, "date-time");
  assert.deepEqual(prop("io.k8s.api.core.v1.ResourceRequirements", "limits").additionalProperties, { $ref: "#/definitions/io.k8s.apimachinery.pkg.api.resource.Quantity" });
  assert.equal(prop("io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta", "creationTimestamp").$ref, "#/definitions/io.k8s.apimachinery.pkg.apis.meta.v1.Time");
  assert.deepEqual(prop("io.k8s.api.core.v1.ContainerPort", "containerPort"), {
    description: "Number of port to expose on the pod's IP address. This must be a valid port number, 0 < x < 65536.",
    format: "int32",
    type: "integer",
  });
  // every reference resolves
  const names = new Set(Object.keys(d()));
  const refs = JSON.stringify(d()).match(/"\$ref":"#\/definitions\/[^"]+"/g) ?? [];
  for (const r of refs) assert.ok(names.has(r.slice(22, -1)), r);
});

test("group-version-kinds of the meta types", () => {
  const gvks = d()["io.k8s.apimachinery.pkg.apis.meta.v1.DeleteOptions"]!["x-kubernetes-group-version-kind"]!;
  assert.ok(gvks.some((g) => g.group === "apps" && g.version === "v1" && g.kind === "DeleteOptions"));
  assert.ok(gvks.length > 40);
  assert.deepEqual(d()["io.k8s.apimachinery.pkg.apis.meta.v1.Status"]!["x-kubernetes-group-version-kind"], [{ group: "", kind: "Status", version: "v1" }]);
  assert.deepEqual(d()["io.k8s.api.autoscaling.v1.Scale"]!["x-kubernetes-group-version-kind"], [{ group: "autoscaling", kind: "Scale", version: "v1" }]);
  assert.equal(d()["io.k8s.api.core.v1.PodSpec"]!["x-kubernetes-group-version-kind"], undefined);
  assert.ok(definitionsFile().deleteReturnsObject.includes("io.k8s.api.core.v1.Pod"));
  assert.ok(!definitionsFile().deleteReturnsObject.includes("io.k8s.api.apps.v1.Deployment"));
});

test("fact tables parse and name existing properties", () => {
  assert.deepEqual(parseFieldSpec("merge+retainKeys(name) map[name]"), {
    "x-kubernetes-patch-strategy": "merge,retainKeys",
    "x-kubernetes-patch-merge-key": "name",
    "x-kubernetes-list-type": "map",
    "x-kubernetes-list-map-keys": ["name"],
  });
  assert.throws(() => parseFieldSpec("bogus"));
  for (const table of FIELD_TABLES) {
    for (const [name, fields] of Object.entries(table)) for (const field of Object.keys(fields)) assert.ok(d()[name]?.properties?.[field], `${name}.${field}`);
  }
});

test("the committed definitions are what the generator produces", { timeout: 60_000 }, () => {
  const r = spawnSync(process.execPath, ["--import", "tsx", path.join(ROOT, "scripts", "gen-openapi", "main.ts"), "--check"], { cwd: ROOT, encoding: "utf8" });
  assert.equal(r.status, 0, r.stderr + r.stdout);
});
