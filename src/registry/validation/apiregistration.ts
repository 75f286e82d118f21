// apiregistration.k8s.io/v1 APIServices (upstream k8s.io/kube-aggregator/pkg/apis/apiregistration/
// validation). The generic store checks the name is a path segment; the rest of upstream's name
// rule (it must be `<version>.<group>`) and the spec are checked here, in upstream's order.
import type { KubeObject } from "../../apimachinery/types.js";
import { pathSegmentErrors } from "../../apimachinery/validation.js";
import { dns1035, dnsSubdomain, validPortNum } from "./common.js";
import { type FieldError, fieldErrors, has, isNum, num, obj, objOr, root, str } from "./helpers.js";

/** ValidateAPIService (metadata rules beyond the generic ones, then the spec). */
export function validateAPIService(svc: KubeObject): FieldError[] {
  const spec = objOr(svc.spec);
  const group = str(spec.group);
  const version = str(spec.version);
  const required = `${version}.${group}`;
  const errs: FieldError[] = [];
  const nameRule = (field: "name" | "generateName", value: string) => {
    if (value === "" || pathSegmentErrors(value).length) return; // reported by the generic checks
    if (value !== required) errs.push(fieldErrors.invalid(root("metadata", field), value, `must be \`spec.version+"."+spec.group\`: ${JSON.stringify(required)}`));
  };
  nameRule("name", str(svc.metadata?.name));
  if (svc.metadata?.generateName) nameRule("generateName", str(svc.metadata.generateName));

  if (group === "" && version !== "v1") errs.push(fieldErrors.required(root("spec", "group"), "only v1 may have an empty group and it better be legacy kube"));
  if (group !== "") errs.push(...dnsSubdomain(group, root("spec", "group")));
  errs.push(...dns1035(version, root("spec", "version")));
  const gpm = num(spec.groupPriorityMinimum);
  if (gpm <= 0 || gpm > 20000) errs.push(fieldErrors.invalid(root("spec", "groupPriorityMinimum"), gpm, "must be positive and less than 20000"));
  const vp = num(spec.versionPriority);
  if (vp <= 0 || vp > 1000) errs.push(fieldErrors.invalid(root("spec", "versionPriority"), vp, "must be positive and less than 1000"));

  const caBundle = str(spec.caBundle);
  const insecure = spec.insecureSkipTLSVerify === true;
  const service = obj(spec.service);
  if (!has(spec, "service") || !service) {
    if (caBundle.length) errs.push(fieldErrors.invalid(root("spec", "caBundle"), `${Buffer.from(caBundle, "base64").length} bytes`, "local APIServices may not have a caBundle"));
    if (insecure) errs.push(fieldErrors.invalid(root("spec", "insecureSkipTLSVerify"), true, "local APIServices may not have insecureSkipTLSVerify"));
    return errs;
  }
  if (!str(service.namespace)) errs.push(fieldErrors.required(root("spec", "service", "namespace")));
  if (!str(service.name)) errs.push(fieldErrors.required(root("spec", "service", "name")));
  const port = isNum(service.port) ? service.port : 0;
  for (const e of validPortNum(port, root("spec", "service", "port"))) errs.push({ ...e, detail: `port is not valid: ${e.detail}` });
  if (insecure && caBundle.length) errs.push(fieldErrors.invalid(root("spec", "insecureSkipTLSVerify"), true, "may not be true if caBundle is present"));
  return errs;
}

/** ValidateAPIServiceStatus: every condition's status is True, False or Unknown. */
export function validateAPIServiceStatus(svc: KubeObject): FieldError[] {
  const conditions = Array.isArray(objOr(svc.status).conditions) ? (objOr(svc.status).conditions as unknown[]) : [];
  const errs: FieldError[] = [];
  conditions.forEach((c, i) => {
    const status = str(objOr(c).status);
    if (status !== "True" && status !== "False" && status !== "Unknown")
      errs.push(fieldErrors.notSupported(root("status", "conditions").index(i).child("status"), status, ["True", "False", "Unknown"]));
  });
  return errs;
}
