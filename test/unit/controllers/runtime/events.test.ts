// The event recorder's correlation, as client-go's EventCorrelator: repeats patch count and
// lastTimestamp, more than 10 messages of one reason within 10 minutes combine, and a source may
// write 25 events about one object before one token per 5 minutes limits it. Names are unique.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { KubeObject } from "../../../../src/apimachinery/types.js";
import type { Client } from "../../../../src/client/interface.js";
import { EventRecorder } from "../../../../src/controllers/runtime/events.js";
import { FakeClock } from "../../../../src/util/clock.js";

type Call = { verb: "create" | "patch"; name: string; body: Record<string, any> };

function fakeClient(calls: Call[], failPatch = false): Client {
  return {
    create: async (_gvr: unknown, _ns: string, obj: KubeObject) => {
      calls.push({ verb: "create", name: obj.metadata.name!, body: obj as Record<string, any> });
      return obj;
    },
    patch: async (_gvr: unknown, _ns: string, name: string, _type: string, body: unknown) => {
      if (failPatch) throw new Error("not found");
      calls.push({ verb: "patch", name, body: body as Record<string, any> });
      return {} as KubeObject;
    },
  } as unknown as Client;
}

const rs: KubeObject = { apiVersion: "apps/v1", kind: "ReplicaSet", metadata: { name: "web-abc", namespace: "default", uid: "u1", resourceVersion: "7" } };

describe("EventRecorder", () => {
  it("writes an event as upstream's recorder does", async () => {
    const calls: Call[] = [];
    const clock = new FakeClock();
    const r = new EventRecorder(fakeClient(calls), { component: "replicaset-controller" }, clock);
    r.event(rs, "Normal", "SuccessfulCreate", "Created pod: web-abc-1");
    await r.flush();
    assert.equal(calls.length, 1);
    const e = calls[0]!.body;
    assert.match(e.metadata.name, /^web-abc\.[0-9a-f]{16}$/);
    assert.deepEqual(e.involvedObject, { kind: "ReplicaSet", namespace: "default", name: "web-abc", uid: "u1", apiVersion: "apps/v1", resourceVersion: "7" });
    assert.deepEqual(e.source, { component: "replicaset-controller" });
    assert.equal(e.count, 1);
    assert.equal(e.firstTimestamp, e.lastTimestamp);
    assert.equal(e.reportingComponent, "replicaset-controller");
    assert.equal(e.reportingInstance, "");
  });

  it("a repeat is a patch of count, lastTimestamp and message", async () => {
    const calls: Call[] = [];
    const clock = new FakeClock();
    const r = new EventRecorder(fakeClient(calls), { component: "kubelet", host: "node-1" }, clock);
    r.event(rs, "Warning", "BackOff", "Back-off restarting failed container");
    clock.advance(10_000);
    r.event(rs, "Warning", "BackOff", "Back-off restarting failed container");
    await r.flush();
    assert.deepEqual(
      calls.map((c) => c.verb),
      ["create", "patch"],
    );
    assert.equal(calls[1]!.name, calls[0]!.name);
    assert.deepEqual(calls[1]!.body, { count: 2, lastTimestamp: "2026-01-01T00:00:10Z", message: "Back-off restarting failed container" });
  });

  it("names stay unique within one millisecond", async () => {
    const calls: Call[] = [];
    const r = new EventRecorder(fakeClient(calls), { component: "replicaset-controller" }, new FakeClock());
    for (let i = 0; i < 5; i++) r.event({ ...rs, metadata: { ...rs.metadata, name: "same", uid: `u${i}` } }, "Normal", "X", "m");
    await r.flush();
    assert.equal(new Set(calls.map((c) => c.name)).size, 5);
  });

  it("the 10th different message of one reason combines; later ones patch the combined event", async () => {
    const calls: Call[] = [];
    const r = new EventRecorder(fakeClient(calls), { component: "replicaset-controller" }, new FakeClock());
    for (let i = 1; i <= 12; i++) r.event(rs, "Normal", "SuccessfulCreate", `Created pod: web-abc-${i}`);
    await r.flush();
    assert.equal(calls.filter((c) => c.verb === "create").length, 10);
    const combined = calls[9]!;
    assert.equal(combined.body.message, "(combined from similar events): Created pod: web-abc-10");
    assert.deepEqual(
      calls.slice(10).map((c) => [c.verb, c.name, c.body.count, c.body.message]),
      [
        ["patch", combined.name, 2, "(combined from similar events): Created pod: web-abc-11"],
        ["patch", combined.name, 3, "(combined from similar events): Created pod: web-abc-12"],
      ],
    );
  });

  it("25 events per source and object, then one per 5 minutes", async () => {
    const calls: Call[] = [];
    const clock = new FakeClock();
    const r = new EventRecorder(fakeClient(calls), { component: "replicaset-controller" }, clock);
    for (let i = 0; i < 100; i++) r.event(rs, "Normal", `Reason${i}`, "m");
    await r.flush();
    assert.equal(calls.length, 25);
    clock.advance(299_000);
    r.event(rs, "Normal", "Late", "m");
    await r.flush();
    assert.equal(calls.length, 25, "not yet a whole token");
    clock.advance(1_000);
    r.event(rs, "Normal", "Later", "m");
    await r.flush();
    assert.equal(calls.length, 26);
    const other = { ...rs, metadata: { ...rs.metadata, name: "other", uid: "u2" } };
    r.event(other, "Normal", "Fresh", "m");
    await r.flush();
    assert.equal(calls.length, 27, "another object has its own bucket");
  });

  it("a failed patch (the event expired) writes the event again", async () => {
    const calls: Call[] = [];
    const clock = new FakeClock();
    const r = new EventRecorder(fakeClient(calls, true), { component: "kubelet", host: "n" }, clock);
    r.event(rs, "Normal", "Pulled", "done");
    r.event(rs, "Normal", "Pulled", "done");
    await r.flush();
    assert.deepEqual(
      calls.map((c) => [c.verb, c.body.count]),
      [
        ["create", 1],
        ["create", 2],
      ],
    );
  });
});
