// StatefulSets and DaemonSets driven by real kubectl (1.33 and 1.27) against the built server
// with its full control plane: ordered pods with Bound claims, rollout status/history/undo for
// both kinds, one daemon pod per node — pods run by the scheduler and simulated kubelets, claims
// bound by the volume controllers.
import assert from "node:assert/strict";
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { type Kubectl, eventually, kubectl, kubectlPath } from "../helpers/kubectl.js";
import { removeDir, type ServerProcess, startServer, tempDir } from "../helpers/server-process.js";

/* eslint-disable @typescript-eslint/no-explicit-any */
type Obj = Record<string, any>;
const VERSIONS = ["1.33", "1.27"] as const;
for (const v of VERSIONS) kubectlPath(v);


function statefulSetManifest(ns: string, name: string, replicas: number, opts: { claims?: boolean; image?: string } = {}): string {
  return `apiVersion: v1
kind: Service
metadata:
  name: ${name}
  namespace: ${ns}
spec:
  clusterIP: None
  selector:
    app: ${name}
  ports:
  - port: 80
    name: web
---
apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: ${name}
  namespace: ${ns}
spec:
  serviceName: ${name}
  replicas: ${replicas}
  selector:
    matchLabels:
      app: ${name}
  template:
    metadata:
      labels:
        app: ${name}
    spec:
      containers:
      - name: app
        image: ${opts.image ?? "registry.k8s.io/nginx-slim:0.8"}
        ports:
        - containerPort: 80
          name: web
${
  opts.claims
    ? `        volumeMounts:
        - name: www
          mountPath: /usr/share/nginx/html
  volumeClaimTemplates:
  - metadata:
      name: www
    spec:
      accessModes: ["ReadWriteOnce"]
      resources:
        requests:
          storage: 1Gi
`
    : ""
}`;
}

function daemonSetManifest(ns: string, name: string, nodeSelector?: Record<string, string>): string {
  return `apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: ${name}
  namespace: ${ns}
spec:
  selector:
    matchLabels:
      app: ${name}
  template:
    metadata:
      labels:
        app: ${name}
    spec:
${nodeSelector ? `      nodeSelector:\n${Object.entries(nodeSelector).map(([k, v]) => `        ${k}: "${v}"`).join("\n")}\n` : ""}      containers:
      - name: app
        image: registry.k8s.io/pause:3.10
`;
}

/** The REVISION column of `kubectl rollout history`. */
function historyRevisions(out: string): number[] {
  return out
    .split("\n")
    .map((l) => /^(\d+)\s+(\S.*)$/.exec(l.trim()))
    .filter((m): m is RegExpExecArray => !!m)
    .map((m) => Number(m[1]));
}

describe("StatefulSets and DaemonSets with kubectl", { concurrency: true }, () => {
  for (const version of VERSIONS) {
    describe(`kubectl ${version}`, { concurrency: 1 }, () => {
      let server: ServerProcess;
      let dir: string;
      let k: Kubectl;
      const ns = "stateful";
      const file = (name: string, text: string) => {
        const p = path.join(dir, name);
        writeFileSync(p, text);
        return p;
      };
      const json = async (args: string[]): Promise<Obj> => JSON.parse(await k.ok([...args, "-o", "json"])) as Obj;
      /** The simulated nodes are registered and Ready (fails fast while no kubelet group runs). */
      const nodesReady = () =>
        eventually(
          async () => {
            const nodes = (await json(["get", "nodes"])).items as Obj[];
            return nodes.length === 3 && nodes.every((n) => n.status?.conditions?.some((c: Obj) => c.type === "Ready" && c.status === "True"));
          },
          15_000,
          "3 Ready nodes",
        );

      before(async () => {
        dir = tempDir(`stateful-${version}`);
        const data = path.join(dir, "data");
        mkdirSync(data, { recursive: true });
        server = await startServer({ dataDir: data, args: ["--nodes", "3"] });
        k = kubectl(version, server.kubeconfig, path.join(dir, "cache"));
        await k.ok(["create", "namespace", ns]);
      });
      after(async () => {
        if (server) assert.equal(await server.stop(), 0);
        if (dir) removeDir(dir);
      });

      it("statefulset rollout history, undo and status (no pods needed)", async () => {
        await k.ok(["apply", "-f", file("hist.yaml", statefulSetManifest(ns, "hist", 0))]);
        const r1 = await eventually(async () => (await json(["get", "sts", "hist", "-n", ns])).status?.updateRevision as string | undefined, 15_000, "revision 1");
        assert.match(r1, /^hist-[bcdfghjklmnpqrstvwxz2456789]+$/);
        const status = await k.ok(["rollout", "status", "sts/hist", "-n", ns, "--timeout=30s"]);
        assert.match(status, /partitioned roll out complete: 0 new pods have been updated\.\.\.\n$/);

        const h1 = await k.ok(["rollout", "history", "sts/hist", "-n", ns]);
        assert.match(h1, /^statefulset\.apps\/hist \nREVISION\s+CHANGE-CAUSE\n1\s+<none>\n/);

        assert.equal(await k.ok(["set", "image", "sts/hist", "-n", ns, "app=registry.k8s.io/nginx-slim:0.9"]), "statefulset.apps/hist image updated\n");
        await eventually(async () => (await json(["get", "sts", "hist", "-n", ns])).status?.updateRevision !== r1, 15_000, "revision 2");
        await eventually(async () => historyRevisions(await k.ok(["rollout", "history", "sts/hist", "-n", ns])).join() === "1,2", 15_000, "history 1,2");
        const detail = await k.ok(["rollout", "history", "sts/hist", "-n", ns, "--revision=1"]);
        assert.match(detail, /Image:\s+registry\.k8s\.io\/nginx-slim:0\.8/);

        assert.equal(await k.ok(["rollout", "undo", "sts/hist", "-n", ns]), "statefulset.apps/hist rolled back\n");
        await eventually(async () => (await json(["get", "sts", "hist", "-n", ns])).status?.updateRevision === r1, 15_000, "back on revision 1");
        await eventually(async () => historyRevisions(await k.ok(["rollout", "history", "sts/hist", "-n", ns])).join() === "2,3", 15_000, "history 2,3");
        const sts = await json(["get", "sts", "hist", "-n", ns]);
        assert.equal(sts.spec.template.spec.containers[0].image, "registry.k8s.io/nginx-slim:0.8");
        const revs = await json(["get", "controllerrevisions", "-n", ns, "-l", "app=hist"]);
        assert.equal(revs.items.length, 2);
        const rev = revs.items.find((r: Obj) => r.metadata.name === r1);
        assert.equal(rev.revision, 3);
        assert.equal(rev.metadata.labels["controller.kubernetes.io/hash"], r1.slice("hist-".length));
        assert.equal(rev.metadata.ownerReferences[0].kind, "StatefulSet");
        // a second undo to the same template is skipped, as upstream's rollbacker does
        const again = await k.run(["rollout", "undo", "sts/hist", "-n", ns, "--to-revision=3"]);
        assert.equal(again.code, 0, again.stderr);
        assert.match(again.stdout, /skipped rollback \(current template already matches revision 3\)/);
        const get = await k.ok(["get", "sts", "hist", "-n", ns]);
        assert.match(get, /^NAME\s+READY\s+AGE\nhist\s+0\/0\s+\d+s\n$/);
      });

      it("daemonset rollout status, history and undo (no eligible nodes)", async () => {
        await k.ok(["apply", "-f", file("none.yaml", daemonSetManifest(ns, "none", { "example.com/none": "true" }))]);
        assert.match(await k.ok(["rollout", "status", "ds/none", "-n", ns, "--timeout=30s"]), /daemon set "none" successfully rolled out\n$/);
        const ds = await json(["get", "ds", "none", "-n", ns]);
        assert.deepEqual(ds.status, { currentNumberScheduled: 0, numberMisscheduled: 0, desiredNumberScheduled: 0, numberReady: 0, observedGeneration: 1 });
        assert.equal(await k.ok(["set", "image", "ds/none", "-n", ns, "app=registry.k8s.io/pause:3.9"]), "daemonset.apps/none image updated\n");
        await eventually(async () => historyRevisions(await k.ok(["rollout", "history", "ds/none", "-n", ns])).join() === "1,2", 15_000, "history 1,2");
        assert.equal(await k.ok(["rollout", "undo", "ds/none", "-n", ns]), "daemonset.apps/none rolled back\n");
        await eventually(async () => historyRevisions(await k.ok(["rollout", "history", "ds/none", "-n", ns])).join() === "2,3", 15_000, "history 2,3");
        assert.equal((await json(["get", "ds", "none", "-n", ns])).spec.template.spec.containers[0].image, "registry.k8s.io/pause:3.10");
        const get = await k.ok(["get", "ds", "none", "-n", ns]);
        assert.match(get, /^NAME\s+DESIRED\s+CURRENT\s+READY\s+UP-TO-DATE\s+AVAILABLE\s+NODE SELECTOR\s+AGE\nnone\s+0\s+0\s+0\s+0\s+0\s+example\.com\/none=true\s+\d+s\n$/);
      });

      it("a statefulset with a volumeClaimTemplate becomes ready with ordered pods and Bound claims", async () => {
        await nodesReady();
        await k.ok(["apply", "-f", file("web.yaml", statefulSetManifest(ns, "web", 3, { claims: true }))]);
        const out = await k.ok(["rollout", "status", "sts/web", "-n", ns, "--timeout=90s"]);
        assert.match(out, /partitioned roll out complete: 3 new pods have been updated\.\.\.\n$/);
        const pods = await json(["get", "pods", "-n", ns, "-l", "app=web"]);
        const byName = Object.fromEntries(pods.items.map((p: Obj) => [p.metadata.name, p]));
        assert.deepEqual(Object.keys(byName).sort(), ["web-0", "web-1", "web-2"]);
        // created in order: each after its predecessor was ready
        const t = (n: string) => Date.parse(byName[n].metadata.creationTimestamp);
        const ready = (n: string) => Date.parse(byName[n].status.conditions.find((c: Obj) => c.type === "Ready").lastTransitionTime);
        assert.ok(t("web-1") >= ready("web-0") && t("web-2") >= ready("web-1"));
        for (const p of pods.items) {
          assert.equal(p.status.phase, "Running");
          assert.equal(p.spec.hostname, p.metadata.name);
          assert.equal(p.spec.subdomain, "web");
        }
        const pvcs = await json(["get", "pvc", "-n", ns]);
        const claims = pvcs.items.filter((c: Obj) => c.metadata.name.startsWith("www-web-"));
        assert.deepEqual(claims.map((c: Obj) => c.metadata.name).sort(), ["www-web-0", "www-web-1", "www-web-2"]);
        for (const c of claims) assert.equal(c.status.phase, "Bound");
        const table = await k.ok(["get", "pvc", "-n", ns]);
        for (const i of [0, 1, 2]) assert.match(table, new RegExp(`^www-web-${i}\\s+Bound\\s+pvc-[0-9a-f-]{36}\\s+1Gi\\s+RWO\\s+standard\\s+`, "m"));
        assert.match(await k.ok(["get", "sts", "web", "-n", ns]), /\nweb\s+3\/3\s+/);
        const describe = await k.ok(["describe", "sts", "web", "-n", ns]);
        assert.match(describe, /Pods Status:\s+3 Running \/ 0 Waiting \/ 0 Succeeded \/ 0 Failed/);
        assert.match(describe, /SuccessfulCreate\s+\S+\s+statefulset-controller\s+create Claim www-web-0 Pod web-0 in StatefulSet web success/);
        assert.match(describe, /SuccessfulCreate\s+\S+\s+statefulset-controller\s+create Pod web-0 in StatefulSet web successful/);
      });

      it("a rolling update of the statefulset replaces pods from the highest ordinal", async () => {
        await nodesReady();
        await json(["get", "sts", "web", "-n", ns]);
        await k.ok(["set", "image", "sts/web", "-n", ns, "app=registry.k8s.io/nginx-slim:0.9"]);
        const out = await k.ok(["rollout", "status", "sts/web", "-n", ns, "--timeout=90s"]);
        assert.match(out, /partitioned roll out complete: 3 new pods have been updated\.\.\.\n$/);
        const sts = await json(["get", "sts", "web", "-n", ns]);
        assert.equal(sts.status.currentRevision, sts.status.updateRevision);
        assert.equal(sts.status.updatedReplicas, 3);
      });

      it("a daemonset runs one pod per node and rolls out", async () => {
        await nodesReady();
        await k.ok(["apply", "-f", file("agent.yaml", daemonSetManifest(ns, "agent"))]);
        assert.match(await k.ok(["rollout", "status", "ds/agent", "-n", ns, "--timeout=60s"]), /daemon set "agent" successfully rolled out\n$/);
        const nodes = (await json(["get", "nodes"])).items.filter((n: Obj) => !(n.spec.taints ?? []).some((t: Obj) => t.effect === "NoSchedule"));
        const pods = await json(["get", "pods", "-n", ns, "-l", "app=agent"]);
        assert.equal(pods.items.length, nodes.length);
        assert.deepEqual(pods.items.map((p: Obj) => p.spec.nodeName).sort(), nodes.map((n: Obj) => n.metadata.name).sort());
        const ds = await json(["get", "ds", "agent", "-n", ns]);
        const n = nodes.length;
        assert.deepEqual(
          [ds.status.desiredNumberScheduled, ds.status.currentNumberScheduled, ds.status.numberReady, ds.status.updatedNumberScheduled ?? 0, ds.status.numberAvailable ?? 0],
          [n, n, n, n, n],
        );
        await k.ok(["set", "image", "ds/agent", "-n", ns, "app=registry.k8s.io/pause:3.9"]);
        assert.match(await k.ok(["rollout", "status", "ds/agent", "-n", ns, "--timeout=60s"]), /daemon set "agent" successfully rolled out\n$/);
        assert.deepEqual(historyRevisions(await k.ok(["rollout", "history", "ds/agent", "-n", ns])), [1, 2]);
      });
    });
  }
});
