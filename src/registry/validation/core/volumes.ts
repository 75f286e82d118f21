// Pod volumes (upstream ValidateVolumes / validateVolumeSource and the per-source checks).
import { nameErrors, validateAnnotations } from "../../../apimachinery/validation.js";
import { dnsLabel, dnsSubdomain, inclusiveRange, validateLabelMap } from "../common.js";
import { type FieldError, FieldPath, type Obj, arr, fieldErrors, isNum, obj, objOr, objs, str, strs, sortedKeys } from "../helpers.js";
import { isNegative, quantity } from "../quantity.js";
import { localDescendingPath, localNonReservedPath, pathNoBacksteps } from "./paths.js";
import { validatePVCSpec } from "./pvc-spec.js";
import { validateObjectFieldSelector, validateResourceFieldSelector, VOLUME_FIELD_PATHS } from "./field-selectors.js";
import { validatePullPolicy } from "./enums.js";

export const FILE_MODE_MSG = "must be a number between 0 and 0777 (octal), both inclusive";

/** The name → source of every valid volume (for mount/device lookups). */
export type VolumeMap = Map<string, Obj>;

/** The volume source types in upstream's check order: [JSON field, path used for the forbidden error]. */
const SOURCES: [string, string][] = [
  ["emptyDir", "emptyDir"],
  ["hostPath", "hostPath"],
  ["gitRepo", "gitRepo"],
  ["gcePersistentDisk", "gcePersistentDisk"],
  ["awsElasticBlockStore", "awsElasticBlockStore"],
  ["secret", "secret"],
  ["nfs", "nfs"],
  ["iscsi", "iscsi"],
  ["glusterfs", "glusterfs"],
  ["flocker", "flocker"],
  ["persistentVolumeClaim", "persistentVolumeClaim"],
  ["rbd", "rbd"],
  ["cinder", "cinder"],
  ["cephfs", "cephFS"],
  ["quobyte", "quobyte"],
  ["downwardAPI", "downwarAPI"],
  ["fc", "fc"],
  ["flexVolume", "flexVolume"],
  ["configMap", "configMap"],
  ["azureFile", "azureFile"],
  ["vsphereVolume", "vsphereVolume"],
  ["photonPersistentDisk", "photonPersistentDisk"],
  ["portworxVolume", "portworxVolume"],
  ["azureDisk", "azureDisk"],
  ["storageos", "storageos"],
  ["projected", "projected"],
  ["scaleIO", "scaleIO"],
  ["csi", "csi"],
  ["ephemeral", "ephemeral"],
  ["image", "image"],
];

export const VOLUME_SOURCE_KEYS = SOURCES.map(([k]) => k);

export interface VolumeContext {
  podName?: string;
  resourceIsPod: boolean;
}

export function validateVolumes(volumes: unknown, path: FieldPath, ctx: VolumeContext): { vols: VolumeMap; errs: FieldError[] } {
  const errs: FieldError[] = [];
  const vols: VolumeMap = new Map();
  const names = new Set<string>();
  const created = new Set<string>();
  if (ctx.podName) for (const v of objs(volumes)) if (obj(v.ephemeral)) created.add(`${ctx.podName}-${str(v.name)}`);
  objs(volumes).forEach((vol, i) => {
    const p = path.index(i);
    const name = str(vol.name);
    const el = validateVolumeSource(vol, p, name, ctx);
    if (!name) el.push(fieldErrors.required(p.child("name")));
    else el.push(...dnsLabel(name, p.child("name")));
    if (names.has(name)) el.push(fieldErrors.duplicate(p.child("name"), name));
    if (el.length === 0) {
      names.add(name);
      vols.set(name, vol);
    } else errs.push(...el);
    const pvc = obj(vol.persistentVolumeClaim);
    if (pvc && created.has(str(pvc.claimName)))
      errs.push(fieldErrors.invalid(p.child("persistentVolumeClaim", "claimName"), str(pvc.claimName), "must not reference a PVC that gets created for an ephemeral volume"));
  });
  return { vols, errs };
}

function validateVolumeSource(src: Obj, p: FieldPath, volName: string, ctx: VolumeContext): FieldError[] {
  const errs: FieldError[] = [];
  let count = 0;
  for (const [key, forbiddenName] of SOURCES) {
    const s = obj(src[key]);
    if (!s) continue;
    if (key === "emptyDir") {
      count++;
      const limit = s.sizeLimit !== undefined && s.sizeLimit !== null ? quantity(s.sizeLimit) : undefined;
      if (limit && isNegative(limit)) errs.push(fieldErrors.forbidden(p.child("emptyDir", "sizeLimit"), "SizeLimit field must be a valid resource quantity"));
      continue;
    }
    if (count > 0) {
      errs.push(fieldErrors.forbidden(p.child(forbiddenName), "may not specify more than 1 volume type"));
      continue;
    }
    count++;
    errs.push(...validateSource(key, s, p, volName, ctx));
  }
  if (count === 0) errs.push(fieldErrors.required(p, "must specify a volume type"));
  return errs;
}

function required(s: Obj, p: FieldPath, ...fields: string[]): FieldError[] {
  return fields.filter((f) => !str(s[f])).map((f) => fieldErrors.required(p.child(f)));
}

function mode(v: unknown, p: FieldPath): FieldError[] {
  return isNum(v) && (v > 0o777 || v < 0) ? [fieldErrors.invalid(p, v, FILE_MODE_MSG)] : [];
}

function keyToPath(kp: Obj, p: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  if (!str(kp.key)) errs.push(fieldErrors.required(p.child("key")));
  if (!str(kp.path)) errs.push(fieldErrors.required(p.child("path")));
  errs.push(...localNonReservedPath(str(kp.path), p.child("path")));
  errs.push(...mode(kp.mode, p.child("mode")));
  return errs;
}

const PARTITION_MSG = inclusiveRange(1, 255);

function validateSource(key: string, s: Obj, root: FieldPath, volName: string, ctx: VolumeContext): FieldError[] {
  const p = root.child(key);
  const errs: FieldError[] = [];
  switch (key) {
    case "hostPath": {
      if (!str(s.path)) return [fieldErrors.required(p.child("path"))];
      errs.push(...pathNoBacksteps(str(s.path), p.child("path")));
      errs.push(...hostPathType(s.type, p.child("type")));
      return errs;
    }
    case "gitRepo":
      errs.push(...required(s, p, "repository"));
      errs.push(...localDescendingPath(str(s.directory), p.child("directory")));
      return errs;
    case "gcePersistentDisk": {
      const pp = root.child("persistentDisk");
      errs.push(...required(s, pp, "pdName"));
      if (isNum(s.partition) && (s.partition < 0 || s.partition > 255)) errs.push(fieldErrors.invalid(pp.child("partition"), s.partition, PARTITION_MSG));
      return errs;
    }
    case "awsElasticBlockStore":
      errs.push(...required(s, p, "volumeID"));
      if (isNum(s.partition) && (s.partition < 0 || s.partition > 255)) errs.push(fieldErrors.invalid(p.child("partition"), s.partition, PARTITION_MSG));
      return errs;
    case "secret":
      errs.push(...required(s, p, "secretName"));
      errs.push(...mode(s.defaultMode, p.child("defaultMode")));
      objs(s.items).forEach((kp, i) => errs.push(...keyToPath(kp, p.child("items").index(i))));
      return errs;
    case "configMap":
      errs.push(...required(s, p, "name"));
      errs.push(...mode(s.defaultMode, p.child("defaultMode")));
      objs(s.items).forEach((kp, i) => errs.push(...keyToPath(kp, p.child("items").index(i))));
      return errs;
    case "nfs":
      errs.push(...required(s, p, "server", "path"));
      if (!str(s.path).startsWith("/")) errs.push(fieldErrors.invalid(p.child("path"), str(s.path), "must be an absolute path"));
      return errs;
    case "iscsi":
      errs.push(...required(s, p, "targetPortal", "iqn"));
      if (isNum(s.lun) && (s.lun < 0 || s.lun > 255)) errs.push(fieldErrors.invalid(p.child("lun"), s.lun, inclusiveRange(0, 255)));
      if ((s.chapAuthDiscovery === true || s.chapAuthSession === true) && !obj(s.secretRef)) errs.push(fieldErrors.required(p.child("secretRef")));
      return errs;
    case "glusterfs":
      return required(s, p, "endpoints", "path");
    case "flocker":
      if (!str(s.datasetName) && !str(s.datasetUUID)) errs.push(fieldErrors.required(p, "one of datasetName and datasetUUID is required"));
      if (str(s.datasetName) && str(s.datasetUUID)) errs.push(fieldErrors.invalid(p, "resource", "datasetName and datasetUUID can not be specified simultaneously"));
      if (str(s.datasetName).includes("/")) errs.push(fieldErrors.invalid(p.child("datasetName"), str(s.datasetName), "must not contain '/'"));
      return errs;
    case "persistentVolumeClaim":
      return required(s, p, "claimName");
    case "rbd":
      if (arr(s.monitors).length === 0) errs.push(fieldErrors.required(p.child("monitors")));
      errs.push(...required(s, p, "image"));
      return errs;
    case "cinder":
      errs.push(...required(s, p, "volumeID"));
      if (obj(s.secretRef) && !str(objOr(s.secretRef).name)) errs.push(fieldErrors.required(p.child("secretRef", "name")));
      return errs;
    case "cephfs":
      return arr(s.monitors).length === 0 ? [fieldErrors.required(p.child("monitors"))] : [];
    case "quobyte":
      if (!str(s.registry)) errs.push(fieldErrors.required(p.child("registry"), "must be a host:port pair or multiple pairs separated by commas"));
      else if (str(s.tenant).length >= 65) errs.push(fieldErrors.required(p.child("tenant"), "must be a UUID and may not exceed a length of 64 characters"));
      else
        for (const pair of str(s.registry).split(","))
          if (!/^[^:]*:[^:]*$/.test(pair) && !/^\[.*\]:[^:]*$/.test(pair))
            errs.push(fieldErrors.invalid(p.child("registry"), str(s.registry), "must be a host:port pair or multiple pairs separated by commas"));
      errs.push(...required(s, p, "volume"));
      return errs;
    case "downwardAPI":
      errs.push(...mode(s.defaultMode, p.child("defaultMode")));
      for (const f of objs(s.items)) errs.push(...downwardAPIFile(f, p));
      return errs;
    case "fc": {
      const wwns = arr(s.targetWWNs);
      const wwids = arr(s.wwids);
      if (wwns.length < 1 && wwids.length < 1) errs.push(fieldErrors.required(p.child("targetWWNs"), "must specify either targetWWNs or wwids, but not both"));
      if (wwns.length && wwids.length) errs.push(fieldErrors.invalid(p.child("targetWWNs"), strs(s.targetWWNs), "targetWWNs and wwids can not be specified simultaneously"));
      if (wwns.length) {
        if (!isNum(s.lun)) errs.push(fieldErrors.required(p.child("lun"), "lun is required if targetWWNs is specified"));
        else if (s.lun < 0 || s.lun > 255) errs.push(fieldErrors.invalid(p.child("lun"), s.lun, inclusiveRange(0, 255)));
      }
      return errs;
    }
    case "flexVolume":
      errs.push(...required(s, p, "driver"));
      for (const k of sortedKeys(s.options)) {
        const ns = k.includes("/") ? k.slice(0, k.indexOf("/")) : k;
        const n = `.${ns.toLowerCase()}`;
        if (n.endsWith(".kubernetes.io") || n.endsWith(".k8s.io"))
          errs.push(fieldErrors.invalid(p.child("options").key(k), k, "kubernetes.io and k8s.io namespaces are reserved"));
      }
      return errs;
    case "azureFile":
      return required(s, p, "secretName", "shareName");
    case "vsphereVolume":
      return required(s, p, "volumePath");
    case "photonPersistentDisk":
      return required(s, p, "pdID");
    case "portworxVolume":
      return required(s, p, "volumeID");
    case "azureDisk":
      errs.push(...required(s, p, "diskName", "diskURI"));
      return errs;
    case "storageos":
      if (!str(s.volumeName)) errs.push(fieldErrors.required(p.child("volumeName")));
      else errs.push(...dnsLabel(str(s.volumeName), p.child("volumeName")));
      if (str(s.volumeNamespace)) errs.push(...dnsLabel(str(s.volumeNamespace), p.child("volumeNamespace")));
      if (obj(s.secretRef) && !str(objOr(s.secretRef).name)) errs.push(fieldErrors.required(p.child("secretRef", "name")));
      return errs;
    case "projected":
      errs.push(...mode(s.defaultMode, p.child("defaultMode")));
      errs.push(...projectionSources(s, p));
      return errs;
    case "scaleIO":
      return required(s, p, "gateway", "system", "volumeName");
    case "csi":
      errs.push(...csiDriverName(str(s.driver), p.child("driver")));
      if (obj(s.nodePublishSecretRef)) {
        const name = str(objOr(s.nodePublishSecretRef).name);
        if (!name) errs.push(fieldErrors.required(p.child("nodePublishSecretRef", "name")));
        else errs.push(...dnsSubdomain(name, p.child("name")));
      }
      return errs;
    case "ephemeral": {
      const tmpl = obj(s.volumeClaimTemplate);
      if (!tmpl) errs.push(fieldErrors.required(p.child("volumeClaimTemplate")));
      else {
        const tp = p.child("volumeClaimTemplate");
        errs.push(...templateObjectMeta(objOr(tmpl.metadata), tp.child("metadata")));
        errs.push(...validatePVCSpec(objOr(tmpl.spec), tp.child("spec")));
      }
      if (ctx.podName && volName) {
        const pvcName = `${ctx.podName}-${volName}`;
        for (const m of nameErrors("DNS1123Subdomain", pvcName)) errs.push(fieldErrors.invalid(root.child("name"), volName, `PVC name ${JSON.stringify(pvcName)}: ${m}`));
      }
      return errs;
    }
    case "image":
      if (ctx.resourceIsPod && !str(s.reference)) errs.push(fieldErrors.required(p.child("reference")));
      errs.push(...validatePullPolicy(s.pullPolicy, p.child("pullPolicy")));
      return errs;
  }
  return errs;
}

const HOST_PATH_TYPES = ["", "BlockDevice", "CharDevice", "Directory", "DirectoryOrCreate", "File", "FileOrCreate", "Socket"];
function hostPathType(t: unknown, p: FieldPath): FieldError[] {
  if (t === undefined || t === null) return [];
  return HOST_PATH_TYPES.includes(str(t)) ? [] : [fieldErrors.notSupported(p, str(t), HOST_PATH_TYPES)];
}

export function csiDriverName(driver: string, p: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  if (!driver) errs.push(fieldErrors.required(p));
  if (driver.length > 63) errs.push(fieldErrors.tooLong(p, "", 63));
  errs.push(...dnsSubdomain(driver.toLowerCase(), p).map((e) => ({ ...e, badValue: driver })));
  return errs;
}

function downwardAPIFile(f: Obj, p: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  if (!str(f.path)) errs.push(fieldErrors.required(p.child("path")));
  errs.push(...localNonReservedPath(str(f.path), p.child("path")));
  if (obj(f.fieldRef)) {
    errs.push(...validateObjectFieldSelector(objOr(f.fieldRef), VOLUME_FIELD_PATHS, p.child("fieldRef")));
    if (obj(f.resourceFieldRef)) errs.push(fieldErrors.invalid(p, "resource", "fieldRef and resourceFieldRef can not be specified simultaneously"));
  } else if (obj(f.resourceFieldRef)) {
    errs.push(...validateResourceFieldSelector(objOr(f.resourceFieldRef), p.child("resourceFieldRef"), true));
  } else errs.push(fieldErrors.required(p, "one of fieldRef and resourceFieldRef is required"));
  errs.push(...mode(f.mode, p.child("mode")));
  return errs;
}

function projectionSources(s: Obj, p: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  const paths = new Set<string>();
  objs(s.sources).forEach((src, i) => {
    let n = 0;
    const sp = p.child("sources").index(i);
    for (const kind of ["secret", "configMap"] as const) {
      const x = obj(src[kind]);
      if (!x) continue;
      n++;
      const kp = sp.child(kind);
      if (!str(x.name)) errs.push(fieldErrors.required(kp.child("name")));
      objs(x.items).forEach((item, j) => {
        errs.push(...keyToPath(item, kp.child("items").index(j)));
        const ip = str(item.path);
        if (ip) {
          if (paths.has(ip)) errs.push(fieldErrors.invalid(p, str(x.name), "conflicting duplicate paths"));
          else paths.add(ip);
        }
      });
    }
    const dapi = obj(src.downwardAPI);
    if (dapi) {
      n++;
      const dp = sp.child("downwardAPI");
      for (const f of objs(dapi.items)) {
        errs.push(...downwardAPIFile(f, dp));
        const fp = str(f.path);
        if (fp) {
          if (paths.has(fp)) errs.push(fieldErrors.invalid(p, fp, "conflicting duplicate paths"));
          else paths.add(fp);
        }
      }
    }
    const sat = obj(src.serviceAccountToken);
    if (sat) {
      n++;
      const tp = sp.child("serviceAccountToken");
      const exp = isNum(sat.expirationSeconds) ? sat.expirationSeconds : 3600;
      if (exp < 600) errs.push(fieldErrors.invalid(tp.child("expirationSeconds"), exp, "may not specify a duration less than 10 minutes"));
      if (exp > 2 ** 32) errs.push(fieldErrors.invalid(tp.child("expirationSeconds"), exp, "may not specify a duration larger than 2^32 seconds"));
      if (!str(sat.path)) errs.push(fieldErrors.required(p.child("path")));
      else errs.push(...localNonReservedPath(str(sat.path), p.child("path")));
    }
    const ctb = obj(src.clusterTrustBundle);
    if (ctb) {
      n++;
      const cp = sp.child("clusterTrustBundle");
      const usingName = typeof ctb.name === "string";
      const usingSigner = typeof ctb.signerName === "string";
      if (usingName && usingSigner) errs.push(fieldErrors.invalid(cp, "", "only one of name and signerName may be used"));
      else if (usingName) {
        if (!str(ctb.name)) errs.push(fieldErrors.required(cp.child("name"), "must be a valid object name"));
        if (obj(ctb.labelSelector)) errs.push(fieldErrors.invalid(cp.child("labelSelector"), "", "labelSelector must be unset if name is specified"));
      } else if (usingSigner) {
        if (!str(ctb.signerName)) errs.push(fieldErrors.required(cp.child("signerName"), "must be a valid signer name"));
      } else errs.push(fieldErrors.required(cp, "either name or signerName must be specified"));
      if (!str(ctb.path)) errs.push(fieldErrors.required(cp.child("path")));
      errs.push(...localNonReservedPath(str(ctb.path), cp.child("path")));
      const cpth = str(ctb.path);
      if (paths.has(cpth)) errs.push(fieldErrors.invalid(p, cpth, "conflicting duplicate paths"));
      else paths.add(cpth);
    }
    if (n > 1) errs.push(fieldErrors.forbidden(sp, "may not specify more than 1 volume type per source"));
  });
  return errs;
}

/** ValidateTemplateObjectMeta: only labels and annotations may be set. */
export function templateObjectMeta(meta: Obj, p: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  errs.push(...validateAnnotations(meta.annotations as Record<string, string> | undefined, p.child("annotations")));
  errs.push(...validateLabelMap(meta.labels, p.child("labels")));
  for (const k of Object.keys(meta)) {
    if (k === "labels" || k === "annotations") continue;
    if (meta[k] === undefined || meta[k] === null || meta[k] === "") continue;
    errs.push(fieldErrors.forbidden(p.child(k), "cannot be set"));
  }
  return errs;
}
