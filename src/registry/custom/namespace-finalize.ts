// namespaces/finalize (upstream pkg/registry/core/namespace/storage FinalizeREST): an update that
// may change only spec.finalizers. The namespace controller empties them to let a terminating
// namespace go; the generic store then deletes it.
import { deepCopy } from "../../storage/codec.js";
import type { CustomSubresource } from "../definition.js";
import type { ResourceStore } from "../resource-store.js";

export function namespaceFinalize(store: () => ResourceStore): CustomSubresource {
  return {
    kind: "Namespace",
    rest: {
      update: (ctx, name, transform, opts) =>
        store().updateWith(ctx, name, transform, opts, {
          prepare: (_ctx, obj, old) => {
            const next = deepCopy(old);
            const finalizers = (obj.spec as { finalizers?: unknown } | undefined)?.finalizers;
            next.spec = { ...(next.spec as object), finalizers: Array.isArray(finalizers) ? finalizers : [] };
            if ((next.spec as { finalizers: unknown[] }).finalizers.length === 0) delete (next.spec as { finalizers?: unknown }).finalizers;
            return next;
          },
        }),
    },
  };
}
