// The naming/establishing decision (upstream naming_controller calculateNamesAndConditions) and
// validation ratcheting of custom resource updates.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { fieldErrors } from "../../../../src/apimachinery/field-errors.js";
import type { CRD } from "../../../../src/apiextensions/crd.js";
import { calculateNamesAndConditions } from "../../../../src/apiextensions/naming.js";
import { ratchet } from "../../../../src/apiextensions/ratcheting.js";

function crd(name: string, group: string, names: Record<string, unknown>, accepted?: Record<string, unknown>): CRD {
  return {
    apiVersion: "apiextensions.k8s.io/v1",
    kind: "CustomResourceDefinition",
    metadata: { name },
    spec: { group, scope: "Namespaced", versions: [], names: { plural: "", singular: "", kind: "", listKind: "", shortNames: [], categories: [], ...names } as never },
    ...(accepted ? { status: { acceptedNames: accepted } } : {}),
  } as CRD;
}

const crontabs = { plural: "crontabs", singular: "crontab", kind: "CronTab", listKind: "CronTabList", shortNames: ["ct"] };

describe("calculateNamesAndConditions", () => {
  const cases: { name: string; others: CRD[]; want: [string, string, string]; established: [string, string] }[] = [
    { name: "no other CRD", others: [], want: ["True", "NoConflicts", "no conflicts found"], established: ["True", "InitialNamesAccepted"] },
    { name: "same names in another group", others: [crd("crontabs.other.io", "other.io", crontabs, crontabs)], want: ["True", "NoConflicts", "no conflicts found"], established: ["True", "InitialNamesAccepted"] },
    {
      name: "short name held by another CRD of the group",
      others: [crd("cats.example.com", "example.com", { plural: "cats" }, { plural: "cats", shortNames: ["ct"] })],
      want: ["False", "ShortNamesConflict", '"ct" is already in use'],
      established: ["False", "NotAccepted"],
    },
    {
      name: "kind held by another CRD of the group",
      others: [crd("cats.example.com", "example.com", { plural: "cats" }, { plural: "cats", kind: "CronTab" })],
      want: ["False", "KindConflict", '"CronTab" is already in use'],
      established: ["False", "NotAccepted"],
    },
    {
      name: "singular held as another's plural",
      others: [crd("crontab.example.com", "example.com", { plural: "crontab" }, { plural: "crontab" })],
      want: ["False", "SingularConflict", '"crontab" is already in use'],
      established: ["False", "NotAccepted"],
    },
  ];
  for (const c of cases)
    it(c.name, () => {
      const r = calculateNamesAndConditions(crd("crontabs.example.com", "example.com", crontabs), c.others);
      assert.deepEqual([r.namesAccepted.status, r.namesAccepted.reason, r.namesAccepted.message], c.want);
      assert.deepEqual([r.established.status, r.established.reason], c.established);
    });

  it("accepted names take the requested ones that are free", () => {
    const r = calculateNamesAndConditions(crd("crontabs.example.com", "example.com", { ...crontabs, categories: ["all"] }), []);
    assert.deepEqual(r.acceptedNames, { ...crontabs, categories: ["all"] });
  });

  it("an established CRD stays established when a later name change conflicts", () => {
    const me = crd("crontabs.example.com", "example.com", { ...crontabs, shortNames: ["ct", "cat"] }, crontabs);
    me.status!.conditions = [{ type: "Established", status: "True", reason: "InitialNamesAccepted", message: "the initial names have been accepted" }];
    const r = calculateNamesAndConditions(me, [crd("cats.example.com", "example.com", { plural: "cats" }, { plural: "cats", shortNames: ["cat"] })]);
    assert.equal(r.namesAccepted.status, "False");
    assert.equal(r.established.status, "True");
    assert.deepEqual(r.acceptedNames.shortNames, ["ct"]);
  });
});

describe("ratchet", () => {
  const old = { spec: { image: "bad image", replicas: 20, other: 1 } };
  const cases: { name: string; obj: object; errs: string[]; want: string[] }[] = [
    { name: "an unchanged invalid value is let through", obj: { spec: { image: "bad image", replicas: 20, other: 2 } }, errs: ["spec.replicas"], want: [] },
    { name: "a changed invalid value is reported", obj: { spec: { image: "bad image", replicas: 30, other: 1 } }, errs: ["spec.replicas"], want: ["spec.replicas"] },
    { name: "a missing required field is judged by its parent (changed)", obj: { spec: { replicas: 20, other: 2 } }, errs: ["spec.image"], want: ["spec.image"] },
    { name: "a missing required field is judged by its parent (unchanged)", obj: { spec: { image: "bad image", replicas: 20, other: 1 } }, errs: ["spec.missing"], want: [] },
  ];
  for (const c of cases)
    it(c.name, () => {
      const errs = c.errs.map((f) => fieldErrors.invalid(f, "x"));
      assert.deepEqual(ratchet(errs, c.obj, old).map((e) => e.field), c.want);
    });
});
