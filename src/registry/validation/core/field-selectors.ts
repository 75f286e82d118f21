// Downward API selectors (upstream validateObjectFieldSelector / validateContainerResourceFieldSelector).
import { qualifiedName } from "../common.js";
import { type FieldError, FieldPath, type Obj, fieldErrors, str } from "../helpers.js";
import { quantity, quantityString } from "../quantity.js";

export const ENV_FIELD_PATHS = ["metadata.name", "metadata.namespace", "metadata.uid", "spec.nodeName", "spec.serviceAccountName", "status.hostIP", "status.hostIPs", "status.podIP", "status.podIPs"].sort();
export const VOLUME_FIELD_PATHS = ["metadata.annotations", "metadata.labels", "metadata.name", "metadata.namespace", "metadata.uid"];
const RESOURCE_PATHS = ["limits.cpu", "limits.ephemeral-storage", "limits.memory", "requests.cpu", "requests.ephemeral-storage", "requests.memory"];

/** Field labels the v1 conversion accepts for downward API fieldPaths. */
const CONVERTIBLE = new Set([...ENV_FIELD_PATHS, "metadata.annotations", "metadata.labels", "spec.host"]);

export function validateObjectFieldSelector(fs: Obj, valid: string[], p: FieldPath): FieldError[] {
  const apiVersion = fs.apiVersion === undefined ? "v1" : str(fs.apiVersion);
  if (!apiVersion) return [fieldErrors.required(p.child("apiVersion"))];
  const fieldPath = str(fs.fieldPath);
  if (!fieldPath) return [fieldErrors.required(p.child("fieldPath"))];
  const m = /^(metadata\.(?:annotations|labels))\['(.*)'\]$/.exec(fieldPath);
  const base = m ? m[1]! : fieldPath;
  if (apiVersion !== "v1" || !CONVERTIBLE.has(base)) {
    const reason = apiVersion !== "v1" ? `unsupported version: ${apiVersion}` : `field label not supported: ${fieldPath}`;
    return [fieldErrors.invalid(p.child("fieldPath"), fieldPath, `error converting fieldPath: ${reason}`)];
  }
  if (m) return base === "metadata.annotations" ? qualifiedName(m[2]!.toLowerCase(), p) : qualifiedName(m[2]!, p);
  const internal = fieldPath === "spec.host" ? "spec.nodeName" : fieldPath;
  if (!valid.includes(internal)) return [fieldErrors.notSupported(p.child("fieldPath"), internal, valid)];
  return [];
}

const CPU_DIVISORS = ["1m", "1"];
const MEM_DIVISORS = ["1", "1k", "1M", "1G", "1T", "1P", "1E", "1Ki", "1Mi", "1Gi", "1Ti", "1Pi", "1Ei"];

export function validateResourceFieldSelector(fs: Obj, p: FieldPath, volume: boolean): FieldError[] {
  const errs: FieldError[] = [];
  const resource = str(fs.resource);
  if (volume && !str(fs.containerName)) errs.push(fieldErrors.required(p.child("containerName")));
  else if (!resource) errs.push(fieldErrors.required(p.child("resource")));
  else if (!RESOURCE_PATHS.includes(resource) && !resource.startsWith("requests.hugepages-") && !resource.startsWith("limits.hugepages-"))
    errs.push(fieldErrors.notSupported(p.child("resource"), resource, RESOURCE_PATHS));
  const d = fs.divisor === undefined || fs.divisor === null ? undefined : quantity(fs.divisor);
  if (d && d.nano !== 0n) {
    const text = quantityString(d);
    const memMsg = "only divisor's values 1, 1k, 1M, 1G, 1T, 1P, 1E, 1Ki, 1Mi, 1Gi, 1Ti, 1Pi, 1Ei are supported with the";
    if ((resource === "limits.cpu" || resource === "requests.cpu") && !CPU_DIVISORS.includes(text))
      errs.push(fieldErrors.invalid(p.child("divisor"), resource, "only divisor's values 1m and 1 are supported with the cpu resource"));
    if ((resource === "limits.memory" || resource === "requests.memory") && !MEM_DIVISORS.includes(text))
      errs.push(fieldErrors.invalid(p.child("divisor"), resource, `${memMsg} memory resource`));
    if ((resource === "limits.ephemeral-storage" || resource === "requests.ephemeral-storage") && !MEM_DIVISORS.includes(text))
      errs.push(fieldErrors.invalid(p.child("divisor"), resource, `${memMsg} local ephemeral storage resource`));
    if ((resource.startsWith("requests.hugepages-") || resource.startsWith("limits.hugepages-")) && !MEM_DIVISORS.includes(text))
      errs.push(fieldErrors.invalid(p.child("divisor"), resource, `${memMsg} hugepages resource`));
  }
  return errs;
}
