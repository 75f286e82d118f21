// Turns list/watch options into the cache filter: label selector, field selector over the fields
// the resource declares (metadata.name and metadata.namespace always), as upstream's
// SelectionPredicate with the kind's GetAttrs.
import { errors } from "../apimachinery/errors.js";
import { everythingFields } from "../apimachinery/fields.js";
import { everything } from "../apimachinery/labels.js";
import type { KubeObject } from "../apimachinery/types.js";
import type { CacheFilter } from "../storage/cacher/cacher.js";
import type { FieldGetter, ResourceDefinition } from "./definition.js";
import type { ListOptions } from "./rest.js";

const GENERIC_FIELDS: Record<string, FieldGetter> = {
  "metadata.name": (o) => o.metadata.name,
  "metadata.namespace": (o) => o.metadata.namespace,
};

export function selectableFields(def: Pick<ResourceDefinition, "fieldSelectors">): Record<string, FieldGetter> {
  return { ...GENERIC_FIELDS, ...def.fieldSelectors };
}

export function selectionFilter(def: Pick<ResourceDefinition, "fieldSelectors">, opts: ListOptions): CacheFilter {
  const labels = opts.labelSelector ?? everything;
  const fields = opts.fieldSelector ?? everythingFields;
  const getters = selectableFields(def);
  for (const r of fields.requirements) {
    if (!getters[r.field]) throw errors.badRequest(`field label not supported: ${r.field}`);
  }
  if (labels.empty && fields.empty) return { empty: true, matches: () => true };
  return {
    empty: false,
    matches: (obj: KubeObject) =>
      labels.matches(obj.metadata.labels) && fields.matches((f) => getters[f]!(obj) ?? ""),
  };
}
