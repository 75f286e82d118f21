// PersistentVolumeClaimSpec (upstream ValidatePersistentVolumeClaimSpec), shared by PVCs, ephemeral
// volumes and StatefulSet claim templates.
import { nameErrors } from "../../../apimachinery/validation.js";
import { NOT_POSITIVE, dnsSubdomain, validateLabelSelector } from "../common.js";
import { type FieldError, FieldPath, type Obj, fieldErrors, obj, objOr, str, strs } from "../helpers.js";
import { quantity, quantityString } from "../quantity.js";

export const ACCESS_MODES = ["ReadOnlyMany", "ReadWriteMany", "ReadWriteOnce", "ReadWriteOncePod"];
export const VOLUME_MODES = ["Block", "Filesystem"];

export function accessModes(modes: string[], p: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  let rwop = false;
  let other = false;
  for (const m of modes) {
    if (!ACCESS_MODES.includes(m)) errs.push(fieldErrors.notSupported(p, m, ACCESS_MODES));
    if (m === "ReadWriteOncePod") rwop = true;
    else if (ACCESS_MODES.includes(m)) other = true;
  }
  if (rwop && other) errs.push(fieldErrors.forbidden(p, "may not use ReadWriteOncePod with other access modes"));
  return errs;
}

function dataSource(ds: Obj, p: FieldPath, ref: boolean): FieldError[] {
  const errs: FieldError[] = [];
  if (!str(ds.name)) errs.push(fieldErrors.required(p.child("name")));
  if (!str(ds.kind)) errs.push(fieldErrors.required(p.child("kind")));
  const group = str(ds.apiGroup);
  if (!group && str(ds.kind) !== "PersistentVolumeClaim") errs.push(fieldErrors.invalid(p, str(ds.kind), "must be 'PersistentVolumeClaim' when referencing the default apiGroup"));
  if (group) errs.push(...dnsSubdomain(group, p.child("apiGroup")));
  if (ref && str(ds.namespace)) for (const m of nameErrors("DNS1123Label", str(ds.namespace))) errs.push(fieldErrors.invalid(p.child("namespace"), str(ds.namespace), m));
  return errs;
}

export function validatePVCSpec(spec: Obj, p: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  const modes = strs(spec.accessModes);
  if (modes.length === 0) errs.push(fieldErrors.required(p.child("accessModes"), "at least 1 access mode is required"));
  if (obj(spec.selector)) errs.push(...validateLabelSelector(spec.selector, p.child("selector")));
  errs.push(...accessModes(modes, p.child("accessModes")));
  const requests = objOr(objOr(spec.resources).requests);
  const storagePath = p.child("resources").key("storage");
  if (requests.storage === undefined) errs.push(fieldErrors.required(storagePath));
  else {
    const q = quantity(requests.storage);
    if (q && q.nano <= 0n) errs.push(fieldErrors.invalid(storagePath, quantityString(q), NOT_POSITIVE));
  }
  const sc = str(spec.storageClassName);
  if (sc) errs.push(...dnsSubdomain(sc, p.child("storageClassName")));
  if (spec.volumeMode !== undefined && spec.volumeMode !== null && !VOLUME_MODES.includes(str(spec.volumeMode)))
    errs.push(fieldErrors.notSupported(p.child("volumeMode"), str(spec.volumeMode), VOLUME_MODES));
  const ds = obj(spec.dataSource);
  const dsr = obj(spec.dataSourceRef);
  if (ds) errs.push(...dataSource(ds, p.child("dataSource"), false));
  if (dsr) errs.push(...dataSource(dsr, p.child("dataSourceRef"), true));
  if (dsr && str(dsr.namespace)) {
    if (ds) errs.push(fieldErrors.invalid(p, p.child("dataSource").toString(), "may not be specified when dataSourceRef.namespace is specified"));
  } else if (ds && dsr) {
    if (str(ds.apiGroup) !== str(dsr.apiGroup) || str(ds.kind) !== str(dsr.kind) || str(ds.name) !== str(dsr.name))
      errs.push(fieldErrors.invalid(p, p.child("dataSource").toString(), "must match dataSourceRef"));
  }
  const vac = str(spec.volumeAttributesClassName);
  if (vac) errs.push(...dnsSubdomain(vac, p.child("volumeAttributesClassName")));
  return errs;
}
