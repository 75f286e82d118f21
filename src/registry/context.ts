// What every registry call knows about the request it serves (upstream: request context values).
import type { UserInfo } from "../apimachinery/types.js";
import type { Clock } from "../util/clock.js";

export interface RequestContext {
  user: UserInfo;
  /** Namespace from the URL ("" for cluster-scoped or all-namespaces requests). */
  namespace: string;
  /** Name from the URL ("" for collection requests); subresource REST objects read it. */
  name: string;
  /** Subresource the request addresses ("" for the main resource). */
  subresource: string;
  /** Warnings to return as `Warning: 299` headers. */
  warnings: string[];
  clock: Clock;
}

export function addWarning(ctx: RequestContext, text: string): void {
  if (!ctx.warnings.includes(text)) ctx.warnings.push(text);
}
