import type { HandlerScope } from "./scope.js";
import { respondObject } from "./scope.js";

export async function handleGet(scope: HandlerScope): Promise<void> {
  const rv = scope.query.get("resourceVersion");
  const obj = await scope.rest.get!(scope.ctx, scope.info.name, rv ? { resourceVersion: rv } : {});
  respondObject(scope, 200, obj);
}
