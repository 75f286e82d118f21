// kubefacade CLI: flags → certificates → API server → HTTPS listener → kubeconfig, one ready line,
// and a clean shutdown on SIGTERM/SIGINT (watches drained, store closed).
import path from "node:path";
import { readTokenFile } from "./auth/authenticator.js";
import { ADMISSION_PLUGIN_NAMES } from "./admission/plugins/index.js";
import type { ComponentHealth } from "./registry/custom/component-statuses.js";
import type { ClusterOptionsWithKubelet } from "./kubelet/options.js";
import { parseConfig, USAGE, UsageError } from "./config.js";
import { ControlPlane } from "./controlplane/control-plane.js";
import { COMPONENT_GROUPS } from "./controllers/index.js";
import { ApiServer } from "./server/api-server.js";
import { createApp } from "./server/app.js";
import { ensurePki } from "./server/certs.js";
import { writeKubeconfig } from "./server/kubeconfig.js";
import { listen } from "./server/serve.js";
import { isDataDirLocked } from "./storage/backends/leveldb-backend.js";

async function main(): Promise<void> {
  let config;
  try {
    config = parseConfig(process.argv.slice(2));
  } catch (err) {
    process.stderr.write(`kubefacade: ${(err as Error).message}\n\n${USAGE}`);
    process.exit(2);
  }
  if (config === "help") {
    process.stdout.write(USAGE);
    return;
  }
  dataDir = config.dataDir;
  const pki = await ensurePki(path.join(config.dataDir, "pki"), config.address === "0.0.0.0" || config.address === "::" ? [] : [config.address]);
  const tokens = config.tokenAuthFile ? readTokenFile(config.tokenAuthFile) : [];
  const unknownPlugins = config.disableAdmissionPlugins.filter((p) => !(ADMISSION_PLUGIN_NAMES as readonly string[]).includes(p));
  if (unknownPlugins.length) throw new UsageError(`--disable-admission-plugins: unknown plugin(s) ${unknownPlugins.join(", ")} (known: ${ADMISSION_PLUGIN_NAMES.join(", ")})`);
  const listener = await listen(pki, config.address, config.port);
  const advertise = config.address === "0.0.0.0" || config.address === "::" ? "127.0.0.1" : config.address;
  const api = await ApiServer.start({
    storage: config.storage === "memory" ? "memory:" : `leveldb:${path.join(config.dataDir, "db")}`,
    kubernetesVersion: config.kubernetesVersion,
    tokens,
    serviceAccountKey: pki.serviceAccountKey,
    advertiseAddress: advertise,
    securePort: listener.port,
    minRequestTimeoutSeconds: config.minRequestTimeoutSeconds,
    history: { minEvents: config.historyEvents, minAgeMs: config.historySeconds * 1000 },
    compactionIntervalMs: config.compactionIntervalSeconds * 1000,
    cluster: {
      nodes: config.nodes,
      clusterCA: pki.caCert,
      serviceCIDR: config.serviceClusterIPRange,
      podCIDR: config.clusterCIDR,
      nodePortRange: config.serviceNodePortRange,
      kubelet: {
        cpu: config.nodeCPU,
        memory: config.nodeMemory,
        pods: config.maxPods,
        labels: config.nodeLabels,
        taints: config.registerWithTaints,
        timeScale: config.kubeletTimeScale,
        ...(config.kubeletStages ? { stagesFile: config.kubeletStages } : {}),
      },
    } as Partial<ClusterOptionsWithKubelet>,
    disableAdmissionPlugins: config.disableAdmissionPlugins,
    componentProbe: componentProbe(config.controllers),
  });
  listener.serve(createApp(api));
  const unknown = (config.controllers ?? []).filter((g) => !COMPONENT_GROUPS[g]);
  if (unknown.length) throw new UsageError(`--controllers: unknown group(s) ${unknown.join(", ")}`);
  const controlPlane = new ControlPlane(api.loopbackDeps, { cluster: api.cluster, ...(config.controllers ? { groups: config.controllers } : {}) });
  await controlPlane.start();
  const host = advertise.includes(":") ? `[${advertise}]` : advertise;
  const url = `https://${host}:${listener.port}`;
  await writeKubeconfig(config.kubeconfig, url, pki);
  process.stdout.write(`kubefacade ${api.version.gitVersion} is ready at ${url} (kubeconfig: ${config.kubeconfig})\n`);

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    process.stderr.write(`kubefacade: ${signal} received, shutting down\n`);
    await controlPlane.stop();
    api.drainWatches();
    await listener.close();
    await api.stop();
    process.exit(0);
  };
  process.on("SIGTERM", () => void shutdown("SIGTERM"));
  process.on("SIGINT", () => void shutdown("SIGINT"));
}

let dataDir = "";

main().catch((err) => {
  if (isDataDirLocked(err)) process.stderr.write(`kubefacade: ${err.message} (is another kubefacade running with --data-dir ${dataDir}?)\n`);
  else if (err instanceof UsageError) process.stderr.write(`kubefacade: ${err.message}\n`);
  else if ((err as NodeJS.ErrnoException)?.code === "EADDRINUSE") process.stderr.write(`kubefacade: ${(err as Error).message} (is another server on that port? use --port)\n`);
  else process.stderr.write(`kubefacade: ${(err as Error)?.stack ?? String(err)}\n`);
  process.exit(1);
});

/**
 * componentstatuses as a real cluster reports them: a component whose groups are not running
 * answers as its unreachable health port would (kube-scheduler 10259, kube-controller-manager 10257).
 */
function componentProbe(groups: string[] | undefined): (component: string) => ComponentHealth {
  const runs = (pred: (g: string) => boolean) => groups === undefined || groups.some(pred);
  const down = (port: number): ComponentHealth => ({ status: "False", message: "", error: `Get "https://127.0.0.1:${port}/healthz": dial tcp 127.0.0.1:${port}: connect: connection refused` });
  return (component) => {
    if (component === "scheduler" && !runs((g) => g === "scheduler")) return down(10259);
    if (component === "controller-manager" && !runs((g) => g !== "scheduler" && g !== "kubelet")) return down(10257);
    return { status: "True", message: "ok" };
  };
}
