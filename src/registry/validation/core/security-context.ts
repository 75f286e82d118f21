// Pod and container security contexts (upstream validatePodSpecSecurityContext /
// ValidateSecurityContext and the seccomp/AppArmor/sysctl helpers).
import { inclusiveRange } from "../common.js";
import { type FieldError, FieldPath, type Obj, GoValue, fieldErrors, isNum, obj, objOr, objs, str, strs } from "../helpers.js";
import { localDescendingPath } from "./paths.js";

const ID_RANGE = inclusiveRange(0, 4294967295);
const idErrors = (v: unknown, p: FieldPath): FieldError[] => (isNum(v) && (v < 0 || v > 4294967295) ? [fieldErrors.invalid(p, v, ID_RANGE)] : []);

const SECCOMP_TYPES = ["Localhost", "RuntimeDefault", "Unconfined"];

function seccompProfile(sp: Obj | undefined, p: FieldPath): FieldError[] {
  if (!sp) return [];
  const errs: FieldError[] = [];
  const type = str(sp.type);
  if (!type) errs.push(fieldErrors.required(p.child("type"), "type is required when seccompProfile is set"));
  else if (!SECCOMP_TYPES.includes(type)) errs.push(fieldErrors.notSupported(p.child("type"), type, SECCOMP_TYPES));
  if (type === "Localhost") {
    if (typeof sp.localhostProfile !== "string") errs.push(fieldErrors.required(p.child("localhostProfile"), "must be set when seccomp type is Localhost"));
    else errs.push(...localDescendingPath(sp.localhostProfile, p.child("localhostProfile")));
  } else if (typeof sp.localhostProfile === "string") {
    errs.push(fieldErrors.invalid(p.child("localhostProfile"), new GoValue(`core.SeccompProfile{Type:${JSON.stringify(type)}, LocalhostProfile:(*string)(0x0)}`), "can only be set when seccomp type is Localhost"));
  }
  return errs;
}

function appArmorProfile(ap: Obj | undefined, p: FieldPath): FieldError[] {
  if (!ap) return [];
  const errs: FieldError[] = [];
  const type = str(ap.type);
  switch (type) {
    case "Localhost": {
      if (typeof ap.localhostProfile !== "string") errs.push(fieldErrors.required(p.child("localhostProfile"), "must be set when AppArmor type is Localhost"));
      else {
        const lp = ap.localhostProfile;
        if (lp.trim() !== lp) errs.push(fieldErrors.invalid(p.child("localhostProfile"), lp, "must not be padded with whitespace"));
        else if (lp === "") errs.push(fieldErrors.required(p.child("localhostProfile"), "must be set when AppArmor type is Localhost"));
        if (lp.length > 4095) errs.push(fieldErrors.tooLong(p.child("localhostProfile"), "", 4095));
      }
      break;
    }
    case "RuntimeDefault":
    case "Unconfined":
      if (typeof ap.localhostProfile === "string") errs.push(fieldErrors.invalid(p.child("localhostProfile"), ap.localhostProfile, "can only be set when AppArmor type is Localhost"));
      break;
    case "":
      errs.push(fieldErrors.required(p.child("type"), "type is required when appArmorProfile is set"));
      break;
    default:
      errs.push(fieldErrors.notSupported(p.child("type"), type, ["Localhost", "RuntimeDefault", "Unconfined"]));
  }
  return errs;
}

function windowsOptions(wo: Obj | undefined, p: FieldPath): FieldError[] {
  if (!wo) return [];
  const errs: FieldError[] = [];
  if (typeof wo.gmsaCredentialSpec === "string" && wo.gmsaCredentialSpec.length === 0)
    errs.push(fieldErrors.invalid(p.child("gmsaCredentialSpec"), "", "gmsaCredentialSpec cannot be an empty string"));
  if (typeof wo.runAsUserName === "string" && wo.runAsUserName.length === 0)
    errs.push(fieldErrors.invalid(p.child("runAsUserName"), "", "runAsUserName cannot be an empty string"));
  return errs;
}

const SYSCTL = /^([a-z0-9]([-_a-z0-9]*[a-z0-9])?[./])*[a-z0-9]([-_a-z0-9]*[a-z0-9])?$/;

function sysctls(sc: Obj, p: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  const names = new Set<string>();
  objs(sc.sysctls).forEach((s, i) => {
    const name = str(s.name);
    const np = p.index(i).child("name");
    if (!name) errs.push(fieldErrors.required(np));
    else if (name.length > 253 || !SYSCTL.test(name))
      errs.push(fieldErrors.invalid(np, name, "must have at most 253 characters and match regex ^([a-z0-9]([-_a-z0-9]*[a-z0-9])?[\\./])*[a-z0-9]([-_a-z0-9]*[a-z0-9])?$"));
    else if (names.has(name)) errs.push(fieldErrors.duplicate(np, name));
    const isNet = name.startsWith("net.") || name.startsWith("net/");
    const isIPC = name.startsWith("kernel.shm") || name.startsWith("kernel.msg") || name.startsWith("kernel.sem") || name.startsWith("fs.mqueue.") || name.startsWith("kernel/shm") || name.startsWith("kernel/msg") || name.startsWith("kernel/sem") || name.startsWith("fs/mqueue/");
    if (sc.hostNetwork === true && isNet) errs.push(fieldErrors.invalid(np, name, "may not be specified when 'hostNetwork' is true"));
    else if (sc.hostIPC === true && isIPC) errs.push(fieldErrors.invalid(np, name, "may not be specified when 'hostIPC' is true"));
    names.add(name);
  });
  return errs;
}

/**
 * validatePodSpecSecurityContext. The internal type keeps hostNetwork/hostPID/hostIPC inside the
 * security context; from v1 JSON they are read from the pod spec.
 */
export function validatePodSecurityContext(spec: Obj, p: FieldPath): FieldError[] {
  const sc = obj(spec.securityContext);
  if (!sc) return [];
  const errs: FieldError[] = [];
  errs.push(...idErrors(sc.fsGroup, p.child("fsGroup")));
  errs.push(...idErrors(sc.runAsUser, p.child("runAsUser")));
  errs.push(...idErrors(sc.runAsGroup, p.child("runAsGroup")));
  (Array.isArray(sc.supplementalGroups) ? sc.supplementalGroups : []).forEach((g, i) => errs.push(...idErrors(g, p.child("supplementalGroups").index(i))));
  if (spec.shareProcessNamespace === true && spec.hostPID === true)
    errs.push(fieldErrors.invalid(p.child("shareProcessNamespace"), true, "ShareProcessNamespace and HostPID cannot both be enabled"));
  if (objs(sc.sysctls).length) errs.push(...sysctls({ ...sc, hostNetwork: spec.hostNetwork, hostIPC: spec.hostIPC }, p.child("sysctls")));
  if (sc.fsGroupChangePolicy !== undefined && sc.fsGroupChangePolicy !== null && !["Always", "OnRootMismatch"].includes(str(sc.fsGroupChangePolicy)))
    errs.push(fieldErrors.notSupported(p.child("fsGroupChangePolicy"), str(sc.fsGroupChangePolicy), ["Always", "OnRootMismatch"]));
  errs.push(...seccompProfile(obj(sc.seccompProfile), p.child("seccompProfile")));
  errs.push(...windowsOptions(obj(sc.windowsOptions), p.child("windowsOptions")));
  errs.push(...appArmorProfile(obj(sc.appArmorProfile), p.child("appArmorProfile")));
  if (sc.supplementalGroupsPolicy !== undefined && sc.supplementalGroupsPolicy !== null && !["Merge", "Strict"].includes(str(sc.supplementalGroupsPolicy)))
    errs.push(fieldErrors.notSupported(p.child("supplementalGroupsPolicy"), str(sc.supplementalGroupsPolicy), ["Merge", "Strict"]));
  if (sc.seLinuxChangePolicy !== undefined && sc.seLinuxChangePolicy !== null && !["MountOption", "Recursive"].includes(str(sc.seLinuxChangePolicy)))
    errs.push(fieldErrors.notSupported(p.child("seLinuxChangePolicy"), str(sc.seLinuxChangePolicy), ["MountOption", "Recursive"]));
  return errs;
}

export function validateContainerSecurityContext(sc: Obj | undefined, p: FieldPath, hostUsers: boolean): FieldError[] {
  if (!sc) return [];
  const errs: FieldError[] = [];
  errs.push(...idErrors(sc.runAsUser, p.child("runAsUser")));
  errs.push(...idErrors(sc.runAsGroup, p.child("runAsGroup")));
  if (sc.procMount !== undefined && sc.procMount !== null) {
    const pm = str(sc.procMount);
    if (pm !== "Default" && pm !== "Unmasked") errs.push(fieldErrors.notSupported(p.child("procMount"), pm, ["Default", "Unmasked"]));
    if (hostUsers && pm === "Unmasked") errs.push(fieldErrors.invalid(p.child("procMount"), pm, "`hostUsers` must be false to use `Unmasked`"));
  }
  errs.push(...seccompProfile(obj(sc.seccompProfile), p.child("seccompProfile")));
  if (sc.allowPrivilegeEscalation === false) {
    if (sc.privileged === true) errs.push(fieldErrors.invalid(p, new GoValue("core.SecurityContext{...}"), "cannot set `allowPrivilegeEscalation` to false and `privileged` to true"));
    for (const cap of strs(objOr(sc.capabilities).add))
      if (cap === "CAP_SYS_ADMIN") errs.push(fieldErrors.invalid(p, new GoValue("core.SecurityContext{...}"), "cannot set `allowPrivilegeEscalation` to false and `capabilities.Add` CAP_SYS_ADMIN"));
  }
  errs.push(...windowsOptions(obj(sc.windowsOptions), p.child("windowsOptions")));
  errs.push(...appArmorProfile(obj(sc.appArmorProfile), p.child("appArmorProfile")));
  return errs;
}
