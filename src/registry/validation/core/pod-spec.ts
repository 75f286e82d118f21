// PodSpec (upstream ValidatePodSpec), PodTemplateSpec and the pod-specific annotations.
import { nameErrors } from "../../../apimachinery/validation.js";
import { validateAnnotations } from "../../../apimachinery/validation.js";
import { dnsLabel, dnsSubdomain, inclusiveRange, qualifiedName, validateLabelMap, validIP } from "../common.js";
import { type FieldError, FieldPath, type Obj, fieldErrors, isNum, obj, objOr, objs, str, strs } from "../helpers.js";
import { validateContainers, validateInitContainers } from "./containers.js";
import { validateDNSPolicy, validatePreemptionPolicy, validateRestartPolicy } from "./enums.js";
import { validateResourceRequirements, validateContainerResourceName } from "./resources.js";
import { validateAffinity, validateTolerations, validateTopologySpreadConstraints } from "./scheduling.js";
import { validatePodSecurityContext } from "./security-context.js";
import { validateVolumes } from "./volumes.js";

export interface PodSpecOptions {
  /** The spec belongs to a Pod (not a template): enables pod-only checks. */
  resourceIsPod: boolean;
  podName?: string;
}

const MAX_INT32 = 2147483647;

function podDNSConfig(spec: Obj, p: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  const cfg = obj(spec.dnsConfig);
  if (str(spec.dnsPolicy) === "None") {
    if (!cfg) return [fieldErrors.required(p, "must provide `dnsConfig` when `dnsPolicy` is None")];
    if (strs(cfg.nameservers).length === 0) return [fieldErrors.required(p.child("nameservers"), "must provide at least one DNS nameserver when `dnsPolicy` is None")];
  }
  if (!cfg) return errs;
  const ns = strs(cfg.nameservers);
  if (ns.length > 3) errs.push(fieldErrors.invalid(p.child("nameservers"), ns, "must not have more than 3 nameservers"));
  ns.forEach((n, i) => errs.push(...validIP(n, p.child("nameservers").index(i))));
  const searches = strs(cfg.searches);
  if (searches.length > 32) errs.push(fieldErrors.invalid(p.child("searches"), searches, "must not have more than 32 search paths"));
  if (searches.join(" ").length > 2048) errs.push(fieldErrors.invalid(p.child("searches"), searches, "must not have more than 2048 characters (including spaces) in the search list"));
  searches.forEach((s, i) => {
    if (s === ".") return;
    const v = s.endsWith(".") ? s.slice(0, -1) : s;
    const re = /^_?[a-z0-9]([-_a-z0-9]*[a-z0-9])?(\._?[a-z0-9]([-_a-z0-9]*[a-z0-9])?)*$/;
    const sp = p.child("searches").index(i);
    if (v.length > 253) errs.push(fieldErrors.invalid(sp, v, "must be no more than 253 characters"));
    if (!re.test(v))
      errs.push(
        fieldErrors.invalid(
          sp,
          v,
          "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '_', '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '_?[a-z0-9]([-_a-z0-9]*[a-z0-9])?(\\._?[a-z0-9]([-_a-z0-9]*[a-z0-9])?)*')",
        ),
      );
  });
  objs(cfg.options).forEach((o, i) => {
    if (!str(o.name)) errs.push(fieldErrors.required(p.child("options").index(i), "must not be empty"));
  });
  return errs;
}

function hostNetworkDeps(spec: Obj, p: FieldPath, resourceIsPod: boolean): FieldError[] {
  if (spec.hostNetwork !== true) return [];
  const errs: FieldError[] = [];
  objs(spec.containers).forEach((c, i) => {
    objs(c.ports).forEach((port, j) => {
      const hp = isNum(port.hostPort) ? port.hostPort : 0;
      const cp = isNum(port.containerPort) ? port.containerPort : 0;
      if ((resourceIsPod || hp !== 0) && hp !== cp)
        errs.push(fieldErrors.invalid(p.child("containers").index(i).child("ports").index(j).child("hostPort"), hp, "must match `containerPort` when `hostNetwork` is true"));
    });
  });
  return errs;
}

function podResourceClaims(claims: unknown, p: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  const names = new Set<string>();
  objs(claims).forEach((c, i) => {
    const cp = p.index(i);
    const name = str(c.name);
    if (!name) errs.push(fieldErrors.required(cp.child("name")));
    else if (names.has(name)) errs.push(fieldErrors.duplicate(cp.child("name"), name));
    else {
      errs.push(...dnsLabel(name, cp.child("name")));
      names.add(name);
    }
    const a = typeof c.resourceClaimName === "string";
    const b = typeof c.resourceClaimTemplateName === "string";
    if (a && b) errs.push(fieldErrors.invalid(cp, "", "at most one of `resourceClaimName` or `resourceClaimTemplateName` may be specified"));
    if (!a && !b) errs.push(fieldErrors.invalid(cp, "", "must specify one of: `resourceClaimName`, `resourceClaimTemplateName`"));
    if (a) errs.push(...dnsSubdomain(str(c.resourceClaimName), cp.child("resourceClaimName")));
    if (b) errs.push(...dnsSubdomain(str(c.resourceClaimTemplateName), cp.child("resourceClaimTemplateName")));
  });
  return errs;
}

export function validatePodSpec(spec: Obj, p: FieldPath, opts: PodSpecOptions): FieldError[] {
  const errs: FieldError[] = [];
  const gracePeriod = isNum(spec.terminationGracePeriodSeconds) ? spec.terminationGracePeriodSeconds : 30;
  const sc = objOr(spec.securityContext);
  const hostUsers = sc.hostUsers !== false;
  const restartPolicy = str(spec.restartPolicy) || "Always";
  const { vols, errs: vErrs } = validateVolumes(spec.volumes, p.child("volumes"), { podName: opts.podName, resourceIsPod: opts.resourceIsPod });
  errs.push(...vErrs);
  const claimNames = new Set(objs(spec.resourceClaims).map((c) => str(c.name)).filter(Boolean));
  errs.push(...podResourceClaims(spec.resourceClaims, p.child("resourceClaims")));
  const cctx = { vols, claimNames, gracePeriod, restartPolicy, hostUsers };
  errs.push(...validateContainers(spec.containers, p.child("containers"), cctx));
  errs.push(...validateInitContainers(spec.initContainers, spec.containers, p.child("initContainers"), cctx));
  errs.push(...hostNetworkDeps(spec, p, opts.resourceIsPod));
  errs.push(...validateRestartPolicy(spec.restartPolicy, p.child("restartPolicy")));
  errs.push(...validateDNSPolicy(spec.dnsPolicy, p.child("dnsPolicy")));
  errs.push(...validateLabelMap(spec.nodeSelector, p.child("nodeSelector")));
  errs.push(...validatePodSecurityContext(spec, p.child("securityContext")));
  errs.push(...validateAffinity(obj(spec.affinity), p.child("affinity")));
  errs.push(...podDNSConfig(spec, p.child("dnsConfig")));
  objs(spec.readinessGates).forEach((g, i) => errs.push(...qualifiedName(str(g.conditionType), p.child("readinessGates").index(i).child("conditionType"))));
  const gates = new Set<string>();
  objs(spec.schedulingGates).forEach((g, i) => {
    const name = str(g.name);
    errs.push(...qualifiedName(name, p.child("schedulingGates").index(i)));
    if (gates.has(name)) errs.push(fieldErrors.duplicate(p.child("schedulingGates").index(i), name));
    gates.add(name);
  });
  errs.push(...validateTopologySpreadConstraints(spec.topologySpreadConstraints, p.child("topologySpreadConstraints")));
  if (!hostUsers) {
    if (spec.hostNetwork === true) errs.push(fieldErrors.forbidden(p.child("hostNetwork"), "when `pod.Spec.HostUsers` is false"));
    if (spec.hostPID === true) errs.push(fieldErrors.forbidden(p.child("HostPID"), "when `pod.Spec.HostUsers` is false"));
    if (spec.hostIPC === true) errs.push(fieldErrors.forbidden(p.child("HostIPC"), "when `pod.Spec.HostUsers` is false"));
  }
  const sa = str(spec.serviceAccountName);
  if (sa) for (const m of nameErrors("DNS1123Subdomain", sa)) errs.push(fieldErrors.invalid(p.child("serviceAccountName"), sa, m));
  const node = str(spec.nodeName);
  if (node) for (const m of nameErrors("DNS1123Subdomain", node)) errs.push(fieldErrors.invalid(p.child("nodeName"), node, m));
  if (isNum(spec.activeDeadlineSeconds) && (spec.activeDeadlineSeconds < 1 || spec.activeDeadlineSeconds > MAX_INT32))
    errs.push(fieldErrors.invalid(p.child("activeDeadlineSeconds"), spec.activeDeadlineSeconds, inclusiveRange(1, MAX_INT32)));
  if (str(spec.hostname)) errs.push(...dnsLabel(str(spec.hostname), p.child("hostname")));
  if (str(spec.subdomain)) errs.push(...dnsLabel(str(spec.subdomain), p.child("subdomain")));
  errs.push(...validateTolerations(spec.tolerations, p.child("tolerations")));
  objs(spec.hostAliases).forEach((ha, i) => {
    const hp = p.child("hostAliases").index(i);
    errs.push(...validIP(str(ha.ip), hp.child("ip")));
    strs(ha.hostnames).forEach((h, j) => errs.push(...dnsSubdomain(h, hp.child("hostnames").index(j))));
  });
  const pc = str(spec.priorityClassName);
  if (pc) for (const m of nameErrors("DNS1123Subdomain", pc)) errs.push(fieldErrors.invalid(p.child("priorityClassName"), pc, m));
  if (typeof spec.runtimeClassName === "string") for (const m of nameErrors("DNS1123Subdomain", spec.runtimeClassName)) errs.push(fieldErrors.invalid(p.child("runtimeClassName"), spec.runtimeClassName, m));
  errs.push(...validatePreemptionPolicy(spec.preemptionPolicy, p.child("preemptionPolicy")));
  if (obj(spec.overhead)) errs.push(...validateResourceRequirements({ limits: spec.overhead }, new Set(), p.child("overhead"), validateContainerResourceName));
  const os = obj(spec.os);
  if (os) {
    const name = str(os.name);
    if (!name) errs.push(fieldErrors.required(p.child("os", "name"), "cannot be empty"));
    else if (name !== "linux" && name !== "windows") errs.push(fieldErrors.notSupported(p.child("os"), name, ["linux", "windows"]));
    else if (name === "linux") {
      if (obj(sc.windowsOptions)) errs.push(fieldErrors.forbidden(p.child("securityContext", "windowsOptions"), "windows options cannot be set for a linux pod"));
      visitContainers(spec, p, (c, cp) => {
        if (obj(objOr(c.securityContext).windowsOptions)) errs.push(fieldErrors.forbidden(cp.child("securityContext", "windowsOptions"), "windows options cannot be set for a linux pod"));
      });
    }
  }
  return errs;
}

function visitContainers(spec: Obj, p: FieldPath, fn: (c: Obj, cp: FieldPath) => void): void {
  objs(spec.initContainers).forEach((c, i) => fn(c, p.child("initContainers").index(i)));
  objs(spec.containers).forEach((c, i) => fn(c, p.child("containers").index(i)));
  objs(spec.ephemeralContainers).forEach((c, i) => fn(c, p.child("ephemeralContainers").index(i)));
}

const SECCOMP_POD = "seccomp.security.alpha.kubernetes.io/pod";
const SECCOMP_CONTAINER = "container.seccomp.security.alpha.kubernetes.io/";
const APPARMOR_CONTAINER = "container.apparmor.security.beta.kubernetes.io/";

function seccompAnnotation(value: string, p: FieldPath): FieldError[] {
  if (value === "runtime/default" || value === "docker/default" || value === "unconfined") return [];
  if (value.startsWith("localhost/")) {
    const rest = value.slice("localhost/".length);
    const errs: FieldError[] = [];
    if (rest.startsWith("/")) errs.push(fieldErrors.invalid(p, rest, "must be a relative path"));
    if (rest.split("/").includes("..")) errs.push(fieldErrors.invalid(p, rest, "must not contain '..'"));
    return errs;
  }
  return [fieldErrors.invalid(p, value, "must be a valid seccomp profile")];
}

/** ValidatePodSpecificAnnotations. */
export function podSpecificAnnotations(annotations: Record<string, string>, spec: Obj, p: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  const mirror = annotations["kubernetes.io/config.mirror"];
  if (mirror !== undefined && !str(spec.nodeName)) errs.push(fieldErrors.invalid(p.key("kubernetes.io/config.mirror"), mirror, "must set spec.nodeName if mirror pod annotation is set"));
  const cost = annotations["controller.kubernetes.io/pod-deletion-cost"];
  if (cost !== undefined && !(/^[+-]?\d+$/.test(cost) && Number(cost) >= -2147483648 && Number(cost) <= 2147483647))
    errs.push(fieldErrors.invalid(p.key("controller.kubernetes.io/pod-deletion-cost"), cost, "must be a 32bit integer"));
  if (annotations[SECCOMP_POD] !== undefined) errs.push(...seccompAnnotation(annotations[SECCOMP_POD]!, p.child(SECCOMP_POD)));
  for (const k of Object.keys(annotations).sort()) if (k.startsWith(SECCOMP_CONTAINER)) errs.push(...seccompAnnotation(annotations[k]!, p.child(k)));
  const containerNames = new Set<string>();
  visitContainers(spec, p, (c) => containerNames.add(str(c.name)));
  for (const k of Object.keys(annotations).sort()) {
    if (!k.startsWith(APPARMOR_CONTAINER)) continue;
    const name = k.slice(APPARMOR_CONTAINER.length);
    if (!containerNames.has(name)) errs.push(fieldErrors.invalid(p.key(k), name, "container not found"));
    const v = annotations[k]!;
    if (v !== "" && v !== "runtime/default" && v !== "unconfined" && !v.startsWith("localhost/"))
      errs.push(fieldErrors.invalid(p.key(k), v, `invalid AppArmor profile name: ${JSON.stringify(v)}`));
  }
  return errs;
}

/** ValidatePodTemplateSpec. */
export function validatePodTemplateSpec(tmpl: Obj, p: FieldPath): FieldError[] {
  const meta = objOr(tmpl.metadata);
  const spec = objOr(tmpl.spec);
  const annotations = (obj(meta.annotations) ?? {}) as Record<string, string>;
  const errs: FieldError[] = [];
  errs.push(...validateLabelMap(meta.labels, p.child("labels")));
  errs.push(...validateAnnotations(annotations, p.child("annotations")));
  errs.push(...podSpecificAnnotations(annotations, spec, p.child("annotations")));
  errs.push(...validatePodSpec(spec, p.child("spec"), { resourceIsPod: false }));
  if (objs(spec.ephemeralContainers).length > 0) errs.push(fieldErrors.forbidden(p.child("spec", "ephemeralContainers"), "ephemeral containers not allowed in pod template"));
  return errs;
}
