// ServiceAccount (upstream plugin/pkg/admission/serviceaccount): a new pod runs as
// spec.serviceAccountName (set to "default" when empty), which must exist; unless the pod or its
// ServiceAccount opts out (automountServiceAccountToken), a projected `kube-api-access-<5 random>`
// volume (bound token expiring in 3607 s, the kube-root-ca.crt ConfigMap's ca.crt, the namespace)
// is added and mounted read-only at /var/run/secrets/kubernetes.io/serviceaccount in every
// container and init container that has nothing mounted there; the ServiceAccount's
// imagePullSecrets are copied when the pod has none. Mirror pods may reference no service account,
// secret or token projection. With the kubernetes.io/enforce-mountable-secrets annotation, a pod
// (or a pod's ephemeral containers) may only use the secrets its ServiceAccount lists.
import type { KubeObject } from "../../apimachinery/types.js";
import { generateName } from "../../registry/object-meta.js";
import type { AdmissionAttributes, AdmissionOperation, AdmissionPlugin } from "../interfaces.js";
import type { AdmissionDeps } from "./deps.js";
import { forbidden, lookup, obj, objs, parseBool, specOf, str, type Json } from "./util.js";

export const DEFAULT_SERVICE_ACCOUNT_NAME = "default";
export const ENFORCE_MOUNTABLE_SECRETS_ANNOTATION = "kubernetes.io/enforce-mountable-secrets";
export const SERVICE_ACCOUNT_VOLUME_NAME = "kube-api-access";
export const DEFAULT_API_TOKEN_MOUNT_PATH = "/var/run/secrets/kubernetes.io/serviceaccount";
/** serviceaccount.WarnOnlyBoundTokenExpirationSeconds: one hour plus 7 s. */
export const WARN_ONLY_BOUND_TOKEN_EXPIRATION_SECONDS = 3607;
export const MIRROR_POD_ANNOTATION = "kubernetes.io/config.mirror";

/**
 * Event-loop turns the lookup of the `default` ServiceAccount waits for it to appear: upstream
 * retries it for about a second because the controller creates it right after the namespace.
 */
const DEFAULT_SERVICE_ACCOUNT_TURNS = 200;

/** TokenVolumeSource(): the projected source of the token volume. */
export function tokenVolumeSource(): Json {
  return {
    sources: [
      { serviceAccountToken: { expirationSeconds: WARN_ONLY_BOUND_TOKEN_EXPIRATION_SECONDS, path: "token" } },
      { configMap: { name: "kube-root-ca.crt", items: [{ key: "ca.crt", path: "ca.crt" }] } },
      { downwardAPI: { items: [{ path: "namespace", fieldRef: { apiVersion: "v1", fieldPath: "metadata.namespace" } }] } },
    ],
    defaultMode: 420,
  };
}

const isMirrorPod = (pod: KubeObject): boolean => !!pod.metadata.annotations && MIRROR_POD_ANNOTATION in pod.metadata.annotations;

export class ServiceAccount implements AdmissionPlugin {
  readonly name = "ServiceAccount";
  /** LimitSecretReferences: off upstream (enforced per ServiceAccount by annotation only). */
  limitSecretReferences = false;
  /** MountServiceAccountToken: on upstream. */
  mountServiceAccountToken = true;

  constructor(
    private readonly deps: AdmissionDeps,
    private readonly generate: (base: string) => string = generateName,
  ) {}

  handles(op: AdmissionOperation): boolean {
    return op === "CREATE" || op === "UPDATE";
  }

  private ignores(a: AdmissionAttributes): boolean {
    if (a.resource.group !== "" || a.resource.resource !== "pods") return true;
    if (a.subresource !== "" && a.subresource !== "ephemeralcontainers") return true;
    return !a.object;
  }

  async admit(a: AdmissionAttributes): Promise<void> {
    if (this.ignores(a)) return;
    // only pods being created are changed
    if (a.operation !== "CREATE") return;
    const pod = a.object!;
    // the kubelet would see a changed mirror pod as a different pod and delete it
    if (isMirrorPod(pod)) return this.validate(a);
    const spec = specOf(pod);
    // spec.serviceAccount is the deprecated alias: upstream's v1 conversion reads it when
    // serviceAccountName is empty and always writes it back from serviceAccountName
    if (!str(spec.serviceAccountName)) spec.serviceAccountName = str(spec.serviceAccount) || DEFAULT_SERVICE_ACCOUNT_NAME;
    spec.serviceAccount = spec.serviceAccountName;
    const sa = await this.serviceAccount(a, str(spec.serviceAccountName));
    if (this.mountServiceAccountToken && shouldAutomount(sa, pod)) this.mountToken(pod);
    if (!Array.isArray(spec.imagePullSecrets) || spec.imagePullSecrets.length === 0) {
      const pulls = objs(sa.imagePullSecrets).map((s) => ({ name: str(s.name) }));
      if (pulls.length) spec.imagePullSecrets = pulls;
    }
    return this.validate(a);
  }

  async validate(a: AdmissionAttributes): Promise<void> {
    if (this.ignores(a)) return;
    const pod = a.object!;
    const spec = specOf(pod);
    if (a.operation === "UPDATE" && a.subresource === "ephemeralcontainers") return this.limitEphemeralContainerSecretReferences(a, pod);
    if (a.operation !== "CREATE") return;
    if (isMirrorPod(pod)) {
      if (str(spec.serviceAccountName)) throw forbidden(a, "a mirror pod may not reference service accounts");
      if (podSecretNames(pod).length > 0) throw forbidden(a, "a mirror pod may not reference secrets");
      for (const v of objs(spec.volumes))
        for (const source of objs(obj(v.projected)?.sources))
          if (obj(source.serviceAccountToken)) throw forbidden(a, "a mirror pod may not use ServiceAccountToken volume projections");
      return;
    }
    if (!str(spec.serviceAccountName)) throw forbidden(a, `no service account specified for pod ${a.namespace}/${pod.metadata.name ?? ""}`);
    const sa = await this.serviceAccount(a, str(spec.serviceAccountName));
    if (this.enforceMountableSecrets(sa)) {
      const err = limitSecretReferences(sa, pod);
      if (err) throw forbidden(a, err);
    }
  }

  /** getServiceAccount: from the cache, waiting a little for `default` as upstream retries it. */
  private async serviceAccount(a: AdmissionAttributes, name: string): Promise<KubeObject> {
    const turns = name === DEFAULT_SERVICE_ACCOUNT_NAME ? DEFAULT_SERVICE_ACCOUNT_TURNS : undefined;
    const sa = await lookup(() => this.deps.get("", "serviceaccounts", a.namespace, name), turns);
    if (!sa) throw forbidden(a, `error looking up service account ${a.namespace}/${name}: serviceaccount ${JSON.stringify(name)} not found`);
    return sa;
  }

  private enforceMountableSecrets(sa: KubeObject): boolean {
    if (this.limitSecretReferences) return true;
    return parseBool(sa.metadata.annotations?.[ENFORCE_MOUNTABLE_SECRETS_ANNOTATION]) === true;
  }

  /** mountServiceAccountToken: the token volume and its mount in every container lacking one. */
  private mountToken(pod: KubeObject): void {
    const spec = specOf(pod);
    const volumes = objs(spec.volumes);
    const existing = volumes.find((v) => str(v.name).startsWith(`${SERVICE_ACCOUNT_VOLUME_NAME}-`));
    const volumeName = existing ? str(existing.name) : this.generate(`${SERVICE_ACCOUNT_VOLUME_NAME}-`);
    let needsVolume = false;
    for (const field of ["initContainers", "containers"]) {
      for (const c of objs(spec[field])) {
        const mounts = objs(c.volumeMounts);
        if (mounts.some((m) => str(m.mountPath) === DEFAULT_API_TOKEN_MOUNT_PATH)) continue;
        c.volumeMounts = [...(Array.isArray(c.volumeMounts) ? c.volumeMounts : []), { name: volumeName, readOnly: true, mountPath: DEFAULT_API_TOKEN_MOUNT_PATH }];
        needsVolume = true;
      }
    }
    if (!existing && needsVolume) spec.volumes = [...(Array.isArray(spec.volumes) ? spec.volumes : []), { name: volumeName, projected: tokenVolumeSource() }];
  }

  private limitEphemeralContainerSecretReferences(a: AdmissionAttributes, pod: KubeObject): Promise<void> {
    const spec = specOf(pod);
    if (!str(spec.serviceAccountName)) throw forbidden(a, `no service account specified for pod ${a.namespace}/${pod.metadata.name ?? ""}`);
    return this.serviceAccount(a, str(spec.serviceAccountName)).then((sa) => {
      if (!this.enforceMountableSecrets(sa)) return;
      const mountable = new Set(objs(sa.secrets).map((s) => str(s.name)));
      for (const c of objs(spec.ephemeralContainers)) {
        const err = containerSecretError(c, mountable, "ephemeral container", str(sa.metadata.name));
        if (err) throw forbidden(a, err);
      }
    });
  }
}

/** shouldAutomount: the pod's preference, then the ServiceAccount's, else true. */
export function shouldAutomount(sa: KubeObject, pod: KubeObject): boolean {
  const podPref = specOf(pod).automountServiceAccountToken;
  if (typeof podPref === "boolean") return podPref;
  if (typeof sa.automountServiceAccountToken === "boolean") return sa.automountServiceAccountToken;
  return true;
}

function containerSecretError(c: Json, mountable: Set<string>, what: string, saName: string): string | undefined {
  for (const env of objs(c.env)) {
    const ref = obj(obj(env.valueFrom)?.secretKeyRef);
    if (ref && !mountable.has(str(ref.name)))
      return `${what} ${str(c.name)} with envVar ${str(env.name)} referencing secret.secretName="${str(ref.name)}" is not allowed because service account ${saName} does not reference that secret`;
  }
  for (const from of objs(c.envFrom)) {
    const ref = obj(from.secretRef);
    if (ref && !mountable.has(str(ref.name)))
      return `${what} ${str(c.name)} with envFrom referencing secret.secretName="${str(ref.name)}" is not allowed because service account ${saName} does not reference that secret`;
  }
  return undefined;
}

/** limitSecretReferences: the first secret the pod uses that its ServiceAccount does not list. */
export function limitSecretReferences(sa: KubeObject, pod: KubeObject): string | undefined {
  const spec = specOf(pod);
  const saName = str(sa.metadata.name);
  const mountable = new Set(objs(sa.secrets).map((s) => str(s.name)));
  for (const v of objs(spec.volumes)) {
    const secret = obj(v.secret);
    if (!secret) continue;
    const name = str(secret.secretName);
    if (!mountable.has(name)) return `volume with secret.secretName="${name}" is not allowed because service account ${saName} does not reference that secret`;
  }
  for (const c of objs(spec.initContainers)) {
    const err = containerSecretError(c, mountable, "init container", saName);
    if (err) return err;
  }
  for (const c of objs(spec.containers)) {
    const err = containerSecretError(c, mountable, "container", saName);
    if (err) return err;
  }
  const pulls = new Set(objs(sa.imagePullSecrets).map((s) => str(s.name)));
  const podPulls = objs(spec.imagePullSecrets);
  for (let i = 0; i < podPulls.length; i++) {
    const name = str(podPulls[i]!.name);
    if (!pulls.has(name)) return `imagePullSecrets[${i}].name="${name}" is not allowed because service account ${saName} does not reference that imagePullSecret`;
  }
  return undefined;
}

/** VisitPodSecretNames over all containers: every secret a pod refers to. */
export function podSecretNames(pod: KubeObject): string[] {
  const spec = specOf(pod);
  const names: string[] = [];
  for (const s of objs(spec.imagePullSecrets)) names.push(str(s.name));
  for (const field of ["initContainers", "containers", "ephemeralContainers"]) {
    for (const c of objs(spec[field])) {
      for (const from of objs(c.envFrom)) if (obj(from.secretRef)) names.push(str(obj(from.secretRef)!.name));
      for (const env of objs(c.env)) {
        const ref = obj(obj(env.valueFrom)?.secretKeyRef);
        if (ref) names.push(str(ref.name));
      }
    }
  }
  for (const v of objs(spec.volumes)) {
    const source = (key: string) => obj(v[key]);
    if (source("azureFile")) names.push(str(source("azureFile")!.secretName));
    if (source("cephfs")) names.push(str(obj(source("cephfs")!.secretRef)?.name));
    if (source("cinder")) names.push(str(obj(source("cinder")!.secretRef)?.name));
    if (source("flexVolume")) names.push(str(obj(source("flexVolume")!.secretRef)?.name));
    if (source("projected"))
      for (const p of objs(source("projected")!.sources)) if (obj(p.secret)) names.push(str(obj(p.secret)!.name));
    if (source("rbd")) names.push(str(obj(source("rbd")!.secretRef)?.name));
    if (source("secret")) names.push(str(source("secret")!.secretName));
    if (source("scaleIO")) names.push(str(obj(source("scaleIO")!.secretRef)?.name));
    if (source("iscsi")) names.push(str(obj(source("iscsi")!.secretRef)?.name));
    if (source("storageos")) names.push(str(obj(source("storageos")!.secretRef)?.name));
    if (source("csi")) names.push(str(obj(source("csi")!.nodePublishSecretRef)?.name));
  }
  return names.filter((n) => n !== "");
}

export function serviceAccount(deps: AdmissionDeps): AdmissionPlugin | undefined {
  return new ServiceAccount(deps);
}
