// The field manager of a write: who the manager is (fieldManager, else the User-Agent's product
// token, as upstream), and how ownership is recorded — directly on the object a transform returns,
// or, for the scale adapter whose transform sees a Scale, through the update option the adapter calls.
import type { KubeObject } from "../../apimachinery/types.js";
import { apiVersionOfDefinition } from "../../registry/definition.js";
import { FieldManager, type FieldManagerScope } from "../../registry/fieldmanager/field-manager.js";
import { SchemaTypes } from "../../registry/fieldmanager/schema-types.js";
import { schemaNameOf, type OperationTarget } from "./target.js";

/** Upstream managerOrUserAgent: the fieldManager parameter, else the User-Agent up to the first "/". */
export function managerName(t: OperationTarget, fieldManager: string | undefined): string {
  if (fieldManager) return fieldManager;
  return t.userAgent.split("/")[0]!.slice(0, 128);
}

export interface FieldOwnership {
  manager: FieldManager;
  scope: FieldManagerScope;
}

/** The field manager for this endpoint, or undefined where upstream keeps no managedFields. */
export function fieldOwnershipFor(t: OperationTarget): FieldOwnership | undefined {
  if (t.def.rest) return undefined;
  const sub = t.ctx.subresource;
  // subresources that rewrite the object itself (finalize, approval) are recorded like status
  const custom = t.def.subresources?.custom?.[sub];
  const rewritesObject = custom !== undefined && custom.kind === t.def.kind && !custom.group;
  if (sub !== "" && sub !== "status" && sub !== "scale" && !rewritesObject) return undefined;
  const schemas = t.schemas();
  // scale writes are recorded on the parent object, in the parent's terms
  const name = sub === "scale" || rewritesObject ? t.def.schema : schemaNameOf(t);
  return {
    manager: new FieldManager(new SchemaTypes(schemas)),
    scope: {
      schema: name ? schemas.get(name) : undefined,
      apiVersion: apiVersionOfDefinition(t.def),
      subresource: sub,
      hasStatus: t.def.subresources?.status === true,
      now: t.ctx.clock.now(),
    },
  };
}

export function fieldTracking(t: OperationTarget, manager: string) {
  const fo = fieldOwnershipFor(t);
  const adapter = t.ctx.subresource === "scale";
  return {
    ownership: fo,
    onObject: (live: KubeObject | undefined, next: KubeObject) => {
      if (fo && !adapter) fo.manager.update(live, next, manager, fo.scope);
    },
    options: fo && adapter ? { trackFields: (live: KubeObject, next: KubeObject) => fo.manager.update(live, next, manager, fo.scope) } : {},
  };
}
