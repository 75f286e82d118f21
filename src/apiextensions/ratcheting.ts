// Validation ratcheting (upstream CRDValidationRatcheting, on by default since 1.30): on update, an
// error about a value the update did not change is dropped, so tightening a CRD's schema does not
// lock existing objects. A missing value is judged by its parent (a field that stays missing in an
// object that otherwise changed is still reported).
import type { FieldError } from "../apimachinery/field-errors.js";
import { isPlainObject } from "../apimachinery/types.js";
import { semanticEqual } from "../util/deep-equal.js";

/** The steps of a rendered field path: "spec.items[0].name" → spec, items, 0, name; "metadata.labels[app]" → metadata, labels, app. */
export function fieldPathSteps(path: string): (string | number)[] {
  const steps: (string | number)[] = [];
  for (const m of path.matchAll(/\[([^\]]*)\]|[^.[\]]+/g)) {
    if (m[1] !== undefined) steps.push(/^\d+$/.test(m[1]) ? Number(m[1]) : m[1]);
    else steps.push(m[0]);
  }
  return steps;
}

function valueAt(root: unknown, steps: (string | number)[]): unknown {
  let v = root;
  for (const s of steps) {
    if (typeof s === "number" && Array.isArray(v)) v = v[s];
    else if (isPlainObject(v)) v = v[String(s)];
    else return undefined;
  }
  return v;
}

/** Whether obj and old hold the same value where the error points (or, for a missing value, at its parent). */
function unchanged(err: FieldError, obj: unknown, old: unknown): boolean {
  let steps = fieldPathSteps(err.field);
  for (;;) {
    const a = valueAt(obj, steps);
    const b = valueAt(old, steps);
    if (a !== undefined || b !== undefined || steps.length === 0) return semanticEqual(a, b);
    steps = steps.slice(0, -1);
  }
}

/** The errors of an update that concern values the update changed. */
export function ratchet(errs: FieldError[], obj: unknown, old: unknown): FieldError[] {
  return errs.filter((e) => !unchanged(e, obj, old));
}
