// admissionregistration.k8s.io printers: webhook configurations and admission policies/bindings.
import type { KubeObject } from "../../apimachinery/types.js";
import type { PrintContext, Printer } from "../printer.js";
import { ageColumn, ageOf, column, get, has, list, nameColumn, nameOf, obj, printer, str } from "./util.js";

const WEBHOOKS_DESCRIPTION = "Webhooks indicates the number of webhooks registered in this configuration";
const PARAM_KIND_DESCRIPTION = "ParamKind specifies the kind of resources used to parameterize this policy";
const POLICY_NAME_DESCRIPTION = "PolicyName indicates the policy definition which the policy binding binded to";
const PARAM_REF_DESCRIPTION = "ParamRef indicates the param resource which sets the configration param";

const webhookColumns = () => [nameColumn(), column("Webhooks", "integer", WEBHOOKS_DESCRIPTION), ageColumn()];
const webhookCells = (o: KubeObject, ctx: PrintContext) => [nameOf(o), list(o, "webhooks").length, ageOf(o, ctx)];

export const validatingWebhookConfigurationPrinter: Printer = printer(webhookColumns(), webhookCells);
export const mutatingWebhookConfigurationPrinter: Printer = printer(webhookColumns(), webhookCells);

function paramKind(o: KubeObject): string {
  if (!has(o, "spec", "paramKind")) return "<unset>";
  return `${str(o, "spec", "paramKind", "apiVersion")}/${str(o, "spec", "paramKind", "kind")}`;
}

export const validatingAdmissionPolicyPrinter: Printer = printer(
  [
    nameColumn(),
    column("Validations", "integer", "Validations indicates the number of validation rules defined in this configuration"),
    column("ParamKind", "string", PARAM_KIND_DESCRIPTION),
    ageColumn(),
  ],
  (o, ctx) => [nameOf(o), list(o, "spec", "validations").length, paramKind(o), ageOf(o, ctx)],
);

export const mutatingAdmissionPolicyPrinter: Printer = printer(
  [
    nameColumn(),
    column("Mutations", "integer", "Mutation indicates the number of mutations rules defined in this configuration"),
    column("ParamKind", "string", PARAM_KIND_DESCRIPTION),
    ageColumn(),
  ],
  (o, ctx) => [nameOf(o), list(o, "spec", "mutations").length, paramKind(o), ageOf(o, ctx)],
);

/** Go's `%v` of a []string: `[a b]`. */
function goList(values: unknown[]): string {
  return `[${values.map((v) => (typeof v === "string" ? v : "")).join(" ")}]`;
}

/** metav1.LabelSelector's generated String(), which upstream prints for a selector paramRef. */
export function labelSelectorGoString(sel: unknown): string {
  const labels = obj(sel, "matchLabels");
  const keys = Object.keys(labels).sort();
  const matchLabels = keys.map((k) => `${k}: ${String(labels[k])},`).join("");
  const exprs = list(sel, "matchExpressions")
    .map(
      (e) =>
        `LabelSelectorRequirement{Key:${str(e, "key")},Operator:${str(e, "operator")},Values:${goList(list(e, "values"))},},`,
    )
    .join("");
  return `&LabelSelector{MatchLabels:map[string]string{${matchLabels}},MatchExpressions:[]LabelSelectorRequirement{${exprs}},}`;
}

function paramRef(o: KubeObject): string {
  if (!has(o, "spec", "paramRef")) return "<unset>";
  const ref = obj(o, "spec", "paramRef");
  const name = str(ref, "name");
  if (name !== "") {
    // Params without a namespace may be cluster-scoped or in any namespace: shown as `*/name`.
    return str(ref, "namespace") !== "" ? `${str(ref, "namespace")}/${name}` : `*/${name}`;
  }
  return has(ref, "selector") ? labelSelectorGoString(get(ref, "selector")) : "<unset>";
}

function bindingColumns() {
  return [
    nameColumn(),
    column("PolicyName", "string", POLICY_NAME_DESCRIPTION),
    column("ParamRef", "string", PARAM_REF_DESCRIPTION),
    ageColumn(),
  ];
}

const bindingCells = (o: KubeObject, ctx: PrintContext) => [nameOf(o), str(o, "spec", "policyName"), paramRef(o), ageOf(o, ctx)];

export const validatingAdmissionPolicyBindingPrinter: Printer = printer(bindingColumns(), bindingCells);
export const mutatingAdmissionPolicyBindingPrinter: Printer = printer(bindingColumns(), bindingCells);

