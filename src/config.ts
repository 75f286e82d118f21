// Command-line flags → a validated Config.
import path from "node:path";
import { parseArgs } from "node:util";
import { DEFAULT_KUBERNETES_VERSION } from "./server/version.js";

export interface Config {
  address: string;
  port: number;
  dataDir: string;
  storage: "leveldb" | "memory";
  kubeconfig: string;
  tokenAuthFile: string | undefined;
  kubernetesVersion: string;
  minRequestTimeoutSeconds: number;
  historyEvents: number;
  historySeconds: number;
  compactionIntervalSeconds: number;
  nodes: number;
  /** Control-plane component groups to run; undefined = all, [] = none. */
  controllers: string[] | undefined;
  /** Cluster address ranges (upstream flag names). */
  serviceClusterIPRange: string;
  clusterCIDR: string;
  serviceNodePortRange: [number, number];
  /** Simulated nodes' shape and behaviour. */
  nodeCPU: string;
  nodeMemory: string;
  maxPods: number;
  nodeLabels: Record<string, string>;
  registerWithTaints: { key: string; value?: string; effect: "NoSchedule" | "PreferNoSchedule" | "NoExecute" }[];
  kubeletStages: string | undefined;
  kubeletTimeScale: number;
  /** Admission plugins turned off (upstream's names, e.g. ServiceAccount). */
  disableAdmissionPlugins: string[];
}

export const USAGE = `Usage: kubefacade [flags]

  --address ADDR              address to listen on (default 127.0.0.1)
  --port N                    HTTPS port, 0 picks a free one (default 6443)
  --data-dir DIR              storage and certificates (default ./.kubefacade)
  --storage leveldb|memory    where objects live (default leveldb, in <data-dir>/db)
  --kubeconfig PATH           where to write the admin kubeconfig (default ./kubeconfig)
  --token-auth-file PATH      bearer tokens, upstream CSV format: token,user,uid,"group1,group2"
  --kubernetes-version VER    what /version reports (default ${DEFAULT_KUBERNETES_VERSION})
  --min-request-timeout SECS  watches without timeoutSeconds last SECS to 2×SECS (default 1800)
  --history-events N          watch history kept per resource: at least N events... (default 10000)
  --history-seconds S         ...and at least the last S seconds (default 300); older RVs get 410 Expired
  --compaction-interval S     how often storage history is compacted (default 60)
  --nodes N                   simulated nodes (default 3)
  --node-cpu Q / --node-memory Q
                              capacity of every simulated node (default 8 / 32Gi)
  --max-pods N                pods per node (default 110)
  --node-labels k=v,...       extra labels on every node (kubelet --node-labels)
  --register-with-taints k=v:Effect,...
                              taints every node registers with (kubelet flag)
  --kubelet-stages FILE       YAML Stage documents tried before the built-in pod lifecycle
  --kubelet-time-scale X      multiplies every simulated lifecycle delay (0 = instant; default 1)
  --service-cluster-ip-range CIDR
                              Service ClusterIPs (default 10.96.0.0/12; kubernetes takes the first)
  --cluster-cidr CIDR         pod IPs, split into node ranges (default 10.244.0.0/16)
  --service-node-port-range A-B
                              NodePorts (default 30000-32767)
  --controllers LIST          control-plane groups to run, comma-separated, "none" for a bare API
                              server (default: all — lifecycle,apps,stateful,batch,networking,
                              storage,nodes,scheduler,kubelet)
  --disable-admission-plugins LIST
                              admission plugins to turn off, comma-separated (upstream's names:
                              NamespaceLifecycle,LimitRanger,ServiceAccount,TaintNodesByCondition,
                              Priority,DefaultTolerationSeconds,DefaultStorageClass,
                              StorageObjectInUseProtection,RuntimeClass,DefaultIngressClass)
  -h, --help                  this help
`;

export class UsageError extends Error {}

export function parseConfig(argv: string[]): Config | "help" {
  const { values } = parseArgs({
    args: argv,
    options: {
      address: { type: "string", default: "127.0.0.1" },
      port: { type: "string", default: "6443" },
      "data-dir": { type: "string", default: "./.kubefacade" },
      storage: { type: "string", default: "leveldb" },
      kubeconfig: { type: "string", default: "./kubeconfig" },
      "token-auth-file": { type: "string" },
      "kubernetes-version": { type: "string", default: DEFAULT_KUBERNETES_VERSION },
      "min-request-timeout": { type: "string", default: "1800" },
      "history-events": { type: "string", default: "10000" },
      "history-seconds": { type: "string", default: "300" },
      "compaction-interval": { type: "string", default: "60" },
      nodes: { type: "string", default: "3" },
      controllers: { type: "string" },
      "disable-admission-plugins": { type: "string", default: "" },
      "node-cpu": { type: "string", default: "8" },
      "node-memory": { type: "string", default: "32Gi" },
      "max-pods": { type: "string", default: "110" },
      "node-labels": { type: "string", default: "" },
      "register-with-taints": { type: "string", default: "" },
      "kubelet-stages": { type: "string" },
      "kubelet-time-scale": { type: "string", default: "1" },
      "service-cluster-ip-range": { type: "string", default: "10.96.0.0/12" },
      "cluster-cidr": { type: "string", default: "10.244.0.0/16" },
      "service-node-port-range": { type: "string", default: "30000-32767" },
      help: { type: "boolean", short: "h" },
    },
    strict: true,
  });
  if (values.help) return "help";
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`--port must be 0-65535, got ${values.port}`);
  if (values.storage !== "leveldb" && values.storage !== "memory") throw new UsageError(`--storage must be leveldb or memory, got ${values.storage}`);
  const minTimeout = Number(values["min-request-timeout"]);
  if (!(minTimeout > 0)) throw new UsageError(`--min-request-timeout must be a positive number of seconds`);
  if (!/^v\d+\.\d+\.\d+/.test(values["kubernetes-version"]!)) throw new UsageError(`--kubernetes-version must look like v1.33.4`);
  const intFlag = (flag: "nodes" | "max-pods", min: number) => {
    const v = Number(values[flag]);
    if (!Number.isInteger(v) || v < min) throw new UsageError(`--${flag} must be an integer >= ${min}, got ${values[flag]}`);
    return v;
  };
  const number = (flag: "history-events" | "history-seconds" | "compaction-interval", min: number) => {
    const v = Number(values[flag]);
    if (!Number.isFinite(v) || v < min) throw new UsageError(`--${flag} must be a number >= ${min}, got ${values[flag]}`);
    return v;
  };
  return {
    address: values.address!,
    port,
    dataDir: path.resolve(values["data-dir"]!),
    storage: values.storage,
    kubeconfig: path.resolve(values.kubeconfig!),
    tokenAuthFile: values["token-auth-file"],
    kubernetesVersion: values["kubernetes-version"]!,
    minRequestTimeoutSeconds: minTimeout,
    historyEvents: number("history-events", 1),
    historySeconds: number("history-seconds", 0),
    compactionIntervalSeconds: number("compaction-interval", 0.01),
    nodes: intFlag("nodes", 0),
    controllers: values.controllers === undefined ? undefined : values.controllers === "none" ? [] : values.controllers.split(",").map((s) => s.trim()).filter(Boolean),
    serviceClusterIPRange: cidrFlag("service-cluster-ip-range", values["service-cluster-ip-range"]!),
    clusterCIDR: cidrFlag("cluster-cidr", values["cluster-cidr"]!),
    serviceNodePortRange: portRange(values["service-node-port-range"]!),
    nodeCPU: quantityFlag("node-cpu", values["node-cpu"]!),
    nodeMemory: quantityFlag("node-memory", values["node-memory"]!),
    maxPods: intFlag("max-pods", 1),
    nodeLabels: labelsFlag(values["node-labels"]!),
    registerWithTaints: taintsFlag(values["register-with-taints"]!),
    kubeletStages: values["kubelet-stages"] === undefined ? undefined : path.resolve(values["kubelet-stages"]),
    kubeletTimeScale: timeScale(values["kubelet-time-scale"]!),
    disableAdmissionPlugins: values["disable-admission-plugins"]!.split(",").map((s) => s.trim()).filter(Boolean),
  };
}

function cidrFlag(flag: string, v: string): string {
  if (!/^\d{1,3}(\.\d{1,3}){3}\/\d{1,2}$/.test(v)) throw new UsageError(`--${flag} must be an IPv4 CIDR such as 10.96.0.0/12, got ${v}`);
  return v;
}

function portRange(v: string): [number, number] {
  const m = /^(\d+)-(\d+)$/.exec(v);
  const lo = Number(m?.[1]);
  const hi = Number(m?.[2]);
  if (!m || lo < 1 || hi > 65535 || lo > hi) throw new UsageError(`--service-node-port-range must look like 30000-32767, got ${v}`);
  return [lo, hi];
}

function quantityFlag(flag: string, v: string): string {
  if (!/^\d+(\.\d+)?(m|k|M|G|T|P|E|Ki|Mi|Gi|Ti|Pi|Ei)?$/.test(v)) throw new UsageError(`--${flag} must be a Kubernetes quantity such as 8 or 32Gi, got ${v}`);
  return v;
}

function labelsFlag(v: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of v.split(",").map((s) => s.trim()).filter(Boolean)) {
    const i = part.indexOf("=");
    if (i <= 0) throw new UsageError(`--node-labels: expected key=value, got ${part}`);
    out[part.slice(0, i)] = part.slice(i + 1);
  }
  return out;
}

const EFFECTS = ["NoSchedule", "PreferNoSchedule", "NoExecute"] as const;

function taintsFlag(v: string): Config["registerWithTaints"] {
  return v
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean)
    .map((part) => {
      const m = /^([^=:]+)(?:=([^:]*))?:(.+)$/.exec(part);
      const effect = m?.[3] as (typeof EFFECTS)[number] | undefined;
      if (!m || !effect || !EFFECTS.includes(effect)) throw new UsageError(`--register-with-taints: expected key[=value]:NoSchedule|PreferNoSchedule|NoExecute, got ${part}`);
      return { key: m[1]!, ...(m[2] ? { value: m[2] } : {}), effect };
    });
}

function timeScale(v: string): number {
  const n = Number(v);
  if (!Number.isFinite(n) || n < 0) throw new UsageError(`--kubelet-time-scale must be a number >= 0, got ${v}`);
  return n;
}
