// Every way kubectl writes, with kubectl 1.27, 1.30, 1.33 and 1.35 (issue 3): client-side apply
// (create, unchanged, configured, pruned fields), diff, edit with a scripted EDITOR, set
// image|env|resources, rollout restart|pause|resume, cordon/uncordon, taint, patch with each type,
// and server-side apply with a conflict and with --force-conflicts. What kubectl prints is compared
// with what it prints against a real 1.33 cluster; stderr must stay empty where it does there.
// The control plane is off: this is about what is stored, not what controllers make of it.
import assert from "node:assert/strict";
import { chmodSync, writeFileSync } from "node:fs";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { type Kubectl, kubectl, kubectlPath } from "../helpers/kubectl.js";
import { removeDir, type ServerProcess, startServer, tempDir } from "../helpers/server-process.js";

type Obj = Record<string, any>;
const VERSIONS = ["1.27", "1.30", "1.33", "1.35"] as const;
for (const v of VERSIONS) kubectlPath(v); // fail loudly when a binary is missing

const deployment = (opts: { replicas: number; labels?: Record<string, string>; image?: string }) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  labels:
${Object.entries(opts.labels ?? { app: "web" })
  .map(([k, v]) => `    ${k}: ${v}`)
  .join("\n")}
spec:
  replicas: ${opts.replicas}
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
      - name: web
        image: ${opts.image ?? "nginx:1.27"}
        ports:
        - containerPort: 80
      - name: sidecar
        image: busybox
`;

const CONFLICT_HELP = `Please review the fields above--they currently have other managers. Here
are the ways you can resolve this warning:
* If you intend to manage all of these fields, please re-run the apply
  command with the \`--force-conflicts\` flag.
* If you do not intend to manage all of the fields, please edit your
  manifest to remove references to the fields that should keep their
  current managers.
* You may co-own fields by updating your manifest to match the existing
  value; in this case, you'll become the manager if the other manager(s)
  stop managing the field (remove it from their configuration).
See https://kubernetes.io/docs/reference/using-api/server-side-apply/#conflicts
`;

describe("kubectl writes", { concurrency: true }, () => {
  let server: ServerProcess;
  let dir: string;
  before(async () => {
    dir = tempDir("kubectl-writes");
    server = await startServer({ storage: "memory", args: ["--controllers", "none"] });
  });
  after(async () => {
    if (server) assert.equal(await server.stop(), 0);
    if (dir) removeDir(dir);
    if (server) removeDir(server.dataDir);
  });

  for (const version of VERSIONS) {
    describe(`kubectl ${version}`, { concurrency: 1 }, () => {
      const ns = `w${version.replace(".", "")}`;
      const node = `node-${ns}`;
      let k: Kubectl;
      const file = (name: string, text: string) => {
        const p = path.join(dir, `${ns}-${name}`);
        writeFileSync(p, text);
        return p;
      };
      const get = async (args: string[]): Promise<Obj> =>
        JSON.parse(await k.ok(["get", ...args, "-n", ns, "-o", "json", "--show-managed-fields"])) as Obj;
      const container = (d: Obj, name: string): Obj => (d.spec.template.spec.containers as Obj[]).find((c) => c.name === name)!;

      before(async () => {
        k = kubectl(version, server.kubeconfig, path.join(dir, `cache-${ns}`));
        await k.ok(["create", "namespace", ns]);
        await k.ok(["apply", "-f", file("node.yaml", `apiVersion: v1\nkind: Node\nmetadata:\n  name: ${node}\n  labels:\n    kubernetes.io/hostname: ${node}\n`)]);
      });

      it("apply creates, re-applies as unchanged, applies a change as configured and drops removed fields", async () => {
        const v1 = file("web-v1.yaml", deployment({ replicas: 2, labels: { app: "web", tier: "front" } }));
        assert.equal(await k.ok(["apply", "-n", ns, "-f", v1]), "deployment.apps/web created\n");
        assert.equal(await k.ok(["apply", "-n", ns, "-f", v1]), "deployment.apps/web unchanged\n");
        const v2 = file("web-v2.yaml", deployment({ replicas: 3 }));
        assert.equal(await k.ok(["apply", "-n", ns, "-f", v2]), "deployment.apps/web configured\n");
        const d = await get(["deployment", "web"]);
        assert.equal(d.spec.replicas, 3);
        assert.deepEqual(d.metadata.labels, { app: "web" }, "the label dropped from the manifest is removed");
        const last = JSON.parse(d.metadata.annotations["kubectl.kubernetes.io/last-applied-configuration"]) as Obj;
        assert.equal(last.spec.replicas, 3);
        assert.deepEqual(
          (d.metadata.managedFields as Obj[]).map((e) => `${e.manager}/${e.operation}`),
          ["kubectl-client-side-apply/Update"],
        );
      });

      it("diff shows a pending change and exits 1; no change exits 0 silently", async () => {
        assert.equal(await k.ok(["diff", "-n", ns, "-f", path.join(dir, `${ns}-web-v2.yaml`)]), "");
        const changed = file("web-v3.yaml", deployment({ replicas: 5 }));
        const r = await k.run(["diff", "-n", ns, "-f", changed]);
        assert.equal(r.code, 1, r.stderr);
        assert.equal(r.stderr, "");
        assert.match(r.stdout, /^-  replicas: 3$/m);
        assert.match(r.stdout, /^\+  replicas: 5$/m);
        assert.match(r.stdout, /^-  generation: 2$/m, "dry-run bumps the generation, as on a real cluster");
        assert.equal((await get(["deployment", "web"])).spec.replicas, 3, "diff stores nothing");
      });

      it("edit with a scripted EDITOR", async () => {
        const editor = file("editor.sh", "#!/bin/sh\nsed -i 's/replicas: 3/replicas: 4/' \"$1\"\n");
        chmodSync(editor, 0o755);
        const r = await k.run(["edit", "-n", ns, "deployment/web"], { env: { EDITOR: editor, KUBE_EDITOR: editor } });
        assert.equal(r.stderr, "");
        assert.equal(r.stdout, "deployment.apps/web edited\n");
        assert.equal((await get(["deployment", "web"])).spec.replicas, 4);
        const unchanged = file("noop-editor.sh", "#!/bin/sh\ntrue\n");
        chmodSync(unchanged, 0o755);
        const r2 = await k.run(["edit", "-n", ns, "deployment/web"], { env: { EDITOR: unchanged, KUBE_EDITOR: unchanged } });
        assert.equal(r2.code, 0);
        assert.equal(r2.stderr, "Edit cancelled, no changes made.\n");
      });

      it("set image, set env, set resources", async () => {
        assert.equal(await k.ok(["set", "image", "-n", ns, "deployment/web", "web=nginx:1.28"]), "deployment.apps/web image updated\n");
        assert.equal(await k.ok(["set", "env", "-n", ns, "deployment/web", "-c", "web", "MODE=prod", "LEVEL=3"]), "deployment.apps/web env updated\n");
        assert.equal(
          await k.ok(["set", "resources", "-n", ns, "deployment/web", "-c", "web", "--limits=cpu=200m,memory=512Mi", "--requests=cpu=100m,memory=256Mi"]),
          "deployment.apps/web resource requirements updated\n",
        );
        const d = await get(["deployment", "web"]);
        const web = container(d, "web");
        assert.equal(web.image, "nginx:1.28");
        assert.equal(container(d, "sidecar").image, "busybox", "the other container is untouched");
        assert.deepEqual(web.env, [
          { name: "MODE", value: "prod" },
          { name: "LEVEL", value: "3" },
        ]);
        assert.deepEqual(web.resources, { limits: { cpu: "200m", memory: "512Mi" }, requests: { cpu: "100m", memory: "256Mi" } });
        assert.equal(await k.ok(["set", "env", "-n", ns, "deployment/web", "-c", "web", "LEVEL-"]), "deployment.apps/web env updated\n");
        assert.deepEqual(container(await get(["deployment", "web"]), "web").env, [{ name: "MODE", value: "prod" }]);
      });

      it("rollout restart, pause and resume", async () => {
        assert.equal(await k.ok(["rollout", "restart", "-n", ns, "deployment/web"]), "deployment.apps/web restarted\n");
        let d = await get(["deployment", "web"]);
        assert.match(d.spec.template.metadata.annotations["kubectl.kubernetes.io/restartedAt"], /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[Z+-]/);
        assert.equal(await k.ok(["rollout", "pause", "-n", ns, "deployment/web"]), "deployment.apps/web paused\n");
        assert.equal((await get(["deployment", "web"])).spec.paused, true);
        const again = await k.run(["rollout", "pause", "-n", ns, "deployment/web"]);
        assert.equal(again.code, 1);
        assert.equal(again.stderr, 'error: deployments.apps "web" is already paused\n');
        assert.equal(await k.ok(["rollout", "resume", "-n", ns, "deployment/web"]), "deployment.apps/web resumed\n");
        d = await get(["deployment", "web"]);
        assert.equal(d.spec.paused, undefined);
      });

      it("cordon, uncordon and taint a node", async () => {
        // The TaintNodesByCondition admission plugin gives every new Node the not-ready:NoSchedule
        // taint (as upstream); with the control plane off no node lifecycle controller removes it.
        const notReady = { key: "node.kubernetes.io/not-ready", effect: "NoSchedule" };
        assert.deepEqual((await get(["node", node])).spec.taints, [notReady]);
        assert.equal(await k.ok(["cordon", node]), `node/${node} cordoned\n`);
        assert.equal((await get(["node", node])).spec.unschedulable, true);
        assert.equal(await k.ok(["cordon", node]), `node/${node} already cordoned\n`);
        assert.equal(await k.ok(["uncordon", node]), `node/${node} uncordoned\n`);
        assert.equal((await get(["node", node])).spec.unschedulable, undefined);
        assert.equal(await k.ok(["taint", "nodes", node, "dedicated=gpu:NoSchedule"]), `node/${node} tainted\n`);
        // kubectl puts the taints it adds first and keeps the existing ones after them.
        assert.deepEqual((await get(["node", node])).spec.taints, [{ key: "dedicated", value: "gpu", effect: "NoSchedule" }, notReady]);
        assert.equal(await k.ok(["taint", "nodes", node, "dedicated=cpu:NoSchedule", "--overwrite"]), `node/${node} modified\n`);
        assert.deepEqual((await get(["node", node])).spec.taints, [{ key: "dedicated", value: "cpu", effect: "NoSchedule" }, notReady]);
        assert.equal(await k.ok(["taint", "nodes", node, "dedicated:NoSchedule-"]), `node/${node} untainted\n`);
        assert.deepEqual((await get(["node", node])).spec.taints, [notReady]);
        assert.equal(await k.ok(["taint", "nodes", node, "node.kubernetes.io/not-ready:NoSchedule-"]), `node/${node} untainted\n`);
        assert.equal((await get(["node", node])).spec.taints, undefined);
      });

      it("patch --type strategic (merge key name), merge and json", async () => {
        assert.equal(
          await k.ok(["patch", "-n", ns, "deployment/web", "-p", '{"spec":{"template":{"spec":{"containers":[{"name":"sidecar","image":"busybox:1.36"}]}}}}']),
          "deployment.apps/web patched\n",
        );
        let d = await get(["deployment", "web"]);
        assert.deepEqual(
          (d.spec.template.spec.containers as Obj[]).map((c) => `${c.name}=${c.image}`),
          ["web=nginx:1.28", "sidecar=busybox:1.36"],
          "a strategic patch merges containers by name",
        );
        assert.equal(
          await k.ok(["patch", "-n", ns, "deployment/web", "--type", "merge", "-p", '{"metadata":{"labels":{"patched":"merge"}}}']),
          "deployment.apps/web patched\n",
        );
        assert.equal(
          await k.ok(["patch", "-n", ns, "deployment/web", "--type", "json", "-p", '[{"op":"replace","path":"/spec/replicas","value":6}]']),
          "deployment.apps/web patched\n",
        );
        d = await get(["deployment", "web"]);
        assert.equal(d.metadata.labels.patched, "merge");
        assert.equal(d.spec.replicas, 6);
        assert.equal(
          await k.ok(["patch", "-n", ns, "deployment/web", "--type", "merge", "-p", '{"spec":{"replicas":6}}']),
          "deployment.apps/web patched (no change)\n",
        );
        const bad = await k.run(["patch", "-n", ns, "deployment/web", "--type", "json", "-p", '[{"op":"test","path":"/spec/replicas","value":1}]']);
        assert.equal(bad.code, 1);
        // A real apiserver answers a failed JSON-patch test with a generic 422 whose message drops the cause.
        assert.equal(bad.stderr, "The request is invalid: the server rejected our request due to an error in our request\n");
      });

      it("apply --server-side: conflict with another manager, then --force-conflicts", async () => {
        const ssa = file("ssa.yaml", deployment({ replicas: 2 }).replace("name: web\n", "name: ssa\n"));
        assert.equal(await k.ok(["apply", "--server-side", "-n", ns, "-f", ssa]), "deployment.apps/ssa serverside-applied\n");
        assert.equal(await k.ok(["apply", "--server-side", "-n", ns, "-f", ssa]), "deployment.apps/ssa serverside-applied\n");
        const other = file("ssa-other.yaml", deployment({ replicas: 7 }).replace("name: web\n", "name: ssa\n"));
        const conflict = await k.run(["apply", "--server-side", "--field-manager=scaler", "-n", ns, "-f", other]);
        assert.equal(conflict.code, 1);
        assert.equal(conflict.stdout, "");
        assert.equal(conflict.stderr, `error: Apply failed with 1 conflict: conflict with "kubectl": .spec.replicas\n${CONFLICT_HELP}`);
        assert.equal(
          await k.ok(["apply", "--server-side", "--force-conflicts", "--field-manager=scaler", "-n", ns, "-f", other]),
          "deployment.apps/ssa serverside-applied\n",
        );
        const d = await get(["deployment", "ssa"]);
        assert.equal(d.spec.replicas, 7);
        const owners = Object.fromEntries((d.metadata.managedFields as Obj[]).map((e) => [e.manager, e]));
        assert.deepEqual(Object.keys(owners).sort(), ["kubectl", "scaler"]);
        assert.equal(owners.kubectl.operation, "Apply");
        assert.equal(owners.kubectl.fieldsV1["f:spec"]["f:replicas"], undefined, "forcing took .spec.replicas from kubectl");
        assert.deepEqual(owners.scaler.fieldsV1["f:spec"]["f:replicas"], {});
      });
    });
  }
});
