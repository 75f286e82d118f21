// kind's default StorageClass: `standard`, provisioned by rancher.io/local-path, Delete,
// WaitForFirstConsumer, marked default — created once at start when absent, as kind applies
// /kind/manifests/default-storage.yaml with `kubectl apply` (hence the last-applied annotation and
// the kubectl-client-side-apply field manager). An edited or deleted class is the user's business
// while the server runs.
import { ApiError } from "../../apimachinery/errors.js";
import type { KubeObject } from "../../apimachinery/types.js";
import { R, type Client } from "../../client/interface.js";
import type { SharedInformer } from "../../client/informers/shared-informer.js";
import type { ControllerContext } from "../../controlplane/context.js";
import type { Runnable } from "../runtime/controller.js";
import { IS_DEFAULT_STORAGE_CLASS_ANNOTATION } from "./helpers.js";
import { LOCAL_PATH_PROVISIONER } from "./local-path-provisioner.js";

export const DEFAULT_STORAGE_CLASS_NAME = "standard";
export const LAST_APPLIED_ANNOTATION = "kubectl.kubernetes.io/last-applied-configuration";

/** What kind's manifest applies (keys in the sorted order kubectl writes the last-applied JSON in). */
export function defaultStorageClassManifest(): KubeObject {
  return {
    apiVersion: "storage.k8s.io/v1",
    kind: "StorageClass",
    metadata: { annotations: { [IS_DEFAULT_STORAGE_CLASS_ANNOTATION]: "true" }, name: DEFAULT_STORAGE_CLASS_NAME },
    provisioner: LOCAL_PATH_PROVISIONER,
    reclaimPolicy: "Delete",
    volumeBindingMode: "WaitForFirstConsumer",
  };
}

export class DefaultStorageClassInstaller implements Runnable {
  readonly name = "default-storage-class";
  private readonly client: Client;
  private readonly classes: SharedInformer;

  constructor(ctx: ControllerContext) {
    this.client = ctx.clientFor("kubectl-client-side-apply", { username: "kubernetes-admin", groups: ["kubeadm:cluster-admins", "system:authenticated"] });
    this.classes = ctx.informers.informerFor(R.storageclasses);
  }

  async start(): Promise<void> {
    if (this.classes.get("", DEFAULT_STORAGE_CLASS_NAME)) return;
    const manifest = defaultStorageClassManifest();
    const sc: KubeObject = {
      ...manifest,
      metadata: { ...manifest.metadata, annotations: { [LAST_APPLIED_ANNOTATION]: `${JSON.stringify(manifest)}\n`, ...manifest.metadata.annotations } },
    };
    try {
      await this.client.create(R.storageclasses, "", sc);
    } catch (err) {
      if (!(err instanceof ApiError && err.reason === "AlreadyExists")) console.error(`kubefacade: ${this.name}: ${(err as Error).message}`);
    }
  }

  stop(): void {}
}
