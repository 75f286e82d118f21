// A RequestContext for calling strategy hooks directly.
import type { UserInfo } from "../../../src/apimachinery/types.js";
import type { RequestContext } from "../../../src/registry/context.js";
import { FakeClock } from "../../../src/util/clock.js";

export function testContext(user: Partial<UserInfo> = {}): RequestContext {
  return {
    user: { username: "admin", groups: ["system:masters", "system:authenticated"], ...user },
    namespace: "default",
    name: "",
    subresource: "",
    warnings: [],
    clock: new FakeClock(Date.parse("2026-01-01T00:00:00Z")),
  };
}
