// Object lifecycles driven by real kubectl (1.33 and 1.27) against the built server with its full
// control plane: the default ServiceAccount and kube-root-ca.crt everywhere, bound tokens,
// cascading deletion (background, foreground, orphan) through the garbage collector, namespace
// deletion, PodDisruptionBudget status and the pods/eviction subresource, cordon, and drain within
// (and held back by) PodDisruptionBudgets, with pods run by the scheduler and simulated kubelets.
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

const SYSTEM_NAMESPACES = ["default", "kube-node-lease", "kube-public", "kube-system"];

function deploymentManifest(ns: string, name: string, replicas: number): string {
  return `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
  namespace: ${ns}
spec:
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
      - name: c
        image: nginx
`;
}

// the two kubectl versions run side by side, each against its own server
describe("object lifecycles with kubectl", { concurrency: true }, () => {
  for (const version of VERSIONS) {
    describe(`lifecycle controllers with kubectl ${version}`, { concurrency: 1 }, () => {
      let dir = "";
      let server: ServerProcess | undefined;
      let k: Kubectl;
      let fileNo = 0;
      const file = (text: string) => {
        const p = path.join(dir, `m${fileNo++}.yaml`);
        writeFileSync(p, text);
        return p;
      };
      const json = async (args: string[]): Promise<Obj> => JSON.parse(await k.ok([...args, "-o", "json"])) as Obj;
      const names = async (args: string[]): Promise<string[]> => (await json(args)).items.map((i: Obj) => i.metadata.name as string);
      /** A deployment with its replicaset and pods (the apps controllers' work). */
      const deployment = async (ns: string, name: string, replicas: number) => {
        await k.ok(["apply", "-f", file(deploymentManifest(ns, name, replicas))]);
        return eventually(async () => {
          const rs = await names(["get", "rs", "-n", ns, "-l", `app=${name}`]);
          const pods = await names(["get", "pods", "-n", ns, "-l", `app=${name}`]);
          return rs.length === 1 && pods.length === replicas ? { rs: rs[0]!, pods } : undefined;
        }, 15_000, `deployment ${ns}/${name} with its replicaset and ${replicas} pods`);
      };
      /** Running pods of a deployment once rolled out (the scheduler's and kubelets' work). */
      const rolledOut = async (ns: string, name: string, replicas: number): Promise<Obj[]> => {
        await k.ok(["rollout", "status", `deployment/${name}`, "-n", ns, "--timeout=30s"]);
        return eventually(async () => {
          const list = (await json(["get", "pods", "-n", ns, "-l", `app=${name}`])).items as Obj[];
          return list.length === replicas && list.every((p) => p.status.phase === "Running" && p.spec.nodeName && !p.metadata.deletionTimestamp) ? list : undefined;
        }, 15_000, `${replicas} running pods of ${ns}/${name}`);
      };
      /** Waits until the PodDisruptionBudget has seen the pods (healthy count) and allows this many disruptions. */
      const pdbAllows = (ns: string, name: string, healthy: number, allowed: number) =>
        eventually(async () => {
          const p = await json(["get", "pdb", name, "-n", ns]);
          return p.status?.currentHealthy === healthy && p.status.disruptionsAllowed === allowed ? p : undefined;
        }, 15_000, `pdb ${ns}/${name} with ${healthy} healthy pods allowing ${allowed} disruptions`);
      const raw = async (url: string, body: Obj) => k.run(["create", "--raw", url, "-f", file(JSON.stringify(body))]);

      before(async () => {
        dir = tempDir(`lifecycle-${version}`);
        mkdirSync(path.join(dir, "data"));
        server = await startServer({ dataDir: path.join(dir, "data"), storage: "memory" });
        k = kubectl(version, server.kubeconfig, path.join(dir, "cache"));
      });
      after(async () => {
        if (server) assert.equal(await server.stop(), 0);
        if (dir) removeDir(dir);
      });

      it("get sa,cm -A shows default and kube-root-ca.crt in every namespace", async () => {
        await k.ok(["create", "namespace", "team"]);
        const out = await eventually(async () => {
          const out = await k.ok(["get", "sa,cm", "-A"]);
          return [...SYSTEM_NAMESPACES, "team"].every((ns) => new RegExp(`^${ns} +serviceaccount/default +0 `, "m").test(out) && new RegExp(`^${ns} +configmap/kube-root-ca\\.crt +1 `, "m").test(out))
            ? out
            : undefined;
        }, 10_000, "default ServiceAccounts and kube-root-ca.crt ConfigMaps");
        assert.match(out, /^NAMESPACE +NAME +SECRETS +AGE$/m);
        assert.match(out, /^NAMESPACE +NAME +DATA +AGE$/m);
        const cm = await json(["get", "cm", "kube-root-ca.crt", "-n", "team"]);
        assert.match(cm.data["ca.crt"], /^-----BEGIN CERTIFICATE-----\n/);
        assert.equal(
          cm.metadata.annotations["kubernetes.io/description"],
          "Contains a CA bundle that can be used to verify the kube-apiserver when using internal endpoints such as the internal service IP or kubernetes.default.svc. No other usage is guaranteed across distributions of Kubernetes clusters.",
        );
      });

      it("a deleted default ServiceAccount comes back", async () => {
        const before = await json(["get", "sa", "default", "-n", "team"]);
        await k.ok(["delete", "sa", "default", "-n", "team"]);
        await eventually(async () => {
          const r = await k.run(["get", "sa", "default", "-n", "team", "-o", "jsonpath={.metadata.uid}"]);
          return r.code === 0 && r.stdout !== before.metadata.uid && r.stdout !== "";
        }, 10_000, "default ServiceAccount recreated");
      });

      it("create token default issues a bound token for the ServiceAccount", async () => {
        const token = (await k.ok(["create", "token", "default", "-n", "team"])).trim();
        const parts = token.split(".");
        assert.equal(parts.length, 3);
        const claims = JSON.parse(Buffer.from(parts[1]!, "base64url").toString()) as Obj;
        assert.equal(claims.sub, "system:serviceaccount:team:default");
        assert.ok(claims.exp - claims.iat === 3600);
      });

      it("delete deployment removes its replicaset and pods", async () => {
        const { rs, pods } = await deployment("default", "bg", 3);
        assert.equal((await k.ok(["delete", "deployment", "bg"])).trim(), 'deployment.apps "bg" deleted');
        await eventually(async () => (await names(["get", "rs,pods", "-l", "app=bg"])).length === 0, 15_000, "replicaset and pods collected");
        assert.ok(rs && pods.length === 3);
      });

      it("delete --cascade=orphan keeps the replicaset and pods, without the owner reference", async () => {
        const { rs, pods } = await deployment("default", "orph", 2);
        assert.equal((await k.ok(["delete", "deployment", "orph", "--cascade=orphan"])).trim(), 'deployment.apps "orph" deleted');
        const left = await json(["get", "rs", rs]);
        assert.equal(left.metadata.ownerReferences, undefined);
        assert.deepEqual((await names(["get", "pods", "-l", "app=orph"])).sort(), [...pods].sort());
        // and nothing collects them afterwards
        await new Promise((r) => setTimeout(r, 500));
        assert.equal((await names(["get", "pods", "-l", "app=orph"])).length, 2);
        await k.ok(["delete", "rs", rs]);
        await eventually(async () => (await names(["get", "pods", "-l", "app=orph"])).length === 0, 15_000, "pods collected with their replicaset");
      });

      it("delete --cascade=foreground returns once the dependents and the deployment are gone", async () => {
        await deployment("default", "fg", 2);
        assert.equal((await k.ok(["delete", "deployment", "fg", "--cascade=foreground"])).trim(), 'deployment.apps "fg" deleted');
        assert.deepEqual(await names(["get", "deploy,rs,pods", "-l", "app=fg"]), []);
        const r = await k.run(["get", "deployment", "fg"]);
        assert.equal(r.code, 1);
        assert.equal(r.stderr.trim(), 'Error from server (NotFound): deployments.apps "fg" not found');
      });

      it("delete namespace empties and removes it", async () => {
        await k.ok(["create", "namespace", "doomed"]);
        await deployment("doomed", "web", 2);
        await k.ok(["create", "configmap", "cfg", "-n", "doomed", "--from-literal=a=b"]);
        await k.ok(["create", "secret", "generic", "s", "-n", "doomed", "--from-literal=a=b"]);
        await k.ok(["create", "service", "clusterip", "svc", "-n", "doomed", "--tcp=80:80"]);
        const started = Date.now();
        assert.equal((await k.ok(["delete", "namespace", "doomed"])).trim(), 'namespace "doomed" deleted');
        assert.ok(Date.now() - started >= 4000, "the namespace controller starts 5 s after the deletion, as upstream");
        const r = await k.run(["get", "namespace", "doomed"]);
        assert.equal(r.stderr.trim(), 'Error from server (NotFound): namespaces "doomed" not found');
        assert.equal((await k.run(["get", "all", "-n", "doomed"])).stderr.trim(), "No resources found in doomed namespace.");
      });

      it("a PodDisruptionBudget's status, and evictions allowed (201) and refused (429) by it", async () => {
        await k.ok(["create", "namespace", "evict"]);
        for (const p of ["db-0", "db-1", "db-2"]) await k.ok(["run", p, "-n", "evict", "--image=nginx", "-l", "app=db"]);
        // the kubelets start the pods and report them Ready
        const waited = await k.ok(["wait", "--for=condition=Ready", "pod/db-0", "pod/db-1", "pod/db-2", "-n", "evict", "--timeout=30s"]);
        assert.equal(waited, "pod/db-0 condition met\npod/db-1 condition met\npod/db-2 condition met\n");
        await k.ok(["create", "pdb", "db", "-n", "evict", "--selector=app=db", "--min-available=2"]);
        const pdb = await eventually(async () => {
          const p = await json(["get", "pdb", "db", "-n", "evict"]);
          return p.status?.currentHealthy === 3 && p.status.observedGeneration === 1 ? p : undefined;
        }, 10_000, "pdb status");
        assert.deepEqual(
          { ...pdb.status, conditions: pdb.status.conditions.map((c: Obj) => ({ ...c, lastTransitionTime: "" })) },
          {
            conditions: [{ type: "DisruptionAllowed", status: "True", observedGeneration: 1, lastTransitionTime: "", reason: "SufficientPods", message: "" }],
            currentHealthy: 3,
            desiredHealthy: 2,
            disruptionsAllowed: 1,
            expectedPods: 3,
            observedGeneration: 1,
          },
        );
        assert.match(await k.ok(["get", "pdb", "-n", "evict"]), /^db +2 +N\/A +1 +\d+s$/m);

        const ok = await raw("/api/v1/namespaces/evict/pods/db-0/eviction", { apiVersion: "policy/v1", kind: "Eviction", metadata: { name: "db-0", namespace: "evict" } });
        assert.equal(ok.code, 0, ok.stderr);
        assert.deepEqual(JSON.parse(ok.stdout), { kind: "Status", apiVersion: "v1", metadata: {}, status: "Success", code: 201 });

        const refused = await raw("/api/v1/namespaces/evict/pods/db-1/eviction", { apiVersion: "policy/v1", kind: "Eviction", metadata: { name: "db-1", namespace: "evict" } });
        assert.equal(refused.code, 1);
        assert.equal(refused.stderr.trim(), "Error from server (TooManyRequests): Cannot evict pod as it would violate the pod's disruption budget.");

        const missing = await raw("/api/v1/namespaces/evict/pods/nope/eviction", { apiVersion: "policy/v1", kind: "Eviction", metadata: { name: "nope", namespace: "evict" } });
        assert.equal(missing.stderr.trim(), 'Error from server (NotFound): pods "nope" not found');

        // bare pods would block `kubectl drain` ("cannot delete Pods that declare no controller")
        const cleanup = await k.run(["delete", "pods", "--all", "-n", "evict", "--grace-period=0", "--force"]);
        assert.equal(cleanup.code, 0, cleanup.stderr);
        await eventually(async () => (await names(["get", "pods", "-n", "evict"])).length === 0, 15_000, "the evict namespace's pods gone");
      });

      it("discovery lists pods/eviction as policy/v1 Eviction (what kubectl drain looks for)", async () => {
        const v1 = JSON.parse(await k.ok(["get", "--raw", "/api/v1"])) as Obj;
        const ev = v1.resources.find((r: Obj) => r.name === "pods/eviction");
        assert.deepEqual(ev, { name: "pods/eviction", singularName: "", namespaced: true, group: "policy", version: "v1", kind: "Eviction", verbs: ["create"] });
      });

      it("cordon marks the node SchedulingDisabled and keeps new pods off it; uncordon undoes it", async () => {
        const nodes = await names(["get", "nodes"]);
        assert.equal(nodes.length, 3);
        const node = nodes[0]!;
        assert.equal(await k.ok(["cordon", node]), `node/${node} cordoned\n`);
        const n = await json(["get", "node", node]);
        assert.equal(n.spec.unschedulable, true);
        assert.ok((n.spec.taints as Obj[]).some((t) => t.key === "node.kubernetes.io/unschedulable" && t.effect === "NoSchedule"), JSON.stringify(n.spec.taints));
        assert.match(await k.ok(["get", "nodes"]), new RegExp(`^${node}\\s+Ready,SchedulingDisabled\\s+`, "m"));
        await k.ok(["create", "namespace", "cordon"]);
        await deployment("cordon", "spread", 4);
        const pods = await rolledOut("cordon", "spread", 4);
        assert.ok(pods.every((p) => p.spec.nodeName !== node), `a pod landed on the cordoned ${node}`);
        assert.equal(await k.ok(["uncordon", node]), `node/${node} uncordoned\n`);
        assert.match(await k.ok(["get", "nodes"]), new RegExp(`^${node}\\s+Ready\\s+`, "m"));
        assert.equal(await k.ok(["uncordon", node]), `node/${node} already uncordoned\n`);
        await k.ok(["delete", "namespace", "cordon", "--wait=false"]);
      });

      it("drain --ignore-daemonsets evicts a node's pods within their PodDisruptionBudget", async () => {
        await k.ok(["create", "namespace", "drain"]);
        await deployment("drain", "app", 3);
        await k.ok(["create", "pdb", "app", "-n", "drain", "--selector=app=app", "--max-unavailable=1"]);
        const pods = await rolledOut("drain", "app", 3);
        await pdbAllows("drain", "app", 3, 1);
        const node = pods[0]!.spec.nodeName as string;
        const onNode = pods.filter((p) => p.spec.nodeName === node);
        const r = await k.run(["drain", node, "--ignore-daemonsets", "--timeout=60s"]);
        assert.equal(r.code, 0, r.stderr);
        assert.match(r.stdout, new RegExp(`^node/${node} cordoned$`, "m"));
        for (const p of onNode) {
          assert.match(r.stdout, new RegExp(`^evicting pod drain/${p.metadata.name}$`, "m"));
          assert.match(r.stdout, new RegExp(`^pod/${p.metadata.name} evicted$`, "m"));
        }
        assert.match(r.stdout, new RegExp(`^node/${node} drained$`, "m"));
        const after = (await json(["get", "pods", "-n", "drain", "-l", "app=app"])).items as Obj[];
        assert.ok(after.every((p) => p.spec.nodeName !== node));
        assert.match(await k.ok(["get", "node", node]), new RegExp(`\\n${node}\\s+Ready,SchedulingDisabled\\s+`));
        // the ReplicaSet replaces the evicted pods on the other nodes
        await rolledOut("drain", "app", 3);
        assert.equal(await k.ok(["uncordon", node]), `node/${node} uncordoned\n`);
      });

      it("drain keeps retrying while a PodDisruptionBudget forbids the eviction", async () => {
        await k.ok(["create", "namespace", "guard"]);
        await deployment("guard", "solo", 1);
        await k.ok(["create", "pdb", "solo", "-n", "guard", "--selector=app=solo", "--min-available=1"]);
        const [pod] = await rolledOut("guard", "solo", 1);
        await pdbAllows("guard", "solo", 1, 0);
        const node = pod!.spec.nodeName as string;
        const started = Date.now();
        const r = await k.run(["drain", node, "--ignore-daemonsets", "--timeout=2s"]);
        assert.equal(r.code, 1, r.stdout);
        assert.match(r.stdout, new RegExp(`^node/${node} cordoned$`, "m"));
        assert.match(r.stdout, new RegExp(`^evicting pod guard/${pod!.metadata.name}$`, "m"));
        assert.ok(
          r.stderr.includes(`error when evicting pods/"${pod!.metadata.name}" -n "guard" (will retry after 5s): Cannot evict pod as it would violate the pod's disruption budget.\n`),
          r.stderr,
        );
        // kubectl sleeps 5 s between attempts and gives up at its --timeout
        assert.ok(Date.now() - started >= 5000, "drain did not wait to retry");
        // (kubectl 1.27 prints no space after "due to error:")
        assert.match(r.stderr, new RegExp(`\\nerror: unable to drain node "${node}" due to error: ?error when evicting pods/"${pod!.metadata.name}" -n "guard": global timeout reached: 2s, continuing command\\.\\.\\.\\n`));
        // the pod is still there, and running
        const still = await json(["get", "pod", pod!.metadata.name, "-n", "guard"]);
        assert.equal(still.metadata.deletionTimestamp, undefined);
        assert.equal(still.status.phase, "Running");
        assert.equal(await k.ok(["uncordon", node]), `node/${node} uncordoned\n`);
      });
    });
  }
});
