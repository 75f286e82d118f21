// Exact error output of real kubectl (1.27 and 1.33) against the built server: NotFound,
// AlreadyExists, Conflict on a stale replace, Invalid (single and multiple causes), a missing
// namespace, unknown resource types and kinds, bad selectors, strict field validation. kubectl
// prints these from the server's Status objects, so every byte of stderr is compared with what a
// real 1.33 cluster makes kubectl print.
import assert from "node:assert/strict";
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { type Kubectl, kubectl, kubectlPath, type KubectlResult } from "../helpers/kubectl.js";
import { removeDir, type ServerProcess, startServer, tempDir } from "../helpers/server-process.js";

type Obj = Record<string, any>;
const VERSIONS = ["1.27", "1.33"] as const;
for (const v of VERSIONS) kubectlPath(v); // fail loudly when a binary is missing

const RFC1123_SUBDOMAIN =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
const CONFIG_KEY = "a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')";

/** A failed kubectl run: exit code 1, nothing on stdout, exactly `stderr`. */
function failed(r: KubectlResult, stderr: string): void {
  assert.deepEqual(r, { code: 1, stdout: "", stderr });
}

describe("kubectl error output", { concurrency: true }, () => {
  for (const version of VERSIONS) {
    describe(`kubectl ${version}`, { concurrency: 1 }, () => {
      let server: ServerProcess;
      let dir: string;
      let k: Kubectl;
      const file = (name: string, text: string) => {
        const p = path.join(dir, name);
        writeFileSync(p, text);
        return p;
      };
      const cmYaml = (name: string, ns: string, extra = "") => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\n  namespace: ${ns}\n${extra}`;

      before(async () => {
        dir = tempDir(`kubectl-errors-${version}`); // holds the server's data too, so a failed start leaves nothing behind
        server = await startServer({ dataDir: subdir(dir, "data") });
        k = kubectl(version, server.kubeconfig, path.join(dir, "cache"));
        await k.ok(["apply", "-f", file("ns.yaml", "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: errs\n")]);
      });
      after(async () => {
        if (server) assert.equal(await server.stop(), 0);
        if (dir) removeDir(dir);
      });

      it("NotFound", async () => {
        failed(await k.run(["get", "configmap", "x", "-n", "errs"]), 'Error from server (NotFound): configmaps "x" not found\n');
        failed(await k.run(["get", "configmaps", "x", "y", "-n", "errs"]), 'Error from server (NotFound): configmaps "x" not found\nError from server (NotFound): configmaps "y" not found\n');
        failed(await k.run(["delete", "configmap", "x", "-n", "errs"]), 'Error from server (NotFound): configmaps "x" not found\n');
        failed(await k.run(["describe", "configmap", "x", "-n", "errs"]), 'Error from server (NotFound): configmaps "x" not found\n');
        failed(await k.run(["get", "deployment", "x", "-n", "errs"]), 'Error from server (NotFound): deployments.apps "x" not found\n');
        failed(await k.run(["rollout", "status", "deployment/x", "-n", "errs"]), 'Error from server (NotFound): deployments.apps "x" not found\n');
        failed(await k.run(["get", "namespace", "nope"]), 'Error from server (NotFound): namespaces "nope" not found\n');
        failed(await k.run(["get", "clusterrole", "x"]), 'Error from server (NotFound): clusterroles.rbac.authorization.k8s.io "x" not found\n');
        failed(await k.run(["patch", "configmap", "x", "-n", "errs", "--type", "merge", "-p", '{"data":{"a":"b"}}']), 'Error from server (NotFound): configmaps "x" not found\n');
        // A missing namespace: kubectl looks the namespace up to explain the 404.
        failed(await k.run(["get", "configmap", "x", "-n", "nope"]), 'Error from server (NotFound): namespaces "nope" not found\n');
        // Lists in a missing namespace are empty, not errors.
        assert.deepEqual(await k.run(["get", "configmaps", "-n", "nope"]), { code: 0, stdout: "", stderr: "No resources found in nope namespace.\n" });
      });

      it("AlreadyExists", async () => {
        const p = file("x.yaml", cmYaml("x", "errs", 'data:\n  a: "1"\n'));
        assert.equal(await k.ok(["create", "-f", p]), "configmap/x created\n");
        failed(await k.run(["create", "-f", p]), `Error from server (AlreadyExists): error when creating "${p}": configmaps "x" already exists\n`);
        const d = file(
          "deploy.yaml",
          "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: x\n  namespace: errs\nspec:\n  selector:\n    matchLabels: {app: x}\n  template:\n    metadata:\n      labels: {app: x}\n    spec:\n      containers:\n      - name: c\n        image: nginx\n",
        );
        assert.equal(await k.ok(["create", "-f", d]), "deployment.apps/x created\n");
        failed(await k.run(["create", "-f", d]), `Error from server (AlreadyExists): error when creating "${d}": deployments.apps "x" already exists\n`);
      });

      it("Conflict on a stale replace -f", async () => {
        const live = JSON.parse(await k.ok(["get", "configmap", "x", "-n", "errs", "-o", "json"])) as Obj;
        const stale = file("stale.json", JSON.stringify({ ...live, data: { a: "stale" } }));
        assert.equal(await k.ok(["patch", "configmap", "x", "-n", "errs", "--type", "merge", "-p", '{"data":{"a":"newer"}}']), "configmap/x patched\n");
        failed(
          await k.run(["replace", "-f", stale]),
          `Error from server (Conflict): error when replacing "${stale}": Operation cannot be fulfilled on configmaps "x": the object has been modified; please apply your changes to the latest version and try again\n`,
        );
        assert.equal(await k.ok(["get", "configmap", "x", "-n", "errs", "-o", "jsonpath={.data.a}"]), "newer", "the stale replace changed nothing");
      });

      it("Invalid: a bad name (one cause)", async () => {
        const p = file("bad-name.yaml", cmYaml("Bad_Name", "errs"));
        failed(await k.run(["create", "-f", p]), `The ConfigMap "Bad_Name" is invalid: metadata.name: Invalid value: "Bad_Name": ${RFC1123_SUBDOMAIN}\n`);
        failed(await k.run(["apply", "-f", p]), `The ConfigMap "Bad_Name" is invalid: metadata.name: Invalid value: "Bad_Name": ${RFC1123_SUBDOMAIN}\n`);
      });

      it("Invalid: several causes are listed one per line", async () => {
        const p = file("bad-both.yaml", cmYaml("Bad_Name", "errs", 'data:\n  "bad key": "v"\n'));
        failed(
          await k.run(["create", "-f", p]),
          `The ConfigMap "Bad_Name" is invalid: \n* metadata.name: Invalid value: "Bad_Name": ${RFC1123_SUBDOMAIN}\n* data[bad key]: Invalid value: "bad key": ${CONFIG_KEY}\n`,
        );
        failed(await k.run(["create", "-f", file("bad-key.yaml", cmYaml("good-name", "errs", 'data:\n  "bad key": "v"\n'))]), `The ConfigMap "good-name" is invalid: data[bad key]: Invalid value: "bad key": ${CONFIG_KEY}\n`);
      });

      it("Invalid: a Deployment with negative replicas", async () => {
        const p = file(
          "neg.yaml",
          "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: neg\n  namespace: errs\nspec:\n  replicas: -1\n  selector:\n    matchLabels: {app: neg}\n  template:\n    metadata:\n      labels: {app: neg}\n    spec:\n      containers:\n      - name: c\n        image: nginx\n",
        );
        failed(await k.run(["create", "-f", p]), 'The Deployment "neg" is invalid: spec.replicas: Invalid value: -1: must be greater than or equal to 0\n');
      });

      it("creating into a missing namespace", async () => {
        const p = file("nope.yaml", cmYaml("x", "nope"));
        failed(await k.run(["create", "-f", p]), `Error from server (NotFound): error when creating "${p}": namespaces "nope" not found\n`);
        failed(await k.run(["apply", "-f", p]), `Error from server (NotFound): error when creating "${p}": namespaces "nope" not found\n`);
      });

      it("unknown resource types and kinds", async () => {
        failed(await k.run(["get", "foo"]), 'error: the server doesn\'t have a resource type "foo"\n');
        failed(await k.run(["get", "foo", "bar", "-n", "errs"]), 'error: the server doesn\'t have a resource type "foo"\n');
        failed(await k.run(["delete", "foo", "bar"]), 'error: the server doesn\'t have a resource type "foo"\n');
        failed(await k.run(["explain", "foo"]), 'the server doesn\'t have a resource type "foo"\n');
        const p = file("foo.yaml", "apiVersion: v1\nkind: Foo\nmetadata:\n  name: x\n");
        failed(await k.run(["create", "-f", p]), `error: resource mapping not found for name: "x" namespace: "" from "${p}": no matches for kind "Foo" in version "v1"\nensure CRDs are installed first\n`);
      });

      it("unsupported field selector and unparsable label selector", async () => {
        failed(
          await k.run(["get", "configmaps", "-n", "errs", "--field-selector", "data.a=1"]),
          'Error from server (BadRequest): Unable to find "/v1, Resource=configmaps" that match label selector "", field selector "data.a=1": field label not supported: data.a\n',
        );
        failed(
          await k.run(["get", "configmaps", "-n", "errs", "-l", "bad label!!"]),
          'Error from server (BadRequest): Unable to find "/v1, Resource=configmaps" that match label selector "bad label!!", field selector "": unable to parse requirement: found \'label\', expected: in, notin, =, ==, !=, gt, lt\n',
        );
      });

      it("strict field validation rejects unknown fields; --validate=false drops them", async () => {
        const p = file("unknown-field.yaml", cmYaml("unk", "errs", "spec:\n  x: 1\ndata:\n  a: \"1\"\n"));
        failed(await k.run(["create", "-f", p]), `Error from server (BadRequest): error when creating "${p}": ConfigMap in version "v1" cannot be handled as a ConfigMap: strict decoding error: unknown field "spec"\n`);
        assert.equal(await k.ok(["create", "-f", p, "--validate=false"]), "configmap/unk created\n");
        const stored = JSON.parse(await k.ok(["get", "configmap", "unk", "-n", "errs", "-o", "json"])) as Obj;
        assert.equal(stored.spec, undefined, "unknown fields are dropped, never stored");
      });
    });
  }
});

function subdir(parent: string, name: string): string {
  const p = path.join(parent, name);
  mkdirSync(p);
  return p;
}
