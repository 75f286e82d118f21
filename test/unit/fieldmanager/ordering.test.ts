// The order of metadata.managedFields (upstream sortEncodedManagedFields): Apply entries before
// Update entries, then by time (seconds), then manager, apiVersion and subresource, all compared
// bytewise as Go strings.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { ManagedFieldsEntry } from "../../../src/apimachinery/types.js";
import { CONFIGMAP, type Json, at, clone, configMap, persisted, scope, stamp, update } from "./helpers.js";

const e = (manager: string, operation: "Apply" | "Update", seconds: number, extra: Partial<ManagedFieldsEntry> = {}, field = manager): ManagedFieldsEntry => ({
  manager,
  operation,
  apiVersion: "v1",
  time: stamp(seconds),
  fieldsType: "FieldsV1",
  fieldsV1: { "f:data": { [`f:${field}`]: {} } },
  ...extra,
});

/** Lets a new manager write one new key so that managedFields are re-encoded (and sorted). */
function resorted(entries: ManagedFieldsEntry[], writer = "zz-writer", writerAt = 100): string[] {
  const data = Object.fromEntries(entries.map((x) => [Object.keys((x.fieldsV1 as Json)["f:data"])[0]!.slice(2), "v"]));
  const live = persisted(configMap("cm", data, { managedFields: entries }));
  const next = clone(live);
  (next.data as Json)["fresh-key"] = "v";
  const out = update(live, next, writer, scope(CONFIGMAP, { now: at(writerAt) }));
  return out.metadata.managedFields!.map((x) => `${x.operation}:${x.manager}${x.apiVersion !== "v1" ? `@${x.apiVersion}` : ""}${x.subresource ? `/${x.subresource}` : ""}`);
}

describe("managedFields order", () => {
  const cases: { name: string; entries: ManagedFieldsEntry[]; want: string[]; todo?: string }[] = [
    {
      name: "Apply entries before Update entries, whatever their times",
      entries: [e("u-old", "Update", 1), e("a-new", "Apply", 50), e("a-old", "Apply", 2)],
      want: ["Apply:a-old", "Apply:a-new", "Update:u-old", "Update:zz-writer"],
    },
    {
      name: "then by time",
      entries: [e("b", "Update", 30), e("a", "Update", 20), e("c", "Update", 10)],
      want: ["Update:c", "Update:a", "Update:b", "Update:zz-writer"],
    },
    {
      name: "same second: by manager name",
      entries: [e("kubectl-edit", "Update", 5), e("kube-controller-manager", "Update", 5), e("helm", "Update", 5)],
      want: ["Update:helm", "Update:kube-controller-manager", "Update:kubectl-edit", "Update:zz-writer"],
    },
    {
      name: "same second: manager names compare bytewise (uppercase before lowercase)",
      entries: [e("kubectl", "Update", 5), e("Mozilla", "Update", 5), e("Go-http-client", "Update", 5)],
      want: ["Update:Go-http-client", "Update:Mozilla", "Update:kubectl", "Update:zz-writer"],
    },
    {
      name: "same manager and second: by apiVersion",
      entries: [e("m", "Update", 5, { apiVersion: "v2" }, "x"), e("m", "Update", 5, {}, "y")],
      want: ["Update:m", "Update:m@v2", "Update:zz-writer"],
    },
    {
      name: "same manager, apiVersion and second: the main resource before its subresources",
      entries: [e("m", "Update", 5, { subresource: "status" }, "x"), e("m", "Update", 5, {}, "y")],
      want: ["Update:m", "Update:m/status", "Update:zz-writer"],
    },
  ];
  for (const c of cases) it(c.name, c.todo ? { todo: c.todo } : {}, () => assert.deepEqual(resorted(c.entries), c.want));

  it("times compare by whole second: a fractional second in a client-written time does not reorder", () => {
    const got = resorted([e("b", "Update", 5, { time: "2024-05-01T10:00:05.100Z" }), e("a", "Update", 5, { time: "2024-05-01T10:00:05.900Z" })]);
    assert.deepEqual(got, ["Update:a", "Update:b", "Update:zz-writer"]);
  });

  it("an entry without time sorts as time zero (first within its operation)", () => {
    const noTime = e("late", "Apply", 0);
    delete noTime.time;
    assert.deepEqual(resorted([e("early", "Apply", 1), noTime]), ["Apply:late", "Apply:early", "Update:zz-writer"]);
  });
});
