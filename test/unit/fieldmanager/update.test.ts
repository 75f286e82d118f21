// FieldManager.update: the Update operations (create, PUT, every non-apply patch). A create owns
// everything it sets, '.' markers on new maps and list items included; a later update takes only
// what it changed, from whoever owned it; removed fields leave every manager; a no-op leaves
// managedFields untouched; identity/system metadata is never tracked; status belongs to /status.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { KubeObject, ManagedFieldsEntry } from "../../../src/apimachinery/types.js";
import {
  CONFIGMAP,
  DEPLOYMENT,
  type Json,
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

const cm = scope(CONFIGMAP);

describe("create (Update from nothing)", () => {
  it("owns every field it sets, with '.' on maps it creates; the entry has upstream's shape", () => {
    const created = update(undefined, configMap("cm", { a: "1", b: "2" }, { labels: { app: "x" }, annotations: { note: "n" } }), "kubectl-create", cm);
    assert.deepEqual(created.metadata.managedFields, [
      {
        manager: "kubectl-create",
        operation: "Update",
        apiVersion: "v1",
        time: stamp(0),
        fieldsType: "FieldsV1",
        fieldsV1: {
          "f:data": { ".": {}, "f:a": {}, "f:b": {} },
          "f:metadata": { "f:annotations": { ".": {}, "f:note": {} }, "f:labels": { ".": {}, "f:app": {} } },
        },
      },
    ]);
  });

  it("entry keys are written in upstream's order (manager, operation, apiVersion, time, fieldsType, fieldsV1, subresource)", () => {
    const d = persisted(update(undefined, deployment(), "kubectl-create", scope(DEPLOYMENT)));
    const next = clone(d);
    (next.spec as Json).replicas = 3;
    const scaled = update(d, next, "kubectl", scope(DEPLOYMENT, { subresource: "scale", now: at(1) }));
    assert.deepEqual(Object.keys(entry(scaled, "kubectl", "Update", "scale")!), ["manager", "operation", "apiVersion", "time", "fieldsType", "fieldsV1", "subresource"]);
  });

  it("identity and system metadata are never tracked; generateName is", () => {
    const obj = configMap("cm", { a: "1" }, { generateName: "cm-", uid: "u", resourceVersion: "5", creationTimestamp: stamp(0), generation: 3, selfLink: "/x" });
    const created = update(undefined, obj, "m", cm);
    assert.deepEqual(pathsOf(fieldsOf(created, "m")), ["f:data", "f:data/f:a", "f:metadata/f:generateName"]);
  });

  it("an object setting nothing trackable gets no managedFields", () => {
    const created = update(undefined, { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "x", namespace: "d" } }, "m", cm);
    assert.equal(created.metadata.managedFields, undefined);
  });

  it("kubectl create deployment: the exact managedFields of a 1.33 cluster", () => {
    // the object as the server holds it after defaulting, before the field manager runs
    const obj = deployment("nginx", {
      replicas: 1,
      selector: { matchLabels: { app: "nginx" } },
      strategy: { type: "RollingUpdate", rollingUpdate: { maxUnavailable: "25%", maxSurge: "25%" } },
      revisionHistoryLimit: 10,
      progressDeadlineSeconds: 600,
      template: {
        metadata: { creationTimestamp: null, labels: { app: "nginx" } },
        spec: {
          containers: [
            { name: "nginx", image: "nginx", ports: [{ containerPort: 80, protocol: "TCP" }], resources: {}, terminationMessagePath: "/dev/termination-log", terminationMessagePolicy: "File", imagePullPolicy: "Always" },
          ],
          restartPolicy: "Always",
          terminationGracePeriodSeconds: 30,
          dnsPolicy: "ClusterFirst",
          securityContext: {},
          schedulerName: "default-scheduler",
        },
      },
    }, { labels: { app: "nginx" } });
    const created = update(undefined, obj, "kubectl-create", scope(DEPLOYMENT));
    assert.deepEqual(fieldsOf(created, "kubectl-create"), {
      "f:metadata": { "f:labels": { ".": {}, "f:app": {} } },
      "f:spec": {
        "f:progressDeadlineSeconds": {},
        "f:replicas": {},
        "f:revisionHistoryLimit": {},
        "f:selector": {},
        "f:strategy": { "f:rollingUpdate": { ".": {}, "f:maxSurge": {}, "f:maxUnavailable": {} }, "f:type": {} },
        "f:template": {
          "f:metadata": { "f:labels": { ".": {}, "f:app": {} } },
          "f:spec": {
            "f:containers": {
              'k:{"name":"nginx"}': {
                ".": {},
                "f:image": {},
                "f:imagePullPolicy": {},
                "f:name": {},
                "f:ports": { ".": {}, 'k:{"containerPort":80,"protocol":"TCP"}': { ".": {}, "f:containerPort": {}, "f:protocol": {} } },
                "f:resources": {},
                "f:terminationMessagePath": {},
                "f:terminationMessagePolicy": {},
              },
            },
            "f:dnsPolicy": {},
            "f:restartPolicy": {},
            "f:schedulerName": {},
            "f:securityContext": {},
            "f:terminationGracePeriodSeconds": {},
          },
        },
      },
    });
  });

  it("status in a create body is not owned by the main resource of a kind with a status subresource", () => {
    const obj = deployment();
    (obj as Json).status = { replicas: 3 };
    const created = update(undefined, obj, "m", scope(DEPLOYMENT));
    assert.ok(!pathsOf(fieldsOf(created, "m")).some((p) => p.startsWith("f:status")));
  });
});

describe("later updates", () => {
  const base = () => persisted(update(undefined, configMap("cm", { a: "1", b: "2" }, { labels: { app: "x" } }), "kubectl-create", cm));

  it("take only the fields they change, from whoever owned them", () => {
    const live = base();
    const next = clone(live);
    (next.data as Json).a = "changed";
    (next.data as Json).c = "new";
    const out = update(live, next, "kubectl-edit", scope(CONFIGMAP, { now: at(60) }));
    assert.deepEqual(managers(out), ["kubectl-create/Update", "kubectl-edit/Update"]);
    assert.deepEqual(pathsOf(fieldsOf(out, "kubectl-create")), ["f:data", "f:data/f:b", "f:metadata/f:labels", "f:metadata/f:labels/f:app"]);
    assert.deepEqual(pathsOf(fieldsOf(out, "kubectl-edit")), ["f:data/f:a", "f:data/f:c"]);
    assert.equal(entry(out, "kubectl-create")!.time, stamp(0), "the other manager's time is kept");
    assert.equal(entry(out, "kubectl-edit")!.time, stamp(60));
  });

  it("removed fields leave every manager; a manager left with nothing disappears", () => {
    const live = base();
    const step = clone(live);
    (step.metadata.labels as Json).tier = "fe";
    const labelled = persisted(update(live, step, "kubectl-label", scope(CONFIGMAP, { now: at(10) })), "11");
    const next = clone(labelled);
    delete (next.metadata.labels as Json).tier;
    delete (next.data as Json).a;
    const out = update(labelled, next, "kubectl-edit", scope(CONFIGMAP, { now: at(20) }));
    assert.deepEqual(managers(out), ["kubectl-create/Update"], "kubectl-label lost its only field; kubectl-edit only removed");
    assert.deepEqual(pathsOf(fieldsOf(out, "kubectl-create")), ["f:data", "f:data/f:b", "f:metadata/f:labels", "f:metadata/f:labels/f:app"]);
  });

  it("a removal-only update does not refresh its own entry's time", () => {
    const live = base();
    const next = clone(live);
    delete (next.data as Json).a;
    const out = update(live, next, "kubectl-create", scope(CONFIGMAP, { now: at(30) }));
    assert.equal(entry(out, "kubectl-create")!.time, stamp(0));
  });

  it("a no-op update leaves managedFields exactly as they were (time included)", () => {
    const live = base();
    const out = update(live, clone(live), "kubectl-edit", scope(CONFIGMAP, { now: at(99) }));
    assert.deepEqual(out.metadata.managedFields, live.metadata.managedFields);
  });

  it("the same manager's later update merges into its entry and refreshes its time", () => {
    const live = base();
    const next = clone(live);
    (next.data as Json).z = "9";
    const out = update(live, next, "kubectl-create", scope(CONFIGMAP, { now: at(40) }));
    assert.deepEqual(managers(out), ["kubectl-create/Update"]);
    assert.deepEqual(pathsOf(fieldsOf(out, "kubectl-create")), ["f:data", "f:data/f:a", "f:data/f:b", "f:data/f:z", "f:metadata/f:labels", "f:metadata/f:labels/f:app"]);
    assert.equal(entry(out, "kubectl-create")!.time, stamp(40));
  });

  it("the same manager with another apiVersion is another entry (Update identity includes apiVersion)", () => {
    const live = base();
    const next = clone(live);
    (next.data as Json).z = "9";
    const out = update(live, next, "kubectl-create", scope(CONFIGMAP, { now: at(40), apiVersion: "v2" }));
    assert.deepEqual(
      out.metadata.managedFields!.map((e) => `${e.manager}@${e.apiVersion}`),
      ["kubectl-create@v1", "kubectl-create@v2"],
    );
  });

  it("Update entries within the cap of 10; the oldest beyond it merge into ancient-changes", () => {
    let obj = base();
    for (let i = 1; i <= 10; i++) {
      const next = clone(obj);
      (next.data as Json)[`k${i}`] = "v";
      obj = persisted(update(obj, next, `m${i}`, scope(CONFIGMAP, { now: at(i) })), String(10 + i));
    }
    const names = managers(obj).map((m) => m.split("/")[0]);
    assert.equal(names.length, 10);
    assert.equal(names[0], "ancient-changes");
    assert.deepEqual(pathsOf(fieldsOf(obj, "ancient-changes")), ["f:data", "f:data/f:a", "f:data/f:b", "f:data/f:k1", "f:metadata/f:labels", "f:metadata/f:labels/f:app"]);
    assert.equal(entry(obj, "ancient-changes")!.time, stamp(1), "the bucket takes the time of the newest entry merged into it");
  });

  it("modifying a list item's field takes only that field", () => {
    const sc = scope(DEPLOYMENT);
    const live = persisted(update(undefined, deployment(), "kubectl-create", sc));
    const next = clone(live);
    (next.spec as Json).template.spec.containers[0].image = "nginx:1.26";
    const out = update(live, next, "kubectl-set", scope(DEPLOYMENT, { now: at(5) }));
    assert.deepEqual(pathsOf(fieldsOf(out, "kubectl-set")), ['f:spec/f:template/f:spec/f:containers/k:{"name":"web"}/f:image']);
    assert.ok(!pathsOf(fieldsOf(out, "kubectl-create")).includes('f:spec/f:template/f:spec/f:containers/k:{"name":"web"}/f:image'));
    assert.ok(pathsOf(fieldsOf(out, "kubectl-create")).includes('f:spec/f:template/f:spec/f:containers/k:{"name":"web"}'));
  });

  it("an added list item is owned with its '.'", () => {
    const sc = scope(DEPLOYMENT);
    const live = persisted(update(undefined, deployment(), "kubectl-create", sc));
    const next = clone(live);
    (next.spec as Json).template.spec.containers.push({ name: "side", image: "busybox" });
    const out = update(live, next, "m", scope(DEPLOYMENT, { now: at(5) }));
    assert.deepEqual(pathsOf(fieldsOf(out, "m")), [
      'f:spec/f:template/f:spec/f:containers/k:{"name":"side"}',
      'f:spec/f:template/f:spec/f:containers/k:{"name":"side"}/f:image',
      'f:spec/f:template/f:spec/f:containers/k:{"name":"side"}/f:name',
    ]);
  });
});

describe("managedFields carried by the request", () => {
  const live = () => persisted(update(undefined, configMap("cm", { a: "1" }), "kubectl-create", cm));
  const other: ManagedFieldsEntry = { manager: "imported", operation: "Apply", apiVersion: "v1", time: stamp(3), fieldsType: "FieldsV1", fieldsV1: { "f:data": { "f:a": {} } } };

  it("are the base of the update (kubectl's managedFields migration patch)", () => {
    const l = live();
    const next = clone(l);
    next.metadata.managedFields = [other];
    const out = update(l, next, "kubectl", scope(CONFIGMAP, { now: at(9) }));
    assert.deepEqual(out.metadata.managedFields, [other]);
  });

  it("an empty list resets them (nothing else changed: no managedFields at all)", () => {
    const l = live();
    const next = clone(l);
    next.metadata.managedFields = [];
    assert.equal(update(l, next, "m", scope(CONFIGMAP, { now: at(9) })).metadata.managedFields, undefined);
  });

  it("an empty list resets them; the updater owns only what it changed", () => {
    const l = live();
    const next = clone(l);
    next.metadata.managedFields = [];
    (next.data as Json).b = "2";
    const out = update(l, next, "m", scope(CONFIGMAP, { now: at(9) }));
    assert.deepEqual(managers(out), ["m/Update"]);
    assert.deepEqual(pathsOf(fieldsOf(out, "m")), ["f:data/f:b"]);
  });

  it("absent from the request: the live ones are kept", () => {
    const l = live();
    const next = clone(l);
    delete next.metadata.managedFields;
    (next.data as Json).b = "2";
    const out = update(l, next, "m", scope(CONFIGMAP, { now: at(9) }));
    assert.deepEqual(managers(out), ["kubectl-create/Update", "m/Update"]);
  });

  it("a subresource write ignores the request's managedFields and keeps the live ones", () => {
    const d = persisted(update(undefined, deployment(), "kubectl-create", scope(DEPLOYMENT)));
    const next = clone(d);
    next.metadata.managedFields = [];
    (next as Json).status = { replicas: 1 };
    const out = update(d, next, "ctrl", scope(DEPLOYMENT, { subresource: "status", now: at(9) }));
    assert.deepEqual(managers(out), ["kubectl-create/Update", "ctrl/Update/status"]);
  });
});

describe("status and scale", () => {
  const live = (): KubeObject => {
    const d = persisted(update(undefined, deployment("web", { replicas: 1 }), "kubectl-create", scope(DEPLOYMENT)));
    (d as Json).status = { replicas: 1 };
    return d;
  };

  it("a /status write owns only status, recorded with subresource status", () => {
    const l = live();
    const next = clone(l);
    (next as Json).status = { replicas: 2, readyReplicas: 2 };
    (next.metadata.labels ??= {}).sneaky = "x";
    const out = update(l, next, "kube-controller-manager", scope(DEPLOYMENT, { subresource: "status", now: at(7) }));
    const e = entry(out, "kube-controller-manager")!;
    assert.equal(e.subresource, "status");
    assert.equal(e.apiVersion, "apps/v1");
    assert.deepEqual(pathsOf(e.fieldsV1), ["f:status/f:readyReplicas", "f:status/f:replicas"]);
  });

  it("a main-resource write never owns status", () => {
    const l = live();
    const next = clone(l);
    (next as Json).status = { replicas: 5 };
    (next.spec as Json).paused = true;
    const out = update(l, next, "m", scope(DEPLOYMENT, { now: at(7) }));
    assert.deepEqual(pathsOf(fieldsOf(out, "m")), ["f:spec/f:paused"]);
  });

  it("a scale write is recorded on the parent: .spec.replicas, subresource scale, the parent's apiVersion", () => {
    const l = live();
    const next = clone(l);
    (next.spec as Json).replicas = 4;
    const out = update(l, next, "kubectl", scope(DEPLOYMENT, { subresource: "scale", now: at(8) }));
    assert.deepEqual(managers(out), ["kubectl-create/Update", "kubectl/Update/scale"]);
    const e = entry(out, "kubectl", "Update", "scale")!;
    assert.equal(e.apiVersion, "apps/v1");
    assert.deepEqual(e.fieldsV1, { "f:spec": { "f:replicas": {} } });
    assert.ok(!pathsOf(fieldsOf(out, "kubectl-create")).includes("f:spec/f:replicas"), "the creator lost replicas");
  });

  it("scaling to the same replicas changes nothing", () => {
    const l = live();
    const out = update(l, clone(l), "kubectl", scope(DEPLOYMENT, { subresource: "scale", now: at(8) }));
    assert.deepEqual(out.metadata.managedFields, l.metadata.managedFields);
  });
});
