// pods/binding: how the scheduler binds a pod to a node.
import type { CustomSubresource } from "../definition.js";
import type { ResourceStore } from "../resource-store.js";
import type { CustomSubresourceDeps } from "./index.js";

export function podBinding(_store: () => ResourceStore, _deps: CustomSubresourceDeps): CustomSubresource | undefined {
  return undefined;
}
