// serviceaccounts/token (upstream TokenREST): issues a bound service account token for an
// existing service account — what `kubectl create token` and kubelets ask for.
import { errors } from "../../apimachinery/errors.js";
import { FieldPath, fieldErrors } from "../../apimachinery/field-errors.js";
import { isPlainObject, type KubeObject } from "../../apimachinery/types.js";
import { DEFAULT_ISSUER, type ServiceAccountTokens } from "../../auth/service-account-tokens.js";
import { formatTime } from "../../util/clock.js";
import type { CustomSubresource } from "../definition.js";
import type { ResourceStore } from "../resource-store.js";

const MIN_EXPIRATION = 600;
const MAX_EXPIRATION = 2 ** 32;
const DEFAULT_EXPIRATION = 3600;

export function tokenRequest(store: () => ResourceStore, tokens: ServiceAccountTokens): CustomSubresource {
  return {
    kind: "TokenRequest",
    group: "authentication.k8s.io",
    version: "v1",
    rest: {
      create: async (ctx, req) => {
        const name = ctx.name;
        const sa = await store().get(ctx, name, {});
        const spec = isPlainObject(req.spec) ? (req.spec as Record<string, unknown>) : {};
        const expirationSeconds = typeof spec.expirationSeconds === "number" ? spec.expirationSeconds : DEFAULT_EXPIRATION;
        if (expirationSeconds < MIN_EXPIRATION)
          throw errors.invalid({ group: "authentication.k8s.io", kind: "TokenRequest" }, name, [
            fieldErrors.invalid(FieldPath.root("spec", "expirationSeconds"), expirationSeconds, "may not specify a duration less than 10 minutes"),
          ]);
        if (expirationSeconds > MAX_EXPIRATION)
          throw errors.invalid({ group: "authentication.k8s.io", kind: "TokenRequest" }, name, [
            fieldErrors.invalid(FieldPath.root("spec", "expirationSeconds"), expirationSeconds, "may not specify a duration larger than 2^32 seconds"),
          ]);
        const audiences = Array.isArray(spec.audiences) && spec.audiences.length ? (spec.audiences as string[]) : [DEFAULT_ISSUER];
        const bound = isPlainObject(spec.boundObjectRef) ? (spec.boundObjectRef as { kind?: string; name?: string; uid?: string }) : undefined;
        const now = ctx.clock.now();
        const { token, expiration } = tokens.issue({
          namespace: ctx.namespace,
          name,
          uid: sa.metadata.uid!,
          audiences,
          expirationSeconds,
          now,
          ...(bound?.kind ? { boundObject: { [bound.kind.toLowerCase()]: { name: bound.name, uid: bound.uid } } } : {}),
        });
        const out: KubeObject = {
          kind: "TokenRequest",
          apiVersion: "authentication.k8s.io/v1",
          metadata: { name, namespace: ctx.namespace, creationTimestamp: formatTime(now) },
          spec: { audiences, expirationSeconds, boundObjectRef: bound ?? null },
          status: { token, expirationTimestamp: formatTime(expiration) },
        };
        return out;
      },
    },
  };
}
