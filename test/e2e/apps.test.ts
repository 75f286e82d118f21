// Deployments end to end with real kubectl (1.33 and 1.27) against the built server and its full
// control plane (3 simulated nodes): create deployment → rollout status in seconds with Running
// pods spread over the nodes, describe pod/node/deployment with the scheduler's, kubelets' and
// controllers' events, an unschedulable pod's FailedScheduling, `get all`, then ReplicaSet
// <name>-<hash> and pods, scale up and down, set image → revision 2, rollout history (with
// CHANGE-CAUSE), rollout undo → revision 3 reusing the old ReplicaSet, pause/resume, and deleting
// the deployment with its ReplicaSets and pods.
import assert from "node:assert/strict";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { eventually, type Kubectl, kubectl, kubectlPath } from "../helpers/kubectl.js";
import { removeDir, type ServerProcess, startServer, tempDir } from "../helpers/server-process.js";

type Obj = Record<string, any>;
const VERSIONS = ["1.33", "1.27"] as const;
for (const v of VERSIONS) kubectlPath(v);

const HASH = "[bcdfghjklmnpqrstvwxz2456789]{1,10}";
const POD_SUFFIX = "[bcdfghjklmnpqrstvwxz2456789]{5}";

/** Rows of kubectl's aligned table output, keyed by header. */
function rows(out: string): Record<string, string>[] {
  const lines = out.split("\n").filter(Boolean);
  const header = lines[0]!;
  const cols = [...header.matchAll(/\S+(?: \S+)*/g)].map((m) => ({ name: m[0], start: m.index }));
  return lines.slice(1).map((line) => {
    const row: Record<string, string> = {};
    cols.forEach((c, i) => (row[c.name] = line.slice(c.start, i + 1 < cols.length ? cols[i + 1]!.start : undefined).trim()));
    return row;
  });
}

/** Whether an IPv4 address lies in a CIDR. */
function inCidr(ip: string, cidr: string): boolean {
  const num = (a: string) => a.split(".").reduce((n, o) => n * 256 + Number(o), 0);
  const [base, bits] = cidr.split("/");
  const size = 2 ** (32 - Number(bits));
  return Math.floor(num(ip) / size) === Math.floor(num(base!) / size);
}

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
    /** Asserts that some line of a describe output matches. */
    const hasLine = (out: string, re: RegExp) => assert.ok(out.split("\n").some((l) => re.test(l)), `no line matching ${re} in:\n${out}`);

    before(async () => {
      dir = tempDir(`apps-${version}`);
      server = await startServer({ dataDir: path.join(dir, "data") });
      k = kubectl(version, server.kubeconfig, path.join(dir, "cache"));
    });
    after(async () => {
      if (server) assert.equal(await server.stop(), 0);
      if (dir) removeDir(dir);
    });

    it("create deployment → rollout status completes in under 5 s, Running pods with IPs on different nodes", async () => {
      // (the simulated nodes report Ready half a second after they register, as the server starts)
      await k.ok(["wait", "--for=condition=Ready", "nodes", "--all", "--timeout=30s"]);
      const started = Date.now();
      assert.equal(await k.ok(["create", "deployment", "quick", "--image=nginx", "--replicas=3", "--port=80"]), "deployment.apps/quick created\n");
      const status = await k.ok(["rollout", "status", "deployment/quick", "--timeout=30s"]);
      const took = Date.now() - started;
      assert.match(status, /deployment "quick" successfully rolled out\n$/);
      assert.ok(took < 5000, `create deployment + rollout status took ${took} ms`);

      const wide = await k.ok(["get", "pods", "-l", "app=quick", "-o", "wide"]);
      assert.match(wide, /^NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE\s+IP\s+NODE\s+NOMINATED NODE\s+READINESS GATES\n/);
      const pods = rows(wide);
      assert.equal(pods.length, 3, wide);
      const nodes = Object.fromEntries(((await json(["get", "nodes"])).items as Obj[]).map((n) => [n.metadata.name, n]));
      for (const p of pods) {
        assert.match(p.NAME!, new RegExp(`^quick-${HASH}-${POD_SUFFIX}$`));
        assert.deepEqual([p.READY, p.STATUS, p.RESTARTS, p["NOMINATED NODE"], p["READINESS GATES"]], ["1/1", "Running", "0", "<none>", "<none>"], wide);
        assert.match(p.AGE!, /^\d+s$/);
        assert.ok(nodes[p.NODE!], `unknown node ${p.NODE}`);
        assert.match(p.IP!, /^10\.244\.\d+\.\d+$/);
        assert.ok(inCidr(p.IP!, nodes[p.NODE!].spec.podCIDR), `${p.IP} outside ${p.NODE}'s ${nodes[p.NODE!].spec.podCIDR}`);
      }
      assert.equal(new Set(pods.map((p) => p.IP)).size, 3, wide);
      assert.equal(new Set(pods.map((p) => p.NODE)).size, 3, `the pods are not spread over the 3 nodes:\n${wide}`);
      assert.match(await k.ok(["get", "deployment", "quick"]), /^NAME\s+READY\s+UP-TO-DATE\s+AVAILABLE\s+AGE\nquick\s+3\/3\s+3\s+3\s+\d+s\n$/);
    });

    it("describe pod shows the scheduler's and kubelet's events and the pod's conditions", async () => {
      const pod = ((await json(["get", "pods", "-l", "app=quick"])).items as Obj[])[0]!;
      const name = pod.metadata.name as string;
      const node = pod.spec.nodeName as string;
      const out = await k.ok(["describe", "pod", name]);
      hasLine(out, new RegExp(`^Name:\\s+${name}$`));
      hasLine(out, new RegExp(`^Node:\\s+${node}/172\\.18\\.\\d+\\.\\d+$`));
      hasLine(out, /^Status:\s+Running$/);
      hasLine(out, new RegExp(`^IP:\\s+${pod.status.podIP.replace(/\./g, "\\.")}$`));
      hasLine(out, new RegExp(`^Controlled By:\\s+ReplicaSet/quick-${HASH}$`));
      hasLine(out, /^\s+Container ID:\s+containerd:\/\/[0-9a-f]{64}$/);
      hasLine(out, /^\s+State:\s+Running$/);
      hasLine(out, /^\s+Ready:\s+True$/);
      hasLine(out, /^\s+Restart Count:\s+0$/);
      hasLine(out, /^Conditions:$/);
      hasLine(out, /^\s+Type\s+Status$/);
      for (const c of ["PodReadyToStartContainers", "Initialized", "Ready", "ContainersReady", "PodScheduled"]) hasLine(out, new RegExp(`^\\s+${c}\\s+True\\s*$`));
      hasLine(out, /^QoS Class:\s+BestEffort$/);
      hasLine(out, /^Events:$/);
      hasLine(out, /^\s+Type\s+Reason\s+Age\s+From\s+Message$/);
      hasLine(out, new RegExp(`^\\s+Normal\\s+Scheduled\\s+\\S+\\s+default-scheduler\\s+Successfully assigned default/${name} to ${node}$`));
      hasLine(out, /^\s+Normal\s+Pulling\s+\S+\s+kubelet\s+Pulling image "nginx"$/);
      hasLine(out, /^\s+Normal\s+Pulled\s+\S+\s+kubelet\s+Successfully pulled image "nginx" in [\d.]+m?s \([\d.]+m?s including waiting\)\. Image size: \d+ bytes\.$/);
      hasLine(out, /^\s+Normal\s+Created\s+\S+\s+kubelet\s+Created container: nginx$/);
      hasLine(out, /^\s+Normal\s+Started\s+\S+\s+kubelet\s+Started container nginx$/);
      // in the order they happened
      const reasons = out.slice(out.indexOf("\nEvents:")).split("\n").map((l) => /^\s+Normal\s+(\w+)\s/.exec(l)?.[1]).filter(Boolean);
      assert.deepEqual(reasons, ["Scheduled", "Pulling", "Pulled", "Created", "Started"]);
    });

    it("describe node shows the node's conditions and its Starting, NodeReady and RegisteredNode events", async () => {
      // the node lifecycle controller notices new nodes on its next pass (every 5 s, as upstream's)
      const out = await eventually(async () => {
        const d = await k.ok(["describe", "node", "node-1"]);
        return d.includes("RegisteredNode") ? d : undefined;
      }, 15_000, "the RegisteredNode event");
      hasLine(out, /^Name:\s+node-1$/);
      hasLine(out, /^Roles:\s+<none>$/);
      hasLine(out, /^\s+kubernetes\.io\/hostname=node-1$/);
      hasLine(out, /^Taints:\s+<none>$/);
      hasLine(out, /^Unschedulable:\s+false$/);
      hasLine(out, /^\s+Type\s+Status\s+LastHeartbeatTime\s+LastTransitionTime\s+Reason\s+Message$/);
      hasLine(out, /^\s+MemoryPressure\s+False\s+.+\s+KubeletHasSufficientMemory\s+kubelet has sufficient memory available$/);
      hasLine(out, /^\s+DiskPressure\s+False\s+.+\s+KubeletHasNoDiskPressure\s+kubelet has no disk pressure$/);
      hasLine(out, /^\s+PIDPressure\s+False\s+.+\s+KubeletHasSufficientPID\s+kubelet has sufficient PID available$/);
      hasLine(out, /^\s+Ready\s+True\s+.+\s+KubeletReady\s+kubelet is posting ready status$/);
      hasLine(out, /^\s+InternalIP:\s+172\.18\.\d+\.\d+$/);
      hasLine(out, /^\s+Hostname:\s+node-1$/);
      hasLine(out, /^\s+Container Runtime Version:\s+containerd:\/\/\S+$/);
      hasLine(out, /^\s+Kubelet Version:\s+v1\.\d+\.\d+$/);
      hasLine(out, /^PodCIDR:\s+10\.244\.\d+\.0\/24$/);
      hasLine(out, /^Non-terminated Pods:\s+\(\d+ in total\)$/);
      hasLine(out, /^Allocated resources:$/);
      hasLine(out, /^Events:$/);
      hasLine(out, /^\s+Normal\s+Starting\s+\S+\s+kubelet\s+Starting kubelet\.$/);
      hasLine(out, /^\s+Normal\s+NodeHasSufficientMemory\s+\S+\s+kubelet\s+Node node-1 status is now: NodeHasSufficientMemory$/);
      hasLine(out, /^\s+Normal\s+NodeReady\s+\S+\s+kubelet\s+Node node-1 status is now: NodeReady$/);
      hasLine(out, /^\s+Normal\s+RegisteredNode\s+\S+\s+node-controller\s+Node node-1 event: Registered Node node-1 in Controller$/);
    });

    it("kubectl get all lists pod/, service/, deployment.apps/ and replicaset.apps/ like a real cluster", async () => {
      assert.equal(await k.ok(["expose", "deployment", "quick", "--port=80"]), "service/quick exposed\n");
      const out = await k.ok(["get", "all"]);
      const sections = out.replace(/\n$/, "").split("\n\n");
      assert.equal(sections.length, 4, out);
      const [pods, services, deployments, sets] = sections.map((sec) => ({ header: sec.split("\n")[0]!.split(/\s{2,}/), rows: rows(sec) }));
      assert.deepEqual(pods!.header, ["NAME", "READY", "STATUS", "RESTARTS", "AGE"]);
      assert.equal(pods!.rows.length, 3, out);
      for (const p of pods!.rows) {
        assert.match(p.NAME!, new RegExp(`^pod/quick-${HASH}-${POD_SUFFIX}$`));
        assert.deepEqual([p.READY, p.STATUS, p.RESTARTS], ["1/1", "Running", "0"]);
      }
      assert.deepEqual(services!.header, ["NAME", "TYPE", "CLUSTER-IP", "EXTERNAL-IP", "PORT(S)", "AGE"]);
      assert.deepEqual(services!.rows.map((r) => [r.NAME, r.TYPE, r["EXTERNAL-IP"], r["PORT(S)"]]), [
        ["service/kubernetes", "ClusterIP", "<none>", "443/TCP"],
        ["service/quick", "ClusterIP", "<none>", "80/TCP"],
      ]);
      assert.equal(services!.rows[0]!["CLUSTER-IP"], "10.96.0.1");
      assert.match(services!.rows[1]!["CLUSTER-IP"]!, /^10\.(9[6-9]|10\d|11[01])\.\d+\.\d+$/);
      assert.deepEqual(deployments!.header, ["NAME", "READY", "UP-TO-DATE", "AVAILABLE", "AGE"]);
      assert.deepEqual(deployments!.rows.map((r) => [r.NAME, r.READY, r["UP-TO-DATE"], r.AVAILABLE]), [["deployment.apps/quick", "3/3", "3", "3"]]);
      assert.deepEqual(sets!.header, ["NAME", "DESIRED", "CURRENT", "READY", "AGE"]);
      assert.equal(sets!.rows.length, 1, out);
      assert.match(sets!.rows[0]!.NAME!, new RegExp(`^replicaset\\.apps/quick-${HASH}$`));
      assert.deepEqual([sets!.rows[0]!.DESIRED, sets!.rows[0]!.CURRENT, sets!.rows[0]!.READY], ["3", "3", "3"]);
      for (const sec of [pods, services, deployments, sets]) for (const r of sec!.rows) assert.match(r.AGE!, /^\d+s$/);
    });

    it("an unschedulable pod stays Pending with a FailedScheduling event", async () => {
      const manifest = { apiVersion: "v1", kind: "Pod", metadata: { name: "big" }, spec: { containers: [{ name: "big", image: "nginx", resources: { requests: { cpu: "100" } } }] } };
      assert.equal(await k.ok(["apply", "-f", "-"], { input: JSON.stringify(manifest) }), "pod/big created\n");
      const message = "0/3 nodes are available: 3 Insufficient cpu. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.";
      const pod = await eventually(async () => {
        const p = await json(["get", "pod", "big"]);
        return p.status?.conditions?.some((c: Obj) => c.type === "PodScheduled" && c.status === "False") ? p : undefined;
      }, 15_000, "PodScheduled False");
      assert.equal(pod.status.phase, "Pending");
      assert.equal(pod.spec.nodeName, undefined);
      const cond = (pod.status.conditions as Obj[]).find((c) => c.type === "PodScheduled")!;
      assert.deepEqual([cond.reason, cond.message], ["Unschedulable", message]);
      const out = await eventually(async () => {
        const d = await k.ok(["describe", "pod", "big"]);
        return d.includes("FailedScheduling") ? d : undefined;
      }, 15_000, "the FailedScheduling event");
      hasLine(out, /^Node:\s+<none>$/);
      hasLine(out, /^Status:\s+Pending$/);
      hasLine(out, /^\s+PodScheduled\s+False\s*$/);
      hasLine(out, new RegExp(`^\\s+Warning\\s+FailedScheduling\\s+\\S+\\s+default-scheduler\\s+${message.replace(/[.()]/g, "\\$&")}$`));
      const row = rows(await k.ok(["get", "pod", "big", "-o", "wide"]))[0]!;
      assert.deepEqual([row.READY, row.STATUS, row.IP, row.NODE], ["0/1", "Pending", "<none>", "<none>"]);
      assert.equal(await k.ok(["delete", "pod", "big"]), 'pod "big" deleted\n');
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

    it("rollout status reports a complete rollout", async () => {
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

    it("rollout status completes after the undo", async () => {
      const out = await k.ok(["rollout", "status", "deployment/web", "--timeout=15s"]);
      assert.match(out, /deployment "web" successfully rolled out\n$/);
      const sets = await replicaSets();
      const old = sets.filter((r) => revisionOf(r) !== "3");
      assert.ok(old.every((r) => r.spec.replicas === 0));
    });

    it("scale down removes pods", async () => {
      assert.equal(await k.ok(["scale", "deployment", "web", "--replicas=2"]), "deployment.apps/web scaled\n");
      const current = (await replicaSets()).find((r) => revisionOf(r) === "3")!;
      await eventually(async () => {
        const pods = (await json(["get", "pods", "-l", "app=web"])).items as Obj[];
        return pods.length === 2 && pods.every((p) => p.status.phase === "Running" && !p.metadata.deletionTimestamp);
      }, 15_000, "2 pods left");
      const rs = (await replicaSets()).find((r) => r.metadata.uid === current.metadata.uid)!;
      assert.deepEqual([rs.spec.replicas, rs.status.replicas], [2, 2]);
      assert.match(await k.ok(["get", "deployment", "web"]), /\nweb\s+2\/2\s+2\s+2\s+\d+[sm]\d*s?\n$/);
      const events = await k.ok(["get", "events", "--field-selector", "involvedObject.kind=Deployment,involvedObject.name=web"]);
      assert.match(events, new RegExp(`Normal\\s+ScalingReplicaSet\\s+deployment/web\\s+(\\(combined from similar events\\): )?Scaled down replica set ${current.metadata.name} from 5 to 2`));
    });

    it("delete deployment removes its ReplicaSets and pods", async () => {
      assert.equal((await replicaSets()).length, 2);
      assert.equal(await k.ok(["delete", "deployment", "web"]), 'deployment.apps "web" deleted\n');
      await eventually(async () => (await k.ok(["get", "rs,pods", "-l", "app=web", "-o", "name"])) === "", 15_000, "ReplicaSets and pods collected");
      const r = await k.run(["get", "deployment", "web"]);
      assert.equal(r.stderr.trim(), 'Error from server (NotFound): deployments.apps "web" not found');
    });
  });
}
