// Containers (upstream validateContainers / validateInitContainers / validateContainerCommon and
// what they call: ports, env, mounts, devices, probes, lifecycle, security context).
import { configMapKeyErrors, dnsLabel, envVarNameErrors, httpHeaderNameErrors, nonNegative, portNameErrors, portNumOrName, validPortNum } from "../common.js";
import { type FieldError, FieldPath, type Obj, arr, fieldErrors, isNum, obj, objOr, objs, str } from "../helpers.js";
import { nameErrors } from "../../../apimachinery/validation.js";
import { validatePullPolicy, validateTerminationMessagePolicy, PROTOCOLS } from "./enums.js";
import { ENV_FIELD_PATHS, validateObjectFieldSelector, validateResourceFieldSelector } from "./field-selectors.js";
import { localDescendingPath, pathNoBacksteps } from "./paths.js";
import { validateResourceRequirements } from "./resources.js";
import { validateContainerSecurityContext } from "./security-context.js";
import type { VolumeMap } from "./volumes.js";

export interface ContainerContext {
  vols: VolumeMap;
  claimNames: Set<string>;
  gracePeriod: number | null;
  restartPolicy: string;
  hostUsers: boolean;
}

function validatePorts(ports: unknown, p: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  const names = new Set<string>();
  objs(ports).forEach((port, i) => {
    const ip = p.index(i);
    const name = str(port.name);
    if (name) {
      const msgs = portNameErrors(name);
      if (msgs.length) for (const m of msgs) errs.push(fieldErrors.invalid(ip.child("name"), name, m));
      else if (names.has(name)) errs.push(fieldErrors.duplicate(ip.child("name"), name));
      else names.add(name);
    }
    const cp = isNum(port.containerPort) ? port.containerPort : 0;
    if (cp === 0) errs.push(fieldErrors.required(ip.child("containerPort")));
    else errs.push(...validPortNum(cp, ip.child("containerPort")));
    if (isNum(port.hostPort) && port.hostPort !== 0) errs.push(...validPortNum(port.hostPort, ip.child("hostPort")));
    const proto = str(port.protocol);
    if (proto && !PROTOCOLS.includes(proto)) errs.push(fieldErrors.notSupported(ip.child("protocol"), proto, PROTOCOLS));
  });
  return errs;
}

function keySelector(s: Obj, p: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  for (const m of nameErrors("DNS1123Subdomain", str(s.name))) errs.push(fieldErrors.invalid(p.child("name"), str(s.name), m));
  if (!str(s.key)) errs.push(fieldErrors.required(p.child("key")));
  else for (const m of configMapKeyErrors(str(s.key))) errs.push(fieldErrors.invalid(p.child("key"), str(s.key), m));
  return errs;
}

export function validateEnv(env: unknown, p: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  objs(env).forEach((ev, i) => {
    const ip = p.index(i);
    const name = str(ev.name);
    if (!name) errs.push(fieldErrors.required(ip.child("name")));
    else for (const m of envVarNameErrors(name)) errs.push(fieldErrors.invalid(ip.child("name"), name, m));
    const vf = obj(ev.valueFrom);
    if (!vf) return;
    const vp = ip.child("valueFrom");
    let n = 0;
    if (obj(vf.fieldRef)) {
      n++;
      errs.push(...validateObjectFieldSelector(objOr(vf.fieldRef), ENV_FIELD_PATHS, vp.child("fieldRef")));
    }
    if (obj(vf.resourceFieldRef)) {
      n++;
      errs.push(...validateResourceFieldSelector(objOr(vf.resourceFieldRef), vp.child("resourceFieldRef"), false));
    }
    if (obj(vf.configMapKeyRef)) {
      n++;
      errs.push(...keySelector(objOr(vf.configMapKeyRef), vp.child("configMapKeyRef")));
    }
    if (obj(vf.secretKeyRef)) {
      n++;
      errs.push(...keySelector(objOr(vf.secretKeyRef), vp.child("secretKeyRef")));
    }
    if (n === 0) errs.push(fieldErrors.invalid(vp, "", "must specify one of: `fieldRef`, `resourceFieldRef`, `configMapKeyRef` or `secretKeyRef`"));
    else if (str(ev.value)) errs.push(fieldErrors.invalid(vp, "", "may not be specified when `value` is not empty"));
    else if (n > 1) errs.push(fieldErrors.invalid(vp, "", "may not have more than one field specified at a time"));
  });
  return errs;
}

function validateEnvFrom(envFrom: unknown, p: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  objs(envFrom).forEach((ev, i) => {
    const ip = p.index(i);
    const prefix = str(ev.prefix);
    if (prefix) for (const m of envVarNameErrors(prefix)) errs.push(fieldErrors.invalid(ip.child("prefix"), prefix, m));
    let n = 0;
    for (const kind of ["configMapRef", "secretRef"]) {
      const ref = obj(ev[kind]);
      if (!ref) continue;
      n++;
      const name = str(ref.name);
      if (!name) errs.push(fieldErrors.required(ip.child(kind, "name")));
      else for (const m of nameErrors("DNS1123Subdomain", name, true)) errs.push(fieldErrors.invalid(ip.child(kind, "name"), name, m));
    }
    if (n === 0) errs.push(fieldErrors.invalid(p, "", "must specify one of: `configMapRef` or `secretRef`"));
    else if (n > 1) errs.push(fieldErrors.invalid(p, "", "may not have more than one field specified at a time"));
  });
  return errs;
}

const MOUNT_PROPAGATIONS = ["Bidirectional", "HostToContainer", "None"];
const RRO = ["Disabled", "Enabled", "IfPossible"];

function validateVolumeMounts(mounts: unknown, devices: Map<string, string>, vols: VolumeMap, ctr: Obj, p: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  const mountpoints = new Set<string>();
  const devicePaths = new Set(devices.values());
  objs(mounts).forEach((m, i) => {
    const ip = p.index(i);
    const name = str(m.name);
    const mountPath = str(m.mountPath);
    if (!name) errs.push(fieldErrors.required(ip.child("name")));
    if (!vols.has(name)) errs.push(fieldErrors.notFound(ip.child("name"), name));
    if (!mountPath) errs.push(fieldErrors.required(ip.child("mountPath")));
    if (mountpoints.has(mountPath)) errs.push(fieldErrors.invalid(ip.child("mountPath"), mountPath, "must be unique"));
    mountpoints.add(mountPath);
    if (devices.has(name)) errs.push(fieldErrors.invalid(ip.child("name"), name, "must not already exist in volumeDevices"));
    if (devicePaths.has(mountPath)) errs.push(fieldErrors.invalid(ip.child("mountPath"), mountPath, "must not already exist as a path in volumeDevices"));
    const subPath = str(m.subPath);
    const subPathExpr = str(m.subPathExpr);
    if (obj(vols.get(name)?.image)) {
      if (subPath) errs.push(fieldErrors.invalid(ip.child("subPath"), subPath, "not allowed in image volume sources"));
      if (subPathExpr) errs.push(fieldErrors.invalid(ip.child("subPathExpr"), subPathExpr, "not allowed in image volume sources"));
    }
    if (subPath) errs.push(...localDescendingPath(subPath, p.child("subPath")));
    if (subPathExpr) {
      if (subPath) errs.push(fieldErrors.invalid(ip.child("subPathExpr"), subPathExpr, "subPathExpr and subPath are mutually exclusive"));
      errs.push(...localDescendingPath(subPathExpr, p.child("subPathExpr")));
    }
    if (m.mountPropagation !== undefined && m.mountPropagation !== null) {
      const mp = str(m.mountPropagation);
      if (!MOUNT_PROPAGATIONS.includes(mp)) errs.push(fieldErrors.notSupported(p.child("mountPropagation"), mp, MOUNT_PROPAGATIONS));
      const privileged = objOr(ctr.securityContext).privileged === true;
      if (mp === "Bidirectional" && !privileged)
        errs.push(fieldErrors.forbidden(p.child("mountPropagation"), "Bidirectional mount propagation is available only to privileged containers"));
    }
    if (m.recursiveReadOnly !== undefined && m.recursiveReadOnly !== null) {
      const rro = str(m.recursiveReadOnly);
      const rp = p.child("recursiveReadOnly");
      if (rro === "Enabled" || rro === "IfPossible") {
        if (m.readOnly !== true) errs.push(fieldErrors.forbidden(rp, "may only be specified when readOnly is true"));
        if (m.mountPropagation && m.mountPropagation !== "None") errs.push(fieldErrors.forbidden(rp, "may only be specified when mountPropagation is None or not specified"));
      } else if (rro !== "Disabled") errs.push(fieldErrors.notSupported(rp, rro, RRO));
    }
  });
  return errs;
}

function validateVolumeDevices(devices: unknown, mounts: Map<string, string>, vols: VolumeMap, p: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  const paths = new Set<string>();
  const names = new Set<string>();
  const mountPaths = new Set(mounts.values());
  objs(devices).forEach((d, i) => {
    const ip = p.index(i);
    const name = str(d.name);
    const devPath = str(d.devicePath);
    const vol = vols.get(name);
    const isPVC = !!vol && (!!obj(vol.persistentVolumeClaim) || !!obj(vol.ephemeral));
    if (!name) errs.push(fieldErrors.required(ip.child("name")));
    if (names.has(name)) errs.push(fieldErrors.invalid(ip.child("name"), name, "must be unique"));
    if (vol && !isPVC) errs.push(fieldErrors.invalid(ip.child("name"), name, "can only use volume source type of PersistentVolumeClaim or Ephemeral for block mode"));
    if (!vol) errs.push(fieldErrors.notFound(ip.child("name"), name));
    if (!devPath) errs.push(fieldErrors.required(ip.child("devicePath")));
    if (paths.has(devPath)) errs.push(fieldErrors.invalid(ip.child("devicePath"), devPath, "must be unique"));
    if (devPath && pathNoBacksteps(devPath, p).length) errs.push(fieldErrors.invalid(ip.child("devicePath"), devPath, "can not contain backsteps ('..')"));
    else paths.add(devPath);
    if (mounts.has(name)) errs.push(fieldErrors.invalid(ip.child("name"), name, "must not already exist in volumeMounts"));
    if (mountPaths.has(devPath)) errs.push(fieldErrors.invalid(ip.child("devicePath"), devPath, "must not already exist as a path in volumeMounts"));
    if (name) names.add(name);
  });
  return errs;
}

const RESIZE_RESOURCES = ["cpu", "memory"];
const RESIZE_POLICIES = ["NotRequired", "RestartContainer"];

function validateResizePolicy(list: unknown, p: FieldPath, podRestartPolicy: string): FieldError[] {
  const errs: FieldError[] = [];
  const seen = new Set<string>();
  objs(list).forEach((rp, i) => {
    const rn = str(rp.resourceName);
    const pol = str(rp.restartPolicy);
    if (seen.has(rn)) errs.push(fieldErrors.duplicate(p.index(i), rn));
    seen.add(rn);
    if (!rn) errs.push(fieldErrors.required(p));
    else if (!RESIZE_RESOURCES.includes(rn)) errs.push(fieldErrors.notSupported(p, rn, RESIZE_RESOURCES));
    if (!pol) errs.push(fieldErrors.required(p));
    else if (!RESIZE_POLICIES.includes(pol)) errs.push(fieldErrors.notSupported(p, pol, RESIZE_POLICIES));
    if (podRestartPolicy === "Never" && pol !== "NotRequired") errs.push(fieldErrors.invalid(p, pol, "must be 'NotRequired' when `restartPolicy` is 'Never'"));
  });
  return errs;
}

/** validateContainerCommon. */
export function validateContainerCommon(ctr: Obj, p: FieldPath, ctx: ContainerContext): FieldError[] {
  const errs: FieldError[] = [];
  const name = str(ctr.name);
  if (!name) errs.push(fieldErrors.required(p.child("name")));
  else errs.push(...dnsLabel(name, p.child("name")));
  if (!str(ctr.image)) errs.push(fieldErrors.required(p.child("image")));
  errs.push(...validateTerminationMessagePolicy(ctr.terminationMessagePolicy, p.child("terminationMessagePolicy")));
  const mounts = new Map(objs(ctr.volumeMounts).map((m) => [str(m.name), str(m.mountPath)] as const));
  const devices = new Map(objs(ctr.volumeDevices).map((d) => [str(d.name), str(d.devicePath)] as const));
  errs.push(...validatePorts(ctr.ports, p.child("ports")));
  errs.push(...validateEnv(ctr.env, p.child("env")));
  errs.push(...validateEnvFrom(ctr.envFrom, p.child("envFrom")));
  errs.push(...validateVolumeMounts(ctr.volumeMounts, devices, ctx.vols, ctr, p.child("volumeMounts")));
  errs.push(...validateVolumeDevices(ctr.volumeDevices, mounts, ctx.vols, p.child("volumeDevices")));
  errs.push(...validatePullPolicy(ctr.imagePullPolicy, p.child("imagePullPolicy")));
  errs.push(...validateResourceRequirements(objOr(ctr.resources), ctx.claimNames, p.child("resources")));
  errs.push(...validateResizePolicy(ctr.resizePolicy, p.child("resizePolicy"), ctx.restartPolicy));
  errs.push(...validateContainerSecurityContext(obj(ctr.securityContext), p.child("securityContext"), ctx.hostUsers));
  return errs;
}

// ---- probes and lifecycle handlers ----

function validateHandler(h: Obj, gracePeriod: number | null, p: FieldPath, allowSleep: boolean, allowGRPC: boolean): FieldError[] {
  const errs: FieldError[] = [];
  let n = 0;
  const kinds: [string, boolean][] = [["exec", true], ["httpGet", true], ["tcpSocket", true], ["grpc", allowGRPC], ["sleep", allowSleep]];
  for (const [kind, allowed] of kinds) {
    const x = obj(h[kind]);
    if (!x || !allowed) continue;
    if (n > 0) {
      errs.push(fieldErrors.forbidden(p.child(kind), "may not specify more than 1 handler type"));
      continue;
    }
    n++;
    const kp = p.child(kind);
    switch (kind) {
      case "exec":
        if (arr(x.command).length === 0) errs.push(fieldErrors.required(kp.child("command")));
        break;
      case "httpGet": {
        errs.push(...portNumOrName(x.port, kp.child("port")));
        const scheme = str(x.scheme) || "HTTP";
        if (scheme !== "HTTP" && scheme !== "HTTPS") errs.push(fieldErrors.notSupported(kp.child("scheme"), scheme, ["HTTP", "HTTPS"]));
        for (const hdr of objs(x.httpHeaders)) for (const m of httpHeaderNameErrors(str(hdr.name))) errs.push(fieldErrors.invalid(kp.child("httpHeaders"), str(hdr.name), m));
        break;
      }
      case "tcpSocket":
        errs.push(...portNumOrName(x.port, kp.child("port")));
        break;
      case "grpc":
        errs.push(...validPortNum(isNum(x.port) ? x.port : 0, kp.child("port")));
        break;
      case "sleep": {
        const s = isNum(x.seconds) ? x.seconds : 0;
        if (gracePeriod !== null && (s < 0 || s > gracePeriod))
          errs.push(fieldErrors.invalid(kp, s, `must be non-negative and less than terminationGracePeriodSeconds (${gracePeriod})`));
        break;
      }
    }
  }
  if (n === 0) errs.push(fieldErrors.required(p, "must specify a handler type"));
  return errs;
}

function validateProbe(probe: Obj, gp: number | null, p: FieldPath): FieldError[] {
  const errs = validateHandler(probe, gp, p, false, true);
  for (const f of ["initialDelaySeconds", "timeoutSeconds", "periodSeconds", "successThreshold", "failureThreshold"])
    if (isNum(probe[f])) errs.push(...nonNegative(probe[f] as number, p.child(f)));
  if (isNum(probe.terminationGracePeriodSeconds) && probe.terminationGracePeriodSeconds <= 0)
    errs.push(fieldErrors.invalid(p.child("terminationGracePeriodSeconds"), probe.terminationGracePeriodSeconds, "must be greater than 0"));
  return errs;
}

export function validateProbes(ctr: Obj, gp: number | null, p: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  const live = obj(ctr.livenessProbe);
  if (live) {
    errs.push(...validateProbe(live, gp, p.child("livenessProbe")));
    if (isNum(live.successThreshold) && live.successThreshold !== 1 && live.successThreshold !== 0) errs.push(fieldErrors.invalid(p.child("livenessProbe", "successThreshold"), live.successThreshold, "must be 1"));
  }
  const ready = obj(ctr.readinessProbe);
  if (ready) {
    errs.push(...validateProbe(ready, gp, p.child("readinessProbe")));
    if (isNum(ready.terminationGracePeriodSeconds))
      errs.push(fieldErrors.invalid(p.child("readinessProbe", "terminationGracePeriodSeconds"), ready.terminationGracePeriodSeconds, "must not be set for readinessProbes"));
  }
  const startup = obj(ctr.startupProbe);
  if (startup) {
    errs.push(...validateProbe(startup, gp, p.child("startupProbe")));
    if (isNum(startup.successThreshold) && startup.successThreshold !== 1 && startup.successThreshold !== 0) errs.push(fieldErrors.invalid(p.child("startupProbe", "successThreshold"), startup.successThreshold, "must be 1"));
  }
  return errs;
}

export function validateLifecycle(lc: Obj, gp: number | null, p: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  for (const hook of ["postStart", "preStop"]) {
    const h = obj(lc[hook]);
    if (h) errs.push(...validateHandler(h, gp, p.child(hook), true, false));
  }
  return errs;
}

function hostPortConflicts(containers: Obj[], p: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  const seen = new Set<string>();
  containers.forEach((c, ci) => {
    objs(c.ports).forEach((port, pi) => {
      const hp = isNum(port.hostPort) ? port.hostPort : 0;
      if (hp === 0) return;
      const key = `${str(port.protocol) || "TCP"}/${str(port.hostIP)}/${hp}`;
      if (seen.has(key)) errs.push(fieldErrors.duplicate(p.index(ci).child("ports").index(pi).child("hostPort"), key));
      else seen.add(key);
    });
  });
  return errs;
}

export function validateContainers(containers: unknown, p: FieldPath, ctx: ContainerContext): FieldError[] {
  const list = objs(containers);
  if (list.length === 0) return [fieldErrors.required(p)];
  const errs: FieldError[] = [];
  const names = new Set<string>();
  list.forEach((c, i) => {
    const ip = p.index(i);
    errs.push(...validateContainerCommon(c, ip, ctx));
    const name = str(c.name);
    if (names.has(name)) errs.push(fieldErrors.duplicate(ip.child("name"), name));
    else names.add(name);
    const lc = obj(c.lifecycle);
    if (lc) errs.push(...validateLifecycle(lc, ctx.gracePeriod, ip.child("lifecycle")));
    errs.push(...validateProbes(c, ctx.gracePeriod, ip));
    if (c.restartPolicy !== undefined && c.restartPolicy !== null) errs.push(fieldErrors.forbidden(ip.child("restartPolicy"), "may not be set for non-init containers"));
  });
  errs.push(...hostPortConflicts(list, p));
  return errs;
}

export function validateInitContainers(init: unknown, regular: unknown, p: FieldPath, ctx: ContainerContext): FieldError[] {
  const errs: FieldError[] = [];
  const names = new Set(objs(regular).map((c) => str(c.name)));
  objs(init).forEach((c, i) => {
    const ip = p.index(i);
    errs.push(...validateContainerCommon(c, ip, ctx));
    let restartAlways = false;
    if (c.restartPolicy !== undefined && c.restartPolicy !== null) {
      const rp = str(c.restartPolicy);
      if (rp !== "Always") errs.push(fieldErrors.notSupported(ip.child("restartPolicy"), rp, ["Always"]));
      restartAlways = rp === "Always";
    }
    const name = str(c.name);
    if (names.has(name)) errs.push(fieldErrors.duplicate(ip.child("name"), name));
    else if (name) names.add(name);
    errs.push(...hostPortConflicts([c], p));
    if (restartAlways) {
      const lc = obj(c.lifecycle);
      if (lc) errs.push(...validateLifecycle(lc, ctx.gracePeriod, ip.child("lifecycle")));
      errs.push(...validateProbes(c, ctx.gracePeriod, ip));
    } else {
      for (const f of ["lifecycle", "livenessProbe", "readinessProbe", "startupProbe"])
        if (obj(c[f])) errs.push(fieldErrors.forbidden(ip.child(f), "may not be set for init containers without restartPolicy=Always"));
    }
  });
  return errs;
}

/** validateContainerOnlyForPod: no leading/trailing whitespace in the image. */
export function validateContainersOnlyForPod(containers: unknown, p: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  objs(containers).forEach((c, i) => {
    const image = str(c.image);
    if (image.length !== image.trim().length) errs.push(fieldErrors.invalid(p.index(i).child("image"), image, "must not have leading or trailing whitespace"));
  });
  return errs;
}

