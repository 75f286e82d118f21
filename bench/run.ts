// npm run bench: cold start to the first kubectl answer, idle RSS, and durable creates/s with
// latency percentiles for concurrent clients; then the scale figure (bench/scale.ts): start with
// 1,000 simulated nodes, and a Deployment of 10,000 replicas until every replica is available,
// with the RSS at that point. Prints figures; asserts nothing (goals live in the README and issue
// notes: start ≤ 0.5 s, idle RSS ≤ 80 MB, ≥ 5,000 durable creates/s, 10,000 replicas on 1,000
// nodes Running ≤ 5 s). BENCH_SCALE=0 skips the scale figure.
import { execFileSync } from "node:child_process";
import { performance } from "node:perf_hooks";
import { removeDir, startServer, tempDir } from "../test/helpers/server-process.ts";
import { kubectlPath } from "../test/helpers/kubectl.ts";
import { writeFileSync } from "node:fs";
import path from "node:path";
import { clientFor, percentile, rssMiB } from "./lib.ts";
import { runWrk, WRK } from "./wrk.ts";
import { scaleBench } from "./scale.ts";

const CLIENTS = Number(process.env.BENCH_CLIENTS ?? 32);
const CREATES = Number(process.env.BENCH_CREATES ?? 20_000);

const TOKEN = "bench-token";

async function coldStart(label: string, dataDir: string) {
  const tokenFile = path.join(dataDir, "tokens.csv");
  writeFileSync(tokenFile, `${TOKEN},bench,bench-uid,"system:masters"\n`);
  const t0 = performance.now();
  const server = await startServer({ dataDir, args: ["--token-auth-file", tokenFile] });
  const ready = performance.now() - t0;
  const kubectl = kubectlPath("1.33");
  execFileSync(kubectl, ["get", "namespaces", "-o", "name"], { env: { ...process.env, KUBECONFIG: server.kubeconfig, KUBECACHEDIR: `${dataDir}/cache` } });
  const answered = performance.now() - t0;
  console.log(`${label}: ready line after ${ready.toFixed(0)} ms, first kubectl answer after ${answered.toFixed(0)} ms`);
  return server;
}

const benchObject = {
  apiVersion: "v1",
  kind: "ConfigMap",
  metadata: { generateName: "bench-", labels: { bench: "true" } },
  data: { payload: "x".repeat(256) },
};

function createsWithWrk(server: Awaited<ReturnType<typeof startServer>>, dir: string) {
  const r = runWrk(`${server.url}/api/v1/namespaces/default/configmaps`, TOKEN, benchObject, CLIENTS, 10, dir);
  console.log(
    `durable creates (wrk, ${CLIENTS} connections, 10 s): ${r.requests} = ${r.perSecond.toFixed(0)}/s; ` +
      `p50 ${r.p50ms.toFixed(1)} ms, p99 ${r.p99ms.toFixed(1)} ms, non-2xx ${r.non2xx}`,
  );
}

async function creates(server: Awaited<ReturnType<typeof startServer>>) {
  const client = clientFor(server.kubeconfig, server.url, CLIENTS);
  const latencies: number[] = [];
  let next = 0;
  let failures = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: CLIENTS }, async () => {
      for (;;) {
        const i = next++;
        if (i >= CREATES) return;
        const s = performance.now();
        const res = await client.request("POST", "/api/v1/namespaces/default/configmaps", benchObject);
        latencies.push(performance.now() - s);
        if (res.status !== 201) failures++;
      }
    }),
  );
  const seconds = (performance.now() - t0) / 1000;
  latencies.sort((a, b) => a - b);
  console.log(
    `durable creates: ${CREATES} by ${CLIENTS} clients in ${seconds.toFixed(2)} s = ${(CREATES / seconds).toFixed(0)}/s; ` +
      `p50 ${percentile(latencies, 50).toFixed(1)} ms, p99 ${percentile(latencies, 99).toFixed(1)} ms, failures ${failures} (Node client)`,
  );
  const t1 = performance.now();
  const list = await client.request("GET", "/api/v1/namespaces/default/configmaps?labelSelector=bench%3Dtrue");
  const items = (JSON.parse(list.body) as { items: unknown[] }).items.length;
  console.log(`list of ${items} configmaps: ${(performance.now() - t1).toFixed(0)} ms, ${(list.body.length / 1024 / 1024).toFixed(1)} MiB`);
  client.close();
}

const dir = tempDir("bench");
try {
  const first = await coldStart("first start (generates certificates)", dir);
  await first.stop();
  const server = await coldStart("cold start (existing data dir)", dir);
  await new Promise((r) => setTimeout(r, 1000));
  console.log(`idle RSS: ${rssMiB(server.child.pid!).toFixed(1)} MiB`);
  if (WRK) createsWithWrk(server, dir);
  else console.log("wrk is not installed (apt-get install wrk): measuring with a Node client, which saturates first on small machines");
  await creates(server);
  console.log(`RSS after creates: ${rssMiB(server.child.pid!).toFixed(1)} MiB`);
  await server.stop();
} finally {
  removeDir(dir);
}
if (process.env.BENCH_SCALE !== "0") await scaleBench();
