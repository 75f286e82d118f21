// Namespace strategy: Active + kubernetes finalizer on create, spec.finalizers only through finalize,
// the name label, and the delete flow (Terminating while finalizers remain).
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { KubeObject } from "../../../src/apimachinery/types.js";
import { namespaces } from "../../../src/registry/builtin/core/namespaces.js";
import { testContext } from "./context.js";

const s = namespaces.strategy!;
const ns = (extra: Partial<KubeObject> = {}): KubeObject => ({ apiVersion: "v1", kind: "Namespace", metadata: { name: "team-a" }, ...extra });

describe("namespace strategy", () => {
  it("create: phase Active and the kubernetes finalizer, whatever the client sent", () => {
    const n = ns({ status: { phase: "Terminating" } });
    s.prepareForCreate!(testContext(), n);
    assert.deepEqual(n.status, { phase: "Active" });
    assert.deepEqual(n.spec, { finalizers: ["kubernetes"] });
  });

  it("create: keeps client finalizers and appends kubernetes once", () => {
    const a = ns({ spec: { finalizers: ["example.com/x"] } });
    s.prepareForCreate!(testContext(), a);
    assert.deepEqual(a.spec, { finalizers: ["example.com/x", "kubernetes"] });
    const b = ns({ spec: { finalizers: ["kubernetes"] } });
    s.prepareForCreate!(testContext(), b);
    assert.deepEqual(b.spec, { finalizers: ["kubernetes"] });
  });

  it("update: spec.finalizers is kept from the stored object", () => {
    const old = ns({ spec: { finalizers: ["kubernetes"] } });
    const cleared = ns({ spec: {} });
    s.prepareForUpdate!(testContext(), cleared, old);
    assert.deepEqual(cleared.spec, { finalizers: ["kubernetes"] });
    const added = ns({ spec: { finalizers: ["kubernetes", "x"] } });
    s.prepareForUpdate!(testContext(), added, ns());
    assert.deepEqual(added.spec, {});
  });

  it("canonicalize: the kubernetes.io/metadata.name label matches the name", () => {
    const n = ns();
    n.metadata.labels = { team: "a", "kubernetes.io/metadata.name": "spoofed" };
    s.canonicalize!(n);
    assert.deepEqual(n.metadata.labels, { team: "a", "kubernetes.io/metadata.name": "team-a" });
  });

  it("selects on status.phase", () => {
    assert.equal(namespaces.fieldSelectors!["status.phase"]!(ns({ status: { phase: "Active" } })), "Active");
  });

  describe("delete flow", () => {
    it("first delete: Terminating, kept while spec.finalizers remain", () => {
      const n = ns({ spec: { finalizers: ["kubernetes"] }, status: { phase: "Active" } });
      assert.equal(s.beginDelete!(testContext(), n), true);
      assert.deepEqual(n.status, { phase: "Terminating" });
      assert.equal(s.readyToDelete!(n), false);
    });

    it("without spec finalizers the delete may complete", () => {
      const n = ns({ spec: {}, status: { phase: "Active" } });
      assert.equal(s.beginDelete!(testContext(), n), false);
      assert.deepEqual(n.status, { phase: "Terminating" });
    });

    it("ready once both metadata and spec finalizers are gone", () => {
      const cases: [string[] | undefined, string[] | undefined, boolean][] = [
        [undefined, undefined, true],
        [[], [], true],
        [["orphan"], [], false],
        [[], ["kubernetes"], false],
        [["orphan"], ["kubernetes"], false],
      ];
      for (const [meta, spec, want] of cases) {
        const n = ns({ spec: spec ? { finalizers: spec } : {}, status: { phase: "Terminating" } });
        if (meta) n.metadata.finalizers = meta;
        assert.equal(s.readyToDelete!(n), want, JSON.stringify({ meta, spec }));
      }
    });
  });
});
