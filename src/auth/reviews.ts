// The review APIs: create-only, never stored, answered from the authenticator and authorizer
// (upstream pkg/registry/authorization/* and authentication/*). kubectl uses them for
// `auth can-i` (SSAR, SSRR) and `auth whoami` (SelfSubjectReview; 1.27 asks v1beta1 first).
import { errors } from "../apimachinery/errors.js";
import { isPlainObject, type KubeObject, type UserInfo } from "../apimachinery/types.js";
import type { RequestContext } from "../registry/context.js";
import { defineResource, type ResourceDefinition } from "../registry/definition.js";
import type { RestStorage } from "../registry/rest.js";
import type { Authorizer } from "./authorizer.js";

type Spec = Record<string, unknown>;

function specOf(obj: KubeObject): Spec {
  return isPlainObject(obj.spec) ? (obj.spec as Spec) : {};
}

function userInfoJson(user: UserInfo): Record<string, unknown> {
  const out: Record<string, unknown> = { username: user.username };
  if (user.uid) out.uid = user.uid;
  out.groups = user.groups;
  if (user.extra && Object.keys(user.extra).length) out.extra = user.extra;
  return out;
}

function reviewed(obj: KubeObject, status: Record<string, unknown>): KubeObject {
  return { ...obj, metadata: { ...obj.metadata, creationTimestamp: null }, status };
}

function createOnly(create: (ctx: RequestContext, obj: KubeObject) => KubeObject): RestStorage {
  return { create: async (ctx, obj) => create(ctx, obj) };
}

function accessDecision(authorizer: Authorizer, user: UserInfo, spec: Spec, namespace?: string) {
  const resource = isPlainObject(spec.resourceAttributes) ? (spec.resourceAttributes as Record<string, string>) : undefined;
  const nonResource = isPlainObject(spec.nonResourceAttributes) ? (spec.nonResourceAttributes as Record<string, string>) : undefined;
  if (!resource && !nonResource)
    throw errors.invalid({ group: "authorization.k8s.io", kind: "SelfSubjectAccessReview" }, "", [
      { type: "FieldValueRequired", field: "spec.resourceAttributes", badValue: "", detail: "exactly one of nonResourceAttributes or resourceAttributes must be specified" },
    ]);
  const attrs = resource ? { resource: { ...resource, ...(namespace !== undefined ? { namespace } : {}) } } : { nonResource: nonResource! };
  const d = authorizer.authorize(user, attrs);
  const status: Record<string, unknown> = { allowed: d.allowed };
  if (d.denied) status.denied = true;
  if (d.reason) status.reason = d.reason;
  return status;
}

function userFromSpec(spec: Spec): UserInfo {
  return {
    username: typeof spec.user === "string" ? spec.user : "",
    ...(typeof spec.uid === "string" ? { uid: spec.uid } : {}),
    groups: Array.isArray(spec.groups) ? (spec.groups as string[]) : [],
    ...(isPlainObject(spec.extra) ? { extra: spec.extra as Record<string, string[]> } : {}),
  };
}

export function reviewResources(authorizer: Authorizer, authenticateToken: (token: string) => UserInfo | undefined): ResourceDefinition[] {
  const virtual = (group: string, version: string, kind: string, plural: string, namespaced: boolean, rest: RestStorage, pkg: string) =>
    defineResource({
      group,
      version,
      kind,
      plural,
      singular: plural.replace(/s$/, ""),
      namespaced,
      schema: `io.k8s.api.${pkg}.${version}.${kind}`,
      verbs: ["create"],
      rest,
    });
  const selfSubjectReview = createOnly((ctx, obj) => reviewed(obj, { userInfo: userInfoJson(ctx.user) }));
  return [
    virtual("authentication.k8s.io", "v1", "SelfSubjectReview", "selfsubjectreviews", false, selfSubjectReview, "authentication"),
    virtual("authentication.k8s.io", "v1beta1", "SelfSubjectReview", "selfsubjectreviews", false, selfSubjectReview, "authentication"),
    virtual(
      "authentication.k8s.io",
      "v1",
      "TokenReview",
      "tokenreviews",
      false,
      createOnly((_ctx, obj) => {
        const token = specOf(obj).token;
        const user = typeof token === "string" ? authenticateToken(token) : undefined;
        return reviewed(obj, user ? { authenticated: true, user: userInfoJson(user) } : { user: {} });
      }),
      "authentication",
    ),
    virtual(
      "authorization.k8s.io",
      "v1",
      "SelfSubjectAccessReview",
      "selfsubjectaccessreviews",
      false,
      createOnly((ctx, obj) => reviewed(obj, accessDecision(authorizer, ctx.user, specOf(obj)))),
      "authorization",
    ),
    virtual(
      "authorization.k8s.io",
      "v1",
      "SelfSubjectRulesReview",
      "selfsubjectrulesreviews",
      false,
      createOnly((ctx, obj) => {
        const ns = specOf(obj).namespace;
        return reviewed(obj, { ...authorizer.rulesFor(ctx.user, typeof ns === "string" ? ns : "") });
      }),
      "authorization",
    ),
    virtual(
      "authorization.k8s.io",
      "v1",
      "SubjectAccessReview",
      "subjectaccessreviews",
      false,
      createOnly((_ctx, obj) => reviewed(obj, accessDecision(authorizer, userFromSpec(specOf(obj)), specOf(obj)))),
      "authorization",
    ),
    virtual(
      "authorization.k8s.io",
      "v1",
      "LocalSubjectAccessReview",
      "localsubjectaccessreviews",
      true,
      createOnly((ctx, obj) => {
        const spec = specOf(obj);
        const ra = spec.resourceAttributes as Record<string, string> | undefined;
        if (ra?.namespace && ra.namespace !== ctx.namespace)
          throw errors.badRequest(`spec.resourceAttributes.namespace must match namespace: ${ctx.namespace}`);
        return reviewed({ ...obj, metadata: { ...obj.metadata, namespace: ctx.namespace } }, accessDecision(authorizer, userFromSpec(spec), spec, ctx.namespace));
      }),
      "authorization",
    ),
  ];
}
