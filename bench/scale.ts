// Scale figures of `npm run bench`: the built server started with 1,000 simulated nodes (time to
// its ready line and until every node reports Ready), then a Deployment of 10,000 replicas created
// over HTTPS as a user would, timed until the Deployment's status reports every replica updated,
// ready and available — all pods Running, the simulated sandbox, image pull and container start
// included — with the server's RSS and CPU time at that point. Measured from outside, with watches
// (no polling lists). Goal: ≤ 5 s from the create to 10,000 available replicas.
//
//   npm run build && node --import tsx bench/scale.ts [server flags...]
//   BENCH_NODES, BENCH_REPLICAS: the sizes; BENCH_VERBOSE=1: progress, write and event counts.
//   BENCH_URL, BENCH_KUBECONFIG, BENCH_PID: measure a server started by hand instead (e.g. under
//   `node --cpu-prof dist/kubefacade.js --nodes 1000 --storage memory ...`, for profiling).
import { readFileSync } from "node:fs";
import { performance } from "node:perf_hooks";
import { pathToFileURL } from "node:url";
import { removeDir, startServer, tempDir } from "../test/helpers/server-process.ts";
import { clientFor, rssMiB, watchUntil, type WatchEvent } from "./lib.ts";

const NODES = Number(process.env.BENCH_NODES ?? 1000);
const REPLICAS = Number(process.env.BENCH_REPLICAS ?? 10_000);
const VERBOSE = process.env.BENCH_VERBOSE === "1";
const NAME = "scale";

/** CPU seconds (user + system) a process has used. */
function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

function peakRssMiB(pid: number): number {
  return Number(readFileSync(`/proc/${pid}/status`, "utf8").match(/VmHWM:\s+(\d+)/)?.[1] ?? 0) / 1024;
}

const deployment = {
  apiVersion: "apps/v1",
  kind: "Deployment",
  metadata: { name: NAME, labels: { app: NAME } },
  spec: {
    replicas: REPLICAS,
    selector: { matchLabels: { app: NAME } },
    template: {
      metadata: { labels: { app: NAME } },
      // a tagged image (pull policy IfNotPresent), pulled once per node
      spec: { containers: [{ name: "web", image: "nginx:1.27", resources: { requests: { cpu: "10m", memory: "16Mi" } } }] },
    },
  },
};

interface Target {
  url: string;
  kubeconfig: string;
  pid: number;
}

export async function scaleBench(extraArgs: string[] = []): Promise<void> {
  const dir = tempDir("bench-scale");
  const t0 = performance.now();
  const server = await startServer({ dataDir: dir, storage: "memory", args: ["--nodes", String(NODES), ...extraArgs], timeoutMs: 120_000 });
  try {
    const target = { url: server.url, kubeconfig: server.kubeconfig, pid: server.child.pid! };
    const ready = performance.now() - t0;
    await nodesReady(target);
    console.log(
      `start with ${NODES} nodes: ready line after ${ready.toFixed(0)} ms, every node Ready after ${(performance.now() - t0).toFixed(0)} ms; ` +
        `RSS ${rssMiB(target.pid).toFixed(1)} MiB`,
    );
    await rollout(target);
  } finally {
    await server.stop();
    removeDir(dir);
  }
}

/** Until every node reports Ready (the kubelets do shortly after registering). */
async function nodesReady(t: Target): Promise<void> {
  const ready = new Set<string>();
  const isReady = (e: WatchEvent) =>
    e.type !== "DELETED" && ((e.object.status?.conditions ?? []) as { type: string; status: string }[]).some((c) => c.type === "Ready" && c.status === "True");
  await watchUntil(
    t.kubeconfig,
    t.url,
    "/api/v1/nodes?watch=1",
    (e) => {
      if (isReady(e)) ready.add(e.object.metadata.name);
      else ready.delete(e.object.metadata.name);
      return ready.size >= NODES;
    },
    120_000,
  );
}

/** The Deployment, from its create to every replica available. */
async function rollout(t: Target): Promise<void> {
  const client = clientFor(t.kubeconfig, t.url, 4);
  const revision = async () => Number(JSON.parse((await client.request("GET", "/api/v1/namespaces?limit=1")).body).metadata.resourceVersion);
  const rv0 = VERBOSE ? await revision() : 0;
  const cpu0 = cpuSeconds(t.pid);
  const c0 = performance.now();
  let allCreated: number | undefined;
  let lastReady = -1;
  const done = watchUntil(
    t.kubeconfig,
    t.url,
    `/apis/apps/v1/namespaces/default/deployments?watch=1&fieldSelector=metadata.name%3D${NAME}`,
    (e) => {
      const st = (e.object.status ?? {}) as Record<string, number | undefined>;
      const s = (performance.now() - c0) / 1000;
      if (allCreated === undefined && (st.replicas ?? 0) >= REPLICAS) allCreated = s;
      if (VERBOSE && st.readyReplicas !== lastReady) console.log(`  ${s.toFixed(2)} s: replicas ${st.replicas ?? 0}, ready ${st.readyReplicas ?? 0}, available ${st.availableReplicas ?? 0}`);
      lastReady = st.readyReplicas ?? 0;
      return (st.updatedReplicas ?? 0) >= REPLICAS && (st.readyReplicas ?? 0) >= REPLICAS && (st.availableReplicas ?? 0) >= REPLICAS;
    },
    600_000,
  );
  const res = await client.request("POST", "/apis/apps/v1/namespaces/default/deployments", deployment);
  if (res.status !== 201) throw new Error(`create deployment: HTTP ${res.status} ${res.body}`);
  await done;
  const seconds = (performance.now() - c0) / 1000;
  console.log(
    `deployment of ${REPLICAS} replicas on ${NODES} nodes: all available after ${seconds.toFixed(2)} s ` +
      `(every pod created after ${allCreated?.toFixed(2)} s); server CPU ${(cpuSeconds(t.pid) - cpu0).toFixed(1)} s; ` +
      `RSS ${rssMiB(t.pid).toFixed(1)} MiB (peak ${peakRssMiB(t.pid).toFixed(1)} MiB)`,
  );
  if (VERBOSE) {
    const writes = (await revision()) - rv0;
    const events = JSON.parse((await client.request("GET", "/api/v1/namespaces/default/events?limit=1")).body);
    console.log(`  storage writes during the rollout: ${writes}; events in default so far: ${(events.metadata.remainingItemCount ?? 0) + events.items.length}`);
  }
  client.close();
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  if (process.env.BENCH_URL) {
    const t = { url: process.env.BENCH_URL, kubeconfig: process.env.BENCH_KUBECONFIG!, pid: Number(process.env.BENCH_PID) };
    await nodesReady(t);
    await rollout(t);
  } else await scaleBench(process.argv.slice(2));
}
