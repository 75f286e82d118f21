// Ingress status as ingress-nginx deployed on kind reports it (its kind manifest runs the
// controller with --publish-status-address=localhost): every Ingress the controller serves gets
// status.loadBalancer.ingress [{hostname: localhost}] and "Sync: Scheduled for sync" events from
// nginx-ingress-controller. Kept simple: an Ingress is served when it names a class
// (spec.ingressClassName or the legacy kubernetes.io/ingress.class annotation), or names none while
// a default IngressClass exists. An Ingress that stops being served gets its address removed.
import type { KubeObject } from "../../apimachinery/types.js";
import type { SharedInformer } from "../../client/informers/shared-informer.js";
import { R, type Client } from "../../client/interface.js";
import type { ControllerContext } from "../../controlplane/context.js";
import { deepEqual } from "../../util/deep-equal.js";
import { Controller, keyOf, splitKey, type Runnable } from "../runtime/controller.js";
import type { EventRecorder } from "../runtime/events.js";
import { obj, objs, specOf, statusOf, str } from "./util.js";

export const INGRESS_CLASS_ANNOTATION = "kubernetes.io/ingress.class";
export const DEFAULT_CLASS_ANNOTATION = "ingressclass.kubernetes.io/is-default-class";
/** What ingress-nginx on kind publishes (--publish-status-address=localhost). */
export const PUBLISHED_ADDRESS = [{ hostname: "localhost" }];

export class IngressStatusController implements Runnable {
  readonly name = "ingress-status";
  readonly controller: Controller;
  private readonly client: Client;
  private readonly recorder: EventRecorder;
  private readonly ingresses: SharedInformer;
  private readonly classes: SharedInformer;

  constructor(ctx: ControllerContext) {
    this.client = ctx.clientFor("nginx-ingress-controller", {
      username: "system:serviceaccount:ingress-nginx:ingress-nginx",
      groups: ["system:serviceaccounts", "system:serviceaccounts:ingress-nginx", "system:authenticated"],
    });
    this.recorder = ctx.recorder("nginx-ingress-controller");
    this.controller = new Controller(this.name, (key) => this.sync(key), ctx.clock, 1);
    this.ingresses = ctx.informers.informerFor(R.ingresses);
    this.classes = ctx.informers.informerFor(R.ingressclasses);
    const scheduled = (ing: KubeObject) => this.recorder.event(ing, "Normal", "Sync", "Scheduled for sync");
    this.ingresses.addEventHandler({
      onAdd: (ing) => {
        if (this.serves(ing)) scheduled(ing);
        this.controller.enqueue(keyOf(ing));
      },
      onUpdate: (old, ing) => {
        const was = this.serves(old);
        const is = this.serves(ing);
        if (was !== is || (is && old.metadata.resourceVersion !== ing.metadata.resourceVersion)) scheduled(ing);
        this.controller.enqueue(keyOf(ing));
      },
    });
    const resyncAll = () => {
      for (const ing of this.ingresses.list()) this.controller.enqueue(keyOf(ing));
    };
    this.classes.addEventHandler({ onAdd: resyncAll, onUpdate: resyncAll, onDelete: resyncAll });
  }

  start(): void {
    this.controller.start();
  }

  stop(): Promise<void> {
    return this.controller.stop();
  }

  /** Whether the simulated ingress controller serves this Ingress. */
  serves(ing: KubeObject): boolean {
    const cls = str(specOf(ing).ingressClassName) || ing.metadata.annotations?.[INGRESS_CLASS_ANNOTATION] || "";
    if (cls) return true;
    return this.classes.list().some((c) => c.metadata.annotations?.[DEFAULT_CLASS_ANNOTATION] === "true");
  }

  private async sync(key: string): Promise<void> {
    const { namespace, name } = splitKey(key);
    const ing = this.ingresses.get(namespace, name);
    if (!ing || ing.metadata.deletionTimestamp) return;
    const current = objs(obj(statusOf(ing).loadBalancer)?.ingress);
    let next: Record<string, unknown>[];
    if (this.serves(ing)) next = PUBLISHED_ADDRESS;
    else if (deepEqual(current, PUBLISHED_ADDRESS)) next = [];
    else return;
    if (deepEqual(current, next)) return;
    const updated = structuredClone(ing);
    updated.status = { ...statusOf(updated), loadBalancer: next.length ? { ingress: next } : {} };
    await this.client.update(R.ingresses, namespace, updated, { subresource: "status" });
  }
}
