// batch/v1 (upstream pkg/apis/batch/validation): Jobs and CronJobs. Selector immutability of Jobs
// is checked by the built-in strategy.
import type { KubeObject } from "../../apimachinery/types.js";
import { dns1123LabelErrors } from "../../apimachinery/validation.js";
import { FIELD_IMMUTABLE, domainPrefixedPath, nonNegativeOpt, qualifiedName, selectorConvertible, selectorMatches, validateLabelSelector } from "./common.js";
import { cronScheduleError, loadLocationOk } from "./cron.js";
import { goLabelSelector } from "./go-format.js";
import { type FieldError, FieldPath, type Obj, GoValue, fieldErrors, invalidGo, invalidOmit, isNum, obj, objOr, objs, root, semanticEqual, str, strMap } from "./helpers.js";
import { validatePodTemplateSpec } from "./core/pod-spec.js";

const LEGACY_UID = "controller-uid";
const LEGACY_NAME = "job-name";
const UID = "batch.kubernetes.io/controller-uid";
const NAME = "batch.kubernetes.io/job-name";
const ACTIONS = ["Count", "FailIndex", "FailJob", "Ignore"];

function hasLabel(labels: Record<string, string>, key: string, expected: string, p: FieldPath): FieldError[] {
  if (!(key in labels)) return [fieldErrors.required(p.child("labels").key(key), `must be '${expected}'`)];
  if (labels[key] !== expected) return [fieldErrors.invalid(p.child("labels").key(key), labels, `must be '${expected}'`)];
  return [];
}

function generatedSelector(job: KubeObject, requirePrefixed: boolean): FieldError[] {
  const spec = objOr(job.spec);
  if (spec.manualSelector === true || !obj(spec.selector)) return [];
  const errs: FieldError[] = [];
  const uid = job.metadata.uid ?? "";
  const name = job.metadata.name ?? "";
  if (!uid) errs.push(fieldErrors.required(root("metadata", "uid")));
  const tmplMeta = root("spec", "template", "metadata");
  const labels = strMap(objOr(objOr(spec.template).metadata).labels);
  errs.push(...hasLabel(labels, LEGACY_UID, uid, tmplMeta));
  errs.push(...hasLabel(labels, LEGACY_NAME, name, tmplMeta));
  const expected: Record<string, string> = { [LEGACY_UID]: uid, [LEGACY_NAME]: name };
  if (requirePrefixed) {
    errs.push(...hasLabel(labels, UID, uid, tmplMeta));
    errs.push(...hasLabel(labels, NAME, name, tmplMeta));
    expected[UID] = uid;
    expected[NAME] = name;
  }
  if (selectorConvertible(spec.selector) && !selectorMatches(spec.selector, expected))
    errs.push(invalidGo(root("spec", "selector"), goLabelSelector(spec.selector), "`selector` not auto-generated"));
  return errs;
}

function podFailurePolicy(spec: Obj, p: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  const pol = objOr(spec.podFailurePolicy);
  const rules = objs(pol.rules);
  const rp = p.child("rules");
  if (rules.length > 20) errs.push(fieldErrors.tooMany(rp, rules.length, 20));
  const tspec = objOr(objOr(spec.template).spec);
  const names = new Set([...objs(tspec.containers), ...objs(tspec.initContainers)].map((c) => str(c.name)));
  rules.forEach((rule, i) => {
    const ip = rp.index(i);
    const action = str(rule.action);
    if (!action) errs.push(fieldErrors.required(ip.child("action"), `valid values: ${goQuoteList(ACTIONS)}`));
    else if (action === "FailIndex") {
      if (!isNum(spec.backoffLimitPerIndex)) errs.push(fieldErrors.invalid(ip.child("action"), action, "requires the backoffLimitPerIndex to be set"));
    } else if (!ACTIONS.includes(action)) errs.push(fieldErrors.notSupported(ip.child("action"), action, ACTIONS));
    const oec = obj(rule.onExitCodes);
    if (oec) {
      const op = ip.child("onExitCodes");
      const operator = str(oec.operator);
      if (!operator) errs.push(fieldErrors.required(op.child("operator"), `valid values: ${goQuoteList(["In", "NotIn"])}`));
      else if (operator !== "In" && operator !== "NotIn") errs.push(fieldErrors.notSupported(op.child("operator"), operator, ["In", "NotIn"]));
      if (typeof oec.containerName === "string" && !names.has(oec.containerName))
        errs.push(fieldErrors.invalid(op.child("containerName"), oec.containerName, "must be one of the container or initContainer names in the pod template"));
      const values = Array.isArray(oec.values) ? oec.values.map((v) => (isNum(v) ? v : 0)) : [];
      const vp = op.child("values");
      if (values.length === 0) errs.push(fieldErrors.invalid(vp, new GoValue(Array.isArray(oec.values) ? "[]int32{}" : "[]int32(nil)"), "at least one value is required"));
      else if (values.length > 255) errs.push(fieldErrors.tooMany(vp, values.length, 255));
      const seen = new Set<number>();
      let ordered = true;
      values.forEach((v, j) => {
        if (operator === "In" && v === 0) errs.push(fieldErrors.invalid(vp.index(j), v, "must not be 0 for the In operator"));
        if (seen.has(v)) errs.push(fieldErrors.duplicate(vp.index(j), v));
        else seen.add(v);
        if (j > 0 && values[j - 1]! > v) ordered = false;
      });
      if (!ordered) errs.push(fieldErrors.invalid(vp, new GoValue(`[]int32{${values.join(", ")}}`), "must be ordered"));
    }
    const conds = objs(rule.onPodConditions);
    if (conds.length) {
      const cp = ip.child("onPodConditions");
      if (conds.length > 20) errs.push(fieldErrors.tooMany(cp, conds.length, 20));
      conds.forEach((c, j) => {
        const pp = cp.index(j);
        errs.push(...qualifiedName(str(c.type), pp.child("type")));
        const status = str(c.status) || "True";
        if (!["False", "True", "Unknown"].includes(status)) errs.push(fieldErrors.notSupported(pp.child("status"), status, ["False", "True", "Unknown"]));
      });
    }
    if (oec && conds.length) errs.push(invalidOmit(ip, "specifying both OnExitCodes and OnPodConditions is not supported"));
    if (!oec && conds.length === 0) errs.push(invalidOmit(ip, "specifying one of OnExitCodes and OnPodConditions is required"));
  });
  return errs;
}

const goQuoteList = (l: string[]): string => `[${l.map((s) => JSON.stringify(s)).join(" ")}]`;

/** validateJobSpec (shared by Jobs and CronJob job templates). */
function jobSpec(spec: Obj, p: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  for (const f of ["parallelism", "completions", "activeDeadlineSeconds", "backoffLimit", "ttlSecondsAfterFinished", "backoffLimitPerIndex", "maxFailedIndexes"])
    errs.push(...nonNegativeOpt(spec[f], p.child(f)));
  if (isNum(spec.maxFailedIndexes) && !isNum(spec.backoffLimitPerIndex)) errs.push(fieldErrors.required(p.child("backoffLimitPerIndex"), "when maxFailedIndexes is specified"));
  if (typeof spec.managedBy === "string") {
    errs.push(...domainPrefixedPath(spec.managedBy, p.child("managedBy")));
    if (spec.managedBy.length > 63) errs.push({ ...fieldErrors.tooLong(p.child("managedBy"), spec.managedBy, 63) });
  }
  const mode = str(spec.completionMode) || "NonIndexed";
  if (spec.completionMode !== undefined && spec.completionMode !== null) {
    if (mode !== "NonIndexed" && mode !== "Indexed") errs.push(fieldErrors.notSupported(p.child("completionMode"), mode, ["NonIndexed", "Indexed"]));
    if (mode === "Indexed") {
      if (!isNum(spec.completions)) errs.push(fieldErrors.required(p.child("completions"), "when completion mode is Indexed"));
      if (isNum(spec.parallelism) && spec.parallelism > 100000)
        errs.push(fieldErrors.invalid(p.child("parallelism"), spec.parallelism, "must be less than or equal to 100000 when completion mode is Indexed"));
      if (isNum(spec.completions) && isNum(spec.maxFailedIndexes) && spec.maxFailedIndexes > spec.completions)
        errs.push(fieldErrors.invalid(p.child("maxFailedIndexes"), spec.maxFailedIndexes, "must be less than or equal to completions"));
      if (isNum(spec.maxFailedIndexes) && spec.maxFailedIndexes > 100000)
        errs.push(fieldErrors.invalid(p.child("maxFailedIndexes"), spec.maxFailedIndexes, "must be less than or equal to 100000"));
    }
  }
  if (mode === "NonIndexed") {
    if (isNum(spec.backoffLimitPerIndex)) errs.push(fieldErrors.invalid(p.child("backoffLimitPerIndex"), spec.backoffLimitPerIndex, "requires indexed completion mode"));
    if (isNum(spec.maxFailedIndexes)) errs.push(fieldErrors.invalid(p.child("maxFailedIndexes"), spec.maxFailedIndexes, "requires indexed completion mode"));
  }
  if (obj(spec.podFailurePolicy)) errs.push(...podFailurePolicy(spec, p.child("podFailurePolicy")));
  if (obj(spec.successPolicy)) {
    if (mode !== "Indexed") errs.push(invalidGo(p.child("successPolicy"), "batch.SuccessPolicy{...}", "requires indexed completion mode"));
    else {
      const rules = objs(objOr(spec.successPolicy).rules);
      const rp = p.child("successPolicy", "rules");
      if (rules.length === 0) errs.push(fieldErrors.required(rp, "at least one rules must be specified when the successPolicy is specified"));
      if (rules.length > 20) errs.push(fieldErrors.tooMany(rp, rules.length, 20));
      rules.forEach((r, i) => {
        if (!isNum(r.succeededCount) && typeof r.succeededIndexes !== "string")
          errs.push(fieldErrors.required(rp.index(i), "at least one of succeededCount or succeededIndexes must be specified"));
        if (isNum(r.succeededCount)) {
          errs.push(...nonNegativeOpt(r.succeededCount, rp.index(i).child("succeededCount")));
          const completions = isNum(spec.completions) ? spec.completions : 0;
          if (r.succeededCount > completions)
            errs.push(fieldErrors.invalid(rp.index(i).child("succeededCount"), r.succeededCount, `must be less than or equal to ${completions} (the number of specified completions)`));
        }
      });
    }
  }
  if (spec.podReplacementPolicy !== undefined && spec.podReplacementPolicy !== null) {
    const prp = str(spec.podReplacementPolicy);
    const pp = p.child("podReplacementPolicy");
    if (obj(spec.podFailurePolicy)) {
      if (prp !== "Failed") errs.push(fieldErrors.notSupported(pp, prp, ["Failed"]));
    } else if (prp !== "Failed" && prp !== "TerminatingOrFailed") errs.push(fieldErrors.notSupported(pp, prp, ["Failed", "TerminatingOrFailed"]));
  }
  const tmpl = objOr(spec.template);
  errs.push(...validatePodTemplateSpec(tmpl, p.child("template")));
  const rp = str(objOr(tmpl.spec).restartPolicy) || "Always";
  const rpp = p.child("template", "spec", "restartPolicy");
  if (rp === "Always") errs.push(fieldErrors.required(rpp, 'valid values: "OnFailure", "Never"'));
  else if (rp !== "OnFailure" && rp !== "Never") errs.push(fieldErrors.notSupported(rpp, rp, ["OnFailure", "Never"]));
  else if (obj(spec.podFailurePolicy) && rp !== "Never") errs.push(fieldErrors.invalid(rpp, rp, 'only "Never" is supported when podFailurePolicy is specified'));
  return errs;
}

function jobSpecWithSelector(spec: Obj, p: FieldPath): FieldError[] {
  const errs = jobSpec(spec, p);
  if (!obj(spec.selector)) errs.push(fieldErrors.required(p.child("selector")));
  else errs.push(...validateLabelSelector(spec.selector, p.child("selector")));
  if (selectorConvertible(spec.selector)) {
    const tmeta = objOr(objOr(spec.template).metadata);
    if (!selectorMatches(spec.selector, strMap(tmeta.labels)))
      errs.push(fieldErrors.invalid(p.child("template", "metadata", "labels"), obj(tmeta.labels) ? strMap(tmeta.labels) : new GoValue("map[string]string(nil)"), "`selector` does not match template `labels`"));
  }
  return errs;
}

export function validateJob(job: KubeObject): FieldError[] {
  const spec = objOr(job.spec);
  const errs = generatedSelector(job, true);
  errs.push(...jobSpecWithSelector(spec, root("spec")));
  if (str(spec.completionMode) === "Indexed" && isNum(spec.completions) && spec.completions > 0) {
    const host = `${job.metadata.name ?? ""}-${spec.completions - 1}`;
    if (dns1123LabelErrors(host).length)
      errs.push(fieldErrors.invalid(root("metadata", "name"), job.metadata.name ?? "", `will not able to create pod with invalid DNS label: ${host}`));
  }
  return errs;
}

export function validateJobUpdate(job: KubeObject, old: KubeObject): FieldError[] {
  const spec = objOr(job.spec);
  const oldSpec = objOr(old.spec);
  const sp = root("spec");
  const errs = jobSpecWithSelector(spec, sp);
  // completions: immutable, except Indexed jobs scaled in tandem with parallelism (ElasticIndexedJob)
  if (!semanticEqual(spec.completions, oldSpec.completions)) {
    if (str(spec.completionMode) === "Indexed") {
      if (isNum(spec.completions) && spec.completions !== spec.parallelism)
        errs.push(fieldErrors.invalid(sp.child("completions"), spec.completions, "can only be modified in tandem with spec.parallelism"));
    } else errs.push(fieldErrors.invalid(sp.child("completions"), spec.completions ?? null, FIELD_IMMUTABLE));
  }
  // spec.selector immutability is the strategy's check; the template's is here
  const suspendedNotStarted = oldSpec.suspend === true && !objOr(old.status).startTime;
  let newT = objOr(spec.template);
  let oldT = objOr(oldSpec.template);
  if (suspendedNotStarted) {
    const strip = (t: Obj): Obj => {
      const copy = JSON.parse(JSON.stringify(t)) as Obj;
      const s = objOr(copy.spec);
      const aff = obj(s.affinity);
      if (aff) delete aff.nodeAffinity;
      if (aff && Object.keys(aff).length === 0) delete s.affinity;
      delete s.nodeSelector;
      delete s.tolerations;
      delete s.schedulingGates;
      const m = objOr(copy.metadata);
      delete m.labels;
      delete m.annotations;
      return copy;
    };
    newT = strip(newT);
    oldT = strip(oldT);
  }
  if (!semanticEqual(newT, oldT)) errs.push(invalidGo(sp.child("template"), "core.PodTemplateSpec{...}", FIELD_IMMUTABLE));
  for (const f of ["completionMode", "podFailurePolicy", "backoffLimitPerIndex", "managedBy", "successPolicy"]) {
    if (semanticEqual(spec[f], oldSpec[f])) continue;
    const v = spec[f];
    errs.push(fieldErrors.invalid(sp.child(f), typeof v === "object" && v !== null ? new GoValue(`batch.${f.charAt(0).toUpperCase()}${f.slice(1)}{...}`) : (v ?? null), FIELD_IMMUTABLE));
  }
  return errs;
}

const TZ_PART = /^[A-Za-z.\-_0-9+]{1,14}$/;

function cronJobSpec(spec: Obj, oldSpec: Obj | undefined): FieldError[] {
  const sp = root("spec");
  const errs: FieldError[] = [];
  const schedule = str(spec.schedule);
  const tz = typeof spec.timeZone === "string" ? spec.timeZone : undefined;
  if (!schedule) errs.push(fieldErrors.required(sp.child("schedule")));
  else {
    const e = cronScheduleError(schedule);
    if (e) errs.push(fieldErrors.invalid(sp.child("schedule"), schedule, e));
    const allowTZ = oldSpec ? str(oldSpec.schedule).includes("TZ") : false;
    if (allowTZ && schedule.includes("TZ") && tz !== undefined)
      errs.push(fieldErrors.invalid(sp.child("schedule"), schedule, "cannot use both timeZone field and TZ or CRON_TZ in schedule"));
    else if (!allowTZ && schedule.includes("TZ"))
      errs.push(fieldErrors.invalid(sp.child("schedule"), schedule, "cannot use TZ or CRON_TZ in schedule, use timeZone field instead"));
  }
  errs.push(...nonNegativeOpt(spec.startingDeadlineSeconds, sp.child("startingDeadlineSeconds")));
  if (tz !== undefined && (!oldSpec || oldSpec.timeZone !== tz)) {
    const tp = sp.child("timeZone");
    if (tz.length === 0) errs.push(fieldErrors.invalid(tp, tz, "timeZone must be nil or non-empty string"));
    else if (tz.split("/").some((part) => part === "." || part === ".." || part.startsWith("-") || !TZ_PART.test(part)))
      errs.push(fieldErrors.invalid(tp, tz, `unknown time zone ${tz}`));
    else {
      if (tz.toLowerCase() === "local") errs.push(fieldErrors.invalid(tp, tz, "timeZone must be an explicit time zone as defined in https://www.iana.org/time-zones"));
      if (tz !== "Local" && !loadLocationOk(tz)) errs.push(fieldErrors.invalid(tp, tz, `unknown time zone ${tz}`));
    }
  }
  const cp = str(spec.concurrencyPolicy);
  if (cp && !["Allow", "Forbid", "Replace"].includes(cp)) errs.push(fieldErrors.notSupported(sp.child("concurrencyPolicy"), cp, ["Allow", "Forbid", "Replace"]));
  const jt = objOr(spec.jobTemplate);
  const jtp = sp.child("jobTemplate", "spec");
  const jspec = objOr(jt.spec);
  errs.push(...jobSpec(jspec, jtp));
  if (obj(jspec.selector)) errs.push(invalidGo(jtp.child("selector"), goLabelSelector(jspec.selector), "`selector` will be auto-generated"));
  if (jspec.manualSelector === true) errs.push(fieldErrors.notSupported(jtp.child("manualSelector"), true, ["nil", "false"]));
  errs.push(...nonNegativeOpt(spec.successfulJobsHistoryLimit, sp.child("successfulJobsHistoryLimit")));
  errs.push(...nonNegativeOpt(spec.failedJobsHistoryLimit, sp.child("failedJobsHistoryLimit")));
  return errs;
}

export function validateCronJob(cj: KubeObject): FieldError[] {
  const errs = cronJobSpec(objOr(cj.spec), undefined);
  const name = cj.metadata.name ?? "";
  if (name.length > 52) errs.push(fieldErrors.invalid(root("metadata", "name"), name, "must be no more than 52 characters"));
  return errs;
}

export function validateCronJobUpdate(cj: KubeObject, old: KubeObject): FieldError[] {
  return cronJobSpec(objOr(cj.spec), objOr(old.spec));
}

