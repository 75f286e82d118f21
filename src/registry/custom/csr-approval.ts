// certificatesigningrequests/approval (upstream pkg/registry/certificates/certificates approval
// strategy): `kubectl certificate approve|deny` PUTs the CSR with an Approved or Denied condition;
// only the conditions change, and an approval or denial can be neither removed nor combined.
import { FieldPath, fieldErrors, type FieldError } from "../../apimachinery/field-errors.js";
import type { KubeObject } from "../../apimachinery/types.js";
import { deepCopy } from "../../storage/codec.js";
import { formatTime } from "../../util/clock.js";
import type { CustomSubresource } from "../definition.js";
import type { ResourceStore } from "../resource-store.js";

interface Condition {
  type?: string;
  status?: string;
  reason?: string;
  message?: string;
  lastUpdateTime?: string | null;
  lastTransitionTime?: string | null;
}

const conditionsOf = (o: KubeObject): Condition[] => ((o.status as { conditions?: Condition[] } | undefined)?.conditions ?? []).filter(Boolean);

export function csrApproval(store: () => ResourceStore): CustomSubresource {
  return {
    kind: "CertificateSigningRequest",
    rest: {
      get: (ctx, name, opts) => store().get(ctx, name, opts),
      update: (ctx, name, transform, opts) =>
        store().updateWith(ctx, name, transform, opts, {
          prepare: (c, obj, old) => {
            const next = deepCopy(old);
            const now = formatTime(c.clock.now());
            const previous = new Map(conditionsOf(old).map((x) => [x.type, x]));
            const conditions = conditionsOf(obj).map((x) => {
              const before = previous.get(x.type);
              const cond: Condition = { ...x };
              if (!cond.lastUpdateTime) cond.lastUpdateTime = now;
              if (!cond.lastTransitionTime) cond.lastTransitionTime = before && before.status === cond.status ? before.lastTransitionTime ?? now : now;
              return cond;
            });
            next.status = { ...(next.status as object), conditions };
            return next;
          },
          validate: (_c, obj, old) => {
            const errs: FieldError[] = [];
            const path = FieldPath.root("status", "conditions");
            const now = conditionsOf(obj);
            const has = (t: string) => now.some((c) => c.type === t && c.status === "True");
            if (has("Approved") && has("Denied")) errs.push(fieldErrors.invalid(path, now.map((c) => c.type), "Approved and Denied conditions are mutually exclusive"));
            for (const t of ["Approved", "Denied"]) {
              const before = conditionsOf(old).some((c) => c.type === t && c.status === "True");
              if (before && !has(t)) errs.push(fieldErrors.forbidden(path, `updates may not remove a condition of type "${t}"`));
            }
            return errs;
          },
        }),
    },
  };
}
