// Field selectors of custom resources (upstream customresource strategy's selectableFields, behind
// the CustomResourceFieldSelectors gate, on by default in 1.33): each of a version's
// selectableFields is selectable by its jsonPath without the leading ".", with the value fmt.Sprint
// renders (strings as is, integers in decimal, booleans as true/false) and "" when missing or null.
import type { KubeObject } from "../apimachinery/types.js";
import type { FieldGetter } from "../registry/definition.js";
import type { CRD } from "./crd.js";
import { findResults, goFormatNumber, parseJSONPath } from "./jsonpath.js";

/** fmt.Sprint of a scalar unstructured value. */
function sprint(value: unknown): string {
  if (typeof value === "number") return goFormatNumber(value);
  return String(value);
}

/** The selectable-field getters of one served version of a CRD, by field name ("spec.color"). */
export function crdFieldSelectors(crd: KubeObject, version: string): Record<string, FieldGetter> {
  const v = ((crd as CRD).spec?.versions ?? []).find((x) => x.name === version);
  const out: Record<string, FieldGetter> = {};
  for (const sf of Array.isArray(v?.selectableFields) ? v.selectableFields : []) {
    const jsonPath = typeof sf?.jsonPath === "string" ? sf.jsonPath : "";
    const name = jsonPath.startsWith(".") ? jsonPath.slice(1) : jsonPath;
    let template: ReturnType<typeof parseJSONPath> | undefined;
    try {
      template = parseJSONPath(`{${jsonPath}}`);
    } catch {
      // upstream fails the selection with "unexpected error parsing jsonPath"; CRD validation
      // keeps such paths out
      template = undefined;
    }
    out[name] = (obj: KubeObject) => {
      if (!template) return undefined;
      let results: unknown[][];
      try {
        results = findResults(template, obj, { allowMissingKeys: true });
      } catch {
        return undefined;
      }
      const first = results[0] ?? [];
      // more than one result is an error upstream; validated paths name one scalar field
      if (results.length > 1 || first.length > 1) return undefined;
      const value = first[0];
      return value === null || value === undefined ? "" : sprint(value);
    };
  }
  return out;
}
