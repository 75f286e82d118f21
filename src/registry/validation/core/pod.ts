// Pod and PodTemplate (upstream ValidatePodCreate / ValidatePodUpdate / ValidatePodTemplate).
import type { KubeObject } from "../../../apimachinery/types.js";
import { inclusiveRange } from "../common.js";
import { type FieldError, FieldPath, type Obj, fieldErrors, isNum, obj, objOr, objs, root, semanticEqual, str } from "../helpers.js";
import { validateContainersOnlyForPod } from "./containers.js";
import { podSpecificAnnotations, validatePodSpec, validatePodTemplateSpec } from "./pod-spec.js";
import { validateTolerations } from "./scheduling.js";

const MIRROR = "kubernetes.io/config.mirror";
const APPARMOR_PREFIX = "container.apparmor.security.beta.kubernetes.io/";

function podMetadataAndSpec(pod: KubeObject): FieldError[] {
  const spec = objOr(pod.spec);
  const annotations = pod.metadata.annotations ?? {};
  const errs: FieldError[] = [];
  errs.push(...podSpecificAnnotations(annotations, spec, root("metadata", "annotations")));
  errs.push(...validatePodSpec(spec, root("spec"), { resourceIsPod: true, podName: pod.metadata.name }));
  if (!str(spec.serviceAccountName)) {
    objs(spec.volumes).forEach((v, vi) => {
      const proj = obj(v.projected);
      if (!proj) return;
      objs(proj.sources).forEach((s, si) => {
        if (obj(s.serviceAccountToken))
          errs.push(
            fieldErrors.forbidden(
              root("spec", "volumes").index(vi).child("projected", "sources").index(si).child("serviceAccountToken"),
              "must not be specified when serviceAccountName is not set",
            ),
          );
      });
    });
  }
  errs.push(...validateContainersOnlyForPod(spec.containers, root("spec", "containers")));
  errs.push(...validateContainersOnlyForPod(spec.initContainers, root("spec", "initContainers")));
  return errs;
}

export function validatePodCreate(pod: KubeObject): FieldError[] {
  const spec = objOr(pod.spec);
  const errs = podMetadataAndSpec(pod);
  if (objs(spec.ephemeralContainers).length > 0) errs.push(fieldErrors.forbidden(root("spec", "ephemeralContainers"), "cannot be set on create"));
  if (str(spec.nodeName) && objs(spec.schedulingGates).length > 0)
    errs.push(fieldErrors.forbidden(root("spec", "nodeName"), "cannot be set until all schedulingGates have been cleared"));
  return errs;
}

const UPDATABLE =
  "`spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)";

function annotationUpdates(pod: KubeObject, old: KubeObject): FieldError[] {
  const errs: FieldError[] = [];
  const p = root("metadata", "annotations");
  const na = pod.metadata.annotations ?? {};
  const oa = old.metadata.annotations ?? {};
  for (const k of Object.keys(oa).sort()) {
    if (k in na && na[k] === oa[k]) continue;
    if (k.startsWith(APPARMOR_PREFIX)) errs.push(fieldErrors.forbidden(p.key(k), "may not remove or update AppArmor annotations"));
    if (k === MIRROR) errs.push(fieldErrors.forbidden(p.key(k), "may not remove or update mirror pod annotation"));
  }
  for (const k of Object.keys(na).sort()) {
    if (k in oa) continue;
    if (k.startsWith(APPARMOR_PREFIX)) errs.push(fieldErrors.forbidden(p.key(k), "may not add AppArmor annotations"));
    if (k === MIRROR) errs.push(fieldErrors.forbidden(p.key(k), "may not add mirror pod annotation"));
  }
  errs.push(...podSpecificAnnotations(na, objOr(pod.spec), p));
  return errs;
}

function containerUpdates(newList: unknown, oldList: unknown, p: FieldPath): { errs: FieldError[]; stop: boolean } {
  const n = objs(newList);
  const o = objs(oldList);
  if (n.length !== o.length) return { errs: [fieldErrors.forbidden(p, "pod updates may not add or remove containers")], stop: true };
  const errs: FieldError[] = [];
  n.forEach((c, i) => {
    const image = str(c.image);
    if (!image) errs.push(fieldErrors.required(p.index(i).child("image")));
    if (image.trim().length !== image.length) errs.push(fieldErrors.invalid(p.index(i).child("image"), image, "must not have leading or trailing whitespace"));
  });
  return { errs, stop: false };
}

function tolerationKey(t: Obj): string {
  const { tolerationSeconds: _ignored, ...rest } = t;
  return JSON.stringify(Object.keys(rest).sort().map((k) => [k, rest[k]]));
}

export function validatePodUpdate(pod: KubeObject, old: KubeObject): FieldError[] {
  const spec = objOr(pod.spec);
  const oldSpec = objOr(old.spec);
  const sp = root("spec");
  const errs = podMetadataAndSpec(pod);
  errs.push(...annotationUpdates(pod, old));
  for (const key of ["containers", "initContainers"]) {
    const r = containerUpdates(spec[key], oldSpec[key], sp.child(key));
    errs.push(...r.errs);
    if (r.stop) return errs;
  }
  if (isNum(spec.activeDeadlineSeconds)) {
    const v = spec.activeDeadlineSeconds;
    if (v < 0 || v > 2147483647) {
      errs.push(fieldErrors.invalid(sp.child("activeDeadlineSeconds"), v, inclusiveRange(0, 2147483647)));
      return errs;
    }
    if (isNum(oldSpec.activeDeadlineSeconds) && oldSpec.activeDeadlineSeconds < v) {
      errs.push(fieldErrors.invalid(sp.child("activeDeadlineSeconds"), v, "must be less than or equal to previous value"));
      return errs;
    }
  } else if (isNum(oldSpec.activeDeadlineSeconds)) {
    errs.push(fieldErrors.invalid(sp.child("activeDeadlineSeconds"), null, "must not update from a positive integer to nil value"));
  }
  // only additions to tolerations
  const newKeys = new Set(objs(spec.tolerations).map(tolerationKey));
  const removed = objs(oldSpec.tolerations).some((t) => !newKeys.has(tolerationKey(t)));
  if (removed) errs.push(fieldErrors.forbidden(sp.child("tolerations"), "existing toleration can not be modified except its tolerationSeconds"));
  else errs.push(...validateTolerations(spec.tolerations, sp.child("tolerations")));
  // only deletions of scheduling gates
  const oldGates = new Set(objs(oldSpec.schedulingGates).map((g) => str(g.name)));
  const added = new Map<string, number>();
  objs(spec.schedulingGates).forEach((g, i) => added.set(str(g.name), i));
  for (const g of oldGates) added.delete(g);
  for (const [gate, i] of added)
    errs.push(fieldErrors.forbidden(sp.child("schedulingGates").index(i).child("name"), `only deletion is allowed, but found new scheduling gate '${gate}'`));
  if (semanticEqual(spec, oldSpec)) return errs;
  const munged: Obj = JSON.parse(JSON.stringify(spec));
  for (const key of ["containers", "initContainers"]) {
    const o = objs(oldSpec[key]);
    munged[key] = objs(munged[key]).map((c, i) => ({ ...c, image: o[i]?.image }));
  }
  munged.activeDeadlineSeconds = oldSpec.activeDeadlineSeconds;
  munged.schedulingGates = oldSpec.schedulingGates;
  munged.tolerations = oldSpec.tolerations;
  if (isNum(oldSpec.terminationGracePeriodSeconds) && oldSpec.terminationGracePeriodSeconds < 0 && munged.terminationGracePeriodSeconds === 1)
    munged.terminationGracePeriodSeconds = oldSpec.terminationGracePeriodSeconds;
  if (objs(oldSpec.schedulingGates).length > 0) {
    // gated pods may add node selectors and node affinity (additions only)
    const oldSel = objOr(oldSpec.nodeSelector);
    const newSel = objOr(munged.nodeSelector);
    if (!semanticEqual(newSel, oldSel)) {
      if (Object.entries(oldSel).some(([k, v]) => newSel[k] !== v))
        errs.push(fieldErrors.invalid(sp.child("nodeSelector"), munged.nodeSelector ?? {}, "only additions to spec.nodeSelector are allowed (no mutations or deletions)"));
      munged.nodeSelector = oldSpec.nodeSelector;
    }
    const oldAff = objOr(oldSpec.affinity);
    const newAff = objOr(munged.affinity);
    if (!semanticEqual(oldAff.nodeAffinity, newAff.nodeAffinity)) munged.affinity = { ...newAff, nodeAffinity: oldAff.nodeAffinity };
  }
  if (!semanticEqual(munged, oldSpec)) errs.push(fieldErrors.forbidden(sp, `pod updates may not change fields other than ${UPDATABLE}\n${specDiff(oldSpec, munged)}`));
  return errs;
}

/** A short description of what changed (upstream prints cmp.Diff of the internal specs here). */
function specDiff(oldSpec: Obj, newSpec: Obj): string {
  const keys = [...new Set([...Object.keys(oldSpec), ...Object.keys(newSpec)])].sort();
  const lines = ["  core.PodSpec{"];
  for (const k of keys) {
    if (semanticEqual(oldSpec[k], newSpec[k])) continue;
    if (oldSpec[k] !== undefined) lines.push(`- \t${k}: ${JSON.stringify(oldSpec[k])},`);
    if (newSpec[k] !== undefined) lines.push(`+ \t${k}: ${JSON.stringify(newSpec[k])},`);
  }
  lines.push("  }");
  return lines.join("\n");
}

export function validatePodTemplate(obj: KubeObject): FieldError[] {
  return validatePodTemplateSpec(objOr(obj.template), root("template"));
}
