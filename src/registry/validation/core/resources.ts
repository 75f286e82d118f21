// Container resource requirements (upstream validateResourceRequirements and the resource-name
// helpers), with quantities printed in canonical form.
import { qualifiedNameErrors } from "../../../apimachinery/labels.js";
import { IS_NEGATIVE, dnsLabel } from "../common.js";
import { type FieldError, FieldPath, GoValue, type Obj, fieldErrors, objOr, objs, str, sortedKeys } from "../helpers.js";
import { type Quantity, cmp, milliValue, quantity, quantityString } from "../quantity.js";

const STANDARD_CONTAINER = new Set(["cpu", "memory", "ephemeral-storage"]);
const STANDARD_RESOURCES = new Set([
  "cpu", "memory", "ephemeral-storage", "requests.cpu", "requests.memory", "requests.ephemeral-storage", "limits.cpu", "limits.memory",
  "limits.ephemeral-storage", "pods", "services", "replicationcontrollers", "resourcequotas", "secrets", "persistentvolumeclaims",
  "configmaps", "requests.storage", "services.nodeports", "services.loadbalancers", "storage",
]);

export const isHugePage = (name: string): boolean => name.startsWith("hugepages-");
const isNative = (name: string): boolean => !name.includes("/") || name.includes("kubernetes.io/");
const isPrefixedNative = (name: string): boolean => name.includes("kubernetes.io/");
/** Extended resources (fully-qualified, not kubernetes.io, not requests.*) cannot overcommit. */
export function isExtended(name: string): boolean {
  if (isNative(name) || name.startsWith("requests.")) return false;
  return qualifiedNameErrors(`requests.${name}`).length === 0;
}
export const overcommitAllowed = (name: string): boolean => isNative(name) && !isHugePage(name);
const isIntegerResource = (name: string): boolean =>
  ["pods", "count/pods", "services", "replicationcontrollers", "resourcequotas", "secrets", "configmaps", "persistentvolumeclaims", "services.nodeports", "services.loadbalancers"].includes(name) ||
  isExtended(name);

export function validateResourceName(name: string, p: FieldPath): FieldError[] {
  const errs = qualifiedNameErrors(name).map((m) => fieldErrors.invalid(p, name, m));
  if (errs.length) return errs;
  if (!name.includes("/") && !STANDARD_RESOURCES.has(name) && !isHugePage(name))
    return [fieldErrors.invalid(p, name, "must be a standard resource type or fully qualified")];
  return [];
}

export function validateContainerResourceName(name: string, p: FieldPath): FieldError[] {
  const errs = validateResourceName(name, p);
  if (!name.includes("/")) {
    if (!STANDARD_CONTAINER.has(name) && !isHugePage(name)) return [...errs, fieldErrors.invalid(p, name, "must be a standard resource for containers")];
  } else if (!isPrefixedNative(name) && !isExtended(name)) {
    return [...errs, fieldErrors.invalid(p, name, "doesn't follow extended resource name standard")];
  }
  return errs;
}

/** Go's %#v of a resource.Quantity value (used where upstream passes a Quantity by value). */
export function goQuantity(q: Quantity): GoValue {
  let value = q.nano;
  let scale = -9;
  while (value !== 0n && value % 10n === 0n) {
    value /= 10n;
    scale++;
  }
  return new GoValue(`resource.Quantity{i:resource.int64Amount{value:${value}, scale:${scale}}, d:resource.infDecAmount{Dec:(*inf.Dec)(nil)}, s:"", Format:"${q.format}"}`);
}

/** ValidateResourceQuantityValue: non-negative, and whole for integer resources. */
export function resourceQuantityValue(name: string, q: Quantity, p: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  if (q.nano < 0n) errs.push(fieldErrors.invalid(p, quantityString(q), IS_NEGATIVE));
  if (isIntegerResource(name) && milliValue(q) % 1000n !== 0n) errs.push(fieldErrors.invalid(p, goQuantity(q), "must be an integer"));
  return errs;
}

function hugePageDivisible(name: string, q: Quantity): boolean {
  const size = quantity(name.slice("hugepages-".length));
  if (!size || size.nano <= 0n) return false;
  return q.nano % size.nano === 0n;
}

export function validateResourceRequirements(res: Obj, claimNames: Set<string>, p: FieldPath, nameFn = validateContainerResourceName): FieldError[] {
  const errs: FieldError[] = [];
  const limPath = p.child("limits");
  const reqPath = p.child("requests");
  const limits = objOr(res.limits);
  const requests = objOr(res.requests);
  let limCM = false;
  let reqCM = false;
  let limHP = false;
  let reqHP = false;
  for (const name of sortedKeys(limits)) {
    const fp = limPath.key(name);
    errs.push(...nameFn(name, fp));
    const q = quantity(limits[name]);
    if (!q) continue;
    errs.push(...resourceQuantityValue(name, q, fp));
    if (isHugePage(name)) {
      limHP = true;
      if (!hugePageDivisible(name, q)) errs.push(fieldErrors.invalid(fp, quantityString(q), `${quantityString(q)} is not positive integer multiple of ${name}`));
    }
    if (name === "cpu" || name === "memory") limCM = true;
  }
  for (const name of sortedKeys(requests)) {
    const fp = reqPath.key(name);
    errs.push(...nameFn(name, fp));
    const q = quantity(requests[name]);
    if (!q) continue;
    errs.push(...resourceQuantityValue(name, q, fp));
    const limit = limits[name] !== undefined ? quantity(limits[name]) : undefined;
    if (limit) {
      if (cmp(q, limit) !== 0 && !overcommitAllowed(name))
        errs.push(fieldErrors.invalid(reqPath, quantityString(q), `must be equal to ${name} limit of ${quantityString(limit)}`));
      else if (cmp(q, limit) > 0) errs.push(fieldErrors.invalid(reqPath, quantityString(q), `must be less than or equal to ${name} limit of ${quantityString(limit)}`));
    } else if (!overcommitAllowed(name)) errs.push(fieldErrors.required(limPath, "Limit must be set for non overcommitable resources"));
    if (isHugePage(name)) {
      reqHP = true;
      if (!hugePageDivisible(name, q)) errs.push(fieldErrors.invalid(fp, quantityString(q), `${quantityString(q)} is not positive integer multiple of ${name}`));
    }
    if (name === "cpu" || name === "memory") reqCM = true;
  }
  if (!limCM && !reqCM && (reqHP || limHP)) errs.push(fieldErrors.forbidden(p, "HugePages require cpu or memory"));
  errs.push(...resourceClaimNames(res.claims, claimNames, p.child("claims")));
  return errs;
}

function resourceClaimNames(claims: unknown, podClaims: Set<string>, p: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  const names = new Set<string>();
  objs(claims).forEach((c, i) => {
    const name = str(c.name);
    if (!name) {
      errs.push(fieldErrors.required(p.index(i)));
      return;
    }
    if (names.has(name)) errs.push(fieldErrors.duplicate(p.index(i), name));
    else {
      let key = name;
      const request = str(c.request);
      if (request) {
        errs.push(...dnsLabel(request, p.index(i).child("request")));
        key += `/${request}`;
      }
      if (names.has(key)) errs.push(fieldErrors.duplicate(p.index(i), key));
      else if (!request) for (const k of names) if (k.includes("/") && k.slice(0, k.indexOf("/")) === name) errs.push(fieldErrors.duplicate(p.index(i), name));
      names.add(key);
    }
    if (!podClaims.has(name)) {
      const list = [...podClaims].sort();
      errs.push({ ...fieldErrors.notFound(p.index(i), name), detail: `must be one of the names in pod.spec.resourceClaims${list.length ? `: ${list.join(", ")}` : " which is empty"}` });
    }
  });
  return errs;
}

