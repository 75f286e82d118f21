// The PV protection controller (upstream pkg/controller/volume/pvprotection): a volume being deleted
// keeps its kubernetes.io/pv-protection finalizer while it is Bound and loses it once it is not;
// volumes lacking the finalizer get it.
import type { KubeObject } from "../../apimachinery/types.js";
import { R, type Client } from "../../client/interface.js";
import type { SharedInformer } from "../../client/informers/shared-informer.js";
import type { ControllerContext } from "../../controlplane/context.js";
import { deepCopy } from "../../storage/codec.js";
import { Controller, type Runnable } from "../runtime/controller.js";
import { isDeletionCandidate, needToAddFinalizer, phaseOf, PV_PROTECTION_FINALIZER } from "./helpers.js";

export class PVProtectionController implements Runnable {
  readonly name = "persistentvolume-protection-controller";
  private readonly client: Client;
  private readonly pvs: SharedInformer;
  readonly controller: Controller;

  constructor(ctx: ControllerContext) {
    this.client = ctx.clientFor("kube-controller-manager");
    this.pvs = ctx.informers.informerFor(R.persistentvolumes);
    this.controller = new Controller("pvprotection", (key) => this.processPV(key), ctx.clock, 1);
    const onVolume = (pv: KubeObject) => {
      if (needToAddFinalizer(pv, PV_PROTECTION_FINALIZER) || isDeletionCandidate(pv, PV_PROTECTION_FINALIZER)) this.controller.enqueue(pv.metadata.name!);
    };
    this.pvs.addEventHandler({ onAdd: onVolume, onUpdate: (_o, pv) => onVolume(pv) });
  }

  start(): void {
    this.controller.start();
  }

  stop(): Promise<void> {
    return this.controller.stop();
  }

  private async processPV(name: string): Promise<void> {
    const pv = this.pvs.get("", name);
    if (!pv) return;
    if (isDeletionCandidate(pv, PV_PROTECTION_FINALIZER)) {
      // isBeingUsed: the PV controller keeps the phase
      if (phaseOf(pv) !== "Bound") {
        const clone = deepCopy(pv);
        clone.metadata.finalizers = (clone.metadata.finalizers ?? []).filter((f) => f !== PV_PROTECTION_FINALIZER);
        await this.client.update(R.persistentvolumes, "", clone);
        return;
      }
    }
    if (needToAddFinalizer(pv, PV_PROTECTION_FINALIZER)) {
      const clone = deepCopy(pv);
      clone.metadata.finalizers = [...(clone.metadata.finalizers ?? []), PV_PROTECTION_FINALIZER];
      await this.client.update(R.persistentvolumes, "", clone);
    }
  }
}
