import type { KubeObject } from "../../apimachinery/types.js";
import { parseFieldValidation, validateBodyFields } from "../field-validation/index.js";
import { decodeObjectBody, expectedTypeOf, mediaTypeOf } from "./body.js";
import { fieldManagerFor, managerName } from "./field-manager.js";
import { parseDryRun, parseFieldManager } from "./options.js";
import { negotiate, respondObject, schemaNameOf, type HandlerScope } from "./scope.js";

export async function handleCreate(scope: HandlerScope): Promise<void> {
  const format = negotiate(scope, false);
  const { kind, apiVersion } = expectedTypeOf(scope);
  const obj = decodeObjectBody(scope, kind, apiVersion);
  checkFields(scope, obj, kind, apiVersion, "CreateOptions");
  if (!scope.info.subresource) scope.def.defaults?.(obj);
  const dryRun = parseDryRun(scope.query, "CreateOptions");
  const fieldManager = parseFieldManager(scope.query, "CreateOptions");
  const fm = fieldManagerFor(scope);
  if (fm) fm.manager.update(undefined, obj, managerName(scope, fieldManager), fm.scope);
  const created = await scope.rest.create!(scope.ctx, obj, { dryRun, ...(fieldManager ? { fieldManager } : {}) });
  respondObject(scope, 201, created as typeof obj, format);
}

/** Field validation of a create or update body (shared with PUT). */
export function checkFields(scope: HandlerScope, obj: KubeObject, kind: string, apiVersion: string, optionsKind: "CreateOptions" | "UpdateOptions"): void {
  const mode = parseFieldValidation(scope.query, optionsKind);
  const mediaType = mediaTypeOf(scope.req.headers["content-type"]) || "application/json";
  const textual = mediaType === "application/json" || mediaType === "application/yaml";
  validateBodyFields(
    scope.ctx,
    mode,
    scope.schemas(),
    schemaNameOf(scope),
    obj,
    { text: textual ? scope.body?.toString("utf8") : undefined, yaml: mediaType === "application/yaml" },
    { kind, version: apiVersion.split("/").pop()! },
  );
}
