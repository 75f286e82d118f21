import type { KubeObject, Status } from "../../apimachinery/types.js";
import { decodeProtobufObject, PROTOBUF_MEDIA_TYPE } from "../../protobuf/index.js";
import { mediaTypeOf, parseBody } from "./body.js";
import { parseDeleteOptions, parseListOptions } from "./options.js";
import { deleteObject } from "../pipeline/writes.js";
import { negotiate, respondList, respondObject, type HandlerScope } from "./scope.js";

/** DeleteOptions from the body: JSON, or protobuf from kubectl 1.32+ typed clients (drain). */
function deleteOptionsBody(scope: HandlerScope): unknown {
  if (!scope.body || scope.body.length === 0) return undefined;
  if (mediaTypeOf(scope.req.headers["content-type"]) === PROTOBUF_MEDIA_TYPE) {
    const { apiVersion: _a, kind: _k, ...options } = decodeProtobufObject(scope.body, { apiVersion: "meta.k8s.io/v1", kind: "DeleteOptions" });
    return options;
  }
  return parseBody(scope.body, "application/json");
}

export async function handleDelete(scope: HandlerScope): Promise<void> {
  const format = negotiate(scope, false);
  const opts = parseDeleteOptions(scope.query, deleteOptionsBody(scope));
  const { object, deleted } = await deleteObject(scope.target, opts);
  if (!deleted) {
    respondObject(scope, 200, object, format);
    return;
  }
  // Upstream answers an immediate delete with a Success Status naming what was deleted.
  const status: Status = {
    kind: "Status",
    apiVersion: "v1",
    metadata: {},
    status: "Success",
    details: {
      name: object.metadata.name ?? scope.info.name,
      ...(scope.def.group ? { group: scope.def.group } : {}),
      kind: scope.def.plural,
      ...(object.metadata.uid ? { uid: object.metadata.uid } : {}),
    },
    code: 200,
  };
  respondObject(scope, 200, status as unknown as KubeObject, format);
}

export async function handleDeleteCollection(scope: HandlerScope): Promise<void> {
  const format = negotiate(scope, true);
  const opts = parseDeleteOptions(scope.query, deleteOptionsBody(scope));
  const listOpts = parseListOptions(scope.query, false);
  const list = await scope.rest.deleteCollection!(scope.ctx, opts, listOpts);
  respondList(scope, list, format);
}
