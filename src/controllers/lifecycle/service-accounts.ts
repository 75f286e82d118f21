// The ServiceAccount controller (upstream pkg/controller/serviceaccount ServiceAccountsController):
// every active namespace has a `default` ServiceAccount, recreated when deleted. Tokens are not its
// business: the API server issues bound tokens (serviceaccounts/token) and 1.33 creates no legacy
// token Secrets.
import { ApiError } from "../../apimachinery/errors.js";
import type { KubeObject } from "../../apimachinery/types.js";
import { R, type Client } from "../../client/interface.js";
import type { SharedInformer } from "../../client/informers/shared-informer.js";
import type { ControllerContext } from "../../controlplane/context.js";
import { Controller, type Runnable } from "../runtime/controller.js";

/** The ServiceAccounts every namespace gets (upstream DefaultServiceAccountsControllerOptions). */
export const SERVICE_ACCOUNTS_TO_ENSURE = ["default"];

const WORKERS = 5;

/** True when the error is the NamespaceLifecycle refusal for a terminating namespace. */
export function isNamespaceTerminating(err: unknown): boolean {
  return err instanceof ApiError && (err.details?.causes ?? []).some((c) => c.reason === "NamespaceTerminating");
}

export class ServiceAccountsController implements Runnable {
  readonly name = "serviceaccount-controller";
  private readonly controller: Controller;
  private readonly namespaces: SharedInformer;
  private readonly serviceAccounts: SharedInformer;
  private readonly client: Client;

  constructor(ctx: ControllerContext) {
    this.client = ctx.clientFor("kube-controller-manager");
    this.namespaces = ctx.informers.informerFor(R.namespaces);
    this.serviceAccounts = ctx.informers.informerFor(R.serviceaccounts);
    this.controller = new Controller("serviceaccount", (key) => this.syncNamespace(key), ctx.clock, WORKERS);
    const enqueueNamespace = (ns: KubeObject) => this.controller.enqueue(ns.metadata.name!);
    this.namespaces.addEventHandler({ onAdd: enqueueNamespace, onUpdate: (_o, ns) => enqueueNamespace(ns) });
    this.serviceAccounts.addEventHandler({
      onDelete: (sa) => {
        if (sa.metadata.namespace && SERVICE_ACCOUNTS_TO_ENSURE.includes(sa.metadata.name!)) this.controller.enqueue(sa.metadata.namespace);
      },
    });
  }

  start(): void {
    this.controller.start();
  }

  stop(): Promise<void> {
    return this.controller.stop();
  }

  private async syncNamespace(name: string): Promise<void> {
    const ns = this.namespaces.get("", name);
    if (!ns) return;
    if ((ns.status as { phase?: string } | undefined)?.phase !== "Active") return;
    const failures: string[] = [];
    for (const saName of SERVICE_ACCOUNTS_TO_ENSURE) {
      if (this.serviceAccounts.get(name, saName)) continue;
      try {
        await this.client.create(R.serviceaccounts, name, { apiVersion: "v1", kind: "ServiceAccount", metadata: { name: saName, namespace: name } });
      } catch (err) {
        if (err instanceof ApiError && err.reason === "AlreadyExists") continue;
        if (isNamespaceTerminating(err)) continue;
        failures.push((err as Error).message);
      }
    }
    if (failures.length) throw new Error(failures.join(", "));
  }
}
