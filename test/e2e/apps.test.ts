// Deployments end to end with real kubectl (1.33 and 1.27) against the built server and its
// control plane: create deployment → ReplicaSet <name>-<hash> and pods, scale, set image →
// revision 2, rollout history (with CHANGE-CAUSE), rollout undo → revision 3 reusing the old
// ReplicaSet, pause/resume, describe, and rollout status (which needs pods to become ready: the
// scheduler and kubelets).
import assert from "node:assert/strict";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { eventually, type Kubectl, kubectl, kubectlPath } from "../helpers/kubectl.js";
import { removeDir, type ServerProcess, startServer, tempDir } from "../helpers/server-process.js";

type Obj = Record<string, any>;
const VERSIONS = ["1.33", "1.27"] as const;
for (const v of VERSIONS) kubectlPath(v);

const HASH = "[bcdfghjklmnpqrstvwxz2456789]{1,10}";
const NEEDS_NODES = "needs the scheduler and kubelet groups";

for (const version of VERSIONS) {
  describe(`apps controllers with kubectl ${version}`, () => {
    let server: ServerProcess | undefined;
    let dir: string;
    let k: Kubectl;
    const json = async (args: string[]): Promise<Obj> => JSON.parse(await k.ok([...args, "-o", "json"])) as Obj;
    const replicaSets = async (): Promise<Obj[]> =>
      ((await json(["get", "replicasets", "-l", "app=web"])).items as Obj[]).sort((a, b) =>
        a.metadata.creationTimestamp === b.metadata.creationTimestamp ? (a.metadata.name < b.metadata.name ? -1 : 1) : a.metadata.creationTimestamp < b.metadata.creationTimestamp ? -1 : 1,
      );
    const revisionOf = (rs: Obj) => rs.metadata.annotations?.["deployment.kubernetes.io/revision"];

    before(async () => {
      dir = tempDir(`apps-${version}`);
      server = await startServer({ dataDir: path.join(dir, "data") });
      k = kubectl(version, server.kubeconfig, path.join(dir, "cache"));
    });
    after(async () => {
      if (server) assert.equal(await server.stop(), 0);
      if (dir) removeDir(dir);
    });

    it("create deployment makes a ReplicaSet web-<hash> and its pods", async () => {
      assert.equal(await k.ok(["create", "deployment", "web", "--image=nginx", "--replicas=3"]), "deployment.apps/web created\n");
      const rs = await eventually(async () => {
        const list = await replicaSets();
        return list.length === 1 && list[0]!.status?.replicas === 3 ? list[0]! : undefined;
      }, 15_000, "the ReplicaSet");
      const hash = rs.metadata.labels["pod-template-hash"] as string;
      assert.match(hash, new RegExp(`^${HASH}$`));
      assert.equal(rs.metadata.name, `web-${hash}`);
      assert.equal(revisionOf(rs), "1");
      assert.equal(rs.metadata.annotations["deployment.kubernetes.io/desired-replicas"], "3");
      assert.equal(rs.metadata.annotations["deployment.kubernetes.io/max-replicas"], "4");
      assert.deepEqual(rs.spec.selector, { matchLabels: { app: "web", "pod-template-hash": hash } });
      const pods = (await json(["get", "pods", "-l", "app=web"])).items as Obj[];
      assert.equal(pods.length, 3);
      for (const p of pods) {
        assert.match(p.metadata.name, new RegExp(`^web-${hash}-[bcdfghjklmnpqrstvwxz2456789]{5}$`));
        assert.equal(p.metadata.ownerReferences[0].kind, "ReplicaSet");
        assert.equal(p.metadata.ownerReferences[0].name, rs.metadata.name);
      }
      const out = await k.ok(["get", "rs"]);
      assert.match(out, /^NAME\s+DESIRED\s+CURRENT\s+READY\s+AGE\n/);
      assert.match(out, new RegExp(`\\nweb-${hash}\\s+3\\s+3\\s+\\d\\s+\\d+s\\n`));
      const d = await json(["get", "deployment", "web"]);
      assert.equal(d.metadata.annotations["deployment.kubernetes.io/revision"], "1");
      const events = await k.ok(["get", "events", "--field-selector", "involvedObject.kind=Deployment,involvedObject.name=web"]);
      assert.match(events, new RegExp(`Normal\\s+ScalingReplicaSet\\s+deployment/web\\s+Scaled up replica set web-${hash} from 0 to 3`));
    });

    it("rollout status reports a complete rollout", { todo: NEEDS_NODES }, async () => {
      const out = await k.ok(["rollout", "status", "deployment/web", "--timeout=15s"]);
      assert.match(out, /deployment "web" successfully rolled out\n$/);
    });

    it("scale resizes the ReplicaSet", async () => {
      assert.equal(await k.ok(["scale", "deployment", "web", "--replicas=5"]), "deployment.apps/web scaled\n");
      const rs = await eventually(async () => {
        const [only] = await replicaSets();
        return only?.spec.replicas === 5 && only.status?.replicas === 5 ? only : undefined;
      }, 15_000, "5 replicas");
      assert.equal(rs.metadata.annotations["deployment.kubernetes.io/desired-replicas"], "5");
      assert.equal(rs.metadata.annotations["deployment.kubernetes.io/max-replicas"], "7");
      assert.equal(((await json(["get", "pods", "-l", "app=web"])).items as Obj[]).length, 5);
    });

    it("set image starts revision 2 with the deployment's change-cause", async () => {
      assert.equal(await k.ok(["set", "image", "deployment/web", "nginx=nginx:1.25"]), "deployment.apps/web image updated\n");
      // annotated after the new template: the controller copies it onto the new ReplicaSet only
      // (kubectl 1.27 prints "annotate")
      assert.match(await k.ok(["annotate", "deployment", "web", "kubernetes.io/change-cause=image 1.25"]), /^deployment\.apps\/web annotated?\n$/);
      const sets = await eventually(async () => {
        const list = await replicaSets();
        return list.length === 2 && revisionOf(list[1]!) === "2" && list[1]!.metadata.annotations["kubernetes.io/change-cause"] ? list : undefined;
      }, 15_000, "revision 2");
      assert.equal(sets[0]!.metadata.annotations["kubernetes.io/change-cause"], undefined);
      assert.equal(sets[1]!.spec.template.spec.containers[0].image, "nginx:1.25");
      assert.equal(sets[1]!.metadata.annotations["kubernetes.io/change-cause"], "image 1.25");
      await eventually(async () => (await json(["get", "deployment", "web"])).metadata.annotations["deployment.kubernetes.io/revision"] === "2", 15_000, "deployment revision 2");
    });

    it("rollout history lists the revisions with their CHANGE-CAUSE", async () => {
      const out = await k.ok(["rollout", "history", "deployment/web"]);
      assert.equal(out, "deployment.apps/web \nREVISION  CHANGE-CAUSE\n1         <none>\n2         image 1.25\n\n");
      const rev2 = await k.ok(["rollout", "history", "deployment/web", "--revision=2"]);
      assert.match(rev2, /^deployment\.apps\/web with revision #2\nPod Template:\n/);
      assert.match(rev2, /\n\s+Image:\s+nginx:1\.25\n/);
      assert.match(rev2, new RegExp(`pod-template-hash=${HASH}\\n`));
      assert.match(rev2, /Annotations:\s+kubernetes\.io\/change-cause: image 1\.25\n/);
    });

    it("rollout undo goes back to the first template as revision 3, reusing its ReplicaSet", async () => {
      const before = await replicaSets();
      assert.equal(await k.ok(["rollout", "undo", "deployment/web"]), "deployment.apps/web rolled back\n");
      const sets = await eventually(async () => {
        const list = await replicaSets();
        const first = list.find((r) => r.metadata.uid === before[0]!.metadata.uid);
        return list.length === 2 && first && revisionOf(first) === "3" ? list : undefined;
      }, 15_000, "revision 3");
      const reused = sets.find((r) => r.metadata.uid === before[0]!.metadata.uid)!;
      assert.equal(reused.metadata.annotations["deployment.kubernetes.io/revision-history"], "1");
      assert.equal(reused.spec.template.spec.containers[0].image, "nginx");
      const d = await eventually(async () => {
        const x = await json(["get", "deployment", "web"]);
        return x.metadata.annotations["deployment.kubernetes.io/revision"] === "3" ? x : undefined;
      }, 15_000, "deployment revision 3");
      assert.equal(d.spec.template.spec.containers[0].image, "nginx");
      assert.equal(await k.ok(["rollout", "history", "deployment/web"]), "deployment.apps/web \nREVISION  CHANGE-CAUSE\n2         image 1.25\n3         <none>\n\n");
    });

    it("pause and resume show in the Progressing condition", async () => {
      assert.equal(await k.ok(["rollout", "pause", "deployment/web"]), "deployment.apps/web paused\n");
      const paused = await eventually(async () => {
        const d = await json(["get", "deployment", "web"]);
        const c = (d.status.conditions as Obj[]).find((x) => x.type === "Progressing");
        return c?.reason === "DeploymentPaused" ? c : undefined;
      }, 15_000, "DeploymentPaused");
      assert.equal(paused.status, "Unknown");
      assert.equal(paused.message, "Deployment is paused");
      assert.equal(await k.ok(["rollout", "resume", "deployment/web"]), "deployment.apps/web resumed\n");
      await eventually(async () => {
        const d = await json(["get", "deployment", "web"]);
        const c = (d.status.conditions as Obj[]).find((x) => x.type === "Progressing");
        return c && c.reason !== "DeploymentPaused";
      }, 15_000, "resumed");
    });

    it("describe deployment shows strategy, conditions, ReplicaSets and scaling events", async () => {
      const out = await k.ok(["describe", "deployment", "web"]);
      const lines = out.split("\n");
      const has = (re: RegExp) => assert.ok(lines.some((l) => re.test(l)), `no line matching ${re} in:\n${out}`);
      has(/^Name:\s+web$/);
      has(/^Namespace:\s+default$/);
      has(/^Annotations:\s+deployment\.kubernetes\.io\/revision: 3$/);
      has(/^Selector:\s+app=web$/);
      has(/^Replicas:\s+5 desired \| \d+ updated \| \d+ total \| \d+ available \| \d+ unavailable$/);
      has(/^StrategyType:\s+RollingUpdate$/);
      has(/^MinReadySeconds:\s+0$/);
      has(/^RollingUpdateStrategy:\s+25% max unavailable, 25% max surge$/);
      has(/^Conditions:$/);
      has(/^\s+Type\s+Status\s+Reason$/);
      has(/^\s+Available\s+(True|False)\s+MinimumReplicas(Available|Unavailable)$/);
      has(/^\s+Progressing\s+(True|Unknown)\s+\w+$/);
      has(new RegExp(`^OldReplicaSets:\\s+web-${HASH} \\(\\d+/\\d+ replicas created\\)$`));
      has(new RegExp(`^NewReplicaSet:\\s+web-${HASH} \\(\\d+/\\d+ replicas created\\)$`));
      has(/^Events:$/);
      has(/^\s+Type\s+Reason\s+Age\s+From\s+Message$/);
      has(new RegExp(`^\\s+Normal\\s+ScalingReplicaSet\\s+\\S+\\s+deployment-controller\\s+Scaled up replica set web-${HASH} from 0 to 3$`));
      has(new RegExp(`^\\s+Normal\\s+ScalingReplicaSet\\s+\\S+\\s+deployment-controller\\s+Scaled up replica set web-${HASH} from 3 to 5$`));
    });

    it("rollout status completes after the undo", { todo: NEEDS_NODES }, async () => {
      const out = await k.ok(["rollout", "status", "deployment/web", "--timeout=15s"]);
      assert.match(out, /deployment "web" successfully rolled out\n$/);
      const sets = await replicaSets();
      const old = sets.filter((r) => revisionOf(r) !== "3");
      assert.ok(old.every((r) => r.spec.replicas === 0));
    });
  });
}
