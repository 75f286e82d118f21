// One informer per resource (and selector) shared by every controller, as client-go's
// SharedInformerFactory.
import type { Clock } from "../../util/clock.js";
import type { Client, GroupVersionResourceRef } from "../interface.js";
import { SharedInformer, type InformerOptions } from "./shared-informer.js";

export class InformerFactory {
  private readonly informers = new Map<string, SharedInformer>();
  private started = false;

  constructor(
    private readonly client: Client,
    private readonly clock: Clock,
  ) {}

  informerFor(gvr: GroupVersionResourceRef, opts: InformerOptions = {}): SharedInformer {
    const key = JSON.stringify([gvr.group, gvr.version, gvr.resource, opts.namespace ?? "", opts.labelSelector ?? "", opts.fieldSelector ?? ""]);
    let inf = this.informers.get(key);
    if (!inf) {
      inf = new SharedInformer(this.client, gvr, opts, this.clock);
      this.informers.set(key, inf);
      if (this.started) inf.start();
    }
    return inf;
  }

  /** Stops and forgets the informers of a resource no longer served (a deleted CRD). */
  async remove(gvr: GroupVersionResourceRef): Promise<void> {
    const prefix = JSON.stringify([gvr.group, gvr.version, gvr.resource]).slice(0, -1) + ",";
    const gone = [...this.informers.entries()].filter(([key]) => key.startsWith(prefix));
    for (const [key] of gone) this.informers.delete(key);
    await Promise.all(gone.map(([, inf]) => inf.stop()));
  }

  start(): void {
    this.started = true;
    for (const inf of this.informers.values()) inf.start();
  }

  async waitForSync(): Promise<void> {
    await Promise.all([...this.informers.values()].map((i) => i.waitForSync()));
  }

  async stop(): Promise<void> {
    await Promise.all([...this.informers.values()].map((i) => i.stop()));
  }
}
