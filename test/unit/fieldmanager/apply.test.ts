// FieldManager.apply (SMD Updater.Apply + the apiserver's managers around it): the applier owns
// exactly its configuration; agreeing values are co-owned; changing another manager's field is a
// 409 with FieldManagerConflict causes unless forced, which moves ownership; fields the applier
// stopped applying are removed unless someone else still owns them; associative, set and atomic
// lists; creating from a configuration; re-applying unchanged is a no-op.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { KubeObject } from "../../../src/apimachinery/types.js";
import {
  CONFIGMAP,
  DEPLOYMENT,
  type Json,
  apply,
  assertConflict,
  at,
  clone,
  configMap,
  deployment,
  entry,
  fieldsOf,
  managers,
  pathsOf,
  persisted,
  scope,
  stamp,
  update,
} from "./helpers.js";

const D = (s = 0) => scope(DEPLOYMENT, { now: at(s) });
const CM = (s = 0) => scope(CONFIGMAP, { now: at(s) });
const C = (name: string) => `f:spec/f:template/f:spec/f:containers/k:{"name":"${name}"}`;
const withContainers = (...containers: Json[]) => deployment("web", { template: { metadata: { labels: { app: "web" } }, spec: { containers } } });

describe("apply creating an object", () => {
  it("the object is the configuration; the applier owns exactly its fields", () => {
    const cfg = configMap("cm", { a: "1" }, { labels: { app: "x" } });
    const out = apply(undefined, cfg, "kubectl", CM());
    assert.deepEqual(out.data, { a: "1" });
    assert.deepEqual(out.metadata.labels, { app: "x" });
    assert.deepEqual(out.metadata.managedFields, [
      {
        manager: "kubectl",
        operation: "Apply",
        apiVersion: "v1",
        time: stamp(0),
        fieldsType: "FieldsV1",
        fieldsV1: { "f:data": { "f:a": {} }, "f:metadata": { "f:labels": { "f:app": {} } } },
      },
    ]);
  });

  it("a Deployment configuration: containers by name, the atomic selector as one leaf, no structs as members", () => {
    const out = apply(undefined, deployment("web", { replicas: 2 }), "kubectl", D());
    assert.deepEqual(pathsOf(fieldsOf(out, "kubectl")), [
      "f:spec/f:replicas",
      "f:spec/f:selector",
      "f:spec/f:template/f:metadata/f:labels/f:app",
      C("web"),
      `${C("web")}/f:image`,
      `${C("web")}/f:name`,
    ]);
  });

  it("identity and system metadata in the configuration are never owned", () => {
    const cfg = configMap("cm", { a: "1" }, { uid: "u", resourceVersion: "7", generation: 2, creationTimestamp: stamp(0), labels: { l: "1" } });
    const out = apply(undefined, cfg, "kubectl", CM());
    assert.deepEqual(pathsOf(fieldsOf(out, "kubectl")), ["f:data/f:a", "f:metadata/f:labels/f:l"]);
  });

  it("status in the configuration of the main resource is not owned", () => {
    const cfg = deployment();
    (cfg as Json).status = { replicas: 9 };
    const out = apply(undefined, cfg, "kubectl", D());
    assert.ok(!pathsOf(fieldsOf(out, "kubectl")).some((p) => p.startsWith("f:status")));
  });
});

describe("re-applying", () => {
  it("an unchanged configuration is a no-op: managedFields (time included) stay", () => {
    const live = persisted(apply(undefined, deployment(), "kubectl", D(0)));
    const out = apply(live, deployment(), "kubectl", D(50));
    assert.deepEqual(out.metadata.managedFields, live.metadata.managedFields);
    assert.equal(out.metadata.resourceVersion, live.metadata.resourceVersion);
    assert.deepEqual(out.spec, live.spec);
  });

  it("a changed value updates the object and the entry's time", () => {
    const live = persisted(apply(undefined, deployment("web", { replicas: 1 }), "kubectl", D(0)));
    const out = apply(live, deployment("web", { replicas: 3 }), "kubectl", D(50));
    assert.equal((out.spec as Json).replicas, 3);
    assert.equal(entry(out, "kubectl")!.time, stamp(50));
  });

  it("system metadata of the live object survives (uid, resourceVersion, creationTimestamp, generation)", () => {
    const live = persisted(apply(undefined, deployment(), "kubectl", D(0)));
    const out = apply(live, deployment("web", { replicas: 7 }), "kubectl", D(5));
    for (const k of ["uid", "resourceVersion", "creationTimestamp", "generation", "name", "namespace"] as const) assert.equal(out.metadata[k], live.metadata[k], k);
  });
});

describe("co-ownership and conflicts", () => {
  it("a second applier setting the same value co-owns it, no conflict", () => {
    const live = persisted(apply(undefined, deployment("web", { replicas: 2 }), "a", D(0)));
    const out = apply(live, deployment("web", { replicas: 2 }), "b", D(5));
    assert.ok(pathsOf(fieldsOf(out, "a")).includes("f:spec/f:replicas"));
    assert.ok(pathsOf(fieldsOf(out, "b")).includes("f:spec/f:replicas"));
  });

  it("a second applier agreeing on every value: the entry is added but carries no time (nothing changed)", () => {
    const live = persisted(apply(undefined, deployment("web", { replicas: 2 }), "a", D(0)));
    const out = apply(live, deployment("web", { replicas: 2 }), "b", D(5));
    assert.equal(entry(out, "b")!.time, undefined);
  });

  it("an applier agreeing with an Update owner co-owns the field", () => {
    const live = persisted(update(undefined, deployment("web", { replicas: 2 }), "kubectl-client-side-apply", D(0)));
    const out = apply(live, deployment("web", { replicas: 2 }), "kubectl", D(5));
    assert.ok(pathsOf(fieldsOf(out, "kubectl-client-side-apply")).includes("f:spec/f:replicas"));
    assert.ok(pathsOf(fieldsOf(out, "kubectl")).includes("f:spec/f:replicas"));
  });

  const conflictCases: { name: string; setup: () => KubeObject; config: KubeObject; manager: string; message: string; causes: { message: string; field: string }[]; todo?: string }[] = [
    {
      name: "with another applier",
      setup: () => persisted(apply(undefined, deployment("web", { replicas: 2 }), "a", D(0))),
      config: deployment("web", { replicas: 5 }),
      manager: "b",
      message: 'Apply failed with 1 conflict: conflict with "a": .spec.replicas',
      causes: [{ message: 'conflict with "a"', field: ".spec.replicas" }],
    },
    {
      name: "with an Update owner (kubectl client-side apply)",
      setup: () => persisted(update(undefined, deployment("web", { replicas: 2 }), "kubectl-client-side-apply", D(0))),
      config: deployment("web", { replicas: 5 }),
      manager: "b",
      message: 'Apply failed with 1 conflict: conflict with "kubectl-client-side-apply" using apps/v1: .spec.replicas',
      causes: [{ message: 'conflict with "kubectl-client-side-apply" using apps/v1', field: ".spec.replicas" }],
    },
    {
      name: "with a scale writer (subresource printed)",
      setup: () => {
        const live = persisted(apply(undefined, deployment("web", { replicas: 2 }), "a", D(0)));
        const next = clone(live);
        (next.spec as Json).replicas = 4;
        return persisted(update(live, next, "kubectl", scope(DEPLOYMENT, { subresource: "scale", now: at(1) })), "11");
      },
      config: deployment("web", { replicas: 6 }),
      manager: "a",
      message: 'Apply failed with 1 conflict: conflict with "kubectl" with subresource "scale" using apps/v1: .spec.replicas',
      causes: [{ message: 'conflict with "kubectl" with subresource "scale" using apps/v1', field: ".spec.replicas" }],
    },
    {
      name: "on a list item's field",
      setup: () => persisted(apply(undefined, deployment(), "a", D(0))),
      config: withContainers({ name: "web", image: "nginx:2" }),
      manager: "b",
      message: 'Apply failed with 1 conflict: conflict with "a": .spec.template.spec.containers[name="web"].image',
      causes: [{ message: 'conflict with "a"', field: '.spec.template.spec.containers[name="web"].image' }],
    },
    {
      name: "several fields of one manager: members of a level before its children (SMD Set.Iterate)",
      setup: () =>
        persisted(update(undefined, deployment("web", { replicas: 1, template: { metadata: { labels: { app: "web" } }, spec: { restartPolicy: "Always", containers: [{ name: "web", image: "nginx" }] } } }), "kubectl-client-side-apply", D(0))),
      config: deployment("web", { replicas: 2, template: { metadata: { labels: { app: "web" } }, spec: { restartPolicy: "Never", containers: [{ name: "web", image: "nginx:2" }] } } }),
      manager: "b",
      message:
        'Apply failed with 3 conflicts: conflicts with "kubectl-client-side-apply" using apps/v1:\n- .spec.replicas\n- .spec.template.spec.restartPolicy\n- .spec.template.spec.containers[name="web"].image',
      causes: [
        { message: 'conflict with "kubectl-client-side-apply" using apps/v1', field: ".spec.replicas" },
        { message: 'conflict with "kubectl-client-side-apply" using apps/v1', field: ".spec.template.spec.restartPolicy" },
        { message: 'conflict with "kubectl-client-side-apply" using apps/v1', field: '.spec.template.spec.containers[name="web"].image' },
      ],
    },
    {
      name: "several fields of one manager (members sort by name)",
      setup: () => persisted(apply(undefined, deployment("web", { replicas: 1, paused: false, minReadySeconds: 0 }), "a", D(0))),
      config: deployment("web", { replicas: 2, paused: true, minReadySeconds: 5 }),
      manager: "b",
      message: 'Apply failed with 3 conflicts: conflicts with "a":\n- .spec.minReadySeconds\n- .spec.paused\n- .spec.replicas',
      causes: [
        { message: 'conflict with "a"', field: ".spec.minReadySeconds" },
        { message: 'conflict with "a"', field: ".spec.paused" },
        { message: 'conflict with "a"', field: ".spec.replicas" },
      ],
    },
  ];
  for (const c of conflictCases) {
    it(`conflict ${c.name}: 409, upstream's message and causes`, c.todo ? { todo: c.todo } : {}, () => {
      const live = c.setup();
      assertConflict(() => apply(live, c.config, c.manager, D(9)), c.message, c.causes);
    });
  }

  it("conflicts with several managers: grouped per manager, managers in identifier order", () => {
    let live = persisted(apply(undefined, deployment("web", { replicas: 1 }), "a", D(0)));
    const next = clone(live);
    (next.spec as Json).paused = true;
    live = persisted(update(live, next, "b-editor", D(1)), "11");
    const err = assertConflict(
      () => apply(live, deployment("web", { replicas: 3, paused: false }), "c", D(9)),
      'Apply failed with 2 conflicts: conflicts with "a":\n- .spec.replicas\nconflicts with "b-editor" using apps/v1:\n- .spec.paused',
    );
    const causes = (err.details?.causes ?? []).map((x) => `${x.message} ${x.field}`).sort();
    assert.deepEqual(causes, ['conflict with "a" .spec.replicas', 'conflict with "b-editor" using apps/v1 .spec.paused']);
  });

  it("conflicts with one manager's main and scale entries: the scale entry's identifier sorts first", () => {
    let live = persisted(update(undefined, deployment("web", { replicas: 1 }), "m", D(0)));
    const next = clone(live);
    (next.spec as Json).replicas = 2;
    live = persisted(update(live, next, "m", scope(DEPLOYMENT, { subresource: "scale", now: at(1) })), "11");
    assertConflict(
      () => apply(live, deployment("web", { replicas: 3, paused: true, selector: { matchLabels: { app: "other" } } }), "c", D(9)),
      'Apply failed with 2 conflicts: conflicts with "m" with subresource "scale" using apps/v1:\n- .spec.replicas\nconflicts with "m" using apps/v1:\n- .spec.selector',
    );
  });

  it("a conflict leaves nothing changed (the live object is not modified)", () => {
    const live = persisted(apply(undefined, deployment("web", { replicas: 2 }), "a", D(0)));
    const before = JSON.stringify(live);
    assert.throws(() => apply(live, deployment("web", { replicas: 5 }), "b", D(1)));
    assert.equal(JSON.stringify(live), before);
  });
});

describe("force", () => {
  it("takes ownership of the conflicting fields and changes the values", () => {
    const live = persisted(apply(undefined, deployment("web", { replicas: 2 }), "a", D(0)));
    const out = apply(live, deployment("web", { replicas: 5 }), "b", D(5), true);
    assert.equal((out.spec as Json).replicas, 5);
    assert.ok(!pathsOf(fieldsOf(out, "a")).includes("f:spec/f:replicas"));
    assert.ok(pathsOf(fieldsOf(out, "b")).includes("f:spec/f:replicas"));
  });

  it("from an Update owner: the Update entry keeps its other fields", () => {
    const live = persisted(update(undefined, deployment("web", { replicas: 2 }), "kubectl-client-side-apply", D(0)));
    const out = apply(live, deployment("web", { replicas: 5 }), "b", D(5), true);
    const csa = pathsOf(fieldsOf(out, "kubectl-client-side-apply"));
    assert.ok(!csa.includes("f:spec/f:replicas"));
    assert.ok(csa.includes(`${C("web")}/f:image`));
  });

  it("a forced apply that takes a manager's only field removes that manager's entry", () => {
    let live = persisted(apply(undefined, deployment("web", { replicas: 2 }), "a", D(0)));
    const next = clone(live);
    (next.spec as Json).paused = true;
    live = persisted(update(live, next, "pauser", D(1)), "11");
    const out = apply(live, deployment("web", { replicas: 2, paused: false }), "a", D(5), true);
    assert.deepEqual(managers(out), ["a/Apply"]);
  });
});

describe("fields dropped from the configuration", () => {
  it("are removed when the applier was their only owner", () => {
    const live = persisted(apply(undefined, configMap("cm", { a: "1", b: "2" }, { labels: { x: "1", y: "2" } }), "a", CM(0)));
    const out = apply(live, configMap("cm", { a: "1" }, { labels: { x: "1" } }), "a", CM(5));
    assert.deepEqual(out.data, { a: "1" });
    assert.deepEqual(out.metadata.labels, { x: "1" });
    assert.deepEqual(pathsOf(fieldsOf(out, "a")), ["f:data/f:a", "f:metadata/f:labels/f:x"]);
  });

  it("stay when another applier also applies them", () => {
    let live = persisted(apply(undefined, configMap("cm", { a: "1", b: "2" }), "a", CM(0)));
    live = persisted(apply(live, configMap("cm", { b: "2" }), "b", CM(1)), "11");
    const out = apply(live, configMap("cm", { a: "1" }), "a", CM(5));
    assert.deepEqual(out.data, { a: "1", b: "2" });
    assert.deepEqual(pathsOf(fieldsOf(out, "b")), ["f:data/f:b"]);
  });

  it("stay when an Update manager changed them since (it owns them now)", () => {
    let live = persisted(apply(undefined, configMap("cm", { a: "1", b: "2" }), "a", CM(0)));
    const next = clone(live);
    (next.data as Json).b = "edited";
    live = persisted(update(live, next, "kubectl-edit", CM(1)), "11");
    const out = apply(live, configMap("cm", { a: "1" }), "a", CM(5));
    assert.deepEqual(out.data, { a: "1", b: "edited" });
  });

  it("stay when another manager added them (only what this applier applied is ever pruned)", () => {
    let live = persisted(apply(undefined, configMap("cm", { a: "1" }), "a", CM(0)));
    const next = clone(live);
    (next.data as Json).z = "by-hand";
    live = persisted(update(live, next, "kubectl-edit", CM(1)), "11");
    const out = apply(live, configMap("cm", { a: "2" }), "a", CM(5));
    assert.deepEqual(out.data, { a: "2", z: "by-hand" });
  });

  it("a dropped struct field goes, a co-owned sibling under the same struct stays", () => {
    let live = persisted(apply(undefined, withContainers({ name: "web", image: "nginx", securityContext: { runAsUser: 1, privileged: false } }), "a", D(0)));
    live = persisted(apply(live, withContainers({ name: "web", securityContext: { privileged: false } }), "b", D(1)), "11");
    const out = apply(live, withContainers({ name: "web", image: "nginx" }), "a", D(5));
    assert.deepEqual((out.spec as Json).template.spec.containers[0].securityContext, { privileged: false });
  });

  it("a dropped list item goes with all its fields", () => {
    const live = persisted(apply(undefined, withContainers({ name: "web", image: "nginx" }, { name: "side", image: "busybox" }), "a", D(0)));
    const out = apply(live, withContainers({ name: "web", image: "nginx" }), "a", D(5));
    assert.deepEqual((out.spec as Json).template.spec.containers, [{ name: "web", image: "nginx" }]);
  });

  it("a dropped list item co-owned by another applier stays; the applier's own fields of it go", () => {
    let live = persisted(apply(undefined, withContainers({ name: "web", image: "nginx" }, { name: "side", image: "busybox", args: ["x"] }), "a", D(0)));
    live = persisted(apply(live, withContainers({ name: "side", image: "busybox" }), "b", D(1)), "11");
    const out = apply(live, withContainers({ name: "web", image: "nginx" }), "a", D(5));
    assert.deepEqual((out.spec as Json).template.spec.containers, [{ name: "web", image: "nginx" }, { name: "side", image: "busybox" }]);
  });

  it(
    "a dropped list item goes entirely even when an Update manager owns a field inside it (SMD remove_one_with_managed_subitem_keep_one)",
    () => {
      let live = persisted(apply(undefined, withContainers({ name: "web", image: "nginx" }, { name: "side", image: "busybox" }), "a", D(0)));
      const next = clone(live);
      (next.spec as Json).template.spec.containers[1].image = "busybox:2";
      live = persisted(update(live, next, "kubectl-set", D(1)), "11");
      const out = apply(live, withContainers({ name: "web", image: "nginx" }), "a", D(5));
      assert.deepEqual((out.spec as Json).template.spec.containers, [{ name: "web", image: "nginx" }]);
      assert.deepEqual(managers(out), ["a/Apply"], "kubectl-set lost its only field with the item");
    },
  );

  it("a dropped label removes the label key (the map stays for the other keys)", () => {
    const live = persisted(apply(undefined, deployment("web", {}, { labels: { a: "1", b: "2" } }), "a", D(0)));
    const out = apply(live, deployment("web", {}, { labels: { a: "1" } }), "a", D(5));
    assert.deepEqual(out.metadata.labels, { a: "1" });
  });

  it("dropping the last key of a map leaves no empty map behind", () => {
    const live = persisted(apply(undefined, deployment("web", {}, { labels: { a: "1" } }), "a", D(0)));
    const out = apply(live, deployment("web"), "a", D(5));
    assert.equal(out.metadata.labels, undefined);
  });
});

describe("list semantics", () => {
  it("associative: two appliers each own their own container", () => {
    let live = persisted(apply(undefined, withContainers({ name: "web", image: "nginx" }), "a", D(0)));
    live = persisted(apply(live, withContainers({ name: "side", image: "busybox" }), "b", D(1)), "11");
    assert.deepEqual((live.spec as Json).template.spec.containers.map((c: Json) => c.name), ["web", "side"]);
    assert.deepEqual(pathsOf(fieldsOf(live, "b")).filter((p) => p.includes("containers")), [C("side"), `${C("side")}/f:image`, `${C("side")}/f:name`]);
  });

  it("associative with two keys: 53/TCP and 53/UDP are different ports of different appliers", () => {
    let live = persisted(apply(undefined, withContainers({ name: "web", ports: [{ containerPort: 53, protocol: "TCP" }] }), "a", D(0)));
    live = persisted(apply(live, withContainers({ name: "web", ports: [{ containerPort: 53, protocol: "UDP" }] }), "b", D(1)), "11");
    assert.deepEqual((live.spec as Json).template.spec.containers[0].ports, [
      { containerPort: 53, protocol: "TCP" },
      { containerPort: 53, protocol: "UDP" },
    ]);
    assert.ok(pathsOf(fieldsOf(live, "b")).includes(`${C("web")}/f:ports/k:{"containerPort":53,"protocol":"UDP"}`));
  });

  it("set (finalizers): each applier owns its values; dropping one removes only it", () => {
    let live = persisted(apply(undefined, configMap("cm", {}, { finalizers: ["a.io/x"] }), "a", CM(0)));
    live = persisted(apply(live, configMap("cm", {}, { finalizers: ["b.io/y"] }), "b", CM(1)), "11");
    assert.deepEqual(live.metadata.finalizers, ["a.io/x", "b.io/y"]);
    assert.ok(pathsOf(fieldsOf(live, "b")).includes('f:metadata/f:finalizers/v:"b.io/y"'));
    const out = apply(live, configMap("cm", {}, { finalizers: [] }), "a", CM(2));
    assert.deepEqual(out.metadata.finalizers, ["b.io/y"]);
  });

  it("atomic (selector): a different selector conflicts on the whole field", () => {
    const live = persisted(apply(undefined, deployment(), "a", D(0)));
    assertConflict(() => apply(live, deployment("web", { selector: { matchLabels: { app: "web", extra: "1" } } }), "b", D(1)), 'Apply failed with 1 conflict: conflict with "a": .spec.selector');
  });

  it("atomic (tolerations): forced, the whole list is replaced and owned by the new applier only", () => {
    const tol = (...keys: string[]) => deployment("web", { template: { metadata: { labels: { app: "web" } }, spec: { containers: [{ name: "web", image: "nginx:1.25" }], tolerations: keys.map((key) => ({ key, operator: "Exists" })) } } });
    const live = persisted(apply(undefined, tol("a", "b"), "a", D(0)));
    const out = apply(live, tol("c"), "b", D(1), true);
    assert.deepEqual((out.spec as Json).template.spec.tolerations, [{ key: "c", operator: "Exists" }]);
    assert.ok(!pathsOf(fieldsOf(out, "a")).includes("f:spec/f:template/f:spec/f:tolerations"));
    assert.ok(pathsOf(fieldsOf(out, "b")).includes("f:spec/f:template/f:spec/f:tolerations"));
  });

  it("atomic (tolerations): the same list is co-owned", () => {
    const live = persisted(apply(undefined, deployment("web", { template: { metadata: { labels: { app: "web" } }, spec: { containers: [{ name: "web", image: "nginx:1.25" }], tolerations: [{ key: "a", operator: "Exists" }] } } }), "a", D(0)));
    const out = apply(live, deployment("web", { template: { metadata: { labels: { app: "web" } }, spec: { containers: [{ name: "web", image: "nginx:1.25" }], tolerations: [{ key: "a", operator: "Exists" }] } } }), "b", D(1));
    assert.ok(pathsOf(fieldsOf(out, "a")).includes("f:spec/f:template/f:spec/f:tolerations"));
    assert.ok(pathsOf(fieldsOf(out, "b")).includes("f:spec/f:template/f:spec/f:tolerations"));
  });

  it(
    "re-applying a port without protocol keeps one port (its key is containerPort=80,protocol=TCP)",
    () => {
      const cfg = withContainers({ name: "web", image: "nginx", ports: [{ containerPort: 80 }] });
      const created = persisted(apply(undefined, cfg, "a", D(0)));
      (created.spec as Json).template.spec.containers[0].ports[0].protocol = "TCP"; // defaulting after the apply
      const out = apply(created, cfg, "a", D(5));
      assert.deepEqual((out.spec as Json).template.spec.containers[0].ports, [{ containerPort: 80, protocol: "TCP" }]);
      assert.ok(pathsOf(fieldsOf(out, "a")).includes(`${C("web")}/f:ports/k:{"containerPort":80,"protocol":"TCP"}`));
    },
  );
});

describe("an apply next to Update managers", () => {
  it("leaves fields it does not mention to their Update owners", () => {
    let live = persisted(update(undefined, deployment("web", { replicas: 1, paused: false }), "kubectl-create", D(0)));
    live = persisted(apply(live, deployment("web", { replicas: 1 }), "kubectl", D(1)), "11");
    assert.equal((live.spec as Json).paused, false);
    assert.ok(pathsOf(fieldsOf(live, "kubectl-create")).includes("f:spec/f:paused"));
  });

  it("an Update after an Apply takes the fields it changes from the applier", () => {
    let live = persisted(apply(undefined, deployment("web", { replicas: 1 }), "kubectl", D(0)));
    const next = clone(live);
    (next.spec as Json).replicas = 5;
    live = persisted(update(live, next, "hpa", D(1)), "11");
    assert.ok(!pathsOf(fieldsOf(live, "kubectl")).includes("f:spec/f:replicas"));
    assert.deepEqual(pathsOf(fieldsOf(live, "hpa")), ["f:spec/f:replicas"]);
    // and the applier re-applying its old value now conflicts with the updater
    assertConflict(() => apply(live, deployment("web", { replicas: 1 }), "kubectl", D(2)), 'Apply failed with 1 conflict: conflict with "hpa" using apps/v1: .spec.replicas');
  });

  it("Apply and Update entries of one manager name are distinct", () => {
    let live = persisted(update(undefined, configMap("cm", { a: "1" }), "m", CM(0)));
    live = persisted(apply(live, configMap("cm", { b: "2" }), "m", CM(1)), "11");
    assert.deepEqual(managers(live), ["m/Apply", "m/Update"]);
  });
});

describe("apply to /status", () => {
  it("owns only status, recorded with subresource status", () => {
    const live = persisted(apply(undefined, deployment(), "kubectl", D(0)));
    const cfg = deployment();
    (cfg as Json).status = { replicas: 1, readyReplicas: 1 };
    const out = apply(live, cfg, "status-applier", scope(DEPLOYMENT, { subresource: "status", now: at(5) }));
    const e = entry(out, "status-applier", "Apply")!;
    assert.equal(e.subresource, "status");
    assert.deepEqual(pathsOf(e.fieldsV1), ["f:status/f:readyReplicas", "f:status/f:replicas"]);
  });
});
