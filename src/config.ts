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
  const intFlag = (flag: "nodes", min: number) => {
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
    disableAdmissionPlugins: values["disable-admission-plugins"]!.split(",").map((s) => s.trim()).filter(Boolean),
  };
}
