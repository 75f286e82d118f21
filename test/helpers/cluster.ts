// An in-process cluster for controller, scheduler and kubelet tests: an in-memory API server and
// the chosen control-plane groups, all on a FakeClock. `until` advances fake time in steps and
// polls a condition against a real-time deadline — tests never sleep.
import { setImmediate as yieldTurn } from "node:timers/promises";
import { LoopbackClient } from "../../src/client/loopback-client.js";
import type { Client } from "../../src/client/interface.js";
import type { ClusterOptions } from "../../src/controlplane/context.js";
import { ControlPlane } from "../../src/controlplane/control-plane.js";
import { ApiServer } from "../../src/server/api-server.js";
import { FakeClock } from "../../src/util/clock.js";

export interface TestCluster {
  api: ApiServer;
  controlPlane: ControlPlane;
  /** A client acting as the cluster admin. */
  client: Client;
  clock: FakeClock;
  /**
   * Resolves with the first truthy value of check(), advancing the fake clock by stepMs between
   * attempts; fails after timeoutMs of real time or maxFakeMs of fake time.
   */
  until<T>(check: () => T | undefined | false | null | Promise<T | undefined | false | null>, opts?: { stepMs?: number; maxFakeMs?: number; timeoutMs?: number; what?: string }): Promise<T>;
  /** Lets pending async work run without moving the clock. */
  settle(turns?: number): Promise<void>;
  stop(): Promise<void>;
}

export async function startCluster(opts: { groups?: string[]; cluster?: Partial<ClusterOptions>; clock?: FakeClock } = {}): Promise<TestCluster> {
  const clock = opts.clock ?? new FakeClock();
  const api = await ApiServer.start({ storage: "memory:", clock, cluster: { clusterCA: "-----BEGIN CERTIFICATE-----\ntest\n-----END CERTIFICATE-----\n", ...opts.cluster } });
  // lifecycle (service accounts, namespaces, garbage collection) always runs: pods need the default
  // ServiceAccount, and owners' dependents need the garbage collector, as on any real cluster
  const groups = opts.groups ? [...new Set(["lifecycle", ...opts.groups])] : undefined;
  const controlPlane = new ControlPlane(api.loopbackDeps, { cluster: api.cluster, ...(groups ? { groups } : {}) });
  await controlPlane.start();
  const client = new LoopbackClient(api.loopbackDeps, {
    user: { username: "kubernetes-admin", groups: ["system:masters", "system:authenticated"] },
    userAgent: "kubectl/v1.33.1 (linux/amd64) kubernetes/test",
  });
  const settle = async (turns = 20) => {
    for (let i = 0; i < turns; i++) await yieldTurn();
  };
  return {
    api,
    controlPlane,
    client,
    clock,
    settle,
    async until(check, o = {}) {
      const step = o.stepMs ?? 100;
      const deadline = Date.now() + (o.timeoutMs ?? 10_000);
      const fakeStart = clock.now();
      for (;;) {
        await settle();
        const v = await check();
        if (v) return v as never;
        if (Date.now() > deadline || clock.now() - fakeStart > (o.maxFakeMs ?? 10 * 60_000))
          throw new Error(`timed out waiting for ${o.what ?? "condition"} (fake time advanced ${clock.now() - fakeStart} ms)`);
        clock.advance(step);
      }
    },
    async stop() {
      await controlPlane.stop();
      await api.stop();
    },
  };
}
