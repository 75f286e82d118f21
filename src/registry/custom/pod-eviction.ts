// pods/eviction: deleting a pod the way PodDisruptionBudgets allow (429 when they forbid).
import type { CustomSubresource } from "../definition.js";
import type { ResourceStore } from "../resource-store.js";
import type { CustomSubresourceDeps } from "./index.js";

export function podEviction(_store: () => ResourceStore, _deps: CustomSubresourceDeps): CustomSubresource | undefined {
  return undefined;
}
