// An in-process cluster for controller, scheduler and kubelet tests: an in-memory API server and
// the chosen control-plane groups, all on a FakeClock. `until` advances fake time in steps and
// polls a condition against a real-time deadline — tests never sleep.
import { setImmediate as yieldTurn } from "node:timers/promises";
import { LoopbackClient } from "../../src/client/loopback-client.js";
import type { Client } from "../../src/client/interface.js";
import type { ClusterOptions } from "../../src/controlplane/context.js";
import { ControlPlane } from "../../src/controlplane/control-plane.js";
import { ApiServer } from "../../src/server/api-server.js";
import { FakeClock, formatTime } from "../../src/util/clock.js";
import type { KubeObject } from "../../src/apimachinery/types.js";
import { R } from "../../src/client/interface.js";

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

/**
 * Creates a Node the way a kubelet and the node lifecycle controller leave it once it is up: the
 * Ready condition True and the node.kubernetes.io/not-ready taint (added by TaintNodesByCondition
 * admission) removed. For tests that run no kubelet and no node lifecycle controller.
 */
export async function createReadyNode(c: Pick<TestCluster, "client" | "clock">, node: KubeObject): Promise<KubeObject> {
  const created = await c.client.create(R.nodes, "", node);
  const now = formatTime(c.clock.now());
  const status = { ...((created.status as object | undefined) ?? {}), conditions: [{ type: "Ready", status: "True", reason: "KubeletReady", message: "kubelet is posting ready status", lastHeartbeatTime: now, lastTransitionTime: now }] };
  await c.client.update(R.nodes, "", { ...created, status }, { subresource: "status" });
  const want = ((node.spec as { taints?: unknown[] } | undefined)?.taints ?? []) as unknown[];
  const fresh = await c.client.get(R.nodes, "", node.metadata.name!);
  return c.client.update(R.nodes, "", { ...fresh, spec: { ...(fresh.spec as object), taints: want.length ? want : undefined } });
}
