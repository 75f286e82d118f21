// admissionregistration.k8s.io/v1 defaulting (pkg/apis/admissionregistration/v1/defaults.go,
// Kubernetes 1.33): webhooks of both configuration kinds, their rules and service references,
// and ValidatingAdmissionPolicy(Binding)'s match resources and param references.
import type { KubeObject } from "../../apimachinery/types.js";
import { type Json, child, defaultNil, items, obj } from "./util.js";

/** SetDefaults_Rule on every rule of a list (RuleWithOperations / NamedRuleWithOperations). */
function defaultRules(o: Json | undefined, key: string): void {
  for (const rule of items(o, key)) defaultNil(rule, "scope", "*");
}

/** SetDefaults_ValidatingWebhook / SetDefaults_MutatingWebhook and what nests in a webhook. */
function defaultWebhook(webhook: Json, mutating: boolean): void {
  defaultNil(webhook, "failurePolicy", "Fail");
  defaultNil(webhook, "matchPolicy", "Equivalent");
  defaultNil(webhook, "namespaceSelector", {});
  defaultNil(webhook, "objectSelector", {});
  defaultNil(webhook, "timeoutSeconds", 10);
  if (mutating) defaultNil(webhook, "reinvocationPolicy", "Never");
  defaultRules(webhook, "rules");
  const service = child(child(webhook, "clientConfig"), "service");
  if (service) defaultNil(service, "port", 443);
}

export function defaultValidatingWebhookConfiguration(config: KubeObject): void {
  for (const webhook of items(config as Json, "webhooks")) defaultWebhook(webhook, false);
}

export function defaultMutatingWebhookConfiguration(config: KubeObject): void {
  for (const webhook of items(config as Json, "webhooks")) defaultWebhook(webhook, true);
}

/** SetDefaults_MatchResources and its rules. */
function defaultMatchResources(match: Json | undefined): void {
  if (!match) return;
  defaultNil(match, "matchPolicy", "Equivalent");
  defaultNil(match, "namespaceSelector", {});
  defaultNil(match, "objectSelector", {});
  defaultRules(match, "resourceRules");
  defaultRules(match, "excludeResourceRules");
}

/** SetDefaults_ValidatingAdmissionPolicySpec and the match constraints. */
export function defaultValidatingAdmissionPolicy(policy: KubeObject): void {
  const spec = obj(policy.spec);
  if (!spec) return;
  defaultNil(spec, "failurePolicy", "Fail");
  defaultMatchResources(child(spec, "matchConstraints"));
}

/** SetDefaults_ParamRef and the binding's match resources. */
export function defaultValidatingAdmissionPolicyBinding(binding: KubeObject): void {
  const spec = obj(binding.spec);
  if (!spec) return;
  const paramRef = child(spec, "paramRef");
  if (paramRef) defaultNil(paramRef, "parameterNotFoundAction", "Deny");
  defaultMatchResources(child(spec, "matchResources"));
}
