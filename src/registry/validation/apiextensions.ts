// apiextensions.k8s.io/v1 CustomResourceDefinitions: upstream's top-level structure checks only
// (group, names, scope, versions and exactly one storage version). Schema and CEL validation are
// left to the CRD work; metadata.name's rule is the built-in strategy's check.
import type { KubeObject } from "../../apimachinery/types.js";
import { dns1035, dnsLabel, dnsSubdomain } from "./common.js";
import { validateSchemaRules } from "../../apiextensions/cel/compile.js";
import { validatePrinterColumnJSONPath } from "../../apiextensions/printer.js";
import { validateOpenAPIV3Schema } from "../../apiextensions/schema/validate-schema.js";
import type { JSONSchemaProps } from "../../apiextensions/schema/types.js";
import { type FieldError, FieldPath, GoValue, fieldErrors, obj, objOr, objs, root, str, strs } from "./helpers.js";

export function validateCRD(crd: KubeObject): FieldError[] {
  const spec = objOr(crd.spec);
  const sp = root("spec");
  const errs: FieldError[] = [];
  const group = str(spec.group);
  if (!group) errs.push(fieldErrors.required(sp.child("group")));
  else {
    errs.push(...dnsSubdomain(group, sp.child("group")));
    if (group.split(".").length < 2) errs.push(fieldErrors.invalid(sp.child("group"), group, "should be a domain with at least one dot"));
  }
  const scope = str(spec.scope);
  if (!scope) errs.push(fieldErrors.required(sp.child("scope")));
  else if (scope !== "Cluster" && scope !== "Namespaced") errs.push(fieldErrors.notSupported(sp.child("scope"), scope, ["Cluster", "Namespaced"]));
  const versions = objs(spec.versions);
  let storage = 0;
  const seen = new Set<string>();
  versions.forEach((v, i) => {
    const vp = sp.child("versions").index(i);
    const name = str(v.name);
    if (v.storage === true) storage++;
    if (seen.has(name)) errs.push(fieldErrors.invalid(vp.child("name"), name, "must be unique"));
    seen.add(name);
    if (!name) errs.push(fieldErrors.required(vp.child("name")));
    else errs.push(...dns1035(name, vp.child("name")));
    errs.push(...validateSubresources(objOr(v.subresources), vp.child("subresources")));
    objs(v.additionalPrinterColumns).forEach((c, j) => errs.push(...validatePrinterColumn(c, vp.child("additionalPrinterColumns").index(j))));
    const schemaPath = vp.child("schema", "openAPIV3Schema");
    const schema = objOr(v.schema).openAPIV3Schema;
    if (!obj(schema)) errs.push(fieldErrors.required(schemaPath, "schemas are required"));
    else {
      errs.push(...validateOpenAPIV3Schema(schema as JSONSchemaProps, schemaPath));
      errs.push(...validateSchemaRules(schema as JSONSchemaProps, schemaPath));
    }
  });
  if (versions.length === 0) errs.push(fieldErrors.invalid(sp.child("versions"), new GoValue("[]apiextensions.CustomResourceDefinitionVersion(nil)"), "must have exactly one version marked as storage version"));
  else if (storage !== 1) errs.push(fieldErrors.invalid(sp.child("versions"), new GoValue("[]apiextensions.CustomResourceDefinitionVersion{...}"), "must have exactly one version marked as storage version"));
  const names = objOr(spec.names);
  const np = sp.child("names");
  const plural = str(names.plural);
  if (!plural) errs.push(fieldErrors.required(np.child("plural")));
  else errs.push(...dnsLabel(plural, np.child("plural")));
  const singular = str(names.singular);
  if (singular) errs.push(...dnsLabel(singular, np.child("singular")));
  const kind = str(names.kind);
  if (!kind) errs.push(fieldErrors.required(np.child("kind")));
  else if (dns1035(kind.toLowerCase(), np.child("kind")).length) errs.push(fieldErrors.invalid(np.child("kind"), kind, "may have mixed case, but should otherwise match: [a-z]([-a-z0-9]*[a-z0-9])?"));
  const listKind = str(names.listKind);
  if (listKind && dns1035(listKind.toLowerCase(), np.child("listKind")).length)
    errs.push(fieldErrors.invalid(np.child("listKind"), listKind, "may have mixed case, but should otherwise match: [a-z]([-a-z0-9]*[a-z0-9])?"));
  if (kind && listKind && kind === listKind) errs.push(fieldErrors.invalid(np.child("listKind"), listKind, "kind and listKind may not be the same"));
  strs(names.shortNames).forEach((s, i) => errs.push(...dnsLabel(s, np.child("shortNames").index(i))));
  strs(names.categories).forEach((c, i) => errs.push(...dnsLabel(c, np.child("categories").index(i))));
  return errs;
}

/** Upstream validateSimpleJSONPath. */
function simpleJSONPath(value: string, path: FieldPath): FieldError[] {
  if (!value) return [fieldErrors.invalid(path, value, "must not be empty")];
  if (!value.startsWith(".")) return [fieldErrors.invalid(path, value, "must be a simple json path starting with .")];
  return [];
}

/** Upstream ValidateCustomResourceDefinitionSubresources: the scale subresource's paths. */
function validateSubresources(subresources: Record<string, unknown>, path: FieldPath): FieldError[] {
  const scale = obj(subresources.scale);
  if (!scale) return [];
  const errs: FieldError[] = [];
  const check = (field: string, value: unknown, prefixes: string[], detail: string, required: boolean) => {
    const p = path.child(`scale.${field}`);
    const v = str(value);
    if (!v) {
      if (required) errs.push(fieldErrors.required(p));
      return;
    }
    const pathErrs = simpleJSONPath(v, p);
    if (pathErrs.length) errs.push(...pathErrs);
    else if (!prefixes.some((x) => v.startsWith(x))) errs.push(fieldErrors.invalid(p, v, detail));
  };
  check("specReplicasPath", scale.specReplicasPath, [".spec."], "should be a json path under .spec", true);
  check("statusReplicasPath", scale.statusReplicasPath, [".status."], "should be a json path under .status", true);
  check("labelSelectorPath", scale.labelSelectorPath, [".spec.", ".status."], "should be a json path under either .spec or .status", false);
  return errs;
}

const PRINTER_COLUMN_TYPES = ["boolean", "date", "integer", "number", "string"];
const PRINTER_COLUMN_FORMATS = ["byte", "date", "date-time", "double", "float", "int32", "int64", "password"];

/** Upstream ValidateCustomResourceColumnDefinition. */
function validatePrinterColumn(col: Record<string, unknown>, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  if (!str(col.name)) errs.push(fieldErrors.required(path.child("name")));
  const type = str(col.type);
  if (!type) errs.push(fieldErrors.required(path.child("type"), `must be one of ${PRINTER_COLUMN_TYPES.join(",")}`));
  else if (!PRINTER_COLUMN_TYPES.includes(type)) errs.push(fieldErrors.notSupported(path.child("type"), type, PRINTER_COLUMN_TYPES));
  const format = str(col.format);
  if (format && !PRINTER_COLUMN_FORMATS.includes(format)) errs.push(fieldErrors.notSupported(path.child("format"), format, PRINTER_COLUMN_FORMATS));
  const jsonPath = str(col.jsonPath);
  if (!jsonPath) errs.push(fieldErrors.required(path.child("JSONPath")));
  else {
    const problem = validatePrinterColumnJSONPath(jsonPath);
    if (problem) errs.push(fieldErrors.invalid(path.child("JSONPath"), jsonPath, problem));
  }
  return errs;
}
