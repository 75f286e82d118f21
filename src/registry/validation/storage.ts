// storage.k8s.io/v1 (upstream pkg/apis/storage/validation): StorageClasses and VolumeAttachments,
// CSIDrivers at their top level. Update rules for StorageClass fields are the strategy's.
import type { KubeObject } from "../../apimachinery/types.js";
import { labelName, qualifiedName } from "./common.js";
import { type FieldError, fieldErrors, obj, objOr, objs, root, str, strs } from "./helpers.js";
import { csiDriverName } from "./core/volumes.js";
import { nameErrors } from "../../apimachinery/validation.js";

export function validateStorageClass(sc: KubeObject): FieldError[] {
  const errs: FieldError[] = [];
  const prov = str(sc.provisioner);
  if (!prov) errs.push(fieldErrors.required("provisioner"));
  else errs.push(...qualifiedName(prov.toLowerCase(), "provisioner"));
  const params = obj(sc.parameters) ?? {};
  const keys = Object.keys(params);
  if (keys.length > 512) errs.push(fieldErrors.tooLong("parameters", "", 512));
  else {
    let total = 0;
    for (const k of keys.sort()) {
      if (k.length < 1) errs.push(fieldErrors.invalid("parameters", k, "field can not be empty."));
      total += k.length + str(params[k]).length;
    }
    if (total > 256 * 1024) errs.push(fieldErrors.tooLong("parameters", "", 256 * 1024));
  }
  const rp = str(sc.reclaimPolicy);
  if (rp && rp !== "Delete" && rp !== "Retain") errs.push(fieldErrors.notSupported("reclaimPolicy", rp, ["Delete", "Retain"]));
  const vbm = str(sc.volumeBindingMode);
  if (vbm && vbm !== "Immediate" && vbm !== "WaitForFirstConsumer") errs.push(fieldErrors.notSupported("volumeBindingMode", vbm, ["Immediate", "WaitForFirstConsumer"]));
  objs(sc.allowedTopologies).forEach((term, i) => {
    const tp = root("allowedTopologies").index(i);
    const exprs = objs(term.matchLabelExpressions);
    const keysSeen = new Set<string>();
    if (exprs.length === 0) errs.push(fieldErrors.required(tp.child("matchLabelExpressions"), "must contain at least one key/value pair"));
    exprs.forEach((e, j) => {
      const ep = tp.child("matchLabelExpressions").index(j);
      const values = strs(e.values);
      if (values.length === 0) errs.push(fieldErrors.required(ep.child("values")));
      const vs = new Set<string>();
      values.forEach((v, k) => {
        if (vs.has(v)) errs.push(fieldErrors.duplicate(ep.child("values").index(k), v));
        vs.add(v);
      });
      errs.push(...labelName(str(e.key), ep.child("key")));
      if (keysSeen.has(str(e.key))) errs.push(fieldErrors.duplicate(ep.child("key"), str(e.key)));
      keysSeen.add(str(e.key));
    });
  });
  return errs;
}

export function validateVolumeAttachment(va: KubeObject): FieldError[] {
  const spec = objOr(va.spec);
  const sp = root("spec");
  const errs: FieldError[] = [];
  errs.push(...csiDriverName(str(spec.attacher), sp.child("attacher")));
  const src = objOr(spec.source);
  const hasPV = typeof src.persistentVolumeName === "string";
  const hasInline = !!obj(src.inlineVolumeSpec);
  if (!hasPV && !hasInline) errs.push(fieldErrors.required(sp.child("source"), "must specify exactly one of inlineVolumeSpec and persistentVolumeName"));
  else if (hasPV && hasInline) errs.push(fieldErrors.forbidden(sp.child("source"), "must specify exactly one of inlineVolumeSpec and persistentVolumeName"));
  else if (hasPV && !str(src.persistentVolumeName)) errs.push(fieldErrors.required(sp.child("source", "persistentVolumeName"), "must specify non empty persistentVolumeName"));
  const node = str(spec.nodeName);
  if (!node) errs.push(fieldErrors.required(sp.child("nodeName")));
  else for (const m of nameErrors("DNS1123Subdomain", node)) errs.push(fieldErrors.invalid(sp.child("nodeName"), node, m));
  return errs;
}

export function validateCSIDriver(d: KubeObject): FieldError[] {
  const errs = csiDriverName(d.metadata.name ?? "", root("name"));
  const spec = objOr(d.spec);
  const policy = str(spec.fsGroupPolicy);
  if (policy && !["File", "None", "ReadWriteOnceWithFSType"].includes(policy))
    errs.push(fieldErrors.notSupported(root("spec", "fsGroupPolicy"), policy, ["File", "None", "ReadWriteOnceWithFSType"]));
  const modes = strs(spec.volumeLifecycleModes);
  modes.forEach((m) => {
    if (m !== "Persistent" && m !== "Ephemeral") errs.push(fieldErrors.notSupported(root("spec", "volumeLifecycleModes"), m, ["Ephemeral", "Persistent"]));
  });
  return errs;
}
