// apps/v1 (upstream pkg/apis/apps/validation): Deployments, ReplicaSets, StatefulSets, DaemonSets
// and ControllerRevisions. Selector immutability and the StatefulSet spec update rule are checked
// by the built-in strategies (after these errors, as upstream orders them).
import type { KubeObject } from "../../apimachinery/types.js";
import {
  FIELD_IMMUTABLE,
  nonNegative,
  nonNegativeOpt,
  percentErrors,
  selectorConvertible,
  selectorEmpty,
  selectorMatches,
  validateLabelMap,
  validateLabelSelector,
} from "./common.js";
import { goIntOrString, goLabelSelector, q } from "./go-format.js";
import { type FieldError, FieldPath, type Obj, GoValue, fieldErrors, invalidGo, isNum, obj, objOr, root, semanticEqual, str, strMap } from "./helpers.js";
import { podSpecificAnnotations, validatePodTemplateSpec } from "./core/pod-spec.js";
import { validateAnnotations } from "../../apimachinery/validation.js";

const templateLabels = (tmpl: Obj): Record<string, string> => strMap(objOr(tmpl.metadata).labels);

/** Go %#v value of a template's labels as upstream prints it (map[string]string(nil) when unset). */
function labelsValue(tmpl: Obj): unknown {
  const labels = obj(objOr(tmpl.metadata).labels);
  return labels ? strMap(labels) : new GoValue("map[string]string(nil)");
}

function selectorErrors(spec: Obj, sp: FieldPath, kind: string): FieldError[] {
  const errs: FieldError[] = [];
  if (!obj(spec.selector)) errs.push(fieldErrors.required(sp.child("selector")));
  else {
    errs.push(...validateLabelSelector(spec.selector, sp.child("selector")));
    if (selectorEmpty(spec.selector)) errs.push(invalidGo(sp.child("selector"), goLabelSelector(spec.selector), `empty selector is invalid for ${kind}`));
  }
  return errs;
}

/** ValidatePodTemplateSpecForReplicaSet (also used by Deployments). */
function templateForReplicaSet(spec: Obj, sp: FieldPath, kind: string): FieldError[] {
  const errs: FieldError[] = [];
  const tp = sp.child("template");
  if (!selectorConvertible(spec.selector)) return [invalidGo(sp.child("selector"), goLabelSelector(spec.selector), "invalid label selector")];
  const tmpl = objOr(spec.template);
  // a nil selector selects nothing and does not count as empty
  const empty = obj(spec.selector) !== undefined && selectorEmpty(spec.selector);
  if (!empty && !selectorMatches(spec.selector, templateLabels(tmpl)))
    errs.push(fieldErrors.invalid(tp.child("metadata", "labels"), labelsValue(tmpl), "`selector` does not match template `labels`"));
  errs.push(...validatePodTemplateSpec(tmpl, tp));
  const tspec = objOr(tmpl.spec);
  const rp = str(tspec.restartPolicy) || "Always";
  if (rp !== "Always") errs.push(fieldErrors.notSupported(tp.child("spec", "restartPolicy"), rp, ["Always"]));
  if (isNum(tspec.activeDeadlineSeconds)) errs.push(fieldErrors.forbidden(tp.child("spec", "activeDeadlineSeconds"), `activeDeadlineSeconds in ${kind} is not Supported`));
  return errs;
}

function percentValue(v: unknown): number | undefined {
  if (typeof v !== "string" || percentErrors(v).length) return undefined;
  return Number(v.slice(0, -1));
}
function intOrPercentValue(v: unknown): number {
  const pct = percentValue(v);
  if (pct !== undefined) return pct;
  if (typeof v === "string") return /^-?\d+$/.test(v) ? Number(v) : 0;
  return isNum(v) ? v : 0;
}

/** ValidatePositiveIntOrPercent. */
function positiveIntOrPercent(v: unknown, p: FieldPath): FieldError[] {
  if (typeof v === "string") return percentErrors(v).map((m) => invalidGo(p, goIntOrString(v), m));
  return nonNegative(isNum(v) ? v : 0, p);
}

function notMoreThan100(v: unknown, p: FieldPath): FieldError[] {
  const pct = percentValue(v);
  return pct !== undefined && pct > 100 ? [invalidGo(p, goIntOrString(v), "must not be greater than 100%")] : [];
}

function deploymentStrategy(strategy: Obj, p: FieldPath): FieldError[] {
  const type = str(strategy.type) || "RollingUpdate";
  const errs: FieldError[] = [];
  switch (type) {
    case "Recreate":
      if (obj(strategy.rollingUpdate)) errs.push(fieldErrors.forbidden(p.child("rollingUpdate"), "may not be specified when strategy `type` is 'Recreate'"));
      break;
    case "RollingUpdate": {
      const ru = objOr(strategy.rollingUpdate);
      const rp = p.child("rollingUpdate");
      const mu = ru.maxUnavailable ?? "25%";
      const ms = ru.maxSurge ?? "25%";
      errs.push(...positiveIntOrPercent(mu, rp.child("maxUnavailable")));
      errs.push(...positiveIntOrPercent(ms, rp.child("maxSurge")));
      if (intOrPercentValue(mu) === 0 && intOrPercentValue(ms) === 0)
        errs.push(invalidGo(rp.child("maxUnavailable"), goIntOrString(mu), "may not be 0 when `maxSurge` is 0"));
      errs.push(...notMoreThan100(mu, rp.child("maxUnavailable")));
      break;
    }
    default: {
      const ru = obj(strategy.rollingUpdate);
      const ruText = ru ? `(*apps.RollingUpdateDeployment)(0xc000000000)` : "(*apps.RollingUpdateDeployment)(nil)";
      errs.push(fieldErrors.notSupported(p, new GoValue(`apps.DeploymentStrategy{Type:${q(type)}, RollingUpdate:${ruText}}`), ["Recreate", "RollingUpdate"]));
    }
  }
  return errs;
}

export function validateDeployment(d: KubeObject): FieldError[] {
  const spec = objOr(d.spec);
  const sp = root("spec");
  const errs: FieldError[] = [];
  errs.push(...nonNegativeOpt(spec.replicas, sp.child("replicas")));
  errs.push(...selectorErrors(spec, sp, "deployment"));
  errs.push(...templateForReplicaSet(spec, sp, "Deployment"));
  errs.push(...deploymentStrategy(objOr(spec.strategy), sp.child("strategy")));
  errs.push(...nonNegativeOpt(spec.minReadySeconds, sp.child("minReadySeconds")));
  errs.push(...nonNegativeOpt(spec.revisionHistoryLimit, sp.child("revisionHistoryLimit")));
  const rollback = obj(spec.rollbackTo);
  if (rollback) errs.push(...nonNegativeOpt(rollback.revision, sp.child("rollback", "version")));
  if (isNum(spec.progressDeadlineSeconds)) {
    errs.push(...nonNegative(spec.progressDeadlineSeconds, sp.child("progressDeadlineSeconds")));
    const minReady = isNum(spec.minReadySeconds) ? spec.minReadySeconds : 0;
    if (spec.progressDeadlineSeconds <= minReady)
      errs.push(fieldErrors.invalid(sp.child("progressDeadlineSeconds"), spec.progressDeadlineSeconds, "must be greater than minReadySeconds"));
  }
  return errs;
}

export function validateReplicaSet(rs: KubeObject): FieldError[] {
  const spec = objOr(rs.spec);
  const sp = root("spec");
  const errs: FieldError[] = [];
  errs.push(...nonNegativeOpt(spec.replicas, sp.child("replicas")));
  errs.push(...nonNegativeOpt(spec.minReadySeconds, sp.child("minReadySeconds")));
  errs.push(...selectorErrors(spec, sp, "deployment"));
  errs.push(...templateForReplicaSet(spec, sp, "ReplicaSet"));
  return errs;
}

function rollingUpdateDaemonSet(ru: Obj, p: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  const mu = ru.maxUnavailable ?? 1;
  const ms = ru.maxSurge ?? 0;
  errs.push(...positiveIntOrPercent(mu, p.child("maxUnavailable")));
  errs.push(...positiveIntOrPercent(ms, p.child("maxSurge")));
  errs.push(...notMoreThan100(mu, p.child("maxUnavailable")));
  errs.push(...notMoreThan100(ms, p.child("maxSurge")));
  const hasU = intOrPercentValue(mu) !== 0;
  const hasS = intOrPercentValue(ms) !== 0;
  if (hasU && hasS) errs.push(invalidGo(p.child("maxSurge"), goIntOrString(ms), "may not be set when maxUnavailable is non-zero"));
  else if (!hasU && !hasS) errs.push(fieldErrors.required(p.child("maxUnavailable"), "cannot be 0 when maxSurge is 0"));
  return errs;
}

function daemonSetSpec(spec: Obj): FieldError[] {
  const sp = root("spec");
  const errs: FieldError[] = [];
  errs.push(...validateLabelSelector(spec.selector, sp.child("selector")));
  const tmpl = objOr(spec.template);
  if (selectorConvertible(spec.selector) && !selectorMatches(spec.selector, templateLabels(tmpl)))
    errs.push(fieldErrors.invalid(sp.child("template", "metadata", "labels"), labelsValue(tmpl), "`selector` does not match template `labels`"));
  if (obj(spec.selector) && selectorEmpty(spec.selector)) errs.push(invalidGo(sp.child("selector"), goLabelSelector(spec.selector), "empty selector is invalid for daemonset"));
  errs.push(...validatePodTemplateSpec(tmpl, sp.child("template")));
  const tspec = objOr(tmpl.spec);
  const rp = str(tspec.restartPolicy) || "Always";
  if (rp !== "Always") errs.push(fieldErrors.notSupported(sp.child("template", "spec", "restartPolicy"), rp, ["Always"]));
  if (isNum(tspec.activeDeadlineSeconds)) errs.push(fieldErrors.forbidden(sp.child("template", "spec", "activeDeadlineSeconds"), "activeDeadlineSeconds in DaemonSet is not Supported"));
  errs.push(...nonNegativeOpt(spec.minReadySeconds, sp.child("minReadySeconds")));
  errs.push(...nonNegativeOpt(spec.templateGeneration, sp.child("templateGeneration")));
  const strategy = objOr(spec.updateStrategy);
  const type = str(strategy.type) || "RollingUpdate";
  const up = sp.child("updateStrategy");
  if (type === "RollingUpdate") errs.push(...rollingUpdateDaemonSet(objOr(strategy.rollingUpdate), up.child("rollingUpdate")));
  else if (type !== "OnDelete") {
    const ru = obj(strategy.rollingUpdate) ? "(*apps.RollingUpdateDaemonSet)(0xc000000000)" : "(*apps.RollingUpdateDaemonSet)(nil)";
    errs.push(fieldErrors.notSupported(up, new GoValue(`apps.DaemonSetUpdateStrategy{Type:${q(type)}, RollingUpdate:${ru}}`), ["RollingUpdate", "OnDelete"]));
  }
  errs.push(...nonNegativeOpt(spec.revisionHistoryLimit, sp.child("revisionHistoryLimit")));
  return errs;
}

export function validateDaemonSet(ds: KubeObject): FieldError[] {
  return daemonSetSpec(objOr(ds.spec));
}

export function validateDaemonSetUpdate(ds: KubeObject, old: KubeObject): FieldError[] {
  const spec = objOr(ds.spec);
  const oldSpec = objOr(old.spec);
  const errs: FieldError[] = [];
  const tg = isNum(spec.templateGeneration) ? spec.templateGeneration : 0;
  const otg = isNum(oldSpec.templateGeneration) ? oldSpec.templateGeneration : 0;
  const tgp = root("spec", "templateGeneration");
  if (tg < otg) errs.push(fieldErrors.invalid(tgp, tg, "must not be decremented"));
  const changed = !semanticEqual(spec.template, oldSpec.template);
  if (tg === otg && changed && (spec.templateGeneration !== undefined || oldSpec.templateGeneration !== undefined))
    errs.push(fieldErrors.invalid(tgp, tg, "must be incremented upon template update"));
  else if (tg > otg && !changed) errs.push(fieldErrors.invalid(tgp, tg, "must not be incremented without template update"));
  errs.push(...daemonSetSpec(spec));
  return errs;
}

function statefulSetSpec(spec: Obj): FieldError[] {
  const sp = root("spec");
  const errs: FieldError[] = [];
  const pmp = str(spec.podManagementPolicy);
  if (pmp && pmp !== "OrderedReady" && pmp !== "Parallel") errs.push(fieldErrors.invalid(sp.child("podManagementPolicy"), pmp, "must be 'OrderedReady' or 'Parallel'"));
  const us = objOr(spec.updateStrategy);
  const ut = str(us.type) || "RollingUpdate";
  const up = sp.child("updateStrategy");
  const ru = obj(us.rollingUpdate);
  if (ut === "OnDelete") {
    if (ru)
      errs.push(
        invalidGo(up.child("rollingUpdate"), `apps.RollingUpdateStatefulSetStrategy{Partition:${isNum(ru.partition) ? ru.partition : 0}, MaxUnavailable:${ru.maxUnavailable === undefined ? "(*intstr.IntOrString)(nil)" : "(*intstr.IntOrString)(0xc000000000)"}}`, "only allowed for updateStrategy 'RollingUpdate'"),
      );
  } else if (ut === "RollingUpdate") {
    if (ru) {
      const rp = up.child("rollingUpdate");
      errs.push(...nonNegativeOpt(ru.partition, rp.child("partition")));
      if (ru.maxUnavailable !== undefined && ru.maxUnavailable !== null) {
        const mp = rp.child("maxUnavailable");
        errs.push(...positiveIntOrPercent(ru.maxUnavailable, mp));
        if (intOrPercentValue(ru.maxUnavailable) === 0) errs.push(invalidGo(mp, goIntOrString(ru.maxUnavailable), "cannot be 0"));
        errs.push(...notMoreThan100(ru.maxUnavailable, mp));
      }
    }
  } else {
    errs.push(invalidGo(up, `apps.StatefulSetUpdateStrategy{Type:${q(ut)}, RollingUpdate:${ru ? "(*apps.RollingUpdateStatefulSetStrategy)(0xc000000000)" : "(*apps.RollingUpdateStatefulSetStrategy)(nil)"}}`, "must be 'RollingUpdate' or 'OnDelete'"));
  }
  const pol = obj(spec.persistentVolumeClaimRetentionPolicy);
  if (pol)
    for (const f of ["whenDeleted", "whenScaled"]) {
      const v = str(pol[f]);
      if (v && v !== "Retain" && v !== "Delete") errs.push(fieldErrors.notSupported(sp.child("persistentVolumeClaimRetentionPolicy", f), v, ["Retain", "Delete"]));
    }
  errs.push(...nonNegativeOpt(spec.replicas, sp.child("replicas")));
  errs.push(...nonNegativeOpt(spec.minReadySeconds, sp.child("minReadySeconds")));
  const ord = obj(spec.ordinals);
  if (ord) errs.push(...nonNegativeOpt(ord.start, sp.child("ordinals.start")));
  if (!obj(spec.selector)) errs.push(fieldErrors.required(sp.child("selector")));
  else {
    errs.push(...validateLabelSelector(spec.selector, sp.child("selector")));
    if (selectorEmpty(spec.selector)) errs.push(invalidGo(sp.child("selector"), goLabelSelector(spec.selector), "empty selector is invalid for statefulset"));
  }
  const tmpl = objOr(spec.template);
  const tp = sp.child("template");
  if (!selectorConvertible(spec.selector)) errs.push(invalidGo(sp.child("selector"), goLabelSelector(spec.selector), ""));
  else {
    const empty = obj(spec.selector) !== undefined && selectorEmpty(spec.selector);
    if (!empty && !selectorMatches(spec.selector, templateLabels(tmpl)))
      errs.push(fieldErrors.invalid(tp.child("metadata", "labels"), labelsValue(tmpl), "`selector` does not match template `labels`"));
    const meta = objOr(tmpl.metadata);
    const ann = (obj(meta.annotations) ?? {}) as Record<string, string>;
    errs.push(...validateLabelMap(meta.labels, tp.child("labels")));
    errs.push(...validateAnnotations(ann, tp.child("annotations")));
    errs.push(...podSpecificAnnotations(ann, objOr(tmpl.spec), tp.child("annotations")));
  }
  const tspec = objOr(tmpl.spec);
  const rp = str(tspec.restartPolicy) || "Always";
  if (rp !== "Always") errs.push(fieldErrors.notSupported(tp.child("spec", "restartPolicy"), rp, ["Always"]));
  if (isNum(tspec.activeDeadlineSeconds)) errs.push(fieldErrors.forbidden(tp.child("spec", "activeDeadlineSeconds"), "activeDeadlineSeconds in StatefulSet is not Supported"));
  return errs;
}

export const validateStatefulSet = (sts: KubeObject): FieldError[] => statefulSetSpec(objOr(sts.spec));

export function validateControllerRevision(cr: KubeObject): FieldError[] {
  const errs: FieldError[] = [];
  if (cr.data === undefined || cr.data === null) errs.push(fieldErrors.required("data", "data is mandatory"));
  errs.push(...nonNegativeOpt(cr.revision, "revision"));
  return errs;
}

export function validateControllerRevisionUpdate(cr: KubeObject, old: KubeObject): FieldError[] {
  const errs = validateControllerRevision(cr);
  if (!semanticEqual(cr.data, old.data)) errs.push(fieldErrors.invalid("data", new GoValue("runtime.RawExtension{...}"), FIELD_IMMUTABLE));
  return errs;
}
