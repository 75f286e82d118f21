// The scheduling queue on a fake clock: the order pending pods are tried in, backoff after failed
// attempts, unschedulable pods parked until a cluster event that may help them (by the plugins
// that rejected them) or five minutes, scheduling gates, and the nominator.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { ClusterEvent } from "../../../src/scheduler/framework.js";
import { SchedulingQueue, type QueuedPodInfo } from "../../../src/scheduler/queue.js";
import { PodInfo } from "../../../src/scheduler/types.js";
import { FakeClock } from "../../../src/util/clock.js";
import { pod, type PodOpts } from "./fixtures.js";

/** The events the default plugins register (as the scheduler wires them). */
const pluginEvents = new Map<string, Set<ClusterEvent>>([
  ["NodeUnschedulable", new Set<ClusterEvent>(["NodeAdd", "NodeTaint"])],
  ["TaintToleration", new Set<ClusterEvent>(["NodeAdd", "NodeTaint"])],
  ["NodeAffinity", new Set<ClusterEvent>(["NodeAdd", "NodeLabel"])],
  ["NodeResourcesFit", new Set<ClusterEvent>(["NodeAdd", "NodeAllocatable", "AssignedPodDelete", "AssignedPodUpdate"])],
]);

function setup() {
  const clock = new FakeClock();
  const q = new SchedulingQueue(clock, { pluginEvents });
  q.run();
  return { clock, q };
}

const info = (name: string, o: PodOpts = {}) => new PodInfo(pod(name, { uid: `uid-${name}`, ...o }));
const names = (list: (QueuedPodInfo | undefined)[]) => list.map((x) => x?.podInfo.name);

function drain(q: SchedulingQueue): string[] {
  const out: string[] = [];
  for (let x = q.popNow(); x; x = q.popNow()) out.push(x.podInfo.name);
  return out;
}

/** Pops the pod and fails its attempt, rejected by `plugins`. */
function fail(q: SchedulingQueue, name: string, plugins: string[], rejected = true): QueuedPodInfo {
  const x = q.popNow();
  assert.equal(x?.podInfo.name, name);
  x!.unschedulablePlugins = new Set(plugins);
  q.addUnschedulable(x!, rejected);
  return x!;
}

describe("SchedulingQueue", () => {
  it("pops by priority, then first come first served", () => {
    const { clock, q } = setup();
    q.add(info("low-1", { priority: 10 }));
    clock.advance(1);
    q.add(info("high", { priority: 1000 }));
    clock.advance(1);
    q.add(info("low-2", { priority: 10 }));
    q.add(info("mid", { priority: 100 }));
    assert.deepEqual(drain(q), ["high", "mid", "low-1", "low-2"]);
  });

  it("pop waits for the next pod", async () => {
    const { q } = setup();
    const next = q.pop();
    q.add(info("p"));
    assert.deepEqual(names([await next]), ["p"]);
    q.close();
    assert.equal(await q.pop(), undefined, "a closed queue ends the loop");
  });

  it("backoff doubles per attempt from 1 s up to 10 s", () => {
    const { q } = setup();
    assert.deepEqual(
      [1, 2, 3, 4, 5, 6].map((n) => q.backoffDuration(n)),
      [1000, 2000, 4000, 8000, 10000, 10000],
    );
  });

  it("an unschedulable pod waits for an event its plugins registered, then its backoff", () => {
    const { clock, q } = setup();
    q.add(info("p"));
    fail(q, "p", ["TaintToleration"]);
    assert.equal(q.whereIs("uid-p"), "unschedulable");
    q.moveAll("AssignedPodDelete");
    q.moveAll("NodeLabel");
    assert.equal(q.whereIs("uid-p"), "unschedulable", "events TaintToleration does not care about leave it");
    clock.advance(60_000);
    q.moveAll("NodeTaint");
    assert.equal(q.whereIs("uid-p"), "active", "its 1 s backoff is long over");
    assert.deepEqual(drain(q), ["p"]);
  });

  it("a pod moved while backing off waits out its backoff", () => {
    const { clock, q } = setup();
    q.add(info("p"));
    fail(q, "p", ["NodeResourcesFit"]);
    clock.advance(300);
    q.moveAll("AssignedPodDelete");
    assert.equal(q.whereIs("uid-p"), "backoff");
    assert.deepEqual(drain(q), []);
    clock.advance(700);
    assert.deepEqual(drain(q), ["p"], "the periodic flush moves it once the second is up");
  });

  it("the second failure backs off for 2 s", () => {
    const { clock, q } = setup();
    q.add(info("p"));
    fail(q, "p", ["NodeResourcesFit"]);
    q.moveAll("NodeAdd");
    clock.advance(1000);
    fail(q, "p", ["NodeResourcesFit"]);
    q.moveAll("NodeAdd");
    clock.advance(1000);
    assert.deepEqual(drain(q), []);
    clock.advance(1000);
    assert.deepEqual(drain(q), ["p"]);
  });

  it("a pod rejected with no plugin recorded is moved by any event", () => {
    const { q, clock } = setup();
    q.add(info("p"));
    fail(q, "p", []);
    clock.advance(5000);
    q.moveAll("PvcChange");
    assert.deepEqual(drain(q), ["p"]);
  });

  it("an event during the attempt sends the failed pod to backoff, not to wait for another", () => {
    const { clock, q } = setup();
    q.add(info("p"));
    const x = q.popNow()!;
    q.moveAll("NodeAdd"); // e.g. a node added while the pod was being scheduled
    x.unschedulablePlugins = new Set(["NodeResourcesFit"]);
    q.addUnschedulable(x, true);
    assert.equal(q.whereIs("uid-p"), "backoff");
    clock.advance(1000);
    assert.deepEqual(drain(q), ["p"]);
  });

  it("errors are retried after backoff without waiting for an event", () => {
    const { clock, q } = setup();
    q.add(info("p"));
    fail(q, "p", [], false);
    assert.equal(q.whereIs("uid-p"), "backoff");
    clock.advance(1000);
    assert.deepEqual(drain(q), ["p"]);
  });

  it("unschedulable pods are retried after 5 minutes without any event", () => {
    const { clock, q } = setup();
    q.add(info("p"));
    fail(q, "p", ["TaintToleration"]);
    clock.advance(5 * 60_000);
    assert.equal(q.whereIs("uid-p"), "unschedulable");
    clock.advance(30_000);
    assert.deepEqual(drain(q), ["p"]);
  });

  it("a changed pod spec retries an unschedulable pod; a status change does not", () => {
    const { clock, q } = setup();
    const p = pod("p", { uid: "uid-p" });
    q.add(new PodInfo(p));
    fail(q, "p", ["TaintToleration"]);
    clock.advance(2000);
    q.update(new PodInfo({ ...p, status: { phase: "Pending", conditions: [{ type: "PodScheduled", status: "False" }] } }));
    assert.equal(q.whereIs("uid-p"), "unschedulable");
    q.update(new PodInfo({ ...p, spec: { ...(p.spec as object), tolerations: [{ operator: "Exists" }] } }));
    assert.deepEqual(drain(q), ["p"]);
  });

  it("gated pods are held until their scheduling gates are removed", () => {
    const { clock, q } = setup();
    const p = pod("p", { uid: "uid-p", schedulingGates: [{ name: "example.com/quota" }] });
    q.add(new PodInfo(p));
    q.add(info("q"));
    assert.deepEqual(q.stats(), { active: 1, backoff: 0, unschedulable: 0, gated: 1, inflight: 0 });
    q.moveAll("NodeAdd");
    clock.advance(10 * 60_000);
    assert.deepEqual(drain(q), ["q"], "neither events nor time release a gated pod");
    q.update(new PodInfo({ ...p, spec: { ...(p.spec as object), schedulingGates: [] } }));
    assert.deepEqual(drain(q), ["p"]);
  });

  it("a deleted pod leaves the queue", () => {
    const { q } = setup();
    q.add(info("p"));
    q.add(info("q"));
    q.delete("uid-p");
    assert.deepEqual(drain(q), ["q"]);
  });

  it("the nominator tracks pods nominated to nodes", () => {
    const { q } = setup();
    const p = new PodInfo({ ...pod("p", { uid: "uid-p" }), status: { phase: "Pending", nominatedNodeName: "n1" } });
    q.add(p);
    assert.deepEqual(q.nominator.podsOn("n1").map((x) => x.name), ["p"]);
    q.nominator.add(p, "n2");
    assert.deepEqual(q.nominator.podsOn("n1"), []);
    assert.deepEqual(q.nominator.podsOn("n2").map((x) => x.name), ["p"]);
    q.delete("uid-p");
    assert.deepEqual(q.nominator.podsOn("n2"), []);
  });
});
