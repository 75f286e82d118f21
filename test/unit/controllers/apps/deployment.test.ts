// The Deployment controller on an in-memory cluster with a FakeClock (with the ReplicaSet
// controller; the tests write pod readiness in place of kubelets).
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import type { KubeObject } from "../../../../src/apimachinery/types.js";
import { R } from "../../../../src/client/interface.js";
import { computeHash } from "../../../../src/controllers/apps/hash.js";
import { startCluster, type TestCluster } from "../../../helpers/cluster.js";
import { condition, deploymentObject, events, isReady, listPods, listReplicaSets, markAllReady, markReady, NS, quiesce } from "./helpers.js";

type Obj = KubeObject & { spec: any; status?: any };

const HASH = "[bcdfghjklmnpqrstvwxz2456789]{1,10}";

async function get(c: TestCluster, name: string): Promise<Obj> {
  return (await c.client.get(R.deployments, NS, name)) as Obj;
}

async function rsOf(c: TestCluster, name: string): Promise<Obj[]> {
  const d = await get(c, name);
  return (await listReplicaSets(c)).filter((rs) => rs.metadata.ownerReferences?.[0]?.uid === d.metadata.uid);
}

/** Marks pods ready one at a time, checking the rolling-update bounds at every quiescent step. */
async function rollOut(c: TestCluster, name: string, bounds: { max: number; minReady: number }): Promise<number> {
  let steps = 0;
  for (;;) {
    await quiesce(c);
    const pods = await listPods(c, `app=${name}`);
    const ready = pods.filter(isReady).length;
    assert.ok(pods.length <= bounds.max, `step ${steps}: ${pods.length} pods exceed ${bounds.max}`);
    assert.ok(ready >= bounds.minReady, `step ${steps}: only ${ready} ready pods, fewer than ${bounds.minReady}`);
    const d = await get(c, name);
    const s = d.status ?? {};
    if (s.observedGeneration >= d.metadata.generation! && s.updatedReplicas === d.spec.replicas && s.replicas === d.spec.replicas && s.availableReplicas === d.spec.replicas) return steps;
    const next = pods.find((p) => !isReady(p));
    assert.ok(next, `step ${steps}: rollout stuck with every pod ready`);
    await markReady(c, next);
    steps++;
    assert.ok(steps < 100, "rollout does not finish");
  }
}

describe("Deployment controller", () => {
  let c: TestCluster;
  before(async () => {
    c = await startCluster({ groups: ["apps"] });
  });
  after(async () => {
    await c.stop();
  });

  test("creates a ReplicaSet <name>-<hash> and its pods, and reports progress and availability", async () => {
    const created = await c.client.create(R.deployments, NS, deploymentObject("web", { annotations: { "kubectl.kubernetes.io/last-applied-configuration": "{}", team: "blue" } }));
    await quiesce(c);
    const [rs, ...others] = await rsOf(c, "web");
    assert.equal(others.length, 0);
    const hash = rs!.metadata.labels!["pod-template-hash"]!;
    assert.match(hash, new RegExp(`^${HASH}$`));
    assert.equal(rs!.metadata.name, `web-${hash}`);
    assert.deepEqual(rs!.metadata.labels, { app: "web", "pod-template-hash": hash });
    assert.deepEqual(rs!.metadata.annotations, {
      team: "blue",
      "deployment.kubernetes.io/revision": "1",
      "deployment.kubernetes.io/desired-replicas": "3",
      "deployment.kubernetes.io/max-replicas": "4",
    });
    assert.deepEqual(rs!.metadata.ownerReferences, [{ apiVersion: "apps/v1", kind: "Deployment", name: "web", uid: created.metadata.uid, controller: true, blockOwnerDeletion: true }]);
    assert.deepEqual(rs!.spec.selector, { matchLabels: { app: "web", "pod-template-hash": hash } });
    assert.equal(rs!.spec.replicas, 3);
    assert.deepEqual(rs!.spec.template.metadata.labels, { app: "web", "pod-template-hash": hash });
    const pods = await listPods(c, "app=web");
    assert.equal(pods.length, 3);
    for (const p of pods) {
      assert.match(p.metadata.name!, new RegExp(`^web-${hash}-[bcdfghjklmnpqrstvwxz2456789]{5}$`));
      assert.equal(p.metadata.labels!["pod-template-hash"], hash);
    }

    let d = await get(c, "web");
    assert.equal(d.metadata.annotations!["deployment.kubernetes.io/revision"], "1");
    assert.equal(d.metadata.generation, 1, "the revision annotation goes through /status and does not bump the generation");
    assert.deepEqual(
      { ...d.status, conditions: undefined },
      { observedGeneration: 1, replicas: 3, updatedReplicas: 3, unavailableReplicas: 3, conditions: undefined },
    );
    assert.deepEqual(condition(d, "Available"), { ...condition(d, "Available"), status: "False", reason: "MinimumReplicasUnavailable", message: "Deployment does not have minimum availability." });
    assert.equal(condition(d, "Progressing")?.status, "True");
    assert.match(condition(d, "Progressing")!.reason!, /^(NewReplicaSetCreated|ReplicaSetUpdated)$/);
    assert.ok((await events(c, "Deployment", "web")).includes(`Normal ScalingReplicaSet Scaled up replica set web-${hash} from 0 to 3`));

    c.clock.advance(5000);
    await markAllReady(c, "app=web");
    await quiesce(c);
    d = await get(c, "web");
    assert.deepEqual({ ...d.status, conditions: undefined }, { observedGeneration: 1, replicas: 3, updatedReplicas: 3, readyReplicas: 3, availableReplicas: 3, conditions: undefined });
    assert.deepEqual(
      d.status.conditions.map((x: any) => [x.type, x.status, x.reason, x.message]),
      [
        ["Available", "True", "MinimumReplicasAvailable", "Deployment has minimum availability."],
        ["Progressing", "True", "NewReplicaSetAvailable", `ReplicaSet "web-${hash}" has successfully progressed.`],
      ],
    );
    const progressing = condition(d, "Progressing")!;
    assert.ok(progressing.lastUpdateTime! > progressing.lastTransitionTime!, "progress moves lastUpdateTime, not lastTransitionTime");
  });

  test("scaling resizes the ReplicaSet and its replica annotations", async () => {
    await c.client.patch(R.deployments, NS, "web", "merge", { spec: { replicas: 5 } });
    await quiesce(c);
    let [rs] = await rsOf(c, "web");
    assert.equal(rs!.spec.replicas, 5);
    assert.equal(rs!.metadata.annotations!["deployment.kubernetes.io/desired-replicas"], "5");
    assert.equal(rs!.metadata.annotations!["deployment.kubernetes.io/max-replicas"], "7");
    assert.equal((await listPods(c, "app=web")).length, 5);
    assert.ok((await events(c, "Deployment", "web")).includes(`Normal ScalingReplicaSet Scaled up replica set ${rs!.metadata.name} from 3 to 5`));
    await c.client.patch(R.deployments, NS, "web", "merge", { spec: { replicas: 2 } });
    await quiesce(c);
    [rs] = await rsOf(c, "web");
    assert.equal(rs!.spec.replicas, 2);
    const pods = await listPods(c, "app=web");
    assert.equal(pods.length, 2);
    assert.ok(pods.every(isReady), "the not-ready pods went first");
    assert.ok((await events(c, "Deployment", "web")).includes(`Normal ScalingReplicaSet Scaled down replica set ${rs!.metadata.name} from 5 to 2`));
    const d = await get(c, "web");
    assert.equal(d.status.replicas, 2);
    assert.equal(d.status.availableReplicas, 2);
    assert.equal(d.metadata.annotations!["deployment.kubernetes.io/revision"], "1");
  });

  test("a new template rolls out as revision 2 within maxSurge and maxUnavailable", async () => {
    await c.client.create(R.deployments, NS, deploymentObject("roll", { replicas: 10, annotations: { "kubernetes.io/change-cause": "initial" } }));
    await quiesce(c);
    await markAllReady(c, "app=roll");
    await quiesce(c);
    const [first] = await rsOf(c, "roll");
    await c.client.patch(R.deployments, NS, "roll", "strategic", {
      metadata: { annotations: { "kubernetes.io/change-cause": "kubectl set image deployment/roll app=nginx:1.25" } },
      spec: { template: { spec: { containers: [{ name: "app", image: "nginx:1.25" }] } } },
    });
    // 10 replicas, 25%/25%: at most 13 pods, at least 8 ready at every step
    const steps = await rollOut(c, "roll", { max: 13, minReady: 8 });
    assert.ok(steps >= 10);
    const sets = await rsOf(c, "roll");
    assert.equal(sets.length, 2);
    const old = sets.find((r) => r.metadata.uid === first!.metadata.uid)!;
    const cur = sets.find((r) => r.metadata.uid !== first!.metadata.uid)!;
    assert.equal(old.spec.replicas, 0);
    assert.equal(cur.spec.replicas, 10);
    assert.equal(cur.metadata.annotations!["deployment.kubernetes.io/revision"], "2");
    assert.equal(cur.metadata.annotations!["kubernetes.io/change-cause"], "kubectl set image deployment/roll app=nginx:1.25");
    assert.equal(old.metadata.annotations!["kubernetes.io/change-cause"], "initial");
    assert.equal(cur.spec.template.spec.containers[0].image, "nginx:1.25");
    assert.notEqual(cur.metadata.labels!["pod-template-hash"], old.metadata.labels!["pod-template-hash"]);
    const d = await get(c, "roll");
    assert.equal(d.metadata.annotations!["deployment.kubernetes.io/revision"], "2");
    assert.equal(condition(d, "Progressing")!.message, `ReplicaSet "${cur.metadata.name}" has successfully progressed.`);
    const ev = await events(c, "Deployment", "roll");
    assert.ok(ev.includes(`Normal ScalingReplicaSet Scaled up replica set ${cur.metadata.name} from 0 to 3`), ev.join("\n"));
    assert.ok(ev.includes(`Normal ScalingReplicaSet Scaled down replica set ${old.metadata.name} from 10 to 8`), ev.join("\n"));
    // past ten distinct messages in ten minutes the recorder aggregates, as upstream's EventCorrelator does
    const scaledToZero = new RegExp(`^Normal ScalingReplicaSet (\\(combined from similar events\\): )?Scaled down replica set ${old.metadata.name} from \\d+ to 0$`);
    assert.ok(ev.some((e) => scaledToZero.test(e)), ev.join("\n"));
  });

  test("rollback (kubectl rollout undo) reuses the old ReplicaSet as revision 3", async () => {
    const sets = await rsOf(c, "roll");
    const rev1 = sets.find((r) => r.metadata.annotations!["deployment.kubernetes.io/revision"] === "1")!;
    // what kubectl rollout undo sends: the old template without the hash label, and its annotations
    const template = structuredClone(rev1.spec.template);
    delete template.metadata.labels["pod-template-hash"];
    const d0 = await get(c, "roll");
    const annotations: Record<string, string> = { "deployment.kubernetes.io/revision": d0.metadata.annotations!["deployment.kubernetes.io/revision"]! };
    for (const [k, v] of Object.entries(rev1.metadata.annotations!)) if (!k.startsWith("deployment.kubernetes.io/")) annotations[k] = v;
    await c.client.patch(R.deployments, NS, "roll", "json", [
      { op: "replace", path: "/spec/template", value: template },
      { op: "replace", path: "/metadata/annotations", value: annotations },
    ]);
    await rollOut(c, "roll", { max: 13, minReady: 8 });
    const after = await rsOf(c, "roll");
    assert.equal(after.length, 2, "no third ReplicaSet");
    const reused = after.find((r) => r.metadata.uid === rev1.metadata.uid)!;
    assert.equal(reused.spec.replicas, 10);
    assert.equal(reused.metadata.annotations!["deployment.kubernetes.io/revision"], "3");
    assert.equal(reused.metadata.annotations!["deployment.kubernetes.io/revision-history"], "1");
    assert.equal(reused.metadata.annotations!["kubernetes.io/change-cause"], "initial");
    const d = await get(c, "roll");
    assert.equal(d.metadata.annotations!["deployment.kubernetes.io/revision"], "3");
    assert.equal(d.spec.template.spec.containers[0].image, "nginx");
  });

  test("Recreate scales the old ReplicaSet to zero before the new one comes up", async () => {
    await c.client.create(R.deployments, NS, deploymentObject("rec", { replicas: 3, strategy: { type: "Recreate" } }));
    await quiesce(c);
    await markAllReady(c, "app=rec");
    await quiesce(c);
    const [first] = await rsOf(c, "rec");
    await c.client.patch(R.deployments, NS, "rec", "strategic", { spec: { template: { spec: { containers: [{ name: "app", image: "httpd" }] } } } });
    await quiesce(c);
    const sets = await rsOf(c, "rec");
    assert.equal(sets.length, 2);
    const old = sets.find((r) => r.metadata.uid === first!.metadata.uid)!;
    const cur = sets.find((r) => r.metadata.uid !== first!.metadata.uid)!;
    assert.equal(old.spec.replicas, 0);
    assert.equal(cur.spec.replicas, 3);
    const ev = await events(c, "Deployment", "rec");
    const down = ev.indexOf(`Normal ScalingReplicaSet Scaled down replica set ${old.metadata.name} from 3 to 0`);
    const up = ev.indexOf(`Normal ScalingReplicaSet Scaled up replica set ${cur.metadata.name} from 0 to 3`);
    assert.ok(down >= 0 && up > down, ev.join("\n"));
    const pods = await listPods(c, "app=rec");
    assert.equal(pods.length, 3);
    assert.ok(pods.every((p) => p.metadata.labels!["pod-template-hash"] === cur.metadata.labels!["pod-template-hash"]));
    const d = await get(c, "rec");
    assert.equal(d.status.unavailableReplicas, 3);
    assert.equal(condition(d, "Available")!.status, "False", "Recreate tolerates no unavailability");
  });

  test("pause holds a new template back; resume rolls it out", async () => {
    await c.client.create(R.deployments, NS, deploymentObject("pz", { replicas: 2 }));
    await quiesce(c);
    await markAllReady(c, "app=pz");
    await quiesce(c);
    await c.client.patch(R.deployments, NS, "pz", "merge", { spec: { paused: true } });
    await quiesce(c);
    let d = await get(c, "pz");
    assert.deepEqual(
      [condition(d, "Progressing")!.status, condition(d, "Progressing")!.reason, condition(d, "Progressing")!.message],
      ["Unknown", "DeploymentPaused", "Deployment is paused"],
    );
    await c.client.patch(R.deployments, NS, "pz", "strategic", { spec: { template: { spec: { containers: [{ name: "app", image: "nginx:2" }] } } } });
    await c.client.patch(R.deployments, NS, "pz", "merge", { spec: { replicas: 4 } });
    await quiesce(c);
    let sets = await rsOf(c, "pz");
    assert.equal(sets.length, 1, "no new ReplicaSet while paused");
    assert.equal(sets[0]!.spec.replicas, 4, "scaling still applies while paused");
    d = await get(c, "pz");
    assert.equal(d.status.observedGeneration, d.metadata.generation);
    await markAllReady(c, "app=pz");
    await quiesce(c);
    await c.client.patch(R.deployments, NS, "pz", "merge", { spec: { paused: null } });
    await quiesce(c);
    d = await get(c, "pz");
    sets = await rsOf(c, "pz");
    assert.equal(sets.length, 2, "resumed: the new template rolls out");
    const reasons = (await c.client.list(R.deployments, NS)).items.find((x) => x.metadata.name === "pz") as Obj;
    assert.ok(["DeploymentResumed", "NewReplicaSetCreated", "ReplicaSetUpdated"].includes(condition(reasons, "Progressing")!.reason!));
    await rollOut(c, "pz", { max: 5, minReady: 3 });
  });

  test("progressDeadlineSeconds: no progress turns Progressing to ProgressDeadlineExceeded", async () => {
    await c.client.create(R.deployments, NS, deploymentObject("stuck", { replicas: 2, progressDeadlineSeconds: 30 }));
    await quiesce(c);
    const [rs] = await rsOf(c, "stuck");
    let d = await get(c, "stuck");
    assert.equal(condition(d, "Progressing")!.status, "True");
    d = await c.until(
      async () => {
        const x = await get(c, "stuck");
        return condition(x, "Progressing")?.reason === "ProgressDeadlineExceeded" ? x : undefined;
      },
      { stepMs: 1000, maxFakeMs: 60_000, what: "ProgressDeadlineExceeded" },
    );
    const cond = condition(d, "Progressing")!;
    assert.equal(cond.status, "False");
    assert.equal(cond.message, `ReplicaSet "${rs!.metadata.name}" has timed out progressing.`);
    const elapsed = Date.parse(cond.lastUpdateTime!) - Date.parse(d.metadata.creationTimestamp!);
    assert.ok(elapsed > 30_000 && elapsed <= 35_000, `timed out after ${elapsed} ms`);
  });

  test("revisionHistoryLimit keeps only the newest old ReplicaSets", async () => {
    await c.client.create(R.deployments, NS, deploymentObject("hist", { replicas: 1, revisionHistoryLimit: 1 }));
    await quiesce(c);
    for (const image of ["nginx:1", "nginx:2", "nginx:3"]) {
      await c.client.patch(R.deployments, NS, "hist", "strategic", { spec: { template: { spec: { containers: [{ name: "app", image }] } } } });
      await rollOut(c, "hist", { max: 2, minReady: 0 });
    }
    await quiesce(c);
    const sets = await rsOf(c, "hist");
    assert.deepEqual(sets.map((r) => r.metadata.annotations!["deployment.kubernetes.io/revision"]).sort(), ["3", "4"]);
  });

  test("a scaling event during a rollout is shared proportionally", async () => {
    await c.client.create(R.deployments, NS, deploymentObject("prop", { replicas: 10 }));
    await quiesce(c);
    await markAllReady(c, "app=prop");
    await quiesce(c);
    const [first] = await rsOf(c, "prop");
    await c.client.patch(R.deployments, NS, "prop", "strategic", { spec: { template: { spec: { containers: [{ name: "app", image: "nginx:9" }] } } } });
    await quiesce(c);
    let sets = await rsOf(c, "prop");
    const sizes = () => [sets.find((r) => r.metadata.uid === first!.metadata.uid)!.spec.replicas, sets.find((r) => r.metadata.uid !== first!.metadata.uid)!.spec.replicas];
    assert.deepEqual(sizes(), [8, 5], "new pods are not ready: old 10→8, new 0→5");
    await c.client.patch(R.deployments, NS, "prop", "merge", { spec: { replicas: 20 } });
    await quiesce(c);
    sets = await rsOf(c, "prop");
    assert.deepEqual(sizes(), [15, 10], "25 allowed (20 + 5 surge) shared 8:5");
    for (const r of sets) {
      assert.equal(r.metadata.annotations!["deployment.kubernetes.io/desired-replicas"], "20");
      assert.equal(r.metadata.annotations!["deployment.kubernetes.io/max-replicas"], "25");
    }
  });

  test("adopts an orphaned ReplicaSet matching its selector", async () => {
    await c.client.create(R.deployments, NS, deploymentObject("orph", { replicas: 1 }));
    await quiesce(c);
    const [owned] = await rsOf(c, "orph");
    // orphan it (as kubectl delete --cascade=orphan would), then let the deployment find it again
    await c.client.patch(R.replicasets, NS, owned!.metadata.name!, "json", [{ op: "remove", path: "/metadata/ownerReferences" }]);
    await quiesce(c);
    const back = await rsOf(c, "orph");
    assert.deepEqual(
      back.map((r) => r.metadata.uid),
      [owned!.metadata.uid],
      "adopted again, no second ReplicaSet",
    );
    assert.equal(back[0]!.metadata.ownerReferences![0]!.controller, true);
  });

  test("a name taken by someone else's ReplicaSet is a hash collision: collisionCount goes up", async () => {
    await c.client.create(R.deployments, NS, deploymentObject("coll", { replicas: 1, paused: true }));
    await quiesce(c);
    const d0 = await get(c, "coll");
    assert.equal((await rsOf(c, "coll")).length, 0, "a paused deployment creates no ReplicaSet");
    const taken = `coll-${computeHash(d0.spec.template)}`;
    // same name, labels the deployment does not select: not adoptable
    await c.client.create(R.replicasets, NS, {
      apiVersion: "apps/v1",
      kind: "ReplicaSet",
      metadata: { name: taken },
      spec: { replicas: 0, selector: { matchLabels: { other: "x" } }, template: { metadata: { labels: { other: "x" } }, spec: { containers: [{ name: "app", image: "busybox" }] } } },
    } as KubeObject);
    await quiesce(c);
    await c.client.patch(R.deployments, NS, "coll", "merge", { spec: { paused: false } });
    await quiesce(c);
    const d = await get(c, "coll");
    assert.equal(d.status.collisionCount, 1);
    const [rs] = await rsOf(c, "coll");
    assert.equal(rs!.metadata.name, `coll-${computeHash(d0.spec.template, 1)}`);
    assert.notEqual(rs!.metadata.name, taken);
  });
});
