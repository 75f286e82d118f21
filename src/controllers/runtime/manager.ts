// Starts the control plane's in-process components in order — informers, cache sync, then
// controllers — and stops them in reverse (controller-runtime's runnable groups). A leader gate
// lets several servers on one store run controllers on one instance only.
import { InformerFactory } from "../../client/informers/factory.js";
import type { Client } from "../../client/interface.js";
import type { Clock } from "../../util/clock.js";
import type { Runnable } from "./controller.js";

export interface LeaderGate {
  /** Resolves once this instance leads; components start then. */
  acquire(): Promise<void>;
  release(): Promise<void>;
}

/** Single-instance stores (LevelDB, memory): always the leader. */
export const alwaysLeader: LeaderGate = { acquire: async () => {}, release: async () => {} };

export class ControllerManager {
  readonly informers: InformerFactory;
  private readonly runnables: Runnable[] = [];
  private started = false;

  constructor(
    readonly client: Client,
    readonly clock: Clock,
    private readonly leader: LeaderGate = alwaysLeader,
  ) {
    this.informers = new InformerFactory(client, clock);
  }

  add(r: Runnable): void {
    this.runnables.push(r);
    if (this.started) void r.start();
  }

  async start(): Promise<void> {
    await this.leader.acquire();
    this.informers.start();
    await this.informers.waitForSync();
    this.started = true;
    for (const r of this.runnables) await r.start();
  }

  async stop(): Promise<void> {
    for (const r of [...this.runnables].reverse()) await r.stop();
    await this.informers.stop();
    await this.leader.release();
    this.started = false;
  }
}
