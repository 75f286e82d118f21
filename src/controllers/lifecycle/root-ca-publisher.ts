// The root CA publisher (upstream pkg/controller/certificates/rootcacertpublisher): a ConfigMap
// `kube-root-ca.crt` in every namespace holding the cluster CA under `ca.crt`, with the
// description annotation; recreated when deleted and corrected when changed.
import { ApiError } from "../../apimachinery/errors.js";
import type { KubeObject } from "../../apimachinery/types.js";
import { R, type Client } from "../../client/interface.js";
import type { SharedInformer } from "../../client/informers/shared-informer.js";
import type { ControllerContext } from "../../controlplane/context.js";
import { deepEqual } from "../../util/deep-equal.js";
import { Controller, type Runnable } from "../runtime/controller.js";
import { isNamespaceTerminating } from "./service-accounts.js";

export const ROOT_CA_CONFIGMAP = "kube-root-ca.crt";
export const DESCRIPTION_ANNOTATION = "kubernetes.io/description";
export const DESCRIPTION =
  "Contains a CA bundle that can be used to verify the kube-apiserver when using internal endpoints such as the internal service IP or kubernetes.default.svc. " +
  "No other usage is guaranteed across distributions of Kubernetes clusters.";

const WORKERS = 5;

export class RootCAPublisher implements Runnable {
  readonly name = "root-ca-certificate-publisher";
  private readonly controller: Controller;
  private readonly configMaps: SharedInformer;
  private readonly client: Client;

  constructor(private readonly ctx: ControllerContext) {
    this.client = ctx.clientFor("kube-controller-manager");
    const namespaces = ctx.informers.informerFor(R.namespaces);
    this.configMaps = ctx.informers.informerFor(R.configmaps);
    this.controller = new Controller("root_ca_cert_publisher", (key) => this.syncNamespace(key), ctx.clock, WORKERS);
    const onConfigMap = (cm: KubeObject) => {
      if (cm.metadata.name === ROOT_CA_CONFIGMAP && cm.metadata.namespace) this.controller.enqueue(cm.metadata.namespace);
    };
    this.configMaps.addEventHandler({ onUpdate: (_o, cm) => onConfigMap(cm), onDelete: onConfigMap });
    namespaces.addEventHandler({
      onAdd: (ns) => this.controller.enqueue(ns.metadata.name!),
      onUpdate: (_o, ns) => {
        if ((ns.status as { phase?: string } | undefined)?.phase === "Active") this.controller.enqueue(ns.metadata.name!);
      },
    });
  }

  start(): void {
    this.controller.start();
  }

  stop(): Promise<void> {
    return this.controller.stop();
  }

  private async syncNamespace(namespace: string): Promise<void> {
    const data = { "ca.crt": this.ctx.options.clusterCA };
    const cm = this.configMaps.get(namespace, ROOT_CA_CONFIGMAP);
    if (!cm) {
      try {
        await this.client.create(R.configmaps, namespace, {
          apiVersion: "v1",
          kind: "ConfigMap",
          metadata: { name: ROOT_CA_CONFIGMAP, namespace, annotations: { [DESCRIPTION_ANNOTATION]: DESCRIPTION } },
          data,
        });
      } catch (err) {
        // a namespace that is gone or going needs no CA bundle
        if (err instanceof ApiError && err.reason === "NotFound") return;
        if (isNamespaceTerminating(err)) return;
        throw err;
      }
      return;
    }
    if (deepEqual(cm.data ?? {}, data) && cm.metadata.annotations?.[DESCRIPTION_ANNOTATION]) return;
    const next = structuredClone(cm);
    next.data = data;
    next.metadata.annotations = { ...next.metadata.annotations, [DESCRIPTION_ANNOTATION]: DESCRIPTION };
    await this.client.update(R.configmaps, namespace, next);
  }
}
