// Scheduling constraints of a pod spec (upstream validateAffinity, ValidateTolerations,
// validateTopologySpreadConstraints, ValidateNodeSelector).
import { labelValueErrors } from "../../../apimachinery/labels.js";
import { nameErrors } from "../../../apimachinery/validation.js";
import { NOT_POSITIVE, labelName, validateLabelSelector } from "../common.js";
import { type FieldError, FieldPath, type Obj, fieldErrors, isNum, obj, objOr, objs, str, strs } from "../helpers.js";

export function nodeSelectorRequirement(rq: Obj, p: FieldPath, allowInvalidValues: boolean): FieldError[] {
  const errs: FieldError[] = [];
  const op = str(rq.operator);
  const values = strs(rq.values);
  switch (op) {
    case "In":
    case "NotIn":
      if (values.length === 0) errs.push(fieldErrors.required(p.child("values"), "must be specified when `operator` is 'In' or 'NotIn'"));
      break;
    case "Exists":
    case "DoesNotExist":
      if (values.length > 0) errs.push(fieldErrors.forbidden(p.child("values"), "may not be specified when `operator` is 'Exists' or 'DoesNotExist'"));
      break;
    case "Gt":
    case "Lt":
      if (values.length !== 1) errs.push(fieldErrors.required(p.child("values"), "must be specified single value when `operator` is 'Lt' or 'Gt'"));
      break;
    default:
      errs.push(fieldErrors.invalid(p.child("operator"), op, "not a valid selector operator"));
  }
  errs.push(...labelName(str(rq.key), p.child("key")));
  if (!allowInvalidValues) values.forEach((v, i) => labelValueErrors(v).forEach((m) => errs.push(fieldErrors.invalid(p.child("values").index(i), v, m))));
  return errs;
}

function nodeFieldSelectorRequirement(rq: Obj, p: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  const op = str(rq.operator);
  const values = strs(rq.values);
  if (op === "In" || op === "NotIn") {
    if (values.length !== 1) errs.push(fieldErrors.required(p.child("values"), "must be only one value when `operator` is 'In' or 'NotIn' for node field selector"));
  } else errs.push(fieldErrors.invalid(p.child("operator"), op, "not a valid selector operator"));
  if (str(rq.key) !== "metadata.name") errs.push(fieldErrors.invalid(p.child("key"), str(rq.key), "not a valid field selector key"));
  else values.forEach((v, i) => nameErrors("DNS1123Subdomain", v).forEach((m) => errs.push(fieldErrors.invalid(p.child("values").index(i), v, m))));
  return errs;
}

export function nodeSelectorTerm(term: Obj, p: FieldPath, allowInvalid: boolean): FieldError[] {
  const errs: FieldError[] = [];
  objs(term.matchExpressions).forEach((r, j) => errs.push(...nodeSelectorRequirement(r, p.child("matchExpressions").index(j), allowInvalid)));
  objs(term.matchFields).forEach((r, j) => errs.push(...nodeFieldSelectorRequirement(r, p.child("matchFields").index(j))));
  return errs;
}

export function validateNodeSelector(ns: Obj, p: FieldPath, allowInvalid = false): FieldError[] {
  const tp = p.child("nodeSelectorTerms");
  const terms = objs(ns.nodeSelectorTerms);
  if (terms.length === 0) return [fieldErrors.required(tp, "must have at least one node selector term")];
  return terms.flatMap((t, i) => nodeSelectorTerm(t, tp.index(i), allowInvalid));
}

function podAffinityTerm(term: Obj, p: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  errs.push(...validateLabelSelector(term.labelSelector, p.child("labelSelector")));
  errs.push(...validateLabelSelector(term.namespaceSelector, p.child("namespaceSelector")));
  for (const ns of strs(term.namespaces)) for (const m of nameErrors("DNS1123Label", ns)) errs.push(fieldErrors.invalid(p.child("namespace"), ns, m));
  // matchLabelKeys / mismatchLabelKeys
  const sel = obj(term.labelSelector);
  const mk = strs(term.matchLabelKeys);
  const mmk = strs(term.mismatchLabelKeys);
  for (const [field, keys] of [["matchLabelKeys", mk], ["mismatchLabelKeys", mmk]] as const) {
    if (keys.length === 0) continue;
    if (!sel) errs.push(fieldErrors.forbidden(p.child(field), "must not be specified when labelSelector is not set"));
    else keys.forEach((k, i) => errs.push(...labelName(k, p.child(field).index(i))));
  }
  if (sel) {
    const idx = new Map(mk.map((k, i) => [k, i] as const));
    const keys = new Set(Object.keys(objOr(sel.matchLabels)));
    for (const e of objs(sel.matchExpressions)) {
      const key = str(e.key);
      const i = idx.get(key);
      if (i !== undefined && keys.has(key)) errs.push(fieldErrors.invalid(p.index(i), key, "exists in both matchLabelKeys and labelSelector"));
      keys.add(key);
    }
  }
  const mmSet = new Set(mmk);
  mk.forEach((k, i) => {
    if (mmSet.has(k)) errs.push(fieldErrors.invalid(p.child("matchLabelKeys").index(i), k, "exists in both matchLabelKeys and mismatchLabelKeys"));
  });
  const tk = str(term.topologyKey);
  if (!tk) errs.push(fieldErrors.required(p.child("topologyKey"), "can not be empty"));
  errs.push(...labelName(tk, p.child("topologyKey")));
  return errs;
}

function podAffinity(a: Obj, p: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  objs(a.requiredDuringSchedulingIgnoredDuringExecution).forEach((t, i) =>
    errs.push(...podAffinityTerm(t, p.child("requiredDuringSchedulingIgnoredDuringExecution").index(i))),
  );
  objs(a.preferredDuringSchedulingIgnoredDuringExecution).forEach((w, j) => {
    const wp = p.child("preferredDuringSchedulingIgnoredDuringExecution").index(j);
    const weight = isNum(w.weight) ? w.weight : 0;
    if (weight <= 0 || weight > 100) errs.push(fieldErrors.invalid(wp.child("weight"), weight, "must be in the range 1-100"));
    errs.push(...podAffinityTerm(objOr(w.podAffinityTerm), wp.child("podAffinityTerm")));
  });
  return errs;
}

export function validateAffinity(aff: Obj | undefined, p: FieldPath): FieldError[] {
  if (!aff) return [];
  const errs: FieldError[] = [];
  const na = obj(aff.nodeAffinity);
  if (na) {
    const np = p.child("nodeAffinity");
    const req = obj(na.requiredDuringSchedulingIgnoredDuringExecution);
    if (req) errs.push(...validateNodeSelector(req, np.child("requiredDuringSchedulingIgnoredDuringExecution")));
    objs(na.preferredDuringSchedulingIgnoredDuringExecution).forEach((t, i) => {
      const tp = np.child("preferredDuringSchedulingIgnoredDuringExecution").index(i);
      const weight = isNum(t.weight) ? t.weight : 0;
      if (weight <= 0 || weight > 100) errs.push(fieldErrors.invalid(tp.child("weight"), weight, "must be in the range 1-100"));
      errs.push(...nodeSelectorTerm(objOr(t.preference), tp.child("preference"), true));
    });
  }
  const pa = obj(aff.podAffinity);
  if (pa) errs.push(...podAffinity(pa, p.child("podAffinity")));
  const paa = obj(aff.podAntiAffinity);
  if (paa) errs.push(...podAffinity(paa, p.child("podAntiAffinity")));
  return errs;
}

const TAINT_EFFECTS = ["NoSchedule", "PreferNoSchedule", "NoExecute"];

export function taintEffect(effect: string, allowEmpty: boolean, p: FieldPath): FieldError[] {
  if (!allowEmpty && !effect) return [fieldErrors.required(p)];
  return TAINT_EFFECTS.includes(effect) ? [] : [fieldErrors.notSupported(p, effect, TAINT_EFFECTS)];
}

export function validateTolerations(tolerations: unknown, p: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  objs(tolerations).forEach((t, i) => {
    const ip = p.index(i);
    const key = str(t.key);
    const op = str(t.operator);
    const value = str(t.value);
    const effect = str(t.effect);
    if (key) errs.push(...labelName(key, ip.child("key")));
    if (!key && op !== "Exists")
      errs.push(fieldErrors.invalid(ip.child("operator"), op, 'operator must be Exists when `key` is empty, which means "match all values and all keys"'));
    if (isNum(t.tolerationSeconds) && effect !== "NoExecute") errs.push(fieldErrors.invalid(ip.child("effect"), effect, "effect must be 'NoExecute' when `tolerationSeconds` is set"));
    switch (op) {
      case "Equal":
      case "": {
        const m = labelValueErrors(value);
        if (m.length) errs.push(fieldErrors.invalid(ip.child("operator"), value, m.join(";")));
        break;
      }
      case "Exists":
        if (value) errs.push(fieldErrors.invalid(ip.child("operator"), value, "value must be empty when `operator` is 'Exists'"));
        break;
      default:
        errs.push(fieldErrors.notSupported(ip.child("operator"), op, ["Equal", "Exists"]));
    }
    if (effect) errs.push(...taintEffect(effect, true, ip.child("effect")));
  });
  return errs;
}

export function validateTopologySpreadConstraints(list: unknown, p: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  const cs = objs(list);
  cs.forEach((c, i) => {
    const cp = p.index(i);
    const maxSkew = isNum(c.maxSkew) ? c.maxSkew : 0;
    if (maxSkew <= 0) errs.push(fieldErrors.invalid(cp.child("maxSkew"), maxSkew, NOT_POSITIVE));
    if (!str(c.topologyKey)) errs.push(fieldErrors.required(cp.child("topologyKey"), "can not be empty"));
    const wu = str(c.whenUnsatisfiable);
    if (wu !== "DoNotSchedule" && wu !== "ScheduleAnyway") errs.push(fieldErrors.notSupported(cp.child("whenUnsatisfiable"), wu, ["DoNotSchedule", "ScheduleAnyway"]));
    if (cs.slice(i + 1).some((o) => str(o.topologyKey) === str(c.topologyKey) && str(o.whenUnsatisfiable) === wu))
      errs.push(fieldErrors.duplicate(cp.child("{topologyKey, whenUnsatisfiable}"), `{${str(c.topologyKey)}, ${wu}}`));
    if (isNum(c.minDomains)) {
      if (c.minDomains <= 0) errs.push(fieldErrors.invalid(cp.child("minDomains"), c.minDomains, NOT_POSITIVE));
      if (wu !== "DoNotSchedule") errs.push(fieldErrors.invalid(cp.child("minDomains"), c.minDomains, `can only use minDomains if whenUnsatisfiable=DoNotSchedule, not ${wu}`));
    }
    for (const f of ["nodeAffinityPolicy", "nodeTaintsPolicy"]) {
      if (c[f] === undefined || c[f] === null) continue;
      if (!["Honor", "Ignore"].includes(str(c[f]))) errs.push(fieldErrors.notSupported(cp.child(f), str(c[f]), ["Honor", "Ignore"]));
    }
    const mlk = strs(c.matchLabelKeys);
    if (mlk.length) {
      const sel = obj(c.labelSelector);
      const keys = new Set<string>();
      if (sel) {
        for (const k of Object.keys(objOr(sel.matchLabels))) keys.add(k);
        for (const e of objs(sel.matchExpressions)) keys.add(str(e.key));
      } else errs.push(fieldErrors.forbidden(cp.child("matchLabelKeys"), "must not be specified when labelSelector is not set"));
      mlk.forEach((k, j) => {
        errs.push(...labelName(k, cp.child("matchLabelKeys").index(j)));
        if (keys.has(k)) errs.push(fieldErrors.invalid(cp.child("matchLabelKeys").index(j), k, "exists in both matchLabelKeys and labelSelector"));
      });
    }
    errs.push(...validateLabelSelector(c.labelSelector, cp.child("labelSelector")));
  });
  return errs;
}

