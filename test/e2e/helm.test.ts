// helm 3 and helm 4 against the built server: install, upgrade, rollback and uninstall of the chart
// `helm create` makes, without --wait, against a bare API server (issue 3); then against the full
// control plane (scheduler and simulated kubelets): install --wait and upgrade --wait return once
// the chart's Deployment has rolled out, and `helm test` runs the chart's test pod (wget to the
// Service) to Succeeded. helm 3 writes with client-side three-way merge patches, helm 4 with
// server-side apply (field manager "helm"); helm 3 waits by polling, helm 4 by watching (kstatus).
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { helm, type Helm } from "../helpers/helm.js";
import { eventually, type Kubectl, kubectl } from "../helpers/kubectl.js";
import { removeDir, type ServerProcess, startServer, tempDir } from "../helpers/server-process.js";

type Obj = Record<string, any>;

for (const major of [3, 4] as const) {
  describe(`helm ${major}`, () => {
    let server: ServerProcess;
    let home: string;
    let h: Helm;
    let k: Kubectl;
    const getJson = async (args: string[]): Promise<Obj> =>
      JSON.parse(await k.ok(["get", ...args, "-o", "json", "--show-managed-fields"])) as Obj;

    before(async () => {
      server = await startServer({ storage: "memory", args: ["--controllers", "none"] });
      home = tempDir(`helm${major}`);
      h = helm(major, server.kubeconfig, home);
      k = kubectl("1.33", server.kubeconfig, home);
      await h.ok(["create", "mychart"]);
    });
    after(async () => {
      await server?.stop();
      if (server) removeDir(server.dataDir);
      if (home) removeDir(home);
    });

    it("installs a chart made with helm create", async () => {
      const out = await h.ok(["install", "web", "./mychart"]);
      assert.match(out, /^NAME: web$/m);
      assert.match(out, /^STATUS: deployed$/m);
      assert.match(out, /^REVISION: 1$/m);
      const dep = await getJson(["deployment", "web-mychart"]);
      assert.equal(dep.spec.replicas, 1);
      assert.equal(dep.metadata.labels["app.kubernetes.io/managed-by"], "Helm");
      assert.equal(dep.metadata.annotations["meta.helm.sh/release-name"], "web");
      const managers = (dep.metadata.managedFields as Obj[]).map((e) => `${e.manager}/${e.operation}`);
      assert.deepEqual(managers, major === 4 ? ["helm/Apply"] : ["helm/Update"]);
      const svc = await getJson(["service", "web-mychart"]);
      assert.equal(svc.spec.type, "ClusterIP");
      assert.deepEqual(svc.spec.ports[0], { name: "http", port: 80, protocol: "TCP", targetPort: "http" });
      await getJson(["serviceaccount", "web-mychart"]);
      const secret = await getJson(["secret", "sh.helm.release.v1.web.v1"]);
      assert.equal(secret.type, "helm.sh/release.v1");
      const { modifiedAt, ...labels } = secret.metadata.labels as Record<string, string>;
      assert.deepEqual(labels, { name: "web", owner: "helm", status: "deployed", version: "1" });
      assert.match(modifiedAt!, /^\d+$/);
    });

    it("lists and shows the release", async () => {
      const list = await h.ok(["list"]);
      assert.match(list, /^web\s+default\s+1\s+.*deployed\s+mychart-0\.1\.0\s+/m);
      const status = await h.ok(["status", "web"]);
      assert.match(status, /^STATUS: deployed$/m);
      const manifest = await h.ok(["get", "manifest", "web"]);
      assert.match(manifest, /^kind: Deployment$/m);
    });

    it("upgrades with changed values", async () => {
      const out = await h.ok(["upgrade", "web", "./mychart", "--set", "replicaCount=3", "--set", "service.type=NodePort"]);
      assert.match(out, /^REVISION: 2$/m);
      const dep = await getJson(["deployment", "web-mychart"]);
      assert.equal(dep.spec.replicas, 3);
      const svc = await getJson(["service", "web-mychart"]);
      assert.equal(svc.spec.type, "NodePort");
      const secret = await getJson(["secret", "sh.helm.release.v1.web.v1"]);
      assert.equal(secret.metadata.labels.status, "superseded");
    });

    it("rolls back to revision 1", async () => {
      assert.match(await h.ok(["rollback", "web", "1"]), /Rollback was a success/);
      const dep = await getJson(["deployment", "web-mychart"]);
      assert.equal(dep.spec.replicas, 1);
      const svc = await getJson(["service", "web-mychart"]);
      assert.equal(svc.spec.type, "ClusterIP");
      assert.equal(svc.spec.ports[0].nodePort, undefined);
      const history = await h.ok(["history", "web"]);
      const rows = history.trim().split("\n").slice(1).map((l) => l.split(/\t/).map((c) => c.trim()));
      assert.deepEqual(
        rows.map((r) => [r[0], r[2], r[5]]),
        [
          ["1", "superseded", "Install complete"],
          ["2", "superseded", "Upgrade complete"],
          ["3", "deployed", "Rollback to 1"],
        ],
      );
    });

    it("uninstalls the release and everything it made", async () => {
      assert.match(await h.ok(["uninstall", "web"]), /release "web" uninstalled/);
      const left = await k.ok(["get", "deployment,service,serviceaccount,secret", "-l", "app.kubernetes.io/instance=web", "-o", "name"]);
      assert.equal(left, "");
      assert.equal(await k.ok(["get", "secrets", "-l", "owner=helm", "-o", "name"]), "");
      assert.equal(await h.ok(["list", "--short"]), "");
    });
  });
}

for (const major of [3, 4] as const) {
  describe(`helm ${major} with the full control plane`, () => {
    let server: ServerProcess;
    let home: string;
    let h: Helm;
    let k: Kubectl;
    const json = async (args: string[]): Promise<Obj> => JSON.parse(await k.ok([...args, "-o", "json"])) as Obj;
    const selector = "app.kubernetes.io/instance=web,app.kubernetes.io/name=mychart";

    before(async () => {
      server = await startServer({ storage: "memory" });
      home = tempDir(`helm${major}-full`);
      h = helm(major, server.kubeconfig, home);
      k = kubectl("1.33", server.kubeconfig, home);
      await h.ok(["create", "mychart"]);
      await k.ok(["wait", "--for=condition=Ready", "nodes", "--all", "--timeout=30s"]);
    });
    after(async () => {
      await server?.stop();
      if (server) removeDir(server.dataDir);
      if (home) removeDir(home);
    });

    it("install --wait returns once the chart's Deployment has rolled out", async () => {
      const out = await h.ok(["install", "web", "./mychart", "--wait", "--timeout", "60s"]);
      assert.match(out, /^STATUS: deployed$/m);
      assert.match(out, /^REVISION: 1$/m);
      const dep = await json(["get", "deployment", "web-mychart"]);
      assert.equal(dep.status.observedGeneration, dep.metadata.generation);
      assert.deepEqual([dep.status.replicas, dep.status.updatedReplicas, dep.status.readyReplicas, dep.status.availableReplicas], [1, 1, 1, 1]);
      const pods = (await json(["get", "pods", "-l", selector])).items as Obj[];
      assert.equal(pods.length, 1);
      assert.equal(pods[0]!.status.phase, "Running");
      assert.ok((pods[0]!.status.conditions as Obj[]).some((c) => c.type === "Ready" && c.status === "True"));
      assert.match(await k.ok(["rollout", "status", "deployment/web-mychart", "--timeout=1s"]), /deployment "web-mychart" successfully rolled out\n$/);
      assert.match(await h.ok(["status", "web"]), /^STATUS: deployed$/m);
    });

    it("upgrade --wait returns once the new ReplicaSet's pods are Ready", async () => {
      const out = await h.ok(["upgrade", "web", "./mychart", "--wait", "--timeout", "60s", "--set", "replicaCount=2", "--set", "image.tag=1.27"]);
      assert.match(out, /^STATUS: deployed$/m);
      assert.match(out, /^REVISION: 2$/m);
      const dep = await json(["get", "deployment", "web-mychart"]);
      assert.equal(dep.status.observedGeneration, dep.metadata.generation);
      assert.equal(dep.metadata.annotations["deployment.kubernetes.io/revision"], "2");
      assert.deepEqual([dep.status.updatedReplicas, dep.status.readyReplicas, dep.status.availableReplicas], [2, 2, 2]);
      const sets = (await json(["get", "rs", "-l", selector])).items as Obj[];
      const current = sets.find((r) => r.metadata.annotations["deployment.kubernetes.io/revision"] === "2")!;
      assert.equal(current.spec.template.spec.containers[0].image, "nginx:1.27");
      assert.deepEqual([current.spec.replicas, current.status.readyReplicas], [2, 2]);
      assert.match(await k.ok(["rollout", "status", "deployment/web-mychart", "--timeout=30s"]), /deployment "web-mychart" successfully rolled out\n$/);
      await eventually(async () => {
        const pods = (await json(["get", "pods", "-l", selector])).items as Obj[];
        return pods.length === 2 && pods.every((p) => p.spec.containers[0].image === "nginx:1.27" && p.status.phase === "Running");
      }, 15_000, "the old pod gone");
    });

    it("helm test runs the chart's test pod to Succeeded", async () => {
      const out = await h.ok(["test", "web", "--timeout", "60s"]);
      assert.match(out, /^TEST SUITE:\s+web-mychart-test-connection$/m);
      assert.match(out, /^Last Started:\s+\S/m);
      assert.match(out, /^Last Completed:\s+\S/m);
      assert.match(out, /^Phase:\s+Succeeded$/m);
      const pod = await json(["get", "pod", "web-mychart-test-connection"]);
      assert.equal(pod.status.phase, "Succeeded");
      const state = pod.status.containerStatuses[0].state.terminated;
      assert.deepEqual([state.exitCode, state.reason], [0, "Completed"]);
      // the release records the test run
      assert.match(await h.ok(["status", "web"]), /^TEST SUITE:\s+web-mychart-test-connection$/m);
    });
  });
}
