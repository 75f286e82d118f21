// The field manager of a request: who the manager is (fieldManager, else the User-Agent's
// product token, as upstream), and the scope its entries are recorded in.
import type { KubeObject } from "../../apimachinery/types.js";
import { apiVersionOfDefinition } from "../../registry/definition.js";
import { FieldManager, type FieldManagerScope } from "../../registry/fieldmanager/field-manager.js";
import { SchemaTypes } from "../../registry/fieldmanager/schema-types.js";
import { schemaNameOf, type HandlerScope } from "./scope.js";

/** Upstream managerOrUserAgent: the fieldManager parameter, else the User-Agent up to the first "/". */
export function managerName(scope: HandlerScope, fieldManager: string | undefined): string {
  if (fieldManager) return fieldManager;
  return (scope.req.headers["user-agent"] ?? "").split("/")[0]!.slice(0, 128);
}

/** The field manager for this endpoint, or undefined where upstream keeps no managedFields. */
export function fieldManagerFor(scope: HandlerScope): { manager: FieldManager; scope: FieldManagerScope } | undefined {
  if (scope.def.rest) return undefined;
  const sub = scope.info.subresource;
  // subresources that rewrite the object itself (finalize, approval) are recorded like status
  const rewritesObject = scope.def.subresources?.custom?.[sub]?.kind === scope.def.kind && !scope.def.subresources.custom[sub]!.group;
  if (sub !== "" && sub !== "status" && sub !== "scale" && !rewritesObject) return undefined;
  const schemas = scope.schemas();
  // scale writes are recorded on the parent object, in the parent's terms
  const name = sub === "scale" || rewritesObject ? scope.def.schema : schemaNameOf(scope);
  return {
    manager: new FieldManager(new SchemaTypes(schemas)),
    scope: {
      schema: name ? schemas.get(name) : undefined,
      apiVersion: apiVersionOfDefinition(scope.def),
      subresource: sub,
      hasStatus: scope.def.subresources?.status === true,
      now: scope.ctx.clock.now(),
    },
  };
}

/**
 * How a handler records ownership: directly on the object it transforms, or — for the scale
 * adapter, whose transform sees a Scale — through the update option the adapter calls.
 */
export function fieldTracking(scope: HandlerScope, fm: ReturnType<typeof fieldManagerFor>, manager: string) {
  const adapter = scope.info.subresource === "scale";
  return {
    onObject: (live: KubeObject | undefined, next: KubeObject) => {
      if (fm && !adapter) fm.manager.update(live, next, manager, fm.scope);
    },
    options: fm && adapter ? { trackFields: (live: KubeObject, next: KubeObject) => fm.manager.update(live, next, manager, fm.scope) } : {},
  };
}
