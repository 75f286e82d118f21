// LimitRanger (upstream plugin/pkg/admission/limitranger): the namespace's LimitRanges applied to
// new pods and to PersistentVolumeClaims.
// - Mutating: containers and init containers missing a request or limit get the `defaultRequest`
//   and `default` of every LimitRange item of type Container, recorded in the pod annotation
//   kubernetes.io/limit-ranger ("LimitRanger plugin set: cpu, memory request for container app; ...").
// - Validating: min, max and maxLimitRequestRatio of Container items per container and init
//   container, of Pod items over the pod's effective requests and limits, and min/max of
//   PersistentVolumeClaim items over the claim's storage request (claims are never defaulted).
//   Violations are reported together, as a Forbidden error.
// Pods are only checked when created (their containers' resources cannot change on update); an
// object already being deleted is left alone.
import type { KubeObject } from "../../apimachinery/types.js";
import { canonicalQuantity } from "../../registry/defaults/quantity.js";
import { quantity, quantityString, type Format } from "../../registry/validation/quantity.js";
import type { AdmissionAttributes, AdmissionOperation, AdmissionPlugin } from "../interfaces.js";
import type { AdmissionDeps } from "./deps.js";
import { aggregateMessage, forbidden, obj, objs, str, type Json } from "./util.js";

export const LIMIT_RANGER_ANNOTATION = "kubernetes.io/limit-ranger";

/** A resource.Quantity: its value in nano-units, its format and the text String() prints. */
export interface Quantity {
  nano: bigint;
  format: Format;
  text: string;
}

type ResourceList = Map<string, Quantity>;

const NANO = 1_000_000_000n;
const MILLI = 1_000_000n;
/** resource.MaxMilliValue: the largest value whose MilliValue fits an int64. */
const MAX_MILLI_VALUE = ((1n << 63n) - 1n) / 1000n;

function parse(v: unknown): Quantity | undefined {
  const q = quantity(v);
  if (!q) return undefined;
  const text = canonicalQuantity(v);
  return { nano: q.nano, format: q.format, text: typeof text === "string" ? text : quantityString(q) };
}

function fromNano(nano: bigint, format: Format): Quantity {
  const q = { nano, format };
  return { ...q, text: quantityString(q) };
}

/** Value() / MilliValue(): rounded away from zero. */
const ceilDiv = (n: bigint, d: bigint): bigint => (n % d === 0n ? n / d : n > 0n ? n / d + 1n : n / d - 1n);
const valueOf = (q: Quantity | undefined): bigint => (q ? ceilDiv(q.nano, NANO) : 0n);
const milliValueOf = (q: Quantity | undefined): bigint => (q ? ceilDiv(q.nano, MILLI) : 0n);

function resourceList(v: unknown): ResourceList {
  const out: ResourceList = new Map();
  for (const [name, raw] of Object.entries(obj(v) ?? {})) {
    const q = parse(raw);
    if (q) out.set(name, q);
  }
  return out;
}

/** requestLimitEnforcedValues: the three values at milli precision when none overflows. */
function enforcedValues(req: Quantity | undefined, lim: Quantity | undefined, enforced: Quantity): [bigint, bigint, bigint] {
  const r = valueOf(req);
  const l = valueOf(lim);
  const e = valueOf(enforced);
  if (r <= MAX_MILLI_VALUE && l <= MAX_MILLI_VALUE && e <= MAX_MILLI_VALUE) return [milliValueOf(req), milliValueOf(lim), milliValueOf(enforced)];
  return [r, l, e];
}

export function minConstraint(limitType: string, name: string, enforced: Quantity, request: ResourceList, limit: ResourceList): string | undefined {
  const req = request.get(name);
  const lim = limit.get(name);
  const [r, l, e] = enforcedValues(req, lim, enforced);
  if (!req) return `minimum ${name} usage per ${limitType} is ${enforced.text}.  No request is specified`;
  if (r < e) return `minimum ${name} usage per ${limitType} is ${enforced.text}, but request is ${req.text}`;
  if (lim && l < e) return `minimum ${name} usage per ${limitType} is ${enforced.text}, but limit is ${lim.text}`;
  return undefined;
}

/** maxRequestConstraint: for claims, whose limits are not user input. */
export function maxRequestConstraint(limitType: string, name: string, enforced: Quantity, request: ResourceList): string | undefined {
  const req = request.get(name);
  const [r, , e] = enforcedValues(req, undefined, enforced);
  if (!req) return `maximum ${name} usage per ${limitType} is ${enforced.text}.  No request is specified`;
  if (r > e) return `maximum ${name} usage per ${limitType} is ${enforced.text}, but request is ${req.text}`;
  return undefined;
}

export function maxConstraint(limitType: string, name: string, enforced: Quantity, request: ResourceList, limit: ResourceList): string | undefined {
  const req = request.get(name);
  const lim = limit.get(name);
  const [r, l, e] = enforcedValues(req, lim, enforced);
  if (!lim) return `maximum ${name} usage per ${limitType} is ${enforced.text}.  No limit is specified`;
  if (l > e) return `maximum ${name} usage per ${limitType} is ${enforced.text}, but limit is ${lim.text}`;
  if (req && r > e) return `maximum ${name} usage per ${limitType} is ${enforced.text}, but request is ${req.text}`;
  return undefined;
}

/** Go's %f: six decimals, round half to even on the binary value (toFixed is close enough here). */
const formatFloat = (x: number): string => (Number.isFinite(x) ? x.toFixed(6) : x > 0 ? "+Inf" : x < 0 ? "-Inf" : "NaN");

export function limitRequestRatioConstraint(limitType: string, name: string, enforced: Quantity, request: ResourceList, limit: ResourceList): string | undefined {
  const req = request.get(name);
  const lim = limit.get(name);
  const [r, l] = enforcedValues(req, lim, enforced);
  if (!req || r === 0n) return `${name} max limit to request ratio per ${limitType} is ${enforced.text}, but no request is specified or request is 0`;
  if (!lim || l === 0n) return `${name} max limit to request ratio per ${limitType} is ${enforced.text}, but no limit is specified or limit is 0`;
  let observed = Number(l) / Number(r);
  const display = observed;
  let max = Number(valueOf(enforced));
  if (valueOf(enforced) <= MAX_MILLI_VALUE) {
    observed *= 1000;
    max = Number(milliValueOf(enforced));
  }
  if (observed > max) return `${name} max limit to request ratio per ${limitType} is ${enforced.text}, but provided ratio is ${formatFloat(display)}`;
  return undefined;
}

// ---- defaulting ----

interface Defaults {
  requests: [string, unknown][];
  limits: [string, unknown][];
}

/** defaultContainerResourceRequirements: defaultRequest and default of every Container item. */
function containerDefaults(lr: KubeObject): Defaults {
  const requests = new Map<string, unknown>();
  const limits = new Map<string, unknown>();
  for (const item of objs(obj(lr.spec)?.limits)) {
    if (item.type !== "Container") continue;
    for (const [k, v] of Object.entries(obj(item.defaultRequest) ?? {})) requests.set(k, v);
    for (const [k, v] of Object.entries(obj(item.default) ?? {})) limits.set(k, v);
  }
  return { requests: [...requests], limits: [...limits] };
}

/** mergeContainerResources: fills what the container lacks and notes it for the annotation. */
function mergeContainerResources(c: Json, defaults: Defaults, prefix: string, notes: string[]): void {
  const resources = obj(c.resources) ?? {};
  const limits = { ...(obj(resources.limits) ?? {}) };
  const requests = { ...(obj(resources.requests) ?? {}) };
  const setLimits: string[] = [];
  const setRequests: string[] = [];
  for (const [k, v] of defaults.limits)
    if (!(k in limits)) {
      limits[k] = v;
      setLimits.push(k);
    }
  for (const [k, v] of defaults.requests)
    if (!(k in requests)) {
      requests[k] = v;
      setRequests.push(k);
    }
  if (setLimits.length === 0 && setRequests.length === 0) return;
  const next: Json = { ...resources };
  if (Object.keys(limits).length) next.limits = limits;
  if (Object.keys(requests).length) next.requests = requests;
  c.resources = next;
  if (setRequests.length) notes.push(`${setRequests.sort().join(", ")} request for ${prefix} ${str(c.name)}`);
  if (setLimits.length) notes.push(`${setLimits.sort().join(", ")} limit for ${prefix} ${str(c.name)}`);
}

/** PodMutateLimitFunc. */
export function mutatePod(lr: KubeObject, pod: KubeObject): void {
  const defaults = containerDefaults(lr);
  const spec = obj(pod.spec);
  if (!spec) return;
  const notes: string[] = [];
  for (const c of objs(spec.containers)) mergeContainerResources(c, defaults, "container", notes);
  for (const c of objs(spec.initContainers)) mergeContainerResources(c, defaults, "init container", notes);
  if (notes.length === 0) return;
  pod.metadata.annotations = { ...(pod.metadata.annotations ?? {}), [LIMIT_RANGER_ANNOTATION]: `LimitRanger plugin set: ${notes.join("; ")}` };
}

// ---- pod totals (pkg/api/v1/resource PodRequests/PodLimits on the spec only) ----

function addResourceList(into: ResourceList, list: ResourceList): void {
  for (const [name, q] of list) {
    const cur = into.get(name);
    into.set(name, cur ? fromNano(cur.nano + q.nano, cur.format) : q);
  }
}

function maxResourceList(into: ResourceList, list: ResourceList): void {
  for (const [name, q] of list) {
    const cur = into.get(name);
    if (!cur || q.nano > cur.nano) into.set(name, q);
  }
}

function podTotals(pod: KubeObject, field: "requests" | "limits"): ResourceList {
  const spec = obj(pod.spec) ?? {};
  const total: ResourceList = new Map();
  for (const c of objs(spec.containers)) addResourceList(total, resourceList(obj(c.resources)?.[field]));
  const restartable: ResourceList = new Map();
  const initTotal: ResourceList = new Map();
  for (const c of objs(spec.initContainers)) {
    let list = resourceList(obj(c.resources)?.[field]);
    if (c.restartPolicy === "Always") {
      addResourceList(total, list);
      addResourceList(restartable, list);
      list = new Map(restartable);
    } else {
      const tmp: ResourceList = new Map();
      addResourceList(tmp, list);
      addResourceList(tmp, restartable);
      list = tmp;
    }
    maxResourceList(initTotal, list);
  }
  maxResourceList(total, initTotal);
  return total;
}

// ---- validation ----

function itemLists(item: Json): { min: ResourceList; max: ResourceList; ratio: ResourceList } {
  return { min: resourceList(item.min), max: resourceList(item.max), ratio: resourceList(item.maxLimitRequestRatio) };
}

function checkAll(limitType: string, item: Json, requests: ResourceList, limits: ResourceList, errs: string[]): void {
  const { min, max, ratio } = itemLists(item);
  const push = (e: string | undefined) => {
    if (e) errs.push(e);
  };
  for (const [k, v] of min) push(minConstraint(limitType, k, v, requests, limits));
  for (const [k, v] of max) push(maxConstraint(limitType, k, v, requests, limits));
  for (const [k, v] of ratio) push(limitRequestRatioConstraint(limitType, k, v, requests, limits));
}

/** PodValidateLimitFunc: the violations of one LimitRange, empty when none. */
export function validatePod(lr: KubeObject, pod: KubeObject): string[] {
  const errs: string[] = [];
  const spec = obj(pod.spec) ?? {};
  for (const item of objs(obj(lr.spec)?.limits)) {
    const type = str(item.type);
    if (type === "Container") {
      for (const field of ["containers", "initContainers"])
        for (const c of objs(spec[field])) {
          const resources = obj(c.resources);
          checkAll(type, item, resourceList(resources?.requests), resourceList(resources?.limits), errs);
        }
    }
    if (type === "Pod") checkAll(type, item, podTotals(pod, "requests"), podTotals(pod, "limits"), errs);
  }
  return errs;
}

/** PersistentVolumeClaimValidateLimitFunc. */
export function validateClaim(lr: KubeObject, pvc: KubeObject): string[] {
  const errs: string[] = [];
  const requests = resourceList(obj(obj(pvc.spec)?.resources)?.requests);
  for (const item of objs(obj(lr.spec)?.limits)) {
    const type = str(item.type);
    if (type !== "PersistentVolumeClaim") continue;
    const { min, max } = itemLists(item);
    for (const [k, v] of min) {
      const e = minConstraint(type, k, v, requests, new Map());
      if (e) errs.push(e);
    }
    for (const [k, v] of max) {
      const e = maxRequestConstraint(type, k, v, requests);
      if (e) errs.push(e);
    }
  }
  return errs;
}

export class LimitRanger implements AdmissionPlugin {
  readonly name = "LimitRanger";

  constructor(private readonly deps: AdmissionDeps) {}

  handles(op: AdmissionOperation): boolean {
    return op === "CREATE" || op === "UPDATE";
  }

  /** SupportsAttributes: pods (created only) and claims, no subresources. */
  private supports(a: AdmissionAttributes): "pod" | "claim" | undefined {
    if (a.subresource !== "" || a.kind.group !== "" || !a.object) return undefined;
    if (a.kind.kind === "Pod") return a.operation === "UPDATE" ? undefined : "pod";
    if (a.kind.kind === "PersistentVolumeClaim") return "claim";
    return undefined;
  }

  private limitRanges(a: AdmissionAttributes): KubeObject[] | undefined {
    // objects already being deleted are ignored
    if (a.oldObject?.metadata.deletionTimestamp) return undefined;
    return this.deps.list("", "limitranges", a.namespace);
  }

  admit(a: AdmissionAttributes): void {
    if (this.supports(a) !== "pod") return;
    for (const lr of this.limitRanges(a) ?? []) mutatePod(lr, a.object!);
  }

  validate(a: AdmissionAttributes): void {
    const kind = this.supports(a);
    if (!kind) return;
    for (const lr of this.limitRanges(a) ?? []) {
      const errs = kind === "pod" ? validatePod(lr, a.object!) : validateClaim(lr, a.object!);
      if (errs.length) throw forbidden(a, aggregateMessage(errs));
    }
  }
}

export function limitRanger(deps: AdmissionDeps): AdmissionPlugin | undefined {
  return new LimitRanger(deps);
}
