// Not part of the suite (no .test.ts): a Deployment of 10,000 replicas through the apps
// controllers alone, then every pod marked ready as a kubelet would. Prints wall and CPU time.
//   node --import tsx --test test/unit/controllers/apps/bench-10k.ts
import { test } from "node:test";
import { R } from "../../../../src/client/interface.js";
import { formatTime } from "../../../../src/util/clock.js";
import { startCluster } from "../../../helpers/cluster.js";
import { deploymentObject, NS } from "./helpers.js";
test("bench", async () => {
  const c = await startCluster({ groups: ["apps"] });
  const counts: Record<string, number> = {};
  for (const g of [R.replicasets, R.deployments]) {
    const w = await c.client.watch(g, NS, {});
    void (async () => {
      for await (const ev of w) counts[`${g.resource} ${ev.type}`] = (counts[`${g.resource} ${ev.type}`] ?? 0) + 1;
    })();
  }
  const t0 = Date.now();
  await c.client.create(R.deployments, NS, deploymentObject("big", { replicas: 10000 }));
  for (;;) {
    await c.settle(5);
    const rs = (await c.client.list(R.replicasets, NS)).items[0] as any;
    if ((rs?.status?.replicas ?? 0) === 10000) break;
    c.clock.advance(1);
  }
  const t1 = Date.now();
  console.log("10k pods + RS status in", t1 - t0, "ms", "cpu", JSON.stringify(process.cpuUsage()));
  const pods = (await c.client.list(R.pods, NS)).items;
  const now = formatTime(c.clock.now());
  let i = 0;
  for (const p of pods) {
    await c.client.update(R.pods, NS, { ...p, status: { ...(p as any).status, phase: "Running", conditions: [{ type: "Ready", status: "True", lastProbeTime: null, lastTransitionTime: now }] } } as any, { subresource: "status" });
    if (++i % 200 === 0) await c.settle(1);
  }
  const t2 = Date.now();
  for (;;) {
    await c.settle(5);
    const d = (await c.client.get(R.deployments, NS, "big")) as any;
    if ((d.status?.availableReplicas ?? 0) === 10000) break;
    c.clock.advance(1);
  }
  console.log("ready updates", t2 - t1, "ms; deployment available after", Date.now() - t2, "ms", "cpu", JSON.stringify(process.cpuUsage()));
  const rs = (await c.client.list(R.replicasets, NS)).items[0] as any;
  const d = (await c.client.get(R.deployments, NS, "big")) as any;
  console.log("writes seen", JSON.stringify(counts), rs.metadata.name, d.metadata.name);
  await c.stop();
});
