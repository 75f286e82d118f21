// PersistentVolumes and PersistentVolumeClaims (upstream ValidatePersistentVolume(Update),
// ValidatePersistentVolumeClaim(Update)). Only the common volume sources are checked in depth.
import type { KubeObject } from "../../../apimachinery/types.js";
import { NOT_POSITIVE, dnsSubdomain, immutable } from "../common.js";
import { type FieldError, type Obj, fieldErrors, obj, objOr, root, semanticEqual, str, strs, sortedKeys } from "../helpers.js";
import { quantity, quantityString, cmp } from "../quantity.js";
import { accessModes, validatePVCSpec, VOLUME_MODES } from "./pvc-spec.js";
import { pathNoBacksteps } from "./paths.js";
import { validateNodeSelector } from "./scheduling.js";
import { csiDriverName } from "./volumes.js";

const PV_SOURCES = [
  "hostPath", "gcePersistentDisk", "awsElasticBlockStore", "glusterfs", "flocker", "nfs", "rbd", "quobyte", "cephfs", "iscsi", "cinder", "fc",
  "flexVolume", "azureFile", "vsphereVolume", "photonPersistentDisk", "portworxVolume", "azureDisk", "scaleIO", "local", "storageos", "csi",
];
const RECLAIM = ["Delete", "Recycle", "Retain"];

export function validatePersistentVolume(pv: KubeObject): FieldError[] {
  const spec = objOr(pv.spec);
  const sp = root("spec");
  const errs: FieldError[] = [];
  const modes = strs(spec.accessModes);
  if (modes.length === 0) errs.push(fieldErrors.required(sp.child("accessModes")));
  errs.push(...accessModes(modes, sp.child("accessModes")));
  const capacity = objOr(spec.capacity);
  const capKeys = sortedKeys(capacity);
  if (capKeys.length === 0) errs.push(fieldErrors.required(sp.child("capacity")));
  if (!capKeys.includes("storage") || capKeys.length > 1) errs.push(fieldErrors.notSupported(sp.child("capacity"), capacity, ["storage"]));
  for (const k of capKeys) {
    const q = quantity(capacity[k]);
    if (q && q.nano <= 0n) errs.push(fieldErrors.invalid(sp.child("capacity").key(k), quantityString(q), NOT_POSITIVE));
  }
  const reclaim = str(spec.persistentVolumeReclaimPolicy);
  if (reclaim && !RECLAIM.includes(reclaim)) errs.push(fieldErrors.notSupported(sp.child("persistentVolumeReclaimPolicy"), reclaim, RECLAIM));
  let affinitySet = false;
  const na = obj(spec.nodeAffinity);
  if (na) {
    affinitySet = true;
    const req = obj(na.required);
    if (req) errs.push(...validateNodeSelector(req, sp.child("nodeAffinity", "required")));
    else errs.push(fieldErrors.required(sp.child("nodeAffinity", "required"), "must specify required node constraints"));
  }
  let n = 0;
  for (const key of PV_SOURCES) {
    const s = obj(spec[key]);
    if (!s) continue;
    if (n > 0 && key !== "flexVolume") {
      errs.push(fieldErrors.forbidden(sp.child(key === "cephfs" ? "cephFS" : key), "may not specify more than 1 volume type"));
      continue;
    }
    n++;
    errs.push(...pvSource(key, s, sp.child(key === "gcePersistentDisk" ? "persistentDisk" : key)));
    if (key === "local" && !affinitySet) errs.push(fieldErrors.required(sp.child("nodeAffinity"), "Local volume requires node affinity"));
  }
  if (n === 0) errs.push(fieldErrors.required(sp, "must specify a volume type"));
  const hp = obj(spec.hostPath);
  if (hp && str(hp.path).replace(/\/+$/, "") === "" && str(hp.path).startsWith("/") && reclaim === "Recycle")
    errs.push(fieldErrors.forbidden(sp.child("persistentVolumeReclaimPolicy"), "may not be 'recycle' for a hostPath mount of '/'"));
  const sc = str(spec.storageClassName);
  if (sc) errs.push(...dnsSubdomain(sc, sp.child("storageClassName")));
  if (spec.volumeMode !== undefined && spec.volumeMode !== null && !VOLUME_MODES.includes(str(spec.volumeMode)))
    errs.push(fieldErrors.notSupported(sp.child("volumeMode"), str(spec.volumeMode), VOLUME_MODES));
  return errs;
}

function pvSource(key: string, s: Obj, p: ReturnType<typeof root>): FieldError[] {
  const req = (...fields: string[]) => fields.filter((f) => !str(s[f])).map((f) => fieldErrors.required(p.child(f)));
  switch (key) {
    case "hostPath":
    case "local":
      if (!str(s.path)) return [fieldErrors.required(p.child("path"))];
      return pathNoBacksteps(str(s.path), p.child("path"));
    case "nfs": {
      const errs = req("server", "path");
      if (!str(s.path).startsWith("/")) errs.push(fieldErrors.invalid(p.child("path"), str(s.path), "must be an absolute path"));
      return errs;
    }
    case "csi": {
      const errs = csiDriverName(str(s.driver), p.child("driver"));
      if (!str(s.volumeHandle)) errs.push(fieldErrors.required(p.child("volumeHandle")));
      return errs;
    }
    case "gcePersistentDisk":
      return req("pdName");
    case "awsElasticBlockStore":
    case "cinder":
    case "portworxVolume":
      return req("volumeID");
    case "iscsi":
      return req("targetPortal", "iqn");
    case "glusterfs":
      return req("endpoints", "path");
    case "rbd":
      return [...(strs(s.monitors).length ? [] : [fieldErrors.required(p.child("monitors"))]), ...req("image")];
    case "cephfs":
      return strs(s.monitors).length ? [] : [fieldErrors.required(p.child("monitors"))];
    case "flexVolume":
      return req("driver");
    case "azureFile":
      return req("secretName", "shareName");
    case "azureDisk":
      return req("diskName", "diskURI");
    case "vsphereVolume":
      return req("volumePath");
    case "photonPersistentDisk":
      return req("pdID");
    case "scaleIO":
      return req("gateway", "system", "volumeName");
    case "storageos":
      return req("volumeName");
  }
  return [];
}

export function validatePersistentVolumeUpdate(pv: KubeObject, old: KubeObject): FieldError[] {
  const errs = validatePersistentVolume(pv);
  const spec = objOr(pv.spec);
  const oldSpec = objOr(old.spec);
  const source = (s: Obj) => Object.fromEntries(PV_SOURCES.filter((k) => s[k] !== undefined).map((k) => [k, s[k]]));
  const ns = source(spec);
  const os = source(oldSpec);
  const nc = obj(ns.csi);
  const oc = obj(os.csi);
  if (oc && nc && oc.controllerExpandSecretRef === undefined && nc.controllerExpandSecretRef !== undefined) ns.csi = { ...nc, controllerExpandSecretRef: undefined };
  if (!semanticEqual(ns, os)) errs.push(fieldErrors.forbidden(root("spec", "persistentvolumesource"), "spec.persistentvolumesource is immutable after creation"));
  errs.push(...immutable(spec.volumeMode, oldSpec.volumeMode, "volumeMode"));
  if (obj(oldSpec.nodeAffinity) && !semanticEqual(spec.nodeAffinity, oldSpec.nodeAffinity))
    errs.push(fieldErrors.invalid("nodeAffinity", spec.nodeAffinity ?? null, "field is immutable, except for updating from beta label to GA"));
  return errs;
}

export function validatePersistentVolumeClaim(pvc: KubeObject): FieldError[] {
  return validatePVCSpec(objOr(pvc.spec), root("spec"));
}

export function validatePersistentVolumeClaimUpdate(pvc: KubeObject, old: KubeObject): FieldError[] {
  const errs = validatePersistentVolumeClaim(pvc);
  const spec: Obj = JSON.parse(JSON.stringify(objOr(pvc.spec)));
  const oldSpec: Obj = JSON.parse(JSON.stringify(objOr(old.spec)));
  if (!str(oldSpec.volumeName)) oldSpec.volumeName = spec.volumeName;
  const annKey = "volume.beta.kubernetes.io/storage-class";
  const oldAnn = old.metadata.annotations ?? {};
  const newAnn = pvc.metadata.annotations ?? {};
  if (annKey in oldAnn && oldSpec.storageClassName === undefined && typeof spec.storageClassName === "string" && spec.storageClassName === oldAnn[annKey] && (!(annKey in newAnn) || newAnn[annKey] === oldAnn[annKey])) {
    delete spec.storageClassName;
  } else {
    if ((newAnn[annKey] ?? "") !== (oldAnn[annKey] ?? "")) errs.push(fieldErrors.invalid(root("metadata", "annotations", annKey), newAnn[annKey] ?? "", "field is immutable"));
    if (typeof spec.storageClassName === "string" && oldSpec.storageClassName === undefined && (!(annKey in oldAnn) || spec.storageClassName === oldAnn[annKey]))
      spec.storageClassName = oldSpec.storageClassName;
  }
  const bound = str(objOr(pvc.status).phase) === "Bound";
  if (bound) {
    const r = objOr(spec.resources);
    const req = objOr(r.requests);
    spec.resources = { ...r, requests: { ...req, storage: objOr(objOr(oldSpec.resources).requests).storage } };
    if (spec.volumeAttributesClassName !== undefined) spec.volumeAttributesClassName = oldSpec.volumeAttributesClassName;
  }
  if (!semanticEqual(spec, oldSpec))
    errs.push(fieldErrors.forbidden(root("spec"), "spec is immutable after creation except resources.requests and volumeAttributesClassName for bound claims"));
  const ns = quantity(objOr(objOr(objOr(pvc.spec).resources).requests).storage);
  const os = quantity(objOr(objOr(objOr(old.spec).resources).requests).storage);
  if (ns && os && cmp(ns, os) < 0) {
    const status = quantity(objOr(objOr(old.status).capacity).storage);
    if (!status || cmp(ns, status) <= 0) errs.push(fieldErrors.forbidden(root("spec", "resources", "requests", "storage"), "field can not be less than status.capacity"));
  }
  errs.push(...immutable(objOr(pvc.spec).volumeMode, objOr(old.spec).volumeMode, "volumeMode"));
  return errs;
}
