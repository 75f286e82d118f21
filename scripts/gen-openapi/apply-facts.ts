// Adds our fact tables (list/map/patch semantics, atomic structs, unions) to the definitions.
import type { Schema } from "../../src/openapi/schema.js";
import { parseFieldSpec, type FieldTable } from "./facts/field-spec.js";
import { FIELDS_CORE } from "./facts/fields-core.js";
import { FIELDS_MACHINERY } from "./facts/fields-machinery.js";
import { FIELDS_OTHER } from "./facts/fields-other.js";
import { FIELDS_WORKLOADS } from "./facts/fields-workloads.js";
import { STRUCT_MAP_TYPES, UNIONS } from "./facts/types.js";

export const FIELD_TABLES: readonly FieldTable[] = [FIELDS_CORE, FIELDS_WORKLOADS, FIELDS_MACHINERY, FIELDS_OTHER];

export function applyFacts(definitions: Record<string, Schema>, warn: (m: string) => void): void {
  for (const table of FIELD_TABLES) {
    for (const [name, fields] of Object.entries(table)) {
      const def = definitions[name];
      if (!def) {
        warn(`facts: no definition ${name}`);
        continue;
      }
      for (const [field, spec] of Object.entries(fields)) {
        const prop = def.properties?.[field];
        if (!prop) {
          warn(`facts: ${name} has no property ${field}`);
          continue;
        }
        Object.assign(prop, parseFieldSpec(spec));
      }
    }
  }
  for (const [name, mapType] of Object.entries(STRUCT_MAP_TYPES)) {
    const def = definitions[name];
    if (def) def["x-kubernetes-map-type"] = mapType;
    else warn(`facts: no definition ${name}`);
  }
  for (const [name, unions] of Object.entries(UNIONS)) {
    const def = definitions[name];
    if (def) def["x-kubernetes-unions"] = unions.map((u) => ({ ...u }));
    else warn(`facts: no definition ${name}`);
  }
}
