// PATCH over HTTP: the content type names the patch type; the body is JSON (YAML or JSON for apply).
import { errors } from "../../apimachinery/errors.js";
import { APPLY_PATCH, patchObject, supportedPatchTypes, type PatchType } from "../pipeline/writes.js";
import { mediaTypeOf, parseBody } from "./body.js";
import { patchOptions } from "./options.js";
import { negotiate, respondObject, type HandlerScope } from "./scope.js";

export async function handlePatch(scope: HandlerScope): Promise<void> {
  const format = negotiate(scope, false);
  const mediaType = mediaTypeOf(scope.req.headers["content-type"]);
  const supported = supportedPatchTypes(scope.def);
  if (!supported.includes(mediaType)) throw errors.unsupportedMediaType(supported);
  // PatchOptions are validated (all problems in one 422) before the body is looked at
  const opts = patchOptions(scope.query, mediaType === APPLY_PATCH);
  if (!scope.body || scope.body.length === 0) throw errors.badRequest("the request body is empty; a patch is required");
  const patch = parseBody(scope.body, mediaType === APPLY_PATCH ? APPLY_PATCH : "application/json");
  const res = await patchObject(scope.target, mediaType as PatchType, patch, opts, scope.body.toString("utf8"));
  respondObject(scope, res.created ? 201 : 200, res.object, format);
}
