import { negotiate, respondList, type HandlerScope } from "./scope.js";
import { parseListOptions } from "./options.js";

export async function handleList(scope: HandlerScope): Promise<void> {
  const format = negotiate(scope, true);
  const opts = parseListOptions(scope.query, false);
  const list = await scope.rest.list!(scope.ctx, opts);
  respondList(scope, list, format);
}
