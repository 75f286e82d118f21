// Custom resources served from CustomResourceDefinitions (issue 5), driven by real kubectl 1.27 and
// 1.33 against the built server: a CRD is usable the moment `kubectl apply` returns (get, api-resources,
// wait), its printer columns, short name and category; defaulting, pruning with the field-validation
// warning or strict error, schema and CEL validation errors as kubectl prints them; explain; the
// scale and status subresources; every patch type (strategic merge refused with the 415 kubectl
// explains); field selectors; deleting a CRD with its objects; a second, deprecated version with
// conversion None; renaming and unserving versions in discovery and OpenAPI; and the FieldValidation
// conformance cases for custom resources. Every expected byte is what kubectl prints against a real
// 1.33 cluster (kubectl builds most of it from the server's Status objects, discovery and OpenAPI).
// Each kubectl version gets its own server and its own group names, so the runs never collide.
import assert from "node:assert/strict";
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { eventually, type Kubectl, kubectl, kubectlPath, type KubectlResult } from "../helpers/kubectl.js";
import { removeDir, type ServerProcess, startServer, tempDir } from "../helpers/server-process.js";

type Obj = Record<string, any>;
const VERSIONS = ["1.27", "1.33"] as const;
for (const v of VERSIONS) kubectlPath(v); // fail loudly when a binary is missing

const CRD_RESOURCES = "[sig-api-machinery] CustomResourceDefinition resources [Privileged:ClusterAdmin]";
const PUBLISH_OPENAPI = "[sig-api-machinery] CustomResourcePublishOpenAPI [Privileged:ClusterAdmin]";
const VALIDATION_RULES = "[sig-api-machinery] CustomResourceValidationRules [Privileged:ClusterAdmin]";
const FIELD_VALIDATION = "[sig-api-machinery] FieldValidation";

const CRON_PATTERN = String.raw`^(\d+|\*)(/\d+)?(\s+(\d+|\*)(/\d+)?){4}$`;
const UNSUPPORTED_PATCH =
  "the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml";
const AGE = String.raw`\d+s`;

/** The CronTab schema of the Kubernetes docs, with descriptions (for explain), a default and a CEL rule. */
function cronTabSchema(): Obj {
  return {
    description: "CronTab runs a container image on a cron schedule.",
    type: "object",
    properties: {
      spec: {
        description: "Specification of the CronTab.",
        type: "object",
        properties: {
          cronSpec: { description: "The cron schedule, five fields.", type: "string", pattern: CRON_PATTERN },
          image: { description: "The container image to run.", type: "string" },
          replicas: { description: "How many copies to run.", type: "integer", minimum: 1, maximum: 10, default: 1 },
        },
        "x-kubernetes-validations": [{ rule: 'self.replicas <= 5 || self.image != ""', message: "more than 5 replicas need an image" }],
      },
      status: {
        description: "Observed state of the CronTab.",
        type: "object",
        properties: { replicas: { type: "integer" }, labelSelector: { type: "string" } },
      },
    },
  };
}

function cronTabCRD(group: string, versions?: Obj[]): Obj {
  return {
    apiVersion: "apiextensions.k8s.io/v1",
    kind: "CustomResourceDefinition",
    metadata: { name: `crontabs.${group}` },
    spec: {
      group,
      scope: "Namespaced",
      names: { plural: "crontabs", singular: "crontab", kind: "CronTab", shortNames: ["ct"], categories: ["all"] },
      versions: versions ?? [
        {
          name: "v1",
          served: true,
          storage: true,
          schema: { openAPIV3Schema: cronTabSchema() },
          subresources: {
            status: {},
            scale: { specReplicasPath: ".spec.replicas", statusReplicasPath: ".status.replicas", labelSelectorPath: ".status.labelSelector" },
          },
          additionalPrinterColumns: [
            { name: "Spec", type: "string", jsonPath: ".spec.cronSpec" },
            { name: "Replicas", type: "integer", jsonPath: ".spec.replicas" },
            { name: "Age", type: "date", jsonPath: ".metadata.creationTimestamp" },
          ],
        },
      ],
    },
  };
}

/** A CRD of kind Noxu with one version v1 and the given schema (the fixtures of the FieldValidation tests). */
function noxuCRD(group: string, schema: Obj, scope = "Cluster", names: Obj = {}): Obj {
  const n = { plural: "noxus", singular: "noxu", kind: "Noxu", listKind: "NoxuList", ...names };
  return {
    apiVersion: "apiextensions.k8s.io/v1",
    kind: "CustomResourceDefinition",
    metadata: { name: `${n.plural}.${group}` },
    spec: { group, scope, names: n, versions: [{ name: "v1", served: true, storage: true, schema: { openAPIV3Schema: schema } }] },
  };
}

const cronTab = (group: string, name: string, spec: Obj, extra: Obj = {}, version = "v1"): Obj => ({
  apiVersion: `${group}/${version}`,
  kind: "CronTab",
  metadata: { name },
  spec,
  ...extra,
});

/** The schema of upstream's FieldValidation CR tests (foo, cronSpec, a map-list of ports). */
const PORTS_SCHEMA: Obj = {
  type: "array",
  "x-kubernetes-list-map-keys": ["containerPort", "protocol"],
  "x-kubernetes-list-type": "map",
  items: {
    type: "object",
    required: ["containerPort", "protocol"],
    properties: {
      containerPort: { format: "int32", type: "integer" },
      hostIP: { type: "string" },
      hostPort: { format: "int32", type: "integer" },
      name: { type: "string" },
      protocol: { type: "string" },
    },
  },
};
const FIELD_VALIDATION_SCHEMA: Obj = {
  type: "object",
  properties: {
    spec: {
      type: "object",
      properties: { foo: { type: "string" }, cronSpec: { type: "string", pattern: CRON_PATTERN }, ports: PORTS_SCHEMA },
    },
  },
};
const EMBEDDED_SCHEMA: Obj = {
  type: "object",
  properties: {
    spec: {
      type: "object",
      "x-kubernetes-preserve-unknown-fields": true,
      properties: {
        template: {
          type: "object",
          "x-kubernetes-embedded-resource": true,
          properties: { metadata: { type: "object", properties: { name: { type: "string" } } }, spec: { type: "object" } },
        },
        foo: { type: "string" },
        cronSpec: { type: "string", pattern: CRON_PATTERN },
        ports: PORTS_SCHEMA,
      },
    },
  },
};
const PRESERVE_ROOT_SCHEMA: Obj = {
  description: "preserve-unknown-properties at root for Testing",
  type: "object",
  "x-kubernetes-preserve-unknown-fields": true,
  properties: {
    spec: {
      description: "Specification of Waldo",
      type: "object",
      properties: { dummy: { description: "Dummy property.", type: "object" } },
    },
    status: {
      description: "Status of Waldo",
      type: "object",
      properties: { bars: { description: "List of Bars and their statuses.", type: "array", items: { type: "object" } } },
    },
  },
};

/** SIGTERM, and the exit code; a server still running after `ms` is killed and the test fails. */
async function stopWithin(server: ServerProcess, ms: number): Promise<number | null> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<"timeout">((resolve) => (timer = setTimeout(() => resolve("timeout"), ms)));
  const code = await Promise.race([server.stop(), timeout]);
  clearTimeout(timer);
  if (code === "timeout") {
    await server.kill9();
    assert.fail(`the server did not exit within ${ms} ms of SIGTERM; its stderr ends with:\n${server.stderr().slice(-1500)}`);
  }
  return code;
}

/** A failed kubectl run: exit code 1, nothing on stdout, exactly `stderr`. */
function failed(r: KubectlResult, stderr: string): void {
  assert.deepEqual(r, { code: 1, stdout: "", stderr });
}

// The Spec printer column of the CronTabs below, as a regular expression.
const EVERY5 = String.raw`\* \* \* \* \*/5`;

describe("custom resources with kubectl", { concurrency: true }, () => {
  for (const version of VERSIONS) {
    describe(`kubectl ${version}`, { concurrency: 1 }, () => {
      const tag = version.replace(".", "");
      const G = `stable${tag}.example.com`; // the CronTab group of this kubectl version
      const CRD = `crontabs.${G}`;
      const CT = `crontab.${G}`; // how kubectl names a CronTab in its output
      let server: ServerProcess;
      let dir: string;
      let k: Kubectl;
      let freshCount = 0;
      const file = (name: string, content: Obj | string) => {
        const p = path.join(dir, name);
        writeFileSync(p, typeof content === "string" ? content : JSON.stringify(content, null, 2));
        return p;
      };
      /** A kubectl with an empty discovery cache, as a user whose cache expired (or a new user). */
      const fresh = () => kubectl(version, server.kubeconfig, path.join(dir, `fresh-cache-${freshCount++}`));
      const json = async (args: string[], kk: Kubectl = k): Promise<Obj> => JSON.parse(await kk.ok([...args, "-o", "json"])) as Obj;
      const raw = async (p: string): Promise<Obj> => JSON.parse(await k.ok(["get", "--raw", p])) as Obj;
      const conditions = (crd: Obj) => Object.fromEntries((crd.status?.conditions ?? []).map((c: Obj) => [c.type, [c.status, c.reason, c.message]]));
      const established = async (name: string) =>
        assert.equal(await k.ok(["wait", "--for", "condition=established", "--timeout=20s", `crd/${name}`]), `customresourcedefinition.apiextensions.k8s.io/${name} condition met\n`);
      const applyCRD = async (crd: Obj, verb = "created") => {
        assert.equal(await k.ok(["apply", "-f", file(`${crd.metadata.name}.json`, crd)]), `customresourcedefinition.apiextensions.k8s.io/${crd.metadata.name} ${verb}\n`);
        await established(crd.metadata.name);
      };
      const deleteCRD = async (name: string) =>
        assert.equal(await k.ok(["delete", "crd", name]), `customresourcedefinition.apiextensions.k8s.io "${name}" deleted\n`);
      const openapiV3Paths = async () => Object.keys((await raw("/openapi/v3")).paths as Obj);
      const openapiV2Definitions = async () => Object.keys((await raw("/openapi/v2")).definitions as Obj);
      /** The OpenAPI definition name of a CRD version, as kube-openapi's ToRESTFriendlyName makes it. */
      const definitionName = (group: string, v: string, kind: string) => `${group.split(".").reverse().join(".")}.${v}.${kind}`;

      before(async () => {
        dir = tempDir(`custom-resources-${version}`); // holds the server's data too, so a failed start leaves nothing behind
        const data = path.join(dir, "data");
        mkdirSync(data);
        server = await startServer({ dataDir: data });
        k = kubectl(version, server.kubeconfig, path.join(dir, "cache"));
      });
      after(async () => {
        try {
          if (server) assert.equal(await stopWithin(server, 10_000), 0);
        } finally {
          if (dir) removeDir(dir);
        }
      });

      it(`${CRD_RESOURCES} Simple CustomResourceDefinition creating/deleting custom resource definition objects works`, async () => {
        assert.equal(await k.ok(["apply", "-f", file("crontab-crd.json", cronTabCRD(G))]), `customresourcedefinition.apiextensions.k8s.io/${CRD} created\n`);
        // Usable at once: kubectl's cached discovery misses crontabs, kubectl refreshes it and finds them.
        assert.deepEqual(await k.run(["get", "crontabs"]), { code: 0, stdout: "", stderr: "No resources found in default namespace.\n" });
        const resources = (await k.ok(["api-resources", `--api-group=${G}`])).trimEnd().split("\n").map((l) => l.trim().split(/\s+/));
        assert.deepEqual(resources, [
          ["NAME", "SHORTNAMES", "APIVERSION", "NAMESPACED", "KIND"],
          ["crontabs", "ct", `${G}/v1`, "true", "CronTab"],
        ]);
        await established(CRD);
        const crd = await json(["get", "crd", CRD]);
        assert.deepEqual(crd.status.acceptedNames, { plural: "crontabs", singular: "crontab", shortNames: ["ct"], kind: "CronTab", listKind: "CronTabList", categories: ["all"] });
        assert.deepEqual(conditions(crd), {
          NamesAccepted: ["True", "NoConflicts", "no conflicts found"],
          Established: ["True", "InitialNamesAccepted", "the initial names have been accepted"],
        });
        assert.deepEqual(crd.status.storedVersions, ["v1"]);
        assert.equal(crd.metadata.finalizers, undefined, "the cleanup finalizer is added on deletion, not before");

        await deleteCRD(CRD); // kubectl waits until the cleanup finalizer has run and the CRD is gone
        failed(await k.run(["get", "crd", CRD]), `Error from server (NotFound): customresourcedefinitions.apiextensions.k8s.io "${CRD}" not found\n`);
        failed(await fresh().run(["get", "crontabs"]), 'error: the server doesn\'t have a resource type "crontabs"\n');

        await applyCRD(cronTabCRD(G)); // for the tests below
      });

      it(`${CRD_RESOURCES} custom resource defaulting for requests and from storage works`, async () => {
        // Request defaulting: replicas (default 1) is set on create.
        assert.equal(await k.ok(["create", "-f", file("x.json", cronTab(G, "x", { cronSpec: "* * * * */5" }))]), `${CT}/x created\n`);
        const yaml = await k.ok(["get", "crontab", "x", "-o", "yaml"]);
        assert.match(yaml, /^spec:\n {2}cronSpec: '\* \* \* \* \*\/5'\n {2}replicas: 1\n/m, yaml);
        const x = await json(["get", "crontab", "x"]);
        assert.deepEqual(x.spec, { cronSpec: "* * * * */5", replicas: 1 });
        assert.equal(x.metadata.generation, 1);
        // Defaulting from storage: a default added to the schema later shows on objects stored before.
        assert.equal(
          await k.ok(["patch", "crd", CRD, "--type=json", "-p", '[{"op":"add","path":"/spec/versions/0/schema/openAPIV3Schema/properties/spec/properties/image/default","value":"busybox"}]']),
          `customresourcedefinition.apiextensions.k8s.io/${CRD} patched\n`,
        );
        await eventually(async () => (await json(["get", "crontab", "x"])).spec.image === "busybox", 10_000, "the new default on the stored object");
        assert.equal((await json(["get", "crontab", "x"])).metadata.generation, 1, "defaulting on read changes no generation");
      });

      it("kubectl get prints the CRD's additionalPrinterColumns; the short name and the `all` category list custom objects", async () => {
        const table = new RegExp(`^NAME   SPEC          REPLICAS   AGE\nx      ${EVERY5}   1          ${AGE}\n$`);
        assert.match(await k.ok(["get", "crontabs"]), table);
        assert.match(await k.ok(["get", "ct"]), table);
        assert.match(await k.ok(["get", "crontab", "x"]), table);
        const all = await k.ok(["get", "all"]);
        assert.match(all, /^NAME\s+SPEC\s+REPLICAS\s+AGE$/m, all);
        assert.match(all, new RegExp(`^${CT.replaceAll(".", "\\.")}/x\\s+${EVERY5}\\s+1\\s+${AGE}$`, "m"), all);
        assert.equal(await k.ok(["get", "crontabs", "-o", "name"]), `${CT}/x\n`);
      });

      it("unknown fields are pruned: strict validation (kubectl's default) rejects them, --validate=warn prints the server's warning", async () => {
        const p = file("pruned.json", cronTab(G, "pruned", { cronSpec: "* * * * */5", image: "a", foo: "bar" }));
        const strict = `Error from server (BadRequest): error when creating "${p}": CronTab in version "v1" cannot be handled as a CronTab: strict decoding error: unknown field "spec.foo"\n`;
        failed(await k.run(["create", "-f", p]), strict);
        failed(await k.run(["create", "--validate=strict", "-f", p]), strict);
        assert.deepEqual(await k.run(["create", "--validate=warn", "-f", p]), { code: 0, stdout: `${CT}/pruned created\n`, stderr: 'Warning: unknown field "spec.foo"\n' });
        assert.deepEqual((await json(["get", "crontab", "pruned"])).spec, { cronSpec: "* * * * */5", image: "a", replicas: 1 }, "spec.foo is pruned, never stored");
        const ignored = file("pruned2.json", cronTab(G, "pruned2", { cronSpec: "* * * * */5", image: "a", foo: "bar" }));
        assert.equal(await k.ok(["create", "--validate=false", "-f", ignored]), `${CT}/pruned2 created\n`);
        assert.equal((await json(["get", "crontab", "pruned2"])).spec.foo, undefined);
      });

      it("an invalid custom object is refused with every failing field, as kubectl prints a multi-cause Invalid error", async () => {
        const r = await k.run(["create", "-f", file("bad.json", cronTab(G, "bad", { cronSpec: "x", image: "a", replicas: 20 }))]);
        assert.equal(r.code, 1, r.stderr);
        assert.equal(r.stdout, "");
        const lines = r.stderr.split("\n");
        assert.equal(lines[0], 'The CronTab "bad" is invalid: ', r.stderr);
        assert.equal(lines.at(-1), "");
        // Upstream validates the properties of an object in Go map order: the causes come in any order.
        assert.deepEqual(lines.slice(1, -1).sort(), [
          `* spec.cronSpec: Invalid value: "x": spec.cronSpec in body should match '${CRON_PATTERN}'`,
          "* spec.replicas: Invalid value: 20: spec.replicas in body should be less than or equal to 10",
        ]);
        failed(await k.run(["get", "crontab", "bad"]), `Error from server (NotFound): crontabs.${G} "bad" not found\n`);
      });

      it(`${VALIDATION_RULES} MUST NOT fail validation for create of a custom resource that satisfies the x-kubernetes-validations rules`, async () => {
        assert.equal(await k.ok(["create", "-f", file("cel-ok.json", cronTab(G, "cel-ok", { cronSpec: "* * * * */5", image: "nginx", replicas: 7 }))]), `${CT}/cel-ok created\n`);
      });

      it(`${VALIDATION_RULES} MUST fail validation for create of a custom resource that does not satisfy the x-kubernetes-validations rules`, async () => {
        failed(
          await k.run(["create", "-f", file("cel.json", cronTab(G, "cel", { cronSpec: "* * * * */5", image: "", replicas: 7 }))]),
          'The CronTab "cel" is invalid: spec: Invalid value: "object": more than 5 replicas need an image\n',
        );
        // An update is held to the rule too.
        failed(
          await k.run(["patch", "crontab", "cel-ok", "--type=merge", "-p", '{"spec":{"image":""}}']),
          'The CronTab "cel-ok" is invalid: spec: Invalid value: "object": more than 5 replicas need an image\n',
        );
      });

      it(`${PUBLISH_OPENAPI} works for CRD with validation schema`, async () => {
        // kubectl validation (create and apply) allows a request with known properties.
        const valid = JSON.stringify(cronTab(G, "test-foo", { cronSpec: "* * * * */5", image: "nginx" }));
        assert.equal(await k.ok(["create", "-f", "-"], { input: valid }), `${CT}/test-foo created\n`);
        assert.equal(await k.ok(["delete", "crontabs", "test-foo"]), `${CT} "test-foo" deleted\n`);
        assert.equal(await k.ok(["apply", "-f", "-"], { input: valid }), `${CT}/test-foo created\n`);
        assert.equal(await k.ok(["delete", "crontabs", "test-foo"]), `${CT} "test-foo" deleted\n`);

        const top = await k.ok(["explain", "crontabs"]);
        const l = top.split("\n");
        assert.deepEqual(l.slice(0, 4), [`GROUP:      ${G}`, "KIND:       CronTab", "VERSION:    v1", ""], top);
        assert.match(top, /\nDESCRIPTION:\n {4}CronTab runs a container image on a cron schedule\.\n/, top);
        assert.match(top, /FIELDS:.*apiVersion\t<string>.*APIVersion defines.*spec\t<Object>.*Specification of the CronTab/s, top);
        for (const line of ["  apiVersion\t<string>", "  kind\t<string>", "  metadata\t<ObjectMeta>", "  spec\t<Object>", "  status\t<Object>"]) assert.ok(l.includes(line), `${line}\n${top}`);

        const meta = await k.ok(["explain", "crontabs.metadata"]);
        assert.match(meta, /DESCRIPTION:.*Standard object's metadata.*FIELDS:.*creationTimestamp\t<string>.*CreationTimestamp is a timestamp/s, meta);

        const spec = await k.ok(["explain", "crontab.spec"]);
        const s = spec.split("\n");
        assert.deepEqual(s.slice(0, 6), [`GROUP:      ${G}`, "KIND:       CronTab", "VERSION:    v1", "", "FIELD: spec <Object>", ""], spec);
        assert.match(spec, /\nDESCRIPTION:\n {4}Specification of the CronTab\.\n/, spec);
        assert.match(
          spec,
          /\nFIELDS:\n {2}cronSpec\t<string>\n {4}The cron schedule, five fields\.\n\n {2}image\t<string>\n {4}The container image to run\.\n\n {2}replicas\t<integer>\n {4}How many copies to run\.\n/,
          spec,
        );

        const recursive = await k.ok(["explain", "crontabs", "--recursive"]);
        const r = recursive.split("\n");
        const specAt = r.indexOf("  spec\t<Object>");
        assert.ok(specAt > 0, recursive);
        assert.deepEqual(r.slice(specAt, specAt + 7), ["  spec\t<Object>", "    cronSpec\t<string>", "    image\t<string>", "    replicas\t<integer>", "  status\t<Object>", "    labelSelector\t<string>", "    replicas\t<integer>"], recursive);
        assert.ok(r.includes("    creationTimestamp\t<string>"), "metadata is explained recursively as ObjectMeta");

        // kubectl's template prints the header before it finds out that the field does not exist.
        assert.deepEqual(await k.run(["explain", "crontab.spec.nope"]), {
          code: 1,
          stdout: `GROUP:      ${G}\nKIND:       CronTab\nVERSION:    v1\n\n`,
          stderr: 'error: field "nope" does not exist\n',
        });
      });

      it(`${PUBLISH_OPENAPI} works for CRD preserving unknown fields at the schema root`, async () => {
        const group = `unknown-at-root${tag}.example.com`;
        await applyCRD(noxuCRD(group, PRESERVE_ROOT_SCHEMA, "Namespaced", { plural: "waldos", singular: "waldo", kind: "Waldo", listKind: "WaldoList" }));
        const random = JSON.stringify({ kind: "Waldo", apiVersion: `${group}/v1`, metadata: { name: "test-cr" }, a: { b: [{ c: "d" }] } });
        assert.equal(await k.ok(["create", "-f", "-"], { input: random }), `waldo.${group}/test-cr created\n`);
        assert.deepEqual((await json(["get", `waldos.${group}`, "test-cr"])).a, { b: [{ c: "d" }] }, "unknown fields at the root are kept");
        assert.equal(await k.ok(["delete", `waldos.${group}`, "test-cr"]), `waldo.${group} "test-cr" deleted\n`);
        assert.equal(await k.ok(["apply", "-f", "-"], { input: random }), `waldo.${group}/test-cr created\n`);
        assert.equal(await k.ok(["delete", `waldos.${group}`, "test-cr"]), `waldo.${group} "test-cr" deleted\n`);
        const explained = await k.ok(["explain", `waldos.${group}`]);
        assert.match(explained, /KIND:.*Waldo/s, explained);
        assert.match(explained, /\nDESCRIPTION:\n {4}preserve-unknown-properties at root for Testing\n/, explained);
        await deleteCRD(`waldos.${group}`);
      });

      it("scale and status subresources: kubectl scale, patch --subresource=status; metadata.generation counts spec changes only", async () => {
        assert.equal(await k.ok(["get", "crontab", "x", "-o", "jsonpath={.metadata.generation}"]), "1");
        assert.equal(await k.ok(["scale", "crontab/x", "--replicas=3"]), `${CT}/x scaled\n`);
        assert.equal(await k.ok(["get", "crontab", "x", "-o", "jsonpath={.spec.replicas}"]), "3");
        assert.equal(await k.ok(["get", "crontab", "x", "-o", "jsonpath={.metadata.generation}"]), "2", "a scale write changes spec");

        assert.equal(await k.ok(["patch", "crontab", "x", "--subresource=status", "--type=merge", "-p", '{"status":{"replicas":3,"labelSelector":"app=x"}}']), `${CT}/x patched\n`);
        let x = await json(["get", "crontab", "x"]);
        assert.deepEqual(x.status, { replicas: 3, labelSelector: "app=x" });
        assert.equal(x.metadata.generation, 2, "a status write does not change the generation");

        const scale = await json(["get", "crontab", "x", "--subresource=scale"]);
        assert.deepEqual(
          { kind: scale.kind, apiVersion: scale.apiVersion, name: scale.metadata.name, namespace: scale.metadata.namespace, spec: scale.spec, status: scale.status },
          { kind: "Scale", apiVersion: "autoscaling/v1", name: "x", namespace: "default", spec: { replicas: 3 }, status: { replicas: 3, selector: "app=x" } },
        );

        // The main resource cannot write status, the status subresource cannot write spec.
        assert.equal(await k.ok(["patch", "crontab", "x", "--type=merge", "-p", '{"status":{"replicas":9}}']), `${CT}/x patched (no change)\n`);
        assert.equal(await k.ok(["patch", "crontab", "x", "--subresource=status", "--type=merge", "-p", '{"spec":{"replicas":5}}']), `${CT}/x patched (no change)\n`);
        x = await json(["get", "crontab", "x"]);
        assert.equal(x.status.replicas, 3);
        assert.equal(x.spec.replicas, 3);
        assert.equal(x.metadata.generation, 2);
      });

      it("patch: strategic merge is refused with the 415 kubectl explains; merge, JSON patch, client-side and server-side apply work", async () => {
        failed(
          await k.run(["patch", "crontab", "x", "-p", '{"spec":{"image":"y"}}']),
          `error: application/strategic-merge-patch+json is not supported by ${G}/v1, Kind=CronTab: ${UNSUPPORTED_PATCH}\n`,
        );
        assert.equal(await k.ok(["patch", "crontab", "x", "--type=merge", "-p", '{"spec":{"image":"y"}}']), `${CT}/x patched\n`);
        assert.equal(await k.ok(["patch", "crontab", "x", "--type=json", "-p", '[{"op":"replace","path":"/spec/image","value":"z"}]']), `${CT}/x patched\n`);
        const x = await json(["get", "crontab", "x"]);
        assert.equal(x.spec.image, "z");
        assert.equal(x.metadata.generation, 4, "each spec change counts");

        // Client-side apply: kubectl computes a JSON merge patch for types it has no Go struct for.
        const csa = (replicas: number) => file(`csa-${replicas}.json`, cronTab(G, "csa", { cronSpec: "* * * * */5", image: "a", replicas }));
        assert.equal(await k.ok(["apply", "-f", csa(2)]), `${CT}/csa created\n`);
        assert.equal(await k.ok(["apply", "-f", csa(2)]), `${CT}/csa unchanged\n`);
        assert.equal(await k.ok(["apply", "-f", csa(3)]), `${CT}/csa configured\n`);
        assert.equal((await json(["get", "crontab", "csa"])).spec.replicas, 3);

        const ssa = (replicas: number) => file(`ssa-${replicas}.json`, cronTab(G, "ssa", { cronSpec: "* * * * */5", image: "a", replicas }));
        assert.equal(await k.ok(["apply", "--server-side", "-f", ssa(2)]), `${CT}/ssa serverside-applied\n`);
        assert.equal(await k.ok(["apply", "--server-side", "-f", ssa(4)]), `${CT}/ssa serverside-applied\n`);
        const applied = await json(["get", "crontab", "ssa", "--show-managed-fields"]);
        assert.equal(applied.spec.replicas, 4);
        assert.equal(applied.metadata.generation, 2);
        const kubectlApply = (applied.metadata.managedFields as Obj[]).find((e) => e.manager === "kubectl");
        assert.equal(kubectlApply?.operation, "Apply", JSON.stringify(applied.metadata.managedFields));
        assert.equal(kubectlApply?.apiVersion, `${G}/v1`);
        assert.deepEqual(kubectlApply?.fieldsV1?.["f:spec"], { "f:cronSpec": {}, "f:image": {}, "f:replicas": {} });
      });

      it("the metadata.name field selector selects custom objects; other fields are not selectable", async () => {
        assert.equal(await k.ok(["get", "crontabs", "--field-selector", "metadata.name=x", "-o", "name"]), `${CT}/x\n`);
        assert.equal(await k.ok(["get", "crontabs", "--field-selector", "metadata.name!=x,metadata.namespace=default", "-o", "name"]), ["cel-ok", "csa", "pruned", "pruned2", "ssa"].map((n) => `${CT}/${n}\n`).join(""));
        failed(
          await k.run(["get", "crontabs", "--field-selector", "spec.image=y"]),
          `Error from server (BadRequest): Unable to find "${G}/v1, Resource=crontabs" that match label selector "", field selector "spec.image=y": field label not supported: spec.image\n`,
        );
      });

      it("kubectl delete crd deletes its custom objects and takes the resource out of discovery", async () => {
        assert.equal((await k.ok(["get", "crontabs", "-o", "name"])).split("\n").length - 1, 6);
        await deleteCRD(CRD);
        failed(await fresh().run(["get", "crontabs"]), 'error: the server doesn\'t have a resource type "crontabs"\n');
        failed(await k.run(["get", "--raw", `/apis/${G}/v1/namespaces/default/crontabs`]), "Error from server (NotFound): the server could not find the requested resource\n");
        assert.ok(!(await k.ok(["api-versions"])).split("\n").includes(`${G}/v1`));
        // A CRD of the same name starts empty: the objects went with the CRD.
        await applyCRD(cronTabCRD(G));
        assert.deepEqual(await k.run(["get", "crontabs"]), { code: 0, stdout: "", stderr: "No resources found in default namespace.\n" });
        await deleteCRD(CRD);
      });

      describe("a second version (v2, deprecated, conversion None)", { concurrency: 1 }, () => {
        const M = `multi${tag}.example.com`;
        const MCRD = `crontabs.${M}`;
        const DEPRECATED = `Warning: ${M}/v2 CronTab is deprecated\n`;
        const crdVersion = (name: string, extra: Obj = {}) => ({ name, served: true, storage: name === "v1", schema: { openAPIV3Schema: cronTabSchema() }, ...extra });

        it("an object created in v1 reads back via v2 with its apiVersion rewritten; requests to v2 print the deprecation warning", async () => {
          await applyCRD(cronTabCRD(M, [crdVersion("v1"), crdVersion("v2", { deprecated: true })]));
          const group = await raw(`/apis/${M}`);
          assert.deepEqual(
            group.versions.map((v: Obj) => v.groupVersion),
            [`${M}/v2`, `${M}/v1`],
            "kube-aware version order: v2 before v1",
          );
          assert.equal(group.preferredVersion.version, "v2");

          assert.equal(await k.ok(["create", "-f", file("m.json", cronTab(M, "m", { cronSpec: "* * * * */5", image: "a" }))]), `crontab.${M}/m created\n`);
          const v2 = await k.run(["get", `crontabs.v2.${M}`, "m", "-o", "json"]);
          assert.equal(v2.code, 0, v2.stderr);
          assert.equal(v2.stderr, DEPRECATED);
          const obj = JSON.parse(v2.stdout) as Obj;
          assert.equal(obj.apiVersion, `${M}/v2`);
          assert.deepEqual(obj.spec, { cronSpec: "* * * * */5", image: "a", replicas: 1 });
          assert.equal(await k.ok(["get", `crontabs.v1.${M}`, "m", "-o", "jsonpath={.apiVersion}"]), `${M}/v1`);
          // kubectl picks the preferred version, v2, when none is named.
          assert.deepEqual(await k.run(["get", "crontabs", "m", "-o", "jsonpath={.apiVersion}"]), { code: 0, stdout: `${M}/v2`, stderr: DEPRECATED });

          // Written in v2, stored in v1 (the storage version), read in v1.
          assert.deepEqual(await k.run(["create", "-f", file("m2.json", cronTab(M, "m2", { cronSpec: "* * * * */5", image: "b" }, {}, "v2"))]), {
            code: 0,
            stdout: `crontab.${M}/m2 created\n`,
            stderr: DEPRECATED,
          });
          assert.equal(await k.ok(["get", `crontabs.v1.${M}`, "m2", "-o", "jsonpath={.apiVersion} {.spec.image}"]), `${M}/v1 b`);
          assert.deepEqual((await json(["get", "crd", MCRD])).status.storedVersions, ["v1"]);
        });

        it(`${PUBLISH_OPENAPI} removes definition from spec when one version gets changed to not be served`, async () => {
          await eventually(async () => (await openapiV3Paths()).includes(`apis/${M}/v2`), 10_000, "v2 in /openapi/v3");
          assert.ok((await openapiV2Definitions()).includes(definitionName(M, "v2", "CronTab")));
          assert.equal(
            await k.ok(["patch", "crd", MCRD, "--type=json", "-p", '[{"op":"test","path":"/spec/versions/1/name","value":"v2"},{"op":"replace","path":"/spec/versions/1/served","value":false}]']),
            `customresourcedefinition.apiextensions.k8s.io/${MCRD} patched\n`,
          );
          await eventually(async () => !(await k.ok(["api-versions"])).split("\n").includes(`${M}/v2`), 10_000, `${M}/v2 to leave discovery`);
          assert.ok((await k.ok(["api-versions"])).split("\n").includes(`${M}/v1`));
          await eventually(async () => !(await openapiV3Paths()).includes(`apis/${M}/v2`), 10_000, `apis/${M}/v2 to leave /openapi/v3`);
          assert.ok((await openapiV3Paths()).includes(`apis/${M}/v1`));
          await eventually(async () => !(await openapiV2Definitions()).includes(definitionName(M, "v2", "CronTab")), 10_000, "the v2 definition to leave /openapi/v2");
          assert.ok((await openapiV2Definitions()).includes(definitionName(M, "v1", "CronTab")), "the other version is not changed");

          failed(await k.run(["get", "--raw", `/apis/${M}/v2/namespaces/default/crontabs`]), "Error from server (NotFound): the server could not find the requested resource\n");
          failed(await fresh().run(["get", `crontabs.v2.${M}`, "m"]), 'error: the server doesn\'t have a resource type "crontabs"\n');
          assert.equal(await fresh().ok(["get", "crontabs", "m", "-o", "jsonpath={.apiVersion}"]), `${M}/v1`, "v1 is preferred now, without a warning");
          await deleteCRD(MCRD);
        });
      });

      it(`${PUBLISH_OPENAPI} updates the published spec when one version gets renamed`, async () => {
        const R = `multi-ver${tag}.example.com`;
        const schemaFoo = { description: "Foo CRD for Testing", type: "object", properties: { spec: { description: "Specification of Foo", type: "object", properties: { bars: { description: "List of Bars and their specs.", type: "array", items: { type: "object", properties: { name: { description: "Name of Bar.", type: "string" } } } } } } } };
        const crd = noxuCRD(R, schemaFoo, "Namespaced", { plural: "foos", singular: "foo", kind: "Foo", listKind: "FooList" });
        crd.spec.versions = ["v2", "v3"].map((name, i) => ({ name, served: true, storage: i === 0, schema: { openAPIV3Schema: schemaFoo } }));
        await applyCRD(crd);
        const defs = () => openapiV2Definitions();
        await eventually(async () => (await defs()).includes(definitionName(R, "v3", "Foo")), 10_000, "the v3 definition");
        assert.ok((await defs()).includes(definitionName(R, "v2", "Foo")));

        assert.equal(
          await k.ok(["patch", "crd", `foos.${R}`, "--type=json", "-p", '[{"op":"test","path":"/spec/versions/1/name","value":"v3"},{"op":"replace","path":"/spec/versions/1/name","value":"v4"}]']),
          `customresourcedefinition.apiextensions.k8s.io/foos.${R} patched\n`,
        );
        await eventually(async () => (await defs()).includes(definitionName(R, "v4", "Foo")), 10_000, "the new version name in /openapi/v2");
        await eventually(async () => !(await defs()).includes(definitionName(R, "v3", "Foo")), 10_000, "the old version name to leave /openapi/v2");
        assert.ok((await defs()).includes(definitionName(R, "v2", "Foo")), "the other version is not changed");
        const v3paths = await openapiV3Paths();
        assert.ok(v3paths.includes(`apis/${R}/v4`) && v3paths.includes(`apis/${R}/v2`) && !v3paths.includes(`apis/${R}/v3`), v3paths.filter((p) => p.includes(R)).join(" "));
        const v4doc = await raw(`/openapi/v3/apis/${R}/v4`);
        assert.ok(v4doc.components.schemas[definitionName(R, "v4", "Foo")], Object.keys(v4doc.components.schemas).join(" "));

        const explained = await fresh().ok(["explain", `foos.spec.bars`, `--api-version=${R}/v4`]);
        assert.deepEqual(explained.split("\n").slice(0, 3), [`GROUP:      ${R}`, "KIND:       Foo", "VERSION:    v4"], explained);
        assert.match(explained, /DESCRIPTION:.*List of Bars and their specs.*FIELDS:.*name\t<string>.*Name of Bar/s, explained);
        await deleteCRD(`foos.${R}`);
      });

      describe("field validation of custom resources", { concurrency: 1 }, () => {
        it(`${FIELD_VALIDATION} should detect unknown and duplicate fields of a typed object`, async () => {
          const body = `{
  "apiVersion": "apps/v1",
  "kind": "Deployment",
  "metadata": {"name": "my-dep", "labels": {"app": "nginx"}},
  "spec": {
    "unknownField": "foo",
    "replicas": 2,
    "replicas": 3,
    "selector": {"matchLabels": {"app": "nginx"}},
    "template": {"metadata": {"labels": {"app": "nginx"}}, "spec": {"containers": [{"name": "nginx", "image": "nginx:latest"}]}}
  }
}`;
          failed(
            await k.run(["create", "--raw", "/apis/apps/v1/namespaces/default/deployments?fieldManager=field_validation_mgr&fieldValidation=Strict", "-f", file("dup-deployment.json", body)]),
            'Error from server (BadRequest): Deployment in version "v1" cannot be handled as a Deployment: strict decoding error: unknown field "spec.unknownField", duplicate field "spec.replicas"\n',
          );
        });

        it(`${FIELD_VALIDATION} should create/apply a valid CR for CRD with validation schema`, async () => {
          const S = `schema${tag}.example.com`;
          await applyCRD(noxuCRD(S, FIELD_VALIDATION_SCHEMA));
          const valid = { apiVersion: `${S}/v1`, kind: "Noxu", metadata: { name: "mytest" }, spec: { foo: "foo1", cronSpec: "* * * * */5", ports: [{ name: "x", containerPort: 80, protocol: "TCP" }] } };
          assert.equal(await k.ok(["apply", "--server-side", "--validate=strict", "--field-manager=field_validation_mgr", "-f", file("fv-valid.json", valid)]), `noxu.${S}/mytest serverside-applied\n`);
          assert.deepEqual((await json(["get", `noxus.${S}`, "mytest"])).spec, valid.spec);
        });

        it(`${FIELD_VALIDATION} should create/apply an invalid CR with extra properties for CRD with validation schema`, async () => {
          const S = `schema${tag}.example.com`;
          const invalid = { apiVersion: `${S}/v1`, kind: "Noxu", metadata: { name: "invalid" }, unknownField: "unknown", spec: { foo: "foo1", cronSpec: "* * * * */5", ports: [{ name: "x", containerPort: 80, protocol: "TCP" }] } };
          const p = file("fv-invalid.json", invalid);
          failed(
            await k.run(["apply", "--server-side", "--validate=strict", "--field-manager=field_validation_mgr", "-f", p]),
            `Error from server: failed to create typed patch object (/invalid; ${S}/v1, Kind=Noxu): .unknownField: field not declared in schema\n`,
          );
          // A create (not an apply) reports it as a strict decoding error, as for any unknown field.
          failed(
            await k.run(["create", "--validate=strict", "-f", p]),
            `Error from server (BadRequest): error when creating "${p}": Noxu in version "v1" cannot be handled as a Noxu: strict decoding error: unknown field "unknownField"\n`,
          );
          failed(await k.run(["get", `noxus.${S}`, "invalid"]), `Error from server (NotFound): noxus.${S} "invalid" not found\n`);
          await deleteCRD(`noxus.${S}`);
        });

        it(`${FIELD_VALIDATION} should create/apply a CR with unknown fields for CRD with no validation schema`, async () => {
          const N = `noschema${tag}.example.com`;
          await applyCRD(noxuCRD(N, { type: "object", "x-kubernetes-preserve-unknown-fields": true }));
          const cr = { apiVersion: `${N}/v1`, kind: "Noxu", metadata: { name: "mytest" }, spec: { unknown: "uk1", cronSpec: "* * * * */5", ports: [{ name: "x", containerPort: 80, protocol: "TCP" }] } };
          assert.equal(await k.ok(["apply", "--server-side", "--validate=strict", "--field-manager=field_validation_mgr", "-f", file("fv-noschema.json", cr)]), `noxu.${N}/mytest serverside-applied\n`);
          assert.deepEqual((await json(["get", `noxus.${N}`, "mytest"])).spec, cr.spec);
          assert.equal(await k.ok(["create", "--validate=strict", "-f", file("fv-noschema2.json", { ...cr, metadata: { name: "created" }, extra: { a: 1 } })]), `noxu.${N}/created created\n`);
          assert.deepEqual((await json(["get", `noxus.${N}`, "created"])).extra, { a: 1 });
          await deleteCRD(`noxus.${N}`);
        });

        it(`${FIELD_VALIDATION} should detect unknown metadata fields in both the root and embedded object of a CR`, async () => {
          const E = `embed${tag}.example.com`;
          await applyCRD(noxuCRD(E, EMBEDDED_SCHEMA));
          const cr = {
            apiVersion: `${E}/v1`,
            kind: "Noxu",
            metadata: { name: "mytest", unknownMeta: "unknown" },
            spec: {
              template: { apiVersion: "foo/v1", kind: "Sub", metadata: { unknownSubMeta: "unknown", name: "subobject" } },
              foo: "foo1",
              cronSpec: "* * * * */5",
              ports: [{ name: "x", containerPort: 80, protocol: "TCP" }],
            },
          };
          const p = file("fv-embedded.json", cr);
          const r = await k.run(["apply", "--server-side", "--validate=strict", "--field-manager=field_validation_mgr", "-f", p]);
          assert.equal(r.code, 1, r.stderr);
          assert.equal(r.stdout, "");
          // Upstream's typed conversion reports every undeclared field (in Go map order): the root's and
          // the embedded object's metadata are both ObjectMeta.
          const undeclared = [".metadata.unknownMeta: field not declared in schema", ".spec.template.metadata.unknownSubMeta: field not declared in schema"];
          const prefix = `Error from server: failed to create typed patch object (/mytest; ${E}/v1, Kind=Noxu): errors:\n`;
          assert.ok(
            [undeclared, [...undeclared].reverse()].some((order) => r.stderr === `${prefix}${order.map((e) => `  ${e}\n`).join("")}`),
            r.stderr,
          );
          failed(
            await k.run(["create", "--validate=strict", "-f", p]),
            `Error from server (BadRequest): error when creating "${p}": Noxu in version "v1" cannot be handled as a Noxu: strict decoding error: unknown field "metadata.unknownMeta", unknown field "spec.template.metadata.unknownSubMeta"\n`,
          );
          // Warn: both are dropped and reported.
          const warned = await k.run(["create", "--validate=warn", "-f", p]);
          assert.deepEqual(warned, {
            code: 0,
            stdout: `noxu.${E}/mytest created\n`,
            stderr: 'Warning: unknown field "metadata.unknownMeta"\nWarning: unknown field "spec.template.metadata.unknownSubMeta"\n',
          });
          const stored = await json(["get", `noxus.${E}`, "mytest"]);
          assert.equal(stored.metadata.unknownMeta, undefined);
          assert.deepEqual(stored.spec.template.metadata, { name: "subobject" });
          await deleteCRD(`noxus.${E}`);
        });
      });
    });
  }
});
