// core/v1 Event <-> events.k8s.io/v1 Event conversion and the field selectors of both groups.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { KubeObject } from "../../../src/apimachinery/types.js";
import { events } from "../../../src/registry/builtin/core/events.js";
import { coreToEventsV1, eventsV1ToCore } from "../../../src/registry/builtin/events/event-conversion.js";
import { eventsV1 } from "../../../src/registry/builtin/events/events.js";

const metadata = () => ({ name: "web-1.17a8c", namespace: "default", uid: "e-1", resourceVersion: "9" });
const podRef = () => ({ kind: "Pod", namespace: "default", name: "web-1", uid: "p-1", apiVersion: "v1", resourceVersion: "7", fieldPath: "spec.containers{app}" });

function fullCore(): KubeObject {
  return {
    kind: "Event",
    apiVersion: "v1",
    metadata: metadata(),
    involvedObject: podRef(),
    reason: "Pulled",
    message: "Successfully pulled image",
    source: { component: "kubelet", host: "node-1" },
    firstTimestamp: "2026-01-01T00:00:00Z",
    lastTimestamp: "2026-01-01T00:05:00Z",
    count: 3,
    type: "Normal",
    eventTime: "2026-01-01T00:00:00.000000Z",
    series: { count: 2, lastObservedTime: "2026-01-01T00:05:00.000000Z" },
    action: "Pulling",
    related: { kind: "Node", name: "node-1", apiVersion: "v1" },
    reportingComponent: "kubelet",
    reportingInstance: "node-1",
  };
}

function fullEventsV1(): KubeObject {
  return {
    kind: "Event",
    apiVersion: "events.k8s.io/v1",
    metadata: metadata(),
    eventTime: "2026-01-01T00:00:00.000000Z",
    series: { count: 2, lastObservedTime: "2026-01-01T00:05:00.000000Z" },
    reportingController: "kubelet",
    reportingInstance: "node-1",
    action: "Pulling",
    reason: "Pulled",
    regarding: podRef(),
    related: { kind: "Node", name: "node-1", apiVersion: "v1" },
    note: "Successfully pulled image",
    type: "Normal",
    deprecatedSource: { component: "kubelet", host: "node-1" },
    deprecatedFirstTimestamp: "2026-01-01T00:00:00Z",
    deprecatedLastTimestamp: "2026-01-01T00:05:00Z",
    deprecatedCount: 3,
  };
}

describe("event conversion", () => {
  it("core/v1 -> events.k8s.io/v1 renames every field", () => {
    assert.deepEqual(coreToEventsV1(fullCore()), fullEventsV1());
  });

  it("events.k8s.io/v1 -> core/v1 renames every field back", () => {
    assert.deepEqual(eventsV1ToCore(fullEventsV1()), fullCore());
  });

  it("round-trips both ways", () => {
    assert.deepEqual(eventsV1ToCore(coreToEventsV1(fullCore())), fullCore());
    assert.deepEqual(coreToEventsV1(eventsV1ToCore(fullEventsV1())), fullEventsV1());
  });

  it("a new-style event seen through core/v1 has the zero values Go writes", () => {
    const ev: KubeObject = {
      kind: "Event",
      apiVersion: "events.k8s.io/v1",
      metadata: metadata(),
      eventTime: "2026-01-01T00:00:00.000000Z",
      reportingController: "example.com/controller",
      reportingInstance: "controller-0",
      action: "Reconcile",
      reason: "Synced",
      regarding: podRef(),
      type: "Normal",
    };
    assert.deepEqual(eventsV1ToCore(ev), {
      kind: "Event",
      apiVersion: "v1",
      metadata: metadata(),
      involvedObject: podRef(),
      reason: "Synced",
      source: {},
      firstTimestamp: null,
      lastTimestamp: null,
      type: "Normal",
      eventTime: "2026-01-01T00:00:00.000000Z",
      action: "Reconcile",
      reportingComponent: "example.com/controller",
      reportingInstance: "controller-0",
    });
  });

  it("an old-style event seen through events.k8s.io/v1 has eventTime null and drops empty strings", () => {
    const core: KubeObject = {
      kind: "Event",
      apiVersion: "v1",
      metadata: metadata(),
      involvedObject: podRef(),
      reason: "Scheduled",
      message: "Successfully assigned default/web-1 to node-1",
      source: { component: "default-scheduler" },
      firstTimestamp: "2026-01-01T00:00:00Z",
      lastTimestamp: "2026-01-01T00:00:00Z",
      count: 1,
      type: "Normal",
      eventTime: null,
      reportingComponent: "",
      reportingInstance: "",
    };
    assert.deepEqual(coreToEventsV1(core), {
      kind: "Event",
      apiVersion: "events.k8s.io/v1",
      metadata: metadata(),
      eventTime: null,
      reason: "Scheduled",
      regarding: podRef(),
      note: "Successfully assigned default/web-1 to node-1",
      type: "Normal",
      deprecatedSource: { component: "default-scheduler" },
      deprecatedFirstTimestamp: "2026-01-01T00:00:00Z",
      deprecatedLastTimestamp: "2026-01-01T00:00:00Z",
      deprecatedCount: 1,
    });
  });

  it("does not share structure with its input", () => {
    const core = fullCore();
    const out = coreToEventsV1(core);
    (out.regarding as Record<string, unknown>).name = "changed";
    out.metadata.name = "changed";
    assert.deepEqual(core, fullCore());
  });
});

describe("event field selectors", () => {
  it("core/v1: involvedObject.*, reason, reportingComponent, source, type", () => {
    const f = events.fieldSelectors!;
    const core = fullCore();
    assert.equal(f["involvedObject.kind"]!(core), "Pod");
    assert.equal(f["involvedObject.name"]!(core), "web-1");
    assert.equal(f["involvedObject.namespace"]!(core), "default");
    assert.equal(f["involvedObject.uid"]!(core), "p-1");
    assert.equal(f["involvedObject.apiVersion"]!(core), "v1");
    assert.equal(f["involvedObject.resourceVersion"]!(core), "7");
    assert.equal(f["involvedObject.fieldPath"]!(core), "spec.containers{app}");
    assert.equal(f.reason!(core), "Pulled");
    assert.equal(f.type!(core), "Normal");
    assert.equal(f.reportingComponent!(core), "kubelet");
    assert.equal(f.source!(core), "kubelet");
  });

  it("core/v1 source falls back to the reporting component", () => {
    assert.equal(events.fieldSelectors!.source!(eventsV1ToCore({ ...fullEventsV1(), deprecatedSource: {} })), "kubelet");
  });

  it("events.k8s.io/v1 selectors read either shape", () => {
    const f = eventsV1.fieldSelectors!;
    for (const obj of [fullEventsV1(), fullCore()]) {
      assert.equal(f["regarding.name"]!(obj), "web-1");
      assert.equal(f["regarding.kind"]!(obj), "Pod");
      assert.equal(f.reportingController!(obj), "kubelet");
      assert.equal(f.reason!(obj), "Pulled");
      assert.equal(f.type!(obj), "Normal");
    }
  });
});
