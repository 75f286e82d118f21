// Authorization seam (upstream authorizer.Authorizer). Until RBAC lands every authenticated user
// may do everything — the upstream AlwaysAllow mode — and the review APIs answer accordingly.
import type { UserInfo } from "../apimachinery/types.js";

export interface ResourceAttributes {
  namespace?: string;
  verb?: string;
  group?: string;
  version?: string;
  resource?: string;
  subresource?: string;
  name?: string;
}

export interface NonResourceAttributes {
  path?: string;
  verb?: string;
}

export interface Decision {
  allowed: boolean;
  denied?: boolean;
  reason?: string;
}

export interface RulesReview {
  resourceRules: { verbs: string[]; apiGroups?: string[]; resources?: string[]; resourceNames?: string[] }[];
  nonResourceRules: { verbs: string[]; nonResourceURLs?: string[] }[];
  incomplete: boolean;
}

export interface Authorizer {
  authorize(user: UserInfo, attrs: { resource?: ResourceAttributes; nonResource?: NonResourceAttributes }): Decision;
  rulesFor(user: UserInfo, namespace: string): RulesReview;
}

export const alwaysAllow: Authorizer = {
  authorize: () => ({ allowed: true }),
  rulesFor: () => ({
    resourceRules: [{ verbs: ["*"], apiGroups: ["*"], resources: ["*"] }],
    nonResourceRules: [{ verbs: ["*"], nonResourceURLs: ["*"] }],
    incomplete: false,
  }),
};
